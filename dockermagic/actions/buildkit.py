"""%%dockerfile and %docker build on BuildKit: the session, the build, the graph view.

``chosen`` decides the builder (``--builder``, else ``%config DockerMagics.builder``);
``build`` runs it. The classic builder's handler (actions/build.py) hands over
here when BuildKit is chosen, with the options it made from the same spec.
"""

from __future__ import annotations

import os
import stat
import time
import weakref
from typing import Any

from ..commands.build import BuildSpec, LocalOutput, TarOutput
from ..engine import dockerfile
from ..engine.build import BuildOptions
from ..engine.buildkit import build as engine
from ..engine.buildkit import sshforward, sshkeys
from ..engine.buildkit.filesend import FILE_SEND, FileSend, LocalReceiver, TarReceiver
from ..engine.buildkit.filesync import Local
from ..engine.buildkit.lowering import RESERVED, Lowered, lower
from ..engine.buildkit.progress import Graph
from ..engine.buildkit.session import Session, shared_key
from ..errors import BuildFailed, CommandError, DockerMagicError
from ..objects.image import Image
from ..views.buildkit import BuildGraphView, LiveGraph

# options of the classic builder's RUN containers, which BuildKit in the engine does not take
CLASSIC_ONLY = {
    "security_opt": "--security-opt",
    "ulimits": "--ulimit",
    "cgroup_parent": "--cgroup-parent",
    "isolation": "--isolation",
    "cpu_period": "--cpu-period",
    "cpu_quota": "--cpu-quota",
    "cpu_shares": "--cpu-shares",
    "cpuset_cpus": "--cpuset-cpus",
    "cpuset_mems": "--cpuset-mems",
    "memory": "--memory",
    "memory_swap": "--memory-swap",
    "shm_size": "--shm-size",
    "squash": "--squash",
    "compress": "--compress",
}


# What each engine's BuildKit can do, asked (GET /version) once per API client, that is once per
# engine connection: every build chooses its builder with it. /_ping's Builder-Version header would
# not do: it names the engine's own default builder, not what its API serves (dockerd 20.10 sends
# none; Podman, which has no /session, an empty one).
_SUPPORT: weakref.WeakKeyDictionary[Any, engine.Support] = weakref.WeakKeyDictionary()


def engine_support(api: Any) -> engine.Support:
    known = _SUPPORT.get(api)
    if known is None:
        known = _SUPPORT[api] = engine.support(api)
    return known


def _classic_flags(spec: BuildSpec) -> list[str]:
    return [flag for name, flag in CLASSIC_ONLY.items() if getattr(spec, name) not in (None, (), False)]


def chosen(spec: BuildSpec, session) -> bool:
    """True when this build runs on BuildKit. ``auto`` (the default) takes BuildKit where the
    engine serves it, and the classic builder for a line with its own options (which BuildKit
    would ignore or refuse) and on engines without it (Podman, Windows, API before 1.39)."""
    builder = spec.builder or session.settings.builder
    if builder == "classic":
        if spec.buildkit_only:
            raise CommandError(f"{spec.buildkit_only[0]} needs BuildKit: pass --builder buildkit.")
        return False
    support = engine_support(session.api)
    classic = _classic_flags(spec)
    if builder == "auto":
        if support.buildkit and not classic:
            return True
        needs = spec.buildkit_only
        if needs and classic:
            raise CommandError(f"{needs[0]} needs BuildKit and {classic[0]} the classic builder: drop one.")
        if needs:
            raise CommandError(
                f"{needs[0]} needs BuildKit, which this engine ({support.version}) does not serve through "
                "its API: build on a Docker engine for Linux (API 1.39 or later)."
            )
        return False
    if not support.buildkit:
        raise CommandError(
            f"This engine ({support.version}) has no BuildKit through its API (a Linux Docker engine, "
            "API 1.39 or later): pass --builder classic."
        )
    if classic:
        raise CommandError(f"{classic[0]} is the classic builder's: drop it, or pass --builder classic.")
    return True


_COPY_NEWER = ("--parents", "--exclude", "--checksum")  # --link is rewritten (engine/buildkit/lowering.py)


def check(instructions: list[dockerfile.Instruction], text: str, heredocs: bool, version: str) -> None:
    """What the engine's built-in Dockerfile frontend would refuse or fetch, named in one line."""
    _, syntax = dockerfile.split_instructions(text)
    if syntax is not None:
        raise CommandError(
            f"line {syntax}: '# syntax=' makes the engine pull a Dockerfile frontend image from a "
            "registry, which is out of reach here (offline); remove the line to use the frontend "
            "built into the engine."
        )
    if heredocs:
        return
    for ins in instructions:  # heredocs and --link are rewritten by then
        where = f"line {ins.line} ({ins.keyword})"
        if ins.keyword in ("COPY", "ADD"):
            for flag in _COPY_NEWER:
                if f"{flag}" in ins.args.split() or any(w.startswith(flag + "=") for w in ins.args.split()):
                    raise CommandError(
                        f"{where}: {ins.keyword} {flag} needs a newer Dockerfile frontend than the one "
                        f"built into this engine ({version}; Docker Engine 23 and later); remove it."
                    )


def needs_context(instructions: list[dockerfile.Instruction], served: set[int] | None = None) -> bool:
    """ADD/COPY from the context, or a RUN that bind-mounts from it; not the COPYs on the lines
    ``served`` and the mounts of heredoc scripts, which read only the files the client makes."""
    instructions = [ins for ins in instructions if ins.line not in (served or set())]
    if dockerfile.needs_context(instructions):
        return True
    for ins in instructions:
        words = ins.args.split()
        mounts = [w for w in words if w.startswith("--mount=")] if ins.keyword == "RUN" else []
        if any("type=bind" in m and "from=" not in m and f"source={RESERVED}/" not in m for m in mounts):
            return True
    return False


def _secrets(spec: BuildSpec) -> dict[str, bytes]:
    """The secrets' values, read now, from the kernel's environment or a file; never in the image."""
    out = {}
    for name, kind, where in spec.secrets:
        if kind == "env":
            if where not in os.environ:
                raise CommandError(
                    f"--secret id={name}: the variable {where} is not set in the kernel; set it "
                    f"(os.environ[{where!r}] = ...) or pass src=FILE."
                )
            out[name] = os.environ[where].encode()
        else:
            try:
                with open(os.path.expanduser(where), "rb") as f:
                    out[name] = f.read()
            except OSError as exc:
                raise CommandError(f"--secret id={name}: {where}: {exc.strerror}.") from None
    return out


# -o's kinds: what receives the result, and the exporter's name in the build's outputs
_EXPORTS = {LocalOutput: (LocalReceiver, "local"), TarOutput: (TarReceiver, "tar")}


def _export(output: LocalOutput | TarOutput) -> LocalReceiver | TarReceiver:
    """Where -o writes, checked before the build."""
    dest = os.path.abspath(os.path.expanduser(output.dest))
    if isinstance(output, LocalOutput) and os.path.lexists(dest) and not os.path.isdir(dest):
        raise CommandError(f"-o {output.dest}: not a directory; name a directory (made if missing).")
    if isinstance(output, TarOutput) and (os.path.isdir(dest) or not os.path.isdir(os.path.dirname(dest))):
        raise CommandError(f"-o type=tar,dest={output.dest}: name a file in a directory that exists.")
    receiver, _ = _EXPORTS[type(output)]
    return receiver(dest)


def _agents(spec: BuildSpec) -> dict[str, sshforward.Agent]:
    """--ssh: each ID's agent: a socket (the kernel's SSH_AUTH_SOCK for an ID with no path), or
    key files, held by an agent in the client as the CLI's provider does."""
    agents: dict[str, sshforward.Agent] = {}
    for name, given in spec.ssh:
        paths = [os.path.expanduser(p) for p in given] or [os.environ.get("SSH_AUTH_SOCK", "")]
        if not paths[0]:
            raise CommandError(
                f"--ssh {name}: SSH_AUTH_SOCK is not set in the kernel: start an ssh-agent, add your key "
                f"(ssh-add), and set os.environ['SSH_AUTH_SOCK'] to its socket, or pass --ssh {name}=SOCKET."
            )
        for path in paths:
            try:
                os.stat(path)
            except OSError as exc:
                raise CommandError(
                    f"--ssh {name}: {path}: {exc.strerror}; pass a running ssh-agent's socket or a key file."
                ) from None
        sockets = [p for p in paths if stat.S_ISSOCK(os.stat(p).st_mode)]
        if sockets and len(paths) > 1:
            raise CommandError(f"--ssh {name}: one ssh-agent socket, or key files, not both.")
        agents[name] = sockets[0] if sockets else sshkeys.load_keys(name, tuple(paths))
    return agents


def _dockerfile_text(spec: BuildSpec) -> tuple[str, str]:
    """The Dockerfile's text and the directory its context is, for a cell or a directory build."""
    if spec.cell is not None:
        return spec.cell, spec.context or os.getcwd()
    directory = spec.context or "."
    name = spec.dockerfile or "Dockerfile"
    path = name if os.path.isabs(name) else os.path.join(directory, name)
    try:
        with open(path, encoding="utf-8") as f:
            return f.read(), directory
    except OSError:
        raise CommandError(f"No Dockerfile at {path}: pass -f FILE, or a directory that holds one.") from None


def _where_add_reads(exc: BuildFailed) -> BuildFailed:
    """A context file that ADD or COPY did not find (BuildKit says only ``"/x" not found``, or for a
    path it cannot walk, ``failed to walk ... no such file or directory``): what its words leave out,
    as the classic builder's errors say it (engine/build.py)."""
    first, _, rest = str(exc).partition("\n")
    words = (exc.instruction or "").split("] ", 1)[-1].split()
    if not words or words[0] not in ("ADD", "COPY") or any(w.startswith("--from") for w in words):
        return exc
    if "not found" not in first and not ("failed to walk" in first and "no such file" in first):
        return exc
    first += (
        " -> ADD and COPY read from the build context (--context DIR, by default the working "
        "directory), never from elsewhere on the host, and expand no '~': put the file in the "
        "context and name it relative to it."
    )
    return BuildFailed("\n".join(filter(None, (first, rest))), exc.step, exc.instruction, exc.build_log)


def build(spec: BuildSpec, session, options: BuildOptions) -> Image | BuildGraphView:
    """The image built; with -o, the build's graph view (``.exported``: what was written)."""
    text, directory = _dockerfile_text(spec)
    services = sshforward.services(_agents(spec)) if spec.ssh else {}
    output = spec.outputs[0] if spec.outputs else None
    export = FileSend(_export(output)) if output is not None else None
    if export is not None:
        services[FILE_SEND] = export.serve
    support = engine_support(session.api)
    lowered = Lowered(text)
    if not support.heredocs:  # the built-in frontend predates heredocs and COPY --link: rewrite them
        check([], text, True, support.version)  # '# syntax=' is named before anything else
        lowered = lower(text)
        text = lowered.text
        instructions = dockerfile.parse(text, buildkit=True)
    else:  # a newer frontend reads heredoc bodies, which our reader does not: it checks its own
        instructions, _ = dockerfile.split_instructions(text)
    check(instructions, text, support.heredocs, support.version)
    if spec.cell is not None and not needs_context(instructions, lowered.lines):
        context = Local(
            files={}, served=lowered.files, modes=lowered.modes
        )  # nothing read from a directory: none is offered
        directory = ""
    else:
        if not os.path.isdir(directory):
            raise CommandError(f"The build context {directory} is not a directory: pass --context DIR.")
        if lowered.files and os.path.lexists(os.path.join(directory, RESERVED)):
            raise CommandError(
                f"The build context holds {RESERVED}, the path where heredocs are served: rename it, "
                "or leave it out with --context DIR."
            )
        # the size guard counts what each request lists (after the engine's exclude patterns), the
        # whole context as the classic builder's does, not what changed since the last build
        limit = session.settings.build_context_limit
        context = Local(directory, served=lowered.files, modes=lowered.modes, limit=limit)
    locals_ = {
        "context": context,
        "dockerfile": Local(files={"Dockerfile": text.encode()}, mtime_ns=time.time_ns()),
    }
    options.dockerfile = "Dockerfile"
    options.labels = {**session.labels(), **options.labels}
    live = LiveGraph(session.out, spec.quiet)
    graph = Graph(live.on_vertex, live.on_line, rename=lowered.rename, on_silence=live.on_silence)
    bk = Session(session.api, locals_, _secrets(spec), key=shared_key(directory or None), services=services)
    try:
        image_id = engine.build(
            session.api,
            bk.id,
            options,
            graph,
            idle_timeout=session.engine.stream_timeout,
            output=_EXPORTS[type(output)][1] if output is not None else None,
        )
    except BuildFailed as exc:
        if context.refused is not None:  # the context was over the limit: the engine saw the sync fail
            raise context.refused from None
        raise _where_add_reads(exc) from None
    finally:
        bk.close()
        if export is not None:
            export.wait()
    if export is not None:
        if export.exported is None:
            raise DockerMagicError("The build finished but the engine sent no files for -o.")
        return BuildGraphView(graph.steps, "", bk.sent, export.exported)
    log = "".join(
        f"#{i} {v.name}\n" + "".join(f"#{i} {line}\n" for line in v.output)
        for i, v in enumerate(graph.steps, 1)
    )
    image = Image(session, image_id, build_log=log)
    image.build_steps = BuildGraphView(graph.steps, image_id, bk.sent)
    image.context_bytes = sum(s.bytes for s in bk.sent if s.name == "context")
    return image
