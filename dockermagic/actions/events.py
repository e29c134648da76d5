"""``%docker events``: each event's line streamed into the cell as it comes, until ``--until``
passes or Ctrl-C (the kernel's interrupt), which ends it cleanly with what was seen."""

from __future__ import annotations

from ..commands.events import EventsSpec
from ..engine import events as engine
from ..objects.events import Events
from . import perform
from .background import Background


@perform.register
def _events(spec: EventsSpec, session):
    seen = Events(spec.format)
    filters = {key: list(values) for key, values in spec.filters}
    stream = Background(
        lambda on_open: engine.stream(session.api, spec.since, spec.until, filters, on_open=on_open)
    )
    try:
        for event in stream:
            session.out(seen.add(event) + "\n")
    except KeyboardInterrupt:
        seen.interrupted = True
    finally:
        stream.close()
    return seen
