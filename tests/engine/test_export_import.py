"""export and import against the real engine, compared with the CLI: the imported image's inspect
(Config from --change, the message, the layer) equals the CLI's, from a file and from a URL the
engine fetches; export writes the same archive as the CLI's."""

from __future__ import annotations

import functools
import http.server
import io
import json
import tarfile
import threading

import pytest
from IPython.core.error import UsageError

from tests.conftest import docker_cli

CHANGES = [
    "ENV GREETING=hello PATH=/bin",
    'CMD ["/hello.txt"]',
    "WORKDIR /data",
    "EXPOSE 8080/tcp",
    "USER 1000",
    'ENTRYPOINT ["/bin/true"]',
    "VOLUME /v",
    'LABEL note="<a&b>"',
]
COMPARED = ("Config", "Comment", "RootFS", "Os", "Architecture", "Size", "Author", "DockerVersion")


def small_tar(path) -> None:
    with tarfile.open(path, "w") as tar:
        for name, data in (("hello.txt", b"hello\n"), ("etc/passwd", b"root:x:0:0::/:/bin/sh\n")):
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, 1700000000
            tar.addfile(info, io.BytesIO(data))


def changes_line(test_label: str) -> str:
    return " ".join(f"-c '{c}'" for c in [*CHANGES, f"LABEL {test_label}"])


def compared(client, ref: str) -> dict:
    doc = client.api.inspect_image(ref)
    return {k: doc.get(k) for k in COMPARED}


def test_import_from_a_file_matches_the_cli(ip, client, unique, test_label, tmp_path, capsys):
    tar = tmp_path / "rootfs.tar"
    small_tar(tar)
    cli_changes = [arg for c in [*CHANGES, f"LABEL {test_label}"] for arg in ("-c", c)]
    docker_cli("import", *cli_changes, "-m", "from a tarball", str(tar), f"{unique}-cli:1")
    image = ip.run_line_magic(
        "docker", f"import {changes_line(test_label)} -m 'from a tarball' {tar} {unique}-dm:1"
    )
    ours, theirs = compared(client, f"{unique}-dm:1"), compared(client, f"{unique}-cli:1")
    assert ours == theirs
    assert ours["Config"]["Env"] == ["GREETING=hello", "PATH=/bin"] and ours["Comment"] == "from a tarball"
    assert image.id == client.api.inspect_image(f"{unique}-dm:1")["Id"]
    assert capsys.readouterr().out.strip().endswith(image.id)  # the id, as the CLI prints it


def test_image_import_from_a_url_the_engine_fetches(ip, client, unique, test_label, tmp_path):
    small_tar(tmp_path / "rootfs.tar")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/rootfs.tar"
    try:
        docker_cli("import", "-c", f"LABEL {test_label}", url, f"{unique}-cli")
        ip.run_line_magic("docker", f"image import -c 'LABEL {test_label}' {url} {unique}-dm")
    finally:
        server.shutdown()
        server.server_close()
    assert compared(client, f"{unique}-dm:latest") == compared(client, f"{unique}-cli:latest")


def names_in(path) -> list[str]:
    with tarfile.open(path) as tar:
        return sorted(m.name for m in tar.getmembers())


def test_export_writes_the_archive_the_cli_writes(ip, client, unique, test_label, tmp_path):
    small_tar(tmp_path / "rootfs.tar")
    docker_cli("import", "-c", f"LABEL {test_label}", str(tmp_path / "rootfs.tar"), f"{unique}-src")
    docker_cli("create", "--label", test_label, "--name", unique, f"{unique}-src", "/hello.txt")
    docker_cli("export", "-o", str(tmp_path / "cli.tar"), unique)
    written = ip.run_line_magic("docker", f"container export -o {tmp_path / 'dm.tar'} {unique}")
    assert str(written) == str(tmp_path / "dm.tar")
    assert names_in(tmp_path / "dm.tar") == names_in(tmp_path / "cli.tar")
    assert "hello.txt" in names_in(tmp_path / "dm.tar")
    with tarfile.open(tmp_path / "dm.tar") as tar:
        assert tar.extractfile("hello.txt").read() == b"hello\n"
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize(
    "line, words",
    [
        ("export dmt-missing-container -o {tmp}/x.tar", "No such container: dmt-missing-container"),
        ("export -o {tmp}/nodir/x.tar anything", "no such directory"),
        ("import {tmp}/missing.tar", "no such file on this machine"),
        ("export dmt-x", "export needs -o FILE"),
        ("import - dmt-x", "no stdin"),
    ],
)
def test_bad_input_is_one_line(ip, tmp_path, line, words):
    with pytest.raises(UsageError) as info:
        ip.run_line_magic("docker", line.format(tmp=tmp_path))
    assert words in str(info.value) and "\n" not in str(info.value)
    assert not list(tmp_path.rglob("*.part"))


def test_the_engines_refusals_are_one_line(ip, tmp_path):
    bad = tmp_path / "bad.tar"
    bad.write_bytes(json.dumps({"not": "a tar"}).encode() * 100)
    with pytest.raises(UsageError) as info:
        ip.run_line_magic("docker", f"import {bad} dmt-never")
    assert "\n" not in str(info.value)
    small_tar(tmp_path / "rootfs.tar")
    with pytest.raises(UsageError) as info:
        ip.run_line_magic("docker", f"import -c 'STOPSIGNAL SIGINT' {tmp_path / 'rootfs.tar'} dmt-never")
    assert "stopsignal is not a valid change command" in str(info.value) and "\n" not in str(info.value)
