public class Hello {
    public static void main(String[] args) {
        // The feature release only (17), not the update (17.0.x): Debian ships updates often.
        System.out.println("Hello from Java " + Runtime.version().feature()
            + " on " + System.getProperty("os.name"));
    }
}
