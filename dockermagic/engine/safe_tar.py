"""Extract an archive from a container without letting it reach outside the target.

tarfile's 'data' filter does this on Python 3.12, 3.11.4 and 3.10.12; older
releases that the package supports (Debian 12's python3 is 3.11.2) lack it,
so there the same refusals are made here before extracting.
"""

from __future__ import annotations

import os
import tarfile
from typing import NoReturn

from ..errors import DockerMagicError


def extract_safely(tar: tarfile.TarFile, base: str, members: list[tarfile.TarInfo]) -> None:
    if hasattr(tarfile, "data_filter"):
        tar.extractall(base, members=members, filter="data")
        return
    root = os.path.realpath(base)
    for member in members:
        _check(member, root)
    tar.extractall(base, members=members)


def _inside(root: str, path: str) -> bool:
    return os.path.commonpath([root, os.path.realpath(path)]) == root


def _check(member: tarfile.TarInfo, root: str) -> None:
    """The 'data' filter's rules: no special files, nothing outside root, no setuid bits, no owners."""

    def refuse(why: str) -> NoReturn:
        raise DockerMagicError(f"cp: refusing {member.name!r} from the container's archive: {why}")

    if not (member.isreg() or member.isdir() or member.issym() or member.islnk()):
        refuse("a device or fifo")
    member.name = member.name.lstrip("/")
    if not _inside(root, os.path.join(root, member.name)):
        refuse("it would be written outside the destination")
    if member.issym():
        if os.path.isabs(member.linkname):
            refuse("a symlink to an absolute path")
        if not _inside(root, os.path.join(root, os.path.dirname(member.name), member.linkname)):
            refuse("a symlink that points outside the destination")
    elif member.islnk() and not _inside(root, os.path.join(root, member.linkname)):
        refuse("a hard link to a file outside the destination")
    member.mode &= 0o755
    # owned by whoever extracts, as with the filter (tarfile chowns only when run as root)
    member.uid, member.gid, member.uname, member.gname = os.geteuid(), os.getegid(), "", ""
