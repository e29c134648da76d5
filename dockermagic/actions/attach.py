"""%docker attach and start -a/-i: a container's streams, live in the cell or in a terminal widget.

The CLI's choices, in a notebook: a container with a TTY, or one whose stdin
is attached, gets the terminal widget (stdin is typed there); any other
streams its output into the cell until it exits, and returns what a
foreground ``run`` returns. Ctrl-C (a kernel interrupt) is sent on to the
container as SIGINT, as the CLI forwards it (``attach --sig-proxy=false``: not
sent); then ``attach`` lets go of a container that still runs, and
``start -a`` stops it, as a foreground ``run`` does.
"""

from __future__ import annotations

import time

from ..commands.containers import AttachSpec
from ..engine import attach as engine
from ..engine import containers
from ..engine.run import stop_after_interrupt
from ..engine.streams import Collector
from ..errors import ContainerFailed, DockerMagicError
from ..objects.completed import Completed
from ..objects.terminal import DETACH_KEYS
from . import perform
from .terminal import open_terminal


@perform.register
def _attach(spec: AttachSpec, session):
    doc = containers.inspect(session.api, spec.container)
    if not doc["State"]["Running"]:
        raise DockerMagicError(
            f"You cannot attach to a stopped container: start it first (%docker start {spec.container})."
        )
    config = doc["Config"]
    stdin = bool(config.get("OpenStdin")) and not spec.no_stdin
    keys = spec.detach_keys or DETACH_KEYS
    if config.get("Tty") or stdin:
        return open_terminal(
            session,
            doc["Id"],
            tty=bool(config.get("Tty")),
            stdin=stdin,
            detach_keys=keys,
            sig_proxy=spec.sig_proxy,
        )
    return stream_into_cell(session, doc, start=False, forward_signals=spec.sig_proxy, detach_keys=keys)


def start_attached(session, ref: str, interactive: bool, detach_keys: str | None):
    """``start -a [-i] CONTAINER``: start it attached; the terminal or its output in the cell."""
    doc = containers.inspect(session.api, ref)
    config = doc["Config"]
    stdin = interactive and bool(config.get("OpenStdin"))  # as the CLI: -i needs a container made with -i
    keys = detach_keys or DETACH_KEYS
    if stdin:
        return open_terminal(session, doc["Id"], start=True, tty=bool(config.get("Tty")), detach_keys=keys)
    return stream_into_cell(session, doc, start=True, forward_signals=True, detach_keys=keys)


def stream_into_cell(
    session, doc: dict, *, start: bool, forward_signals: bool, detach_keys: str
) -> Completed:
    """Output into the cell as it comes, until the container exits: its status, as ``run`` gives it."""
    api, container_id = session.api, doc["Id"]
    name = doc["Name"].lstrip("/")
    out, err = Collector(session.out), Collector(session.err)
    begun = time.monotonic()
    channel = engine.connect(api, container_id, stdin=False, detach_keys=detach_keys)
    status = engine.ExitStatus(api, container_id)  # before the start: an --rm container's status stays
    try:
        if start:
            containers.start(api, container_id)
        engine.follow(
            api,
            container_id,
            channel,
            bool(doc["Config"].get("Tty")),
            out,
            err,
            forward_signals=forward_signals,
        )
    except KeyboardInterrupt:
        if start:
            stop_after_interrupt(api, container_id, remove=False)  # --rm: the engine removes it
        else:
            session.err(f"\nDetached from {name}, which keeps running (%docker stop {name} stops it).\n")
        raise
    finally:
        channel.close()
    code = status.result()
    seconds = time.monotonic() - begun
    if code is None:
        raise DockerMagicError(f"The output of {name} ended while it still runs: see %docker logs {name}.")
    if code:
        tail = err.tail() or out.tail()
        raise ContainerFailed(
            f"The container exited with code {code}" + (f":\n{tail}" if tail else ""), code, tail
        )
    return Completed(code, out.text, err.text, seconds, container_id)
