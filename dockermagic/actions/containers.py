"""ps, the lifecycle commands, rename, wait, update, prune, diff, port, top, commit, cp (attach: attach.py)."""

from __future__ import annotations

import re
import time

from ..commands.containers import (
    CommitSpec,
    ContainerPruneSpec,
    CopyIntoSpec,
    CopyOutArchiveSpec,
    CopyOutSpec,
    DiffSpec,
    KillSpec,
    PauseSpec,
    PortSpec,
    PsSpec,
    RenameSpec,
    RestartSpec,
    RmSpec,
    StartSpec,
    StopSpec,
    TopSpec,
    UnpauseSpec,
    UpdateSpec,
    WaitSpec,
)
from ..engine import containers as engine
from ..errors import DockerMagicError
from ..objects.archive import Archive
from ..parsing import imageref
from ..views.base import Text, human_size
from ..views.table import Table
from ..views.timefmt import ago, ports_text
from . import perform
from .listing import listed
from .pruning import pruned

PS_COLUMNS = [
    ("ID", "CONTAINER ID"),
    ("Image", "IMAGE"),
    ("Command", "COMMAND"),
    ("RunningFor", "CREATED"),
    ("Status", "STATUS"),
    ("Ports", "PORTS"),
    ("Names", "NAMES"),
]


def ps_row(c: dict, now: float, no_trunc: bool) -> dict:
    """One container of ``GET /containers/json`` as the CLI's ps context."""
    names = [n.lstrip("/") for n in c.get("Names") or []]
    if not no_trunc:  # link aliases (/other/alias) are shown only with --no-trunc
        names = [n for n in names if "/" not in n]
    command = c.get("Command", "")
    shown_command = f'"{command}"' if no_trunc else f'"{_ellipsis(command, 20)}"'
    image = c.get("Image", "")
    if image.startswith("sha256:") and not no_trunc:
        image = image[7:19]
    elif not no_trunc:  # as the CLI shows it: Podman's engine sends docker.io/library/...
        image = imageref.familiar(image)
    size = human_size(c.get("SizeRw", 0))  # the engine leaves out a zero SizeRw
    if c.get("SizeRootFs"):
        size += f" (virtual {human_size(c['SizeRootFs'])})"
    mounts = c.get("Mounts") or []
    return {
        "ID": c["Id"] if no_trunc else c["Id"][:12],
        "Image": image,
        "Command": shown_command,
        "CreatedAt": time.strftime("%Y-%m-%d %H:%M:%S %z %Z", time.localtime(c.get("Created", 0))),
        "RunningFor": ago(c.get("Created", 0), now),
        "Status": c.get("Status", ""),
        "State": c.get("State", ""),
        "Ports": ports_text(c.get("Ports") or []),
        "Names": ",".join(names),
        "Labels": ",".join(f"{k}={v}" for k, v in sorted((c.get("Labels") or {}).items())),
        "Size": size,
        "Networks": ",".join(sorted((c.get("NetworkSettings") or {}).get("Networks") or {})),
        "Mounts": ",".join(_mount_name(m, no_trunc) for m in mounts),
        "LocalVolumes": str(sum(m.get("Driver") == "local" for m in mounts)),
        "Platform": None,  # newer CLIs: the image's platform, which engines before API 1.46 do not send
    }


def _mount_name(mount: dict, no_trunc: bool) -> str:
    name = mount.get("Name") or mount.get("Source", "")
    return name if no_trunc else _ellipsis(name, 15)


def _ellipsis(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@perform.register
def _ps(spec: PsSpec, session):
    listing = engine.listing(
        session.api,
        all=spec.all or spec.last > 0,
        limit=spec.last,
        filters={key: list(values) for key, values in spec.filters},
        size=spec.size or _template_shows_size(spec.format),
    )
    now = time.time()
    rows = [ps_row(c, now, spec.no_trunc) for c in listing]
    columns = PS_COLUMNS + ([("Size", "SIZE")] if spec.size else [])
    return listed(rows, columns, "ID", spec.quiet, spec.format, "container")


def _template_shows_size(template: str | None) -> bool:
    """The CLI asks the engine for sizes when a --format template reads .Size (``{{json .}}`` does)."""
    if not template or template == "json":
        return False
    return ".Size" in template or re.search(r"json\s+\.\s*}}", template) is not None


def _names(done: list[str]) -> Text:
    """What the CLI prints after a lifecycle command: each name, as it was given."""
    return Text("\n".join(done))


@perform.register
def _start(spec: StartSpec, session):
    if spec.attach or spec.interactive:
        from .attach import start_attached

        return start_attached(session, spec.containers[0], spec.interactive, spec.detach_keys)
    return _names(engine.each(spec.containers, lambda name: engine.start(session.api, name)))


@perform.register
def _stop(spec: StopSpec, session):
    return _names(engine.each(spec.containers, lambda name: engine.stop(session.api, name, spec.timeout)))


@perform.register
def _restart(spec: RestartSpec, session):
    return _names(engine.each(spec.containers, lambda name: engine.restart(session.api, name, spec.timeout)))


@perform.register
def _kill(spec: KillSpec, session):
    return _names(engine.each(spec.containers, lambda name: engine.kill(session.api, name, spec.signal)))


@perform.register
def _rm(spec: RmSpec, session):
    api = session.api
    return _names(
        engine.each(
            spec.containers, lambda name: engine.remove(api, name, spec.force, spec.volumes, spec.link)
        )
    )


@perform.register
def _pause(spec: PauseSpec, session):
    return _names(engine.each(spec.containers, lambda name: engine.pause(session.api, name)))


@perform.register
def _unpause(spec: UnpauseSpec, session):
    return _names(engine.each(spec.containers, lambda name: engine.unpause(session.api, name)))


@perform.register
def _rename(spec: RenameSpec, session):
    engine.rename(session.api, spec.container, spec.new_name)
    return Text("")


class ExitCodes(Text):
    """``wait``'s result: the exit codes printed one a line, as the CLI does; ``.codes`` holds them."""

    def __init__(self, codes: list[int]):
        super().__init__("\n".join(str(c) for c in codes))
        self.codes = codes


@perform.register
def _wait(spec: WaitSpec, session):
    codes: list[int] = []
    engine.each(spec.containers, lambda name: codes.append(engine.wait(session.api, name)))
    return ExitCodes(codes)


@perform.register
def _update(spec: UpdateSpec, session):
    changes = dict(spec.changes)
    warnings: list[str] = []
    done = engine.each(
        spec.containers, lambda name: warnings.extend(engine.update(session.api, name, changes))
    )
    for warning in dict.fromkeys(warnings):
        session.err(f"{warning}\n")  # as the CLI prints them, on stderr
    return _names(done)


@perform.register
def _container_prune(spec: ContainerPruneSpec, session):
    result = engine.prune(session.api, {key: list(values) for key, values in spec.filters})
    return pruned(
        [("Deleted Containers", result.get("ContainersDeleted") or [])], result.get("SpaceReclaimed") or 0
    )


_DIFF_KIND = {0: "C", 1: "A", 2: "D"}


@perform.register
def _diff(spec: DiffSpec, session):
    changes = engine.diff(session.api, spec.container) or []
    rows = [{"Kind": _DIFF_KIND.get(c["Kind"], "?"), "Path": c["Path"]} for c in changes]
    return Changes(sorted(rows, key=lambda r: r["Path"]))  # the engine's order varies from call to call


class Changes(Table):
    """``diff``: the CLI's ``C /etc`` lines as text; a KIND/PATH table in a notebook."""

    def __init__(self, rows: list[dict]):
        super().__init__([("Kind", "KIND"), ("Path", "PATH")], rows, id_key="Path")

    def text(self) -> str:
        return "\n".join(f"{r['Kind']} {r['Path']}" for r in self.rows)


@perform.register
def _port(spec: PortSpec, session):
    doc = engine.inspect(session.api, spec.container)
    ports = (doc.get("NetworkSettings") or {}).get("Ports") or {}
    wanted = spec.private_port
    if wanted and "/" not in wanted:
        wanted += "/tcp"
    lines = []
    for port, bindings in sorted(ports.items()):
        if wanted and port != wanted:
            continue
        for b in bindings or []:
            ip = b["HostIp"] if ":" not in b["HostIp"] else f"[{b['HostIp']}]"
            lines.append(f"{ip}:{b['HostPort']}" if wanted else f"{port} -> {ip}:{b['HostPort']}")
    if wanted and not lines:
        raise DockerMagicError(f"No public port '{spec.private_port}' published for {spec.container}")
    return Text("\n".join(lines))


@perform.register
def _top(spec: TopSpec, session):
    result = engine.top(session.api, spec.container, spec.ps_args)
    titles = result.get("Titles") or []
    rows = [dict(zip(titles, proc, strict=False)) for proc in result.get("Processes") or []]
    table = Table([(t, t) for t in titles], rows, id_key="PID")
    table.minwidth = 20  # the CLI's top pads its columns to 20
    return table


@perform.register
def _commit(spec: CommitSpec, session):
    from ..objects.image import Image
    from ..parsing.imageref import split as split_ref

    repo, tag = split_ref(spec.repository) if spec.repository else (None, None)
    image_id = engine.commit(
        session.api,
        spec.container,
        repo,
        tag,
        spec.message,
        spec.author,
        list(spec.changes),
        spec.pause,
        session.labels(),
    )
    return Image(session, image_id)


@perform.register
def _copy_into(spec: CopyIntoSpec, session):
    engine.copy_to(session.api, spec.container, spec.host_path, spec.path, spec.archive, spec.follow_link)
    return Text("" if spec.quiet else f"Copied {spec.host_path} to {spec.container}:{spec.path}")


@perform.register
def _copy_out(spec: CopyOutSpec, session):
    written = engine.copy_from(session.api, spec.container, spec.path, spec.host_path, spec.follow_link)
    return Text("" if spec.quiet else f"Copied {spec.container}:{spec.path} to {written}")


@perform.register
def _copy_out_archive(spec: CopyOutArchiveSpec, session):
    stream, _ = engine.archive(session.api, spec.container, spec.path, spec.follow_link)
    return Archive(b"".join(stream), f"{spec.container}:{spec.path}")
