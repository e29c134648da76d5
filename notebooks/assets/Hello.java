public class Hello {
    public static void main(String[] args) {
        System.out.println("Hello from Java " + System.getProperty("java.version")
            + " on " + System.getProperty("os.name"));
    }
}
