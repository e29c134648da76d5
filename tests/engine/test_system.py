"""version and info against the real engine."""


def test_version_reports_the_engine(ip, client):
    view = ip.run_line_magic("docker", "version")
    server = client.version()
    assert view["Server"]["Version"] == server["Version"]
    assert f"ApiVersion: {server['ApiVersion']}" in view.text()


def test_info_reports_the_engine(ip, client):
    view = ip.run_line_magic("docker", "info")
    info = client.info()
    assert view["ServerVersion"] == info["ServerVersion"]
    assert view["NCPU"] == info["NCPU"]
    assert "<table" in view.html()
