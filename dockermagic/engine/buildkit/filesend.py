"""``--output``: the build's result, which the engine sends back on the session (FileSend).

For ``type=local`` the engine's exporter calls ``moby.filesync.v1.FileSend/DiffCopy`` and is
the fsutil *sender*: one STAT packet per entry (numbered from 0 in the order sent), an empty STAT,
then DATA packets for the regular files the receiver asks for (REQ, by number), an empty DATA
ending each file; several files' packets interleave. The receiver ends with FIN, which the
sender answers. For ``type=tar`` the same method carries a tar stream as ``BytesMessage`` chunks.

Everything lands inside the destination: each path is checked (relative, no ``..``), and every
directory on the way is opened without following symbolic links, so a symlink in the result
(``a -> /etc``) is written as a symlink and never written through (``a/passwd``). A file is
written under a temporary name and renamed when its last byte has arrived, so an interrupted
export leaves whole files only; the temporary files of an interrupted export are removed.
Owners are not copied (the files are the kernel user's, as with the CLI).
"""

from __future__ import annotations

import os
import stat
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from . import messages as pb
from .filesync import (
    _GO_CHARDEV,
    _GO_DEVICE,
    _GO_DIR,
    _GO_PIPE,
    _GO_SETGID,
    _GO_SETUID,
    _GO_SOCKET,
    _GO_STICKY,
    _GO_SYMLINK,
)
from .grpc_server import Call, CallFailed

FILE_SEND = "/moby.filesync.v1.FileSend/DiffCopy"
INVALID_ARGUMENT = 3

_GO_KINDS = _GO_DIR | _GO_SYMLINK | _GO_DEVICE | _GO_PIPE | _GO_SOCKET | _GO_CHARDEV
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def unix_mode(go_mode: int) -> int:
    """Go's ``os.FileMode`` bits (as fsutil sends them) as a Unix permission mode."""
    mode = go_mode & 0o777
    mode |= stat.S_ISUID if go_mode & _GO_SETUID else 0
    mode |= stat.S_ISGID if go_mode & _GO_SETGID else 0
    mode |= stat.S_ISVTX if go_mode & _GO_STICKY else 0
    return mode


def safe_parts(path: str) -> list[str]:
    """The components of a path the engine sent, refusing one that could leave the destination."""
    parts = path.split("/")
    if not path or path.startswith("/") or "\0" in path or any(p in ("", ".", "..") for p in parts):
        raise CallFailed(INVALID_ARGUMENT, f"refusing the exported path {path!r}: outside the destination")
    return parts


@dataclass
class Exported:
    """What an export wrote: entries received, files and their bytes."""

    dest: str
    entries: int = 0
    files: int = 0
    bytes: int = 0


@dataclass
class _Wanted:
    parts: list[str]
    mode: int
    mtime_ns: int


@dataclass
class _Open:
    parent: int  # the directory's descriptor
    name: str
    temp: str
    fd: int


@dataclass
class LocalReceiver:
    """Writes one DiffCopy export into ``dest`` (made if missing, merged into if not)."""

    dest: str
    done: Exported = field(init=False)
    _root: int = -1
    _wanted: dict[int, _Wanted] = field(default_factory=dict)  # regular files, by number
    _open: dict[int, _Open] = field(default_factory=dict)  # those being written
    _links: list[tuple[list[str], list[str]]] = field(default_factory=list)  # hard links, made last
    _dirs: list[tuple[list[str], int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.done = Exported(self.dest)

    def _parent(self, parts: list[str]) -> int:
        """A descriptor of the directory holding ``parts[-1]``, opened without following links."""
        fd = os.dup(self._root)
        try:
            for name in parts[:-1]:
                below = os.open(name, _DIR_FLAGS, dir_fd=fd)
                os.close(fd)
                fd = below
        except OSError as exc:
            os.close(fd)
            where = "/".join(parts)
            raise CallFailed(
                INVALID_ARGUMENT, f"refusing the exported path {where!r}: {exc.strerror}"
            ) from None
        return fd

    @staticmethod
    def _clear(parent: int, name: str, keep_dir: bool) -> None:
        """Make room for a new entry (the export is merged into what DEST holds)."""
        try:
            st = os.lstat(name, dir_fd=parent)
        except FileNotFoundError:
            return
        if stat.S_ISDIR(st.st_mode):
            if not keep_dir:
                raise CallFailed(INVALID_ARGUMENT, f"{name}: a directory is in the way of a file")
            return
        os.unlink(name, dir_fd=parent)

    def _entry(self, number: int, st: Any) -> None:
        path, mode, mtime = st.path, st.mode, st.modTime
        parts = safe_parts(path)
        if mode & _GO_KINDS == 0 and st.linkname:  # a hard link
            self._links.append((parts, safe_parts(st.linkname)))
            return
        if mode & _GO_KINDS == 0:  # a regular file: its data comes later, asked for by number
            self._wanted[number] = _Wanted(parts, unix_mode(mode), mtime)
            return
        parent = self._parent(parts)
        name = parts[-1]
        try:
            if mode & _GO_DIR:
                self._clear(parent, name, keep_dir=True)
                try:
                    os.mkdir(name, 0o700, dir_fd=parent)
                except FileExistsError:
                    pass
                fd = os.open(name, _DIR_FLAGS, dir_fd=parent)
                try:
                    os.chmod(fd, unix_mode(mode))
                finally:
                    os.close(fd)
                self._dirs.append((parts, mtime))  # its time is set last: what it holds changes it
            elif mode & _GO_SYMLINK:
                self._clear(parent, name, keep_dir=False)
                os.symlink(st.linkname, name, dir_fd=parent)
                os.utime(name, ns=(mtime, mtime), dir_fd=parent, follow_symlinks=False)
            elif mode & _GO_PIPE:
                self._clear(parent, name, keep_dir=False)
                os.mkfifo(name, unix_mode(mode), dir_fd=parent)
            elif mode & _GO_DEVICE:
                kind = stat.S_IFCHR if mode & _GO_CHARDEV else stat.S_IFBLK
                self._clear(parent, name, keep_dir=False)
                device = os.makedev(st.devmajor, st.devminor)
                os.mknod(name, kind | unix_mode(mode), device, dir_fd=parent)
            # sockets are not files to export: skipped, as fsutil's writer does
        finally:
            os.close(parent)

    def _start(self, number: int) -> _Open:
        wanted = self._wanted[number]
        parent = self._parent(wanted.parts)
        temp = f".tmp.{wanted.parts[-1][:40]}.{uuid.uuid4().hex[:12]}"
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
            fd = os.open(temp, flags, 0o600, dir_fd=parent)
        except OSError:
            os.close(parent)
            raise
        item = self._open[number] = _Open(parent, wanted.parts[-1], temp, fd)
        return item

    def _finish(self, number: int) -> None:
        item = self._open.pop(number)
        wanted = self._wanted.pop(number)
        try:
            os.fchmod(item.fd, wanted.mode)
            os.utime(item.fd, ns=(wanted.mtime_ns, wanted.mtime_ns))
            os.close(item.fd)
            item.fd = -1
            self._clear(item.parent, item.name, keep_dir=False)
            os.rename(item.temp, item.name, src_dir_fd=item.parent, dst_dir_fd=item.parent)
        finally:
            if item.fd >= 0:
                os.close(item.fd)
            os.close(item.parent)
        self.done.files += 1

    def _link(self, parts: list[str], target: list[str]) -> None:
        source, parent = self._parent(target), -1
        try:
            parent = self._parent(parts)
            self._clear(parent, parts[-1], keep_dir=False)
            os.link(target[-1], parts[-1], src_dir_fd=source, dst_dir_fd=parent, follow_symlinks=False)
        finally:
            os.close(source)
            if parent >= 0:
                os.close(parent)

    def _abandon(self) -> None:
        """An export that stopped half-way: remove the files still being written, keep the rest."""
        for item in self._open.values():
            os.close(item.fd)
            try:
                os.unlink(item.temp, dir_fd=item.parent)
            except OSError:
                pass
            os.close(item.parent)
        self._open.clear()

    def serve(self, call: Call) -> Exported:
        os.makedirs(self.dest, mode=0o700, exist_ok=True)
        self._root = os.open(self.dest, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            self._receive(call)
        finally:
            self._abandon()
            os.close(self._root)
        return self.done

    def _receive(self, call: Call) -> None:
        number = 0
        while True:  # the listing
            packet = _next(call)
            if packet.type == pb.PACKET_STAT and not packet.HasField("stat"):
                break
            if packet.type == pb.PACKET_STAT:
                self._entry(number, packet.stat)
                number += 1
                self.done.entries += 1
        call.send_all([pb.Packet(type=pb.PACKET_REQ, ID=n).SerializeToString() for n in self._wanted])
        while self._wanted:  # the files' contents, several files' packets interleaved
            packet = _next(call)
            if packet.type != pb.PACKET_DATA:
                continue
            if packet.ID not in self._wanted:
                raise CallFailed(INVALID_ARGUMENT, f"data for entry {packet.ID}, which was not asked for")
            item = self._open.get(packet.ID) or self._start(packet.ID)
            if packet.data:
                os.write(item.fd, packet.data)
                self.done.bytes += len(packet.data)
            else:
                self._finish(packet.ID)
        for parts, target in self._links:
            self._link(parts, target)
        for parts, mtime in reversed(self._dirs):
            parent = self._parent(parts)
            try:
                os.utime(parts[-1], ns=(mtime, mtime), dir_fd=parent, follow_symlinks=False)
            finally:
                os.close(parent)
        call.send(pb.Packet(type=pb.PACKET_FIN).SerializeToString())
        while (raw := call.receive()) is not None:  # the sender's FIN, then the end of the call
            if pb.Packet.FromString(raw).type == pb.PACKET_FIN:
                break


def _next(call: Call) -> Any:
    raw = call.receive()
    if raw is None:
        raise CallFailed(1, "the engine ended the export before it was complete")
    packet = pb.Packet.FromString(raw)
    if packet.type == pb.PACKET_ERR:
        raise CallFailed(2, f"the engine's exporter failed: {packet.data.decode(errors='replace')}")
    return packet


@dataclass
class TarReceiver:
    """Writes a tar export to ``dest``, under a temporary name until its last byte has arrived."""

    dest: str
    done: Exported = field(init=False)

    def __post_init__(self) -> None:
        self.done = Exported(self.dest)

    def serve(self, call: Call) -> Exported:
        directory = os.path.dirname(os.path.abspath(self.dest))
        temp = os.path.join(directory, f".tmp.{os.path.basename(self.dest)[:40]}.{uuid.uuid4().hex[:12]}")
        with open(temp, "xb") as f:
            try:
                while (raw := call.receive()) is not None:
                    data = pb.FileBytes.FromString(raw).data
                    f.write(data)
                    self.done.bytes += len(data)
                if call.closed:
                    raise CallFailed(1, "the engine ended the export before it was complete")
            except BaseException:
                f.close()
                os.unlink(temp)
                raise
        os.replace(temp, self.dest)
        self.done.files = 1
        return self.done


class FileSend:
    """One build's -o: the FileSend/DiffCopy handler, and what it wrote once done."""

    def __init__(self, receiver: LocalReceiver | TarReceiver):
        self.receiver = receiver
        self.exported: Exported | None = None
        self._idle = threading.Event()
        self._idle.set()

    def serve(self, call: Call) -> None:
        self._idle.clear()
        try:
            self.exported = self.receiver.serve(call)
        finally:
            self._idle.set()

    def wait(self, timeout: float = 10) -> None:
        """Until an export that the session's end cut short has removed its temporary files (its
        handler runs in the session's thread for the call)."""
        self._idle.wait(timeout)
