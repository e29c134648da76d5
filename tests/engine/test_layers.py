"""The layers view on real images: sharing, added/changed/deleted files, wasted space."""


def test_layers_sharing_and_waste(ip, unique):
    a = ip.run_cell_magic("dockerfile", f"-q -t {unique}-a",
                          "FROM debian:bookworm\nRUN dd if=/dev/zero of=/big bs=1k count=300 && echo a > /a\n"
                          "RUN rm /big && echo more >> /etc/motd\n")
    ip.run_cell_magic("dockerfile", f"-q -t {unique}-b", "FROM debian:bookworm\nRUN echo b > /b\n")
    view = a.layers()
    base, made, cleaned = view.layers
    assert f"{unique}-b:latest" in base["shared_with"]
    assert made["counts"]["added"] == 2 and made["size"] == 300 * 1024 + 2
    assert cleaned["deleted"] == ["big"] and [p for p, _ in cleaned["changed"]] == ["etc/motd"]
    assert view.data["wasted"] >= 300 * 1024 and view.data["efficiency"] < 1
    html = view.html()
    assert html.count("class='dm-layer'") == 3 and "dm-bar" in html
    assert "shared with" in view.text()
