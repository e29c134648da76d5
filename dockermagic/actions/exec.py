"""%docker exec, %dexec and %%dexec."""
from __future__ import annotations

from ..commands.exec import ExecSpec
from ..engine import exec as engine
from ..engine.containers import call
from ..objects.completed import Completed
from ..views.base import Text
from . import perform


@perform.register
def _exec(spec: ExecSpec, session):
    doc = engine.running_container(session.api, spec.container)
    if spec.interactive and spec.tty:
        from .terminal import open_terminal

        return open_terminal(session, doc["Id"], command=list(spec.command), user=spec.user,
                             workdir=spec.workdir, env=list(spec.env))
    if spec.detach:
        created = call(session.api.exec_create, doc["Id"], list(spec.command), user=spec.user or "",
                       workdir=spec.workdir, environment=list(spec.env) or None, privileged=spec.privileged)
        call(session.api.exec_start, created["Id"], detach=True)
        return Text(created["Id"])
    code, out, err, seconds = engine.run_exec(session, spec, doc)
    return Completed(code, out, err, seconds, doc["Id"])
