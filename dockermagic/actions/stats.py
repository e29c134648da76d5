"""``%docker stats``: streams by default, as the CLI does, where a front end can show it update.

With a widget front end (a notebook in JupyterLab or Notebook 7) one display
is updated in place about once a second, charts and table, until Ctrl-C (the
kernel's interrupt) or every container has stopped; the last snapshot is then
returned, and is what the saved notebook shows. Elsewhere (plain IPython, a
script, ``DOCKERMAGIC_WIDGETS=0``) nothing could be watched, so it takes one
snapshot, as ``--no-stream`` does, and says so; so does a kernel run by nbval,
nbconvert or papermill, which has no one watching (``frontend.live_frontend``).
"""

from __future__ import annotations

import threading
import time

from ..commands.stats import StatsSpec
from ..engine.containers import listing
from ..engine.stats import SampleStream, sample
from ..errors import DockerMagicError
from ..views import frontend
from ..views.stats import COLUMNS, StatsView, row
from ..views.widgets import Live
from . import perform
from .listing import formatted

REFRESH = 1.0


def _full_id(made: dict, sample_: dict) -> dict:
    """``--no-trunc``: the row's ID as the engine gives it, not its first 12 digits."""
    return {**made, "ID": sample_.get("id") or made["ID"]}


def snapshot(session, names: list[str], note: str = "", no_trunc: bool = False) -> StatsView:
    view = StatsView(names, note)
    for name in names:
        taken = sample(session.api, name)
        made = row(taken, name)
        view.add(name, _full_id(made, taken) if no_trunc else made)
    return view


def stream(session, names: list[str], refresh: float = REFRESH, no_trunc: bool = False) -> StatsView:
    """Samples of every container into one view, shown live, until interrupted or all have stopped."""
    view = StatsView(names)
    streams = {name: SampleStream(session.api, name) for name in names}
    errors: list[BaseException] = []

    def read(name: str, samples: SampleStream) -> None:
        try:
            for s in samples:
                view.add(name, _full_id(row(s, name), s) if no_trunc else row(s, name))
        except Exception as exc:  # noqa: BLE001 - a stream closed by the interrupt, or an engine gone
            errors.append(exc)

    readers = [
        threading.Thread(target=read, args=(n, s), daemon=True, name=f"dockermagic-stats-{n}")
        for n, s in streams.items()
    ]
    for t in readers:
        t.start()
    live = Live(view, rate=1 / refresh)
    try:
        while any(t.is_alive() for t in readers):
            time.sleep(refresh)
            live.update(force=True)
        failed = [e for e in errors if isinstance(e, DockerMagicError)]
        if failed:  # not stopped by us: an engine gone, say so in one line
            raise failed[0]
        view.note = "every container stopped"
    except KeyboardInterrupt:
        view.note = "stopped (interrupted): the last snapshot"
    finally:
        for s in streams.values():
            s.close()
        for t in readers:
            t.join(timeout=2)
        live.clear()
    return view


@perform.register
def _stats(spec: StatsSpec, session):
    names = list(spec.containers) or [c["Id"][:12] for c in listing(session.api, all=spec.all)]
    if spec.no_stream or not names:
        view = snapshot(session, names, no_trunc=spec.no_trunc)
    elif frontend.live_frontend():
        view = stream(session, names, no_trunc=spec.no_trunc)
    else:
        note = "one snapshot: no front end here to show a stream (as --no-stream)"
        view = snapshot(session, names, note, no_trunc=spec.no_trunc)
    if spec.template:
        return formatted(view.rows, spec.template, COLUMNS, "stats")
    return view
