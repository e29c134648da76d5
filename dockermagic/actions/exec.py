"""%docker exec, %dexec and %%dexec."""

from __future__ import annotations

from ..commands.exec import ExecSpec
from ..engine import exec as engine
from ..objects.completed import Completed
from ..reaper.keeper import exec_started
from ..views.base import Text
from . import perform


@perform.register
def _exec(spec: ExecSpec, session):
    api = session.api
    doc = engine.running_container(api, spec.container)
    process = engine.Process(spec.command, spec.env, spec.workdir, spec.user, spec.privileged)
    if spec.interactive and spec.tty:
        from .terminal import open_terminal

        return open_terminal(session, doc["Id"], process)
    if spec.detach:
        exec_id = engine.create(api, doc["Id"], process)
        engine.start_detached(api, exec_id)
        return Text(exec_id)
    code, out, err, seconds = engine.run_exec(
        api,
        doc["Id"],
        process,
        session.out,
        session.err,
        script=spec.script,
        raise_on_error=spec.raise_on_error,
        started=lambda exec_id: exec_started(session, doc["Id"], exec_id),
    )
    return Completed(code, out, err, seconds, doc["Id"])
