"""%docker run / create."""

from __future__ import annotations

from ..commands.run import RunSpec
from ..engine import containers, images
from ..engine import run as engine
from ..engine.address import remote_host
from ..engine.waiting import wait_ready
from ..objects.completed import Completed
from ..objects.container import Container
from ..objects.terminal import DETACH_KEYS
from ..views.progress import LayerProgress
from . import perform
from .create_body import create_body
from .id_file import IdFile


def pull_quietly(session, image: str, quiet: bool = False, platform: str | None = None) -> None:
    """Pull a missing image the way the CLI does before it creates, with progress (none with -q)."""
    if not quiet:
        session.err(f"Unable to find image '{image}' locally\n")
    pull(session, image, quiet, platform)


def pull(session, image: str, quiet: bool = False, platform: str | None = None) -> None:
    """Pull ``image`` (for ``platform``, as --platform says) with the CLI's progress on stderr (``-q``: none)."""
    progress = None if quiet else LayerProgress(session.err)
    try:
        for event in images.pull_events(session.api, image, platform):
            if progress is not None:
                progress.feed(event)
    finally:
        if progress is not None:
            progress.close()


def is_temporary(spec: RunSpec) -> bool:
    """What the user made temporary: --rm, a foreground run, a terminal (-it without -d)."""
    return spec.remove or not spec.detach


def create(session, spec: RunSpec) -> str:
    """Create the container ``spec`` describes (pulling a missing image); its id."""
    api = session.api
    exposed = engine.image_exposed_ports(api, spec.image) if spec.publish_all else None
    labels = session.labels(temporary=is_temporary(spec))
    body = create_body(spec, session.settings.publish_host, labels, exposed)
    if spec.replace and spec.name:
        containers.remove_quietly(api, spec.name)
    if spec.pull == "always":
        pull(session, spec.image, spec.quiet, spec.platform)
    missing = (
        None
        if spec.pull == "never"
        else (lambda image: pull_quietly(session, image, spec.quiet, spec.platform))
    )
    with IdFile(spec.cidfile) as id_file:
        cid = engine.create(
            api, body, spec.name, spec.platform, pull=missing, warn=lambda w: session.err(f"WARNING: {w}\n")
        )
        id_file.write(cid)
    return cid


@perform.register
def _run(spec: RunSpec, session):
    cid = create(session, spec)
    if spec.create_only:
        return Container(session, cid)
    if spec.interactive and spec.tty and not spec.detach:
        return _terminal(session, cid, spec)
    if not spec.detach:
        shown = set(spec.attach) or {"stdout", "stderr"}  # -a names the streams shown, as for the CLI
        code, out, err, seconds = engine.run_foreground(
            session.api,
            cid,
            session.out,
            session.err,
            tty=spec.tty,
            remove=spec.remove,
            stdin=spec.interactive,
            stdout="stdout" in shown,
            stderr="stderr" in shown,
        )
        return Completed(code, out, err, seconds, cid)
    try:
        containers.start(session.api, cid)
        if spec.wait is not None:
            timeout = session.settings.wait_timeout if spec.wait < 0 else spec.wait
            # an engine elsewhere: its containers' addresses are not routed from here
            local = remote_host(session.engine.address) is None
            wait_ready(session.api, cid, timeout, spec.wait_log, local=local)
        return Container(session, cid)
    except BaseException:
        engine.stop_after_interrupt(session.api, cid, remove=True)
        raise


def _terminal(session, cid: str, spec: RunSpec):
    from .terminal import open_terminal

    try:
        return open_terminal(session, cid, start=True, detach_keys=spec.detach_keys or DETACH_KEYS)
    except BaseException:
        engine.stop_after_interrupt(session.api, cid, spec.remove)
        raise
