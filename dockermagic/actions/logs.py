"""``%docker logs``: a LogsView of the last lines; ``-f`` follows live until Ctrl-C or the container stops."""

from __future__ import annotations

from collections.abc import Iterable

from ..commands.logs import LogsSpec
from ..engine.logs import STDERR, Batch, collect, log_batches
from ..views.logs import LogBuffer, LogsView
from ..views.widgets import Live
from . import perform
from .background import Background


def follow_logs(session, spec: LogsSpec) -> LogsView:
    """Follow (or read) the logs into a bounded buffer, showing them live where a display exists."""
    buffer = LogBuffer(keep=spec.keep)

    def batches(on_open=None):
        return log_batches(
            session.api,
            spec.container,
            follow=spec.follow,
            tail=spec.tail,
            since=spec.since,
            until=spec.until,
            timestamps=spec.timestamps,
            details=spec.details,
            on_open=on_open,
        )

    if not spec.follow:
        collect(batches(), buffer)
        buffer.close()
        return LogsView(buffer, spec.container)

    view = LogsView(buffer, spec.container, following=True)
    # read in a thread, as compose logs -f and events are: a quiet container's stream must not
    # hold the interrupt back
    return followed(session, view, Background(batches), buffer, ended="the container stopped")


def followed(session, view: LogsView, batches: Iterable[Batch], buffer: LogBuffer, ended: str) -> LogsView:
    """``view`` once ``batches`` (followed into ``buffer``) end; ``ended``: its note unless interrupted."""
    live = Live(view)

    def on_batch(stream: int, lines: list[str]) -> None:
        if live.active:  # a notebook: one display, replaced at most a few times a second
            live.update()
        else:  # a terminal: the lines as they come
            (session.err if stream == STDERR else session.out)("\n".join(lines) + "\n")

    how = collect(batches, buffer, on_batch)
    buffer.close()
    view.following = False
    view.note = "stopped following (interrupted)" if how == "interrupted" else ended
    if live.active:
        live.clear()
    else:
        view.echoed = True
    return view


@perform.register
def _logs(spec: LogsSpec, session):
    return follow_logs(session, spec)
