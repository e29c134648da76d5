"""File sync: a directory (or a few files held in memory) sent as fsutil's DiffCopy packets.

The engine's receiver asks for a local by name (metadata ``dir-name``), with
the patterns to include and exclude (it has read ``.dockerignore`` itself).
The sender streams one STAT packet per entry, in the order fsutil walks
(each directory's entries sorted by name, a directory before what it holds),
then an empty STAT; the receiver compares the entries with what it kept from
the last build under the session's shared key and asks (REQ, by the entry's
index) only for files that changed, which the sender streams as DATA packets,
an empty one ending each file. FIN from the receiver is answered with FIN.

Modes are Go's ``os.FileMode`` bits, as fsutil sends them, not Unix's.
"""

from __future__ import annotations

import heapq
import os
import queue
import stat
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ...errors import CommandError
from ..context import IgnoreRules, too_large
from . import messages as pb
from .grpc_server import CANCELLED, Call, CallFailed

CHUNK = 32 * 1024  # the data packets' size, fsutil's buffer
BATCH = 500  # file stats per write (about 20 kB): one frame and one system call each
LARGEST = 5  # the files a refusal over the size limit names

_GO_DIR, _GO_SYMLINK, _GO_DEVICE, _GO_PIPE, _GO_SOCKET = 1 << 31, 1 << 27, 1 << 26, 1 << 25, 1 << 24
_GO_SETUID, _GO_SETGID, _GO_CHARDEV, _GO_STICKY = 1 << 23, 1 << 22, 1 << 21, 1 << 20


_KINDS = {
    stat.S_IFDIR: _GO_DIR,
    stat.S_IFLNK: _GO_SYMLINK,
    stat.S_IFIFO: _GO_PIPE,
    stat.S_IFSOCK: _GO_SOCKET,
    stat.S_IFBLK: _GO_DEVICE,
    stat.S_IFCHR: _GO_DEVICE | _GO_CHARDEV,
}


def go_mode(st_mode: int) -> int:
    """A Unix ``st_mode`` as Go's ``os.FileMode``."""
    mode = (st_mode & 0o777) | _KINDS.get(stat.S_IFMT(st_mode), 0)
    if st_mode & 0o7000:
        mode |= (
            (_GO_SETUID if st_mode & stat.S_ISUID else 0)
            | (_GO_SETGID if st_mode & stat.S_ISGID else 0)
            | (_GO_STICKY if st_mode & stat.S_ISVTX else 0)
        )
    return mode


@dataclass
class Entry:
    stat: object  # pb.Stat
    read: Callable[[], Iterator[bytes]] | None  # a regular file's contents


@dataclass
class Local:
    """What one local name serves: a directory, or files held in memory (the cell's Dockerfile)."""

    directory: str | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    mtime_ns: int = 0
    # files made by the client (heredocs), under one top-level name that the directory must not
    # hold: sent whatever the exclude patterns say (.dockerignore is about the user's files), and
    # only when the include patterns (a request for .dockerignore alone) allow them
    served: dict[str, bytes] = field(default_factory=dict)
    modes: dict[str, int] = field(default_factory=dict)
    # build_context_limit: the most bytes of the directory's files one request may list; over it,
    # ``refused`` holds the classic builder's one-line error, and the request ends before any is sent
    limit: int | None = None
    refused: CommandError | None = field(default=None, init=False, compare=False)
    ahead: WalkAhead | None = field(default=None, init=False, repr=False, compare=False)

    def walk_ahead(self) -> None:
        """Start walking the directory now, with the patterns the engine asked for last time from
        this kernel, or none where there is no .dockerignore (a new kernel's rebuild): the engine
        asks for the context only once it has read the Dockerfile and .dockerignore."""
        if self.directory is None or self.ahead is not None:
            return
        exclude = _ASKED.get(os.path.realpath(self.directory))
        if exclude is None and not os.path.lexists(os.path.join(self.directory, ".dockerignore")):
            exclude = []
        if exclude is not None:
            self.ahead = WalkAhead(self.directory, exclude)

    def take_ahead(self, include: list[str], exclude: list[str]) -> WalkAhead | None:
        """The walk begun ahead, if it is the one asked for (else it goes on, for a later request)."""
        ahead = self.ahead
        if ahead is None or include or ahead.exclude != exclude:
            return None
        self.ahead = None
        return ahead

    def stop(self) -> None:
        if self.ahead is not None:
            self.ahead.stopped = True
            self.ahead = None

    def entries(self, include: list[str], exclude: list[str]) -> list[Entry]:
        return list(self.stream(include, exclude))

    def stream(
        self, include: list[str], exclude: list[str], walked: Iterator[Entry] | None = None
    ) -> Iterator[Entry]:
        """The entries in fsutil's order, as the walk finds them (sent while the walk goes on);
        ``walked``: the directory's, walked ahead with these patterns."""
        rules = IgnoreRules.parse("\n".join(include)) if include else None
        served_files = {n: d for n, d in self.served.items() if rules is None or rules.excluded(n)}
        if self.directory is None:
            files = {n: d for n, d in self.files.items() if rules is None or rules.excluded(n)}
            yield from _held_entries({**files, **served_files}, self.modes, self.mtime_ns)
            return
        if walked is None:
            walked = _walk(self.directory, include, exclude)
        if self.limit is not None:
            walked = self._limited(walked, self.limit)
        if not served_files:
            yield from walked
            return
        served = _held_entries(served_files, self.modes, 0)
        top = served[0].stat.path  # type: ignore[attr-defined]
        # fsutil's order: each directory's entries sorted by name, a directory before its own
        for entry in walked:
            path = entry.stat.path  # type: ignore[attr-defined]
            if served and "/" not in path and path > top:
                yield from served
                served = []
            yield entry
        yield from served

    def _limited(self, walked: Iterator[Entry], limit: int) -> Iterator[Entry]:
        """The walk's entries while their regular files add up to ``limit`` bytes at most. Past it
        nothing more is listed, the rest is only counted (to name the largest files, as the classic
        builder does), and the listing ends with the refusal: the engine asks for a file's contents
        only once the list has ended, so none is sent. The sizes are the stats' own: no extra I/O."""
        total, over = 0, False
        largest: list[tuple[int, str]] = []  # a min-heap of the LARGEST largest files
        for entry in walked:
            if entry.read is not None:  # a regular file (directories, links and devices have none)
                size, path = entry.stat.size, entry.stat.path  # type: ignore[attr-defined]
                total += size
                if len(largest) < LARGEST:
                    heapq.heappush(largest, (size, path))
                elif size > largest[0][0]:
                    heapq.heapreplace(largest, (size, path))
                over = over or total > limit
            if not over:
                yield entry
        if over:
            assert self.directory is not None
            self.refused = too_large(self.directory, total, limit, sorted(largest, reverse=True))
            raise CallFailed(CANCELLED, str(self.refused))


def _held_entries(files: dict[str, bytes], modes: dict[str, int], mtime_ns: int) -> list[Entry]:
    """Files held in memory as entries in fsutil's order, with their directories."""
    out: list[Entry] = []
    dirs: set[str] = set()
    for name in sorted(files, key=lambda p: p.split("/")):
        parts = name.split("/")
        for depth in range(1, len(parts)):
            parent = "/".join(parts[:depth])
            if parent not in dirs:
                dirs.add(parent)
                out.append(Entry(pb.Stat(path=parent, mode=_GO_DIR | 0o755, modTime=mtime_ns), None))
        data = files[name]
        st = pb.Stat(path=name, mode=modes.get(name, 0o644), size=len(data), modTime=mtime_ns)
        out.append(Entry(st, _held(data)))
    return out


def _held(data: bytes) -> Callable[[], Iterator[bytes]]:
    return lambda: iter([data])


def _reader(path: str) -> Callable[[], Iterator[bytes]]:
    def read() -> Iterator[bytes]:
        with open(path, "rb") as f:
            while chunk := f.read(CHUNK):
                yield chunk

    return read


def _may_hold(directory: str, include: list[str]) -> bool:
    """Whether an include pattern can match below ``directory`` (walk only what can be asked for)."""
    for pattern in include:
        pattern = pattern.lstrip("/")
        if any(c in pattern for c in "*?[\\") or pattern.startswith(directory + "/"):
            return True
    return False


def _walk(root: str, include: list[str], exclude: list[str]) -> Iterator[Entry]:
    wanted = IgnoreRules.parse("\n".join(include)) if include else None
    unwanted = IgnoreRules.parse("\n".join(exclude))
    filtering = bool(unwanted.rules)
    if not os.path.isdir(root):
        raise CommandError(f"The build context {root} is not a directory: pass --context DIR.")
    # directories sent only if something below them is (left out themselves, or not asked for):
    # the walk holds them back until then, as fsutil does, rather than listing a whole subtree first
    held_back: list[Entry] = []

    def visit(rel_dir: str, abs_dir: str) -> Iterator[Entry]:
        try:
            with os.scandir(abs_dir) as listing:
                found = sorted(listing, key=_name)
        except OSError as exc:
            raise CallFailed(2, f"cannot read {abs_dir}: {exc.strerror}") from None
        for item in found:
            rel = f"{rel_dir}/{item.name}" if rel_dir else item.name
            st = item.stat(follow_symlinks=False)  # one lstat, kept by the DirEntry
            included = wanted is None or wanted.excluded(rel)
            excluded = filtering and unwanted.excluded(rel)
            mode = st.st_mode
            entry = pb.Stat(
                path=rel,
                mode=go_mode(mode),
                uid=st.st_uid,
                gid=st.st_gid,
                size=st.st_size,
                modTime=st.st_mtime_ns,
            )
            if stat.S_ISDIR(mode):
                descend = (not excluded or unwanted.has_exceptions) and (
                    included or wanted is None or _may_hold(rel, include)
                )
                directory = Entry(entry, None)
                if included and not excluded:
                    yield from held_back
                    held_back.clear()
                    yield directory
                elif descend:
                    held_back.append(directory)
                if descend:
                    yield from visit(rel, item.path)
                if held_back and held_back[-1] is directory:  # nothing below it was sent
                    held_back.pop()
                continue
            if not included or excluded:
                continue
            if stat.S_ISLNK(mode):
                entry.linkname = os.readlink(item.path)
                entry.size = 0
            elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
                entry.devmajor, entry.devminor = os.major(st.st_rdev), os.minor(st.st_rdev)
            yield from held_back
            held_back.clear()
            yield Entry(entry, _reader(item.path) if stat.S_ISREG(mode) else None)

    yield from visit("", root)


def _name(item: os.DirEntry[str]) -> str:
    return item.name


# The exclude patterns the engine last asked each context directory for, in this kernel: a
# rebuild walks the directory with them from the session's start (see Local.walk_ahead)
_ASKED: dict[str, list[str]] = {}


class WalkAhead:
    """A directory's walk, run in a thread until the engine asks for its entries."""

    def __init__(self, root: str, exclude: list[str]):
        self.exclude = exclude
        self.stopped = False
        self.found: queue.SimpleQueue[list[Entry] | Exception | None] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, args=(root,), name="dockermagic-walk", daemon=True)
        self.thread.start()

    def _run(self, root: str) -> None:
        batch: list[Entry] = []
        try:
            for entry in _walk(root, [], self.exclude):
                if self.stopped:  # the session ended; a reader that took the walk just then ends too
                    self.found.put(CallFailed(CANCELLED, "the build's session ended"))
                    return
                batch.append(entry)
                if len(batch) == BATCH:
                    self.found.put(batch)
                    batch = []
            self.found.put(batch)
            self.found.put(None)
        except Exception as exc:  # noqa: BLE001  (raised where the entries are read)
            self.found.put(exc)

    def __iter__(self) -> Iterator[Entry]:
        while (batch := self.found.get()) is not None:
            if isinstance(batch, Exception):
                raise batch
            yield from batch


def _literal(path: str) -> str:
    """A path as a pattern that matches only itself."""
    return "".join("\\" + c if c in "*?[\\" else c for c in path)


@dataclass
class Sent:
    """What one DiffCopy call sent: entries listed, files asked for, bytes of their contents."""

    name: str
    entries: int = 0
    files: int = 0
    bytes: int = 0
    walked_ahead: bool = False  # listed from the walk begun at the session's start


def diff_copy(call: Call, locals_: dict[str, Local], record: Callable[[Sent], object]) -> None:
    """Serve one ``moby.filesync.v1.FileSync/DiffCopy`` call."""
    name = call.first("dir-name")
    local = locals_.get(name)
    if local is None:
        raise CallFailed(5, f"no local directory named {name!r} in this build")
    # followpaths: the paths wanted (the frontend reads .dockerignore so), taken as literal includes
    include = call.metadata.get("include-patterns", []) + [
        _literal(p) for p in call.metadata.get("followpaths", [])
    ]
    exclude = call.metadata.get("exclude-patterns", [])
    if local.directory is not None and not include:  # the whole context: what the next build will ask
        _ASKED[os.path.realpath(local.directory)] = exclude
    ahead = local.take_ahead(include, exclude)
    entries: list[Entry] = []
    batch: list[bytes] = []
    # sent in batches as the walk finds them: the engine compares them with its copy meanwhile
    for entry in local.stream(include, exclude, None if ahead is None else iter(ahead)):
        batch.append(pb.Packet(stat=entry.stat, ID=len(entries)).SerializeToString())
        entries.append(entry)
        if len(batch) == BATCH:
            call.send_all(batch)
            batch = []
    batch.append(pb.Packet(type=pb.PACKET_STAT).SerializeToString())  # the end of the list
    call.send_all(batch)
    sent = Sent(name, entries=len(entries), walked_ahead=ahead is not None)
    while True:
        raw = call.receive()
        if raw is None:
            break
        packet = pb.Packet.FromString(raw)
        if packet.type == pb.PACKET_REQ:
            if packet.ID >= len(entries) or entries[packet.ID].read is None:
                raise CallFailed(3, f"the engine asked for entry {packet.ID}, which is not a file")
            sent.files += 1
            read = entries[packet.ID].read
            assert read is not None
            for chunk in read():
                sent.bytes += len(chunk)
                call.send(pb.Packet(type=pb.PACKET_DATA, ID=packet.ID, data=chunk).SerializeToString())
            call.send(pb.Packet(type=pb.PACKET_DATA, ID=packet.ID).SerializeToString())
        elif packet.type == pb.PACKET_FIN:
            call.send(pb.Packet(type=pb.PACKET_FIN).SerializeToString())
            break
        elif packet.type == pb.PACKET_ERR:
            raise CallFailed(2, f"the engine's receiver failed: {packet.data.decode(errors='replace')}")
    record(sent)
