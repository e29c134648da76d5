"""%docker build and %%dockerfile: one path through engine.build."""

from __future__ import annotations

import os

from ..commands.build import BuildSpec
from ..engine import build as engine
from ..engine import dockerfile
from ..engine.context import CELL_DOCKERFILE, build_context
from ..errors import CommandError
from ..objects.image import Image
from ..views.build import BuildLogView, LiveBuild
from . import perform


def _dockerfile_text(spec: BuildSpec) -> tuple[str, str | None]:
    """(the Dockerfile's text, its name inside the context or None for the cell's)."""
    if spec.cell is not None:
        return spec.cell, None
    name = spec.dockerfile or "Dockerfile"
    path = name if os.path.isabs(name) else os.path.join(spec.context, name)
    if not os.path.isfile(path):
        raise CommandError(f"No Dockerfile at {path}: pass -f FILE, or a directory that holds one.")
    with open(path, encoding="utf-8") as f:
        return f.read(), os.path.relpath(path, spec.context)


@perform.register
def _build(spec: BuildSpec, session):
    text, inside = _dockerfile_text(spec)
    instructions = dockerfile.parse(text)
    if spec.cell is not None:
        directory = (spec.context or os.getcwd()) if dockerfile.needs_context(instructions) else None
        context = build_context(directory, text, session.settings.build_context_limit)
        name = CELL_DOCKERFILE
    else:
        outside = inside.startswith("..")
        keep = (".dockerignore",) if outside else (".dockerignore", inside)
        context = build_context(
            spec.context, text if outside else None, session.settings.build_context_limit, keep=keep
        )
        name = CELL_DOCKERFILE if outside else inside
    # Only configured labels go on images, not the session's: the classic builder adds each label as
    # one more LABEL step, which would put a per-kernel id in every image's history (clean-up tracks
    # the ids of what the kernel built instead).
    options = engine.BuildOptions(
        tags=spec.tags,
        build_args=dict(spec.build_args),
        target=spec.target,
        no_cache=spec.no_cache,
        pull=spec.pull,
        labels={**dict(spec.labels), **session.settings.labels},
        platform=spec.platform,
        dockerfile=name,
    )
    live = LiveBuild(session.out, spec.quiet)
    run = engine.BuildRun(live.on_step, live.on_output, live.on_quiet)
    image_id = engine.build(session.api, context, options, run, idle_timeout=session.engine.stream_timeout)
    image = Image(session, image_id, build_log=run.text)
    image.build_steps = BuildLogView(run.steps)
    image.context_bytes = context.size
    return image
