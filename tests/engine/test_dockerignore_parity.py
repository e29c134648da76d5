"""A build context filtered by .dockerignore holds what the CLI's holds: the same tree built by the
CLI (classic builder) and by %docker build, then the files each image got compared.

The patterns are the ones where matchers part ways: '**' inside an element, an escaped '*', a
negated class, exceptions under an excluded directory, and a .dockerignore that excludes the
Dockerfile and itself (the CLI still sends both; the engine reads them, then leaves them out).
"""

from __future__ import annotations

import os
import subprocess

from tests.conftest import BASE_IMAGE, docker_cli

FILES = [
    "a/x.txt",
    "a/y.txt",
    "b/*.txt",
    "b/z.txt",
    "c/top.txt",
    "c/d/e/deep.txt",
    "logs/1.log",
    "keep.md",
    "NOTES.md",
    "README.md",
    "app.py",
    "app.pyc",
    "node_modules/keep/k.js",
    "node_modules/drop/d.js",
]
IGNORE = """# comment
a/[^x].txt
b/\\*.txt
c/**.txt
logs
*.md
!README.md
**/*.pyc
node_modules
!node_modules/keep
Dockerfile
.dockerignore
"""


def files_in(image: str) -> list[str]:
    found = docker_cli("run", "--rm", image, "find", "/ctx", "-type", "f").stdout.decode().split()
    return sorted(found)


def test_context_holds_what_the_clis_holds(ip, unique, test_label, tmp_path):
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    (tmp_path / ".dockerignore").write_text(IGNORE)
    (tmp_path / "Dockerfile").write_text(f"FROM {BASE_IMAGE}\nCOPY . /ctx/\n")
    cli = subprocess.run(
        ["docker", "build", "-q", "--label", test_label, "-t", f"{unique}:cli", str(tmp_path)],
        capture_output=True,
        timeout=300,
        env={**os.environ, "DOCKER_BUILDKIT": "0"},
    )
    assert cli.returncode == 0, cli.stderr
    ip.run_line_magic("docker", f"build -q -t {unique}:dm {tmp_path}")

    theirs, ours = files_in(f"{unique}:cli"), files_in(f"{unique}:dm")
    assert (
        ours
        == theirs
        == [
            "/ctx/README.md",
            "/ctx/a/x.txt",
            "/ctx/app.py",
            "/ctx/b/z.txt",
            "/ctx/c/d/e/deep.txt",
            "/ctx/c/top.txt",
            "/ctx/node_modules/keep/k.js",
        ]
    )
