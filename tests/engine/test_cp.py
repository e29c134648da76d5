"""cp against the real engine: the direction is the parser's one rule, and ``-`` streams a tar."""

import io
import tarfile

import pytest

from tests.conftest import BASE_IMAGE

pytestmark = pytest.mark.podman  # in the subset scripts/podman.sh runs against Podman


def test_a_host_path_with_a_colon_after_a_slash_is_copied_into_the_container(
    ip, unique, tmp_path, client, monkeypatch
):
    # dir/f:x cannot be CONTAINER:PATH (a container name has no '/'): it is a file on this machine
    ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} sleep 30")
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "f:x").write_text("colon in the name\n")
    monkeypatch.chdir(tmp_path)
    ip.run_line_magic("docker", f"cp dir/f:x {unique}:/tmp")
    stream, _ = client.api.get_archive(unique, "/tmp/f:x")
    with tarfile.open(fileobj=io.BytesIO(b"".join(stream))) as tar:
        assert tar.extractfile("f:x").read() == b"colon in the name\n"


def test_cp_both_ways(ip, unique, tmp_path):
    ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} sleep 30")
    src = tmp_path / "note.txt"
    src.write_text("from the host\n")
    ip.run_line_magic("docker", f"cp {src} {unique}:/tmp/copied.txt")
    back = tmp_path / "back.txt"
    ip.run_line_magic("docker", f"cp {unique}:/tmp/copied.txt {back}")
    assert back.read_text() == "from the host\n"


def test_cp_to_dash_returns_the_tar_stream_and_writes_no_file(ip, unique, tmp_path, monkeypatch):
    ip.run_line_magic("docker", f"run --name {unique} {BASE_IMAGE} sh -c 'echo inside > /tmp/note'")
    monkeypatch.chdir(tmp_path)
    archive = ip.run_line_magic("docker", f"cp {unique}:/tmp/note -")
    with tarfile.open(fileobj=io.BytesIO(bytes(archive))) as tar:
        assert tar.extractfile("note").read() == b"inside\n"
    assert archive.names() == ["note"] and "tar archive of" in repr(archive)
    assert not (tmp_path / "-").exists()
