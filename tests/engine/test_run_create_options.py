"""What run/create flags do beyond the create body: --pull, -q, --cidfile, and the engine's warnings."""

from __future__ import annotations

import time

import pytest
from IPython.core.error import UsageError

from tests.conftest import BASE_IMAGE


def test_engine_warnings_are_printed_as_the_cli_prints_them(ip, client, unique, capfd):
    ip.run_line_magic("docker", f"create --name {unique} --kernel-memory 64m {BASE_IMAGE}")
    err = capfd.readouterr().err
    assert "WARNING: Specifying a kernel memory limit is deprecated" in err
    assert client.api.inspect_container(unique)["HostConfig"]["KernelMemory"] == 64 * 1024**2


def test_pull_never_does_not_pull_a_missing_image(ip, client, unique, capfd):
    with pytest.raises(UsageError, match="No such image: dmt-no-such-image:1") as info:
        ip.run_line_magic("docker", f"create --pull never --name {unique} dmt-no-such-image:1")
    assert "\n" not in str(info.value)
    assert "Unable to find image" not in capfd.readouterr().err  # no pull was tried
    assert not client.api.containers(all=True, filters={"name": unique})


def test_pull_always_pulls_first_and_quiet_says_nothing(ip, client, unique, capfd):
    ip.run_line_magic("docker", f"create --pull always --name {unique}-loud {BASE_IMAGE}")
    loud = capfd.readouterr().err
    ip.run_line_magic("docker", f"create --pull always -q --name {unique}-quiet {BASE_IMAGE}")
    quiet = capfd.readouterr().err
    assert "bookworm" in loud and quiet == ""  # the progress names the tag it pulls
    assert {c["Names"][0] for c in client.api.containers(all=True, filters={"name": unique})} == {
        f"/{unique}-loud",
        f"/{unique}-quiet",
    }


def test_cidfile_is_written_and_an_existing_one_refused(ip, client, unique, tmp_path):
    path = tmp_path / "id"
    c = ip.run_line_magic("docker", f"create --cidfile {path} --name {unique} {BASE_IMAGE}")
    assert path.read_text() == c.id
    assert client.api.inspect_container(c.id)["HostConfig"]["ContainerIDFile"] == str(path)
    with pytest.raises(UsageError, match="--cidfile .* exists") as info:
        ip.run_line_magic("docker", f"create --cidfile {path} --name {unique}-2 {BASE_IMAGE}")
    assert "\n" not in str(info.value)
    assert not client.api.containers(all=True, filters={"name": f"{unique}-2"})
    # a creation that fails leaves no id file behind, as with the CLI
    failed = tmp_path / "failed"
    with pytest.raises(UsageError):
        ip.run_line_magic("docker", f"create --cidfile {failed} --pull never dmt-no-such-image:1")
    assert not failed.exists()


def test_run_it_detach_keys_are_the_terminals(ip, client, unique):
    t = ip.run_line_magic("docker", f"run -it --detach-keys ctrl-a,d --name {unique} {BASE_IMAGE} sh")
    assert "Detach (Ctrl-A d)" in t.widget().children[1].children[2].description
    begun = time.monotonic()
    t.detach()  # sends the keys given: the engine ends the stream on them
    assert t.closed and time.monotonic() - begun < 2
    assert client.api.inspect_container(unique)["State"]["Running"]
