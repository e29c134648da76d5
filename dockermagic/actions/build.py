"""%docker build and %%dockerfile: one path through engine.build."""

from __future__ import annotations

import os

from ..commands.build import BuildSpec
from ..engine import build as engine
from ..engine import dockerfile
from ..engine.context import CELL_DOCKERFILE, Context, build_context
from ..engine.layers import layers_made
from ..errors import CommandError
from ..objects.image import Image
from ..parsing.container_values import ulimits
from ..views.build import BuildLogView, LiveBuild
from ..views.habits import bloat_warnings
from . import buildkit, perform


def _cell_context(spec: BuildSpec, text: str, limit: int) -> Context:
    """%%dockerfile: the cell as the Dockerfile, with a directory only when ADD/COPY read one."""
    directory = (spec.context or os.getcwd()) if dockerfile.needs_context(dockerfile.parse(text)) else None
    return build_context(directory, text, limit)


def _directory_context(spec: BuildSpec, limit: int) -> tuple[Context, str]:
    """%docker build DIR [-f FILE]: the directory, and the Dockerfile's name inside what is sent."""
    directory = spec.context or "."
    name = spec.dockerfile or "Dockerfile"
    path = name if os.path.isabs(name) else os.path.join(directory, name)
    if not os.path.isfile(path):
        raise CommandError(f"No Dockerfile at {path}: pass -f FILE, or a directory that holds one.")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    dockerfile.parse(text)  # its mistakes and BuildKit-only syntax, before anything is sent
    inside = os.path.relpath(path, directory)
    if inside.startswith(".."):  # a Dockerfile outside the context travels with it, as the cell's
        return build_context(directory, text, limit), CELL_DOCKERFILE
    return build_context(directory, None, limit, keep=(".dockerignore", inside)), inside


def _dockerfile_text(spec: BuildSpec) -> str | None:
    """The Dockerfile a directory build read (for the view's warnings); None if it is gone since."""
    name = spec.dockerfile or "Dockerfile"
    path = name if os.path.isabs(name) else os.path.join(spec.context or ".", name)
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return None


def _write_iidfile(path: str, image_id: str) -> None:
    """``--iidfile``: the image id (``sha256:...``), as the CLI writes it, with no newline."""
    full = image_id if ":" in image_id else f"sha256:{image_id}"
    try:
        with open(os.path.expanduser(path), "w", encoding="utf-8") as f:
            f.write(full)
    except OSError as exc:
        raise CommandError(f"--iidfile {path!r}: {exc.strerror} (a file on this machine).") from None


@perform.register
def _build(spec: BuildSpec, session):
    if buildkit.chosen(spec, session):
        image = buildkit.build(spec, session, _options(spec, session, None))
        if spec.iidfile and isinstance(image, Image):  # -o makes no image (and refuses --iidfile)
            _write_iidfile(spec.iidfile, image.id)
        return image
    limit = session.settings.build_context_limit
    if spec.cell is not None:
        context, name = _cell_context(spec, spec.cell, limit), CELL_DOCKERFILE
    else:
        context, name = _directory_context(spec, limit)
    options = _options(spec, session, name)
    if spec.squash and not engine.experimental(session.api):
        raise CommandError(
            "--squash needs an engine in experimental mode (dockerd --experimental), and this one is "
            "not: build without --squash, or squash in the Dockerfile with a multi-stage build."
        )
    live = LiveBuild(session.out, spec.quiet)
    run = engine.BuildRun(live.on_step, live.on_output, live.on_quiet)
    image_id = engine.build(session.api, context, options, run, idle_timeout=session.engine.stream_timeout)
    if spec.iidfile:
        _write_iidfile(spec.iidfile, image_id)
    image = Image(session, image_id, build_log=run.text)
    text = spec.cell if spec.cell is not None else _dockerfile_text(spec)
    image.build_steps = BuildLogView(
        run.steps,
        bloat_warnings(dockerfile.parse(text)) if text else [],
        image=image.id,
        layers=layers_made(session.api, [s.layer for s in run.steps]),
        open_layers=image.layers,
    )
    image.context_bytes = context.size
    return image


def _options(spec: BuildSpec, session, name: str | None) -> engine.BuildOptions:
    # Only configured labels go on images, not the session's: the classic builder adds each label as
    # one more LABEL step, which would put a per-kernel id in every image's history (clean-up tracks
    # the ids of what the kernel built instead; BuildKit adds them with no step: actions/buildkit.py).
    return engine.BuildOptions(
        tags=spec.tags,
        build_args=dict(spec.build_args),
        target=spec.target,
        no_cache=spec.no_cache,
        pull=spec.pull,
        labels={**dict(spec.labels), **session.settings.labels},
        platform=spec.platform,
        dockerfile=name,
        extra_hosts=spec.extra_hosts,
        cache_from=spec.cache_from,
        security_opt=spec.security_opt,
        ulimits=tuple(ulimits(spec.ulimits)),
        network=spec.network,
        cgroup_parent=spec.cgroup_parent,
        isolation=spec.isolation,
        cpu_period=spec.cpu_period,
        cpu_quota=spec.cpu_quota,
        cpu_shares=spec.cpu_shares,
        cpuset_cpus=spec.cpuset_cpus,
        cpuset_mems=spec.cpuset_mems,
        memory=spec.memory,
        memory_swap=spec.memory_swap,
        shm_size=spec.shm_size,
        squash=spec.squash,
        compress=spec.compress,
    )
