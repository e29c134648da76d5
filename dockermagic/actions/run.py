"""%docker run / create."""
from __future__ import annotations

from ..commands.run import RunSpec
from ..engine import images, run as engine
from ..engine.waiting import wait_ready
from ..objects.completed import Completed
from ..objects.container import Container
from ..views.progress import LayerProgress
from . import perform


def pull_quietly(session, image: str) -> None:
    """Pull a missing image the way the CLI does before it creates, with progress."""
    session.err(f"Unable to find image '{image}' locally\n")
    progress = LayerProgress(session.err)
    try:
        for event in images.pull_events(session.api, image):
            progress.feed(event)
    finally:
        progress.close()


@perform.register
def _run(spec: RunSpec, session):
    cid = engine.create(session, spec, pull=lambda image: pull_quietly(session, image))
    if spec.create_only:
        return Container(session, cid)
    if spec.interactive and spec.tty and not spec.detach:
        return _terminal(session, cid, spec)
    if not spec.detach:
        code, out, err, seconds = engine.run_foreground(session, cid, spec)
        return Completed(code, out, err, seconds, cid)
    try:
        session.api.start(cid)
        if spec.wait is not None:
            timeout = session.settings.wait_timeout if spec.wait < 0 else spec.wait
            wait_ready(session.api, cid, timeout, spec.wait_log)
        return Container(session, cid)
    except BaseException:
        engine.stop_after_interrupt(session.api, cid, remove=True)
        raise


def _terminal(session, cid: str, spec: RunSpec):
    from .terminal import open_terminal

    try:
        return open_terminal(session, cid, start=True)
    except BaseException:
        engine.stop_after_interrupt(session.api, cid, spec.remove)
        raise
