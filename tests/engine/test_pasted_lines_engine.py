"""Pasted shell lines on the real engine: the shell's result, or nothing at all.

Where the result must equal the shell's, the same line also runs through ``sh``
and the real ``docker`` CLI, in the same environment, and the two are compared.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

from tests.conftest import BASE_IMAGE


def names(client, prefix: str) -> set[str]:
    return {
        n.lstrip("/") for c in client.api.containers(all=True, filters={"name": prefix}) for n in c["Names"]
    }


def test_rm_to_dev_null_with_a_comment_removes_web_only(ip, client, unique, capsys):
    for name in ("web", "delete", "prev", "container"):
        ip.run_line_magic("docker", f"create --name {unique}-{name} {BASE_IMAGE} true")
    capsys.readouterr()
    line = f"rm -f {unique}-web >> /dev/null  # {unique}-delete {unique}-prev {unique}-container"
    assert ip.run_line_magic("docker", line) is None
    assert capsys.readouterr().out == ""  # the CLI would print the name; > /dev/null shows nothing
    assert names(client, unique) == {f"{unique}-delete", f"{unique}-prev", f"{unique}-container"}


def test_refused_shell_syntax_leaves_every_container_in_place(ip, client, unique):
    for name in ("web", "grep"):
        ip.run_line_magic("docker", f"create --name {unique}-{name} {BASE_IMAGE} true")
    for line in (
        f"rm -f {unique}-web | {unique}-grep",
        f"rm -f {unique}-web && rm {unique}-grep",
        f"rm -f {unique}-web; rm {unique}-grep",
        f"rm -f $(echo {unique}-web) {unique}-grep",
        f"rm -f {unique}-web > {unique}-grep",
    ):
        with pytest.raises(UsageError, match="runs no shell"):
            ip.run_line_magic("docker", line)
    assert names(client, unique) == {f"{unique}-web", f"{unique}-grep"}


def test_stop_to_dev_null_stops_and_a_failure_still_says_so(ip, client, unique, capsys):
    ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} sleep 300")
    capsys.readouterr()
    assert ip.run_line_magic("docker", f"stop -t 1 {unique} > /dev/null") is None
    assert client.api.inspect_container(unique)["State"]["Running"] is False
    assert capsys.readouterr().out == ""
    with pytest.raises(UsageError, match="exit"):  # no output, but an error is never hidden
        ip.run_line_magic("docker", f"run --rm {BASE_IMAGE} sh -c 'echo hidden; exit 3' >/dev/null 2>&1")
    assert "hidden" not in capsys.readouterr().out


def sh_then_cli(line: str, env: dict, cwd: str) -> str:
    """The line as a terminal runs it: sh expands it, the docker CLI runs it."""
    out = subprocess.run(
        ["sh", "-c", f"docker {line}"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return out.stdout


def test_pwd_home_and_tilde_mount_what_the_shell_mounts(ip, tmp_path, monkeypatch):
    project, home = tmp_path / "project", tmp_path / "home"
    (home / "code").mkdir(parents=True)
    project.mkdir()
    (project / "marker").write_text("from $PWD\n")
    (home / "code" / "x.txt").write_text("from ~/code\n")
    (home / "top.txt").write_text("from ${HOME}\n")
    monkeypatch.chdir(project)
    monkeypatch.setenv("PWD", str(project))
    monkeypatch.setenv("HOME", str(home))
    line = (
        f"run --rm -v $PWD:/app -v ~/code:/code -v ${{HOME}}:/h -w /app {BASE_IMAGE} "
        "sh -c 'cat marker /code/x.txt /h/top.txt; echo $HOME'  # three mounts"
    )
    result = ip.run_line_magic("docker", line)
    assert result.stdout == "from $PWD\nfrom ~/code\nfrom ${HOME}\n/root\n"
    assert result.stdout == sh_then_cli(line, {**os.environ}, str(project))


def test_a_list_reaches_stdout_when_captured(ip, client, unique, capsys):
    ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} sleep 300")
    short_id = client.api.inspect_container(unique)["Id"][:12]
    ip.run_cell(f"%%capture out\n%docker container ls --quiet --filter name={unique}")
    assert ip.user_ns["out"].stdout == short_id + "\n"  # the tutorial's next line reads it
    ip.run_cell("container_id = out.stdout.strip()\n%docker container stop -t 1 {container_id} >/dev/null")
    assert client.api.inspect_container(unique)["State"]["Running"] is False
    with capture_output() as captured:
        table = ip.run_line_magic("docker", f"ps -a --filter name={unique}")
    assert captured.stdout == table.text() + "\n" and unique in captured.stdout
    capsys.readouterr()
    ip.run_cell(f"%docker ps -aq --filter name={unique}")  # a normal cell: the result shows once
    assert capsys.readouterr().out.count(short_id) == 1


@pytest.mark.timeout(120)
def test_in_a_real_kernel_capture_gets_the_text_and_a_normal_cell_shows_it_once(ip, client, unique):
    from jupyter_client.manager import start_new_kernel

    ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} sleep 300")
    short_id = client.api.inspect_container(unique)["Id"][:12]
    manager, kernel = start_new_kernel(kernel_name="python3")
    try:

        def run(code: str) -> tuple[str, str]:
            """(stream text, execute_result text) of one cell."""
            streams, result = [], []
            kernel.execute_interactive(
                code,
                timeout=60,
                output_hook=lambda msg: (
                    streams.append(msg["content"].get("text", ""))
                    if msg["msg_type"] == "stream"
                    else result.append(msg["content"]["data"].get("text/plain", ""))
                    if msg["msg_type"] == "execute_result"
                    else None
                ),
            )
            return "".join(streams), "".join(result)

        assert run("import sys; print(sys.executable)")[0].strip() == sys.executable
        run("%load_ext dockermagic")
        run(f"%%capture out\n%docker container ls --quiet --filter name={unique}")
        assert run("print(repr(out.stdout))")[0].strip() == repr(short_id + "\n")
        stream, shown = run(f"%docker container ls --quiet --filter name={unique}")
        assert (stream.count(short_id), shown.count(short_id)) == (0, 1)
    finally:
        kernel.stop_channels()
        manager.shutdown_kernel(now=True)


def test_a_variables_value_never_becomes_a_flag_on_the_engine(ip, client, unique, monkeypatch):
    monkeypatch.setenv("OPTS", "--privileged")
    with pytest.raises(UsageError, match="never becomes a flag"):
        ip.run_line_magic("docker", f"create --name {unique} $OPTS {BASE_IMAGE} true")
    ip.run_line_magic("docker", f"create --name {unique} -e A=$OPTS {BASE_IMAGE} true")
    doc = client.api.inspect_container(unique)
    assert doc["HostConfig"]["Privileged"] is False and "A=--privileged" in doc["Config"]["Env"]


@pytest.mark.timeout(60)
def test_run_i_without_t_in_a_pasted_line_returns(ip):
    begun = time.monotonic()
    result = ip.run_line_magic("docker", f"run -i --rm {BASE_IMAGE} sh -c 'cat; echo done'  # needs stdin")
    assert result.stdout == "done\n" and time.monotonic() - begun < 20
