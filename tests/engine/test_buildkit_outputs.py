"""-o/--output on BuildKit: the result's files written into a directory, or as a tar, by the session.

Each export is compared with what docker.io's CLI (``/usr/bin/docker``, 20.10, with
``DOCKER_BUILDKIT=1``: the CLI the set-up installs) writes for the same Dockerfile on this engine:
the same entries, kinds, modes, bytes, link targets, hard links and times. The BuildKit cache these
builds make is pruned at the end of the module, record by record.
"""

from __future__ import annotations

import hashlib
import os
import signal
import stat
import subprocess
import threading
import time

import pytest
from IPython.core.error import UsageError

from tests.conftest import BASE_IMAGE

DOCKER_IO_CLI = "/usr/bin/docker"

# a result with directories of several modes, a file of several 32 KiB chunks, an empty file,
# relative and absolute symbolic links, a hard link, setuid and sticky bits
RESULT = (
    f"FROM {BASE_IMAGE} AS make\n"
    "RUN mkdir -p /out/dir/deep /out/private && chmod 750 /out/private && chmod 1777 /out/dir/deep"
    " && printf 'hello\\n' > /out/hello.txt && chmod 640 /out/hello.txt"
    " && seq 1 40000 > /out/dir/big.txt && : > /out/private/empty"
    " && ln -s hello.txt /out/link && ln -s /etc/passwd /out/dir/abs"
    " && ln -s ../../hello.txt /out/dir/deep/up && ln /out/hello.txt /out/hard"
    " && cp /bin/true /out/tool && chmod 4755 /out/tool\n"
    "FROM scratch\nCOPY --from=make /out /\n"
)


def cli_build(context, *args):
    env = {**os.environ, "DOCKER_BUILDKIT": "1"}
    done = subprocess.run(
        [DOCKER_IO_CLI, "build", *args, str(context)], capture_output=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]


def tree(root) -> dict[str, tuple]:
    """Every entry below ``root``: kind, mode, bytes' digest or link target, mtime (not a
    directory's: docker.io's 20.10 CLI leaves its directories one time, that of the export), hard
    links by the first path of their inode."""
    out: dict[str, tuple] = {}
    inodes: dict[int, str] = {}
    for here, dirs, files in os.walk(root):
        for name in sorted(dirs + files):
            path = os.path.join(here, name)
            rel = os.path.relpath(path, root)
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                what = ("link", os.readlink(path))
            elif stat.S_ISDIR(st.st_mode):
                what = ("dir", "")
                st = os.stat_result((*st[:8], 0, 0))  # its mtime left out
            else:
                with open(path, "rb") as f:
                    what = ("file", hashlib.sha256(f.read()).hexdigest())
            first = inodes.setdefault(st.st_ino, rel) if stat.S_ISREG(st.st_mode) else rel
            out[rel] = (*what, oct(stat.S_IMODE(st.st_mode)), st.st_mtime_ns, first)
    st = os.lstat(root)
    out["."] = ("dir", "", oct(stat.S_IMODE(st.st_mode)), None, ".")
    return out


def test_local_output_writes_the_same_files_as_the_cli(ip, tmp_path):
    (tmp_path / "ctx").mkdir()
    (tmp_path / "ctx" / "Dockerfile").write_text(RESULT)
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    cli_build(tmp_path / "ctx", "-o", f"type=local,dest={theirs}")
    view = ip.run_cell_magic("dockerfile", f"--builder buildkit -o type=local,dest={ours}", RESULT)
    mine, cli = tree(ours), tree(theirs)
    assert mine == cli
    assert (
        mine["."][2] == "0o700"
    )  # DEST, made by the export    # what the comparison covers, so that it cannot pass on two empty folders
    assert mine["hello.txt"][0] == "file" and mine["hello.txt"][2] == "0o640"
    assert mine["tool"][2] == "0o4755" and mine["dir/deep"][2] == "0o1777" and mine["private"][2] == "0o750"
    assert mine["link"][:2] == ("link", "hello.txt") and mine["dir/abs"][:2] == ("link", "/etc/passwd")
    assert mine["dir/deep/up"][:2] == ("link", "../../hello.txt")
    assert mine["hard"][4] == mine["hello.txt"][4]  # one inode: a hard link (4 files, 1 link)
    assert (ours / "dir" / "big.txt").read_text().splitlines()[-1] == "40000"
    assert (ours / "private" / "empty").read_bytes() == b""
    assert os.readlink(ours / "dir" / "abs") == "/etc/passwd"  # written as a link, pointing out
    assert view.exported.files == 4 and view.exported.dest == str(ours)
    assert f"written to {ours}: 4 files" in view.text()


def test_tar_output_is_the_clis_tar(ip, tmp_path):
    (tmp_path / "ctx").mkdir()
    (tmp_path / "ctx" / "Dockerfile").write_text(RESULT)
    ours, theirs = tmp_path / "ours.tar", tmp_path / "theirs.tar"
    ip.run_cell_magic("dockerfile", f"--builder buildkit -o type=tar,dest={ours}", RESULT)
    cli_build(tmp_path / "ctx", "-o", f"type=tar,dest={theirs}")
    names = subprocess.run(["tar", "-tvf", str(ours)], capture_output=True, text=True, check=True).stdout
    assert "dir/big.txt" in names and "hello.txt link to hard" in names and "-> /etc/passwd" in names
    assert ours.read_bytes() == theirs.read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp")] == []


def test_output_directory_shorthand_with_docker_build(ip, tmp_path):
    """``-o DIR`` (the CLI's shorthand for type=local), on %docker build with a context."""
    (tmp_path / "ctx").mkdir()
    (tmp_path / "ctx" / "data.txt").write_text("from the context\n")
    (tmp_path / "ctx" / "Dockerfile").write_text(
        f"FROM {BASE_IMAGE} AS make\nCOPY data.txt /in.txt\nRUN tr a-z A-Z < /in.txt > /up.txt\n"
        "FROM scratch\nCOPY --from=make /up.txt /\n"
    )
    out = tmp_path / "made"
    ip.run_line_magic("docker", f"build --builder buildkit -o {out} {tmp_path / 'ctx'}")
    assert [p.name for p in out.iterdir()] == ["up.txt"]
    assert (out / "up.txt").read_text() == "FROM THE CONTEXT\n"


def test_an_export_never_writes_through_a_symlink_in_dest(ip, tmp_path):
    """DEST already holds ``dir -> OUTSIDE``; the result has ``dir/big.txt``: the link is replaced
    by the result's directory, and nothing is written into OUTSIDE."""
    outside = tmp_path / "outside"
    outside.mkdir()
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "dir").symlink_to(outside)
    (dest / "kept.txt").write_text("mine\n")
    ip.run_cell_magic("dockerfile", f"--builder buildkit -o {dest}", RESULT)
    assert list(outside.iterdir()) == []
    assert (dest / "dir").is_dir() and not (dest / "dir").is_symlink()
    assert (dest / "dir" / "big.txt").is_file()
    assert (dest / "kept.txt").read_text() == "mine\n"  # merged, as the CLI does: nothing removed


def test_an_interrupted_export_leaves_no_partial_file(ip, tmp_path):
    """An interrupt while a 300 MB file is on its way: the build stops; DEST holds no temporary
    file and no partial one (only whole files, if any finished), and nothing is written beside it."""
    dest = tmp_path / "dest"
    main = threading.main_thread().ident
    seen: list[int] = []

    def interrupt_mid_file() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            partial = [p for p in (dest.iterdir() if dest.is_dir() else []) if p.name.startswith(".tmp.big")]
            if partial and partial[0].stat().st_size > 1 << 20:
                seen.append(partial[0].stat().st_size)
                break
            time.sleep(0.01)
        signal.pthread_kill(main, signal.SIGINT)

    body = (
        f"FROM {BASE_IMAGE} AS make\nRUN mkdir /out && echo small > /out/a.txt"
        " && head -c 300000000 /dev/zero > /out/big\nFROM scratch\nCOPY --from=make /out /\n"
    )
    ip.run_cell_magic("dockerfile", "--builder buildkit -q", body)  # built (and cached) first
    thread = threading.Thread(target=interrupt_mid_file)
    thread.start()
    with pytest.raises(KeyboardInterrupt):
        ip.run_cell_magic("dockerfile", f"--builder buildkit -q -o {dest}", body)
    thread.join()
    assert seen and seen[0] < 300_000_000  # interrupted with a part of the file written
    left = {p.name: p.stat().st_size for p in dest.iterdir()}
    assert not [n for n in left if n.startswith(".tmp")], left
    assert left.get("big", 300_000_000) == 300_000_000 and left.get("a.txt", 6) == 6
    assert [p.name for p in tmp_path.iterdir()] == ["dest"]


@pytest.mark.parametrize(
    "line, says",
    [
        ("--builder classic -o out", "--output needs BuildKit: pass --builder buildkit."),
        ("--builder buildkit -o -", "stdout, which a notebook cell does not have"),
        ("--builder buildkit -o type=registry,dest=x", "exports type=local,dest=DIR or type=tar,dest=FILE"),
        ("--builder buildkit -o a -o b", "One -o/--output per build"),
    ],
)
def test_refusals_are_one_line(ip, line, says):
    with pytest.raises(UsageError) as caught:
        ip.run_cell_magic("dockerfile", line, f"FROM {BASE_IMAGE}\n")
    message = str(caught.value)
    assert says in message and "\n" not in message and "Traceback" not in message
