"""network ls/create/rm/connect/disconnect/inspect/prune: spec -> engine -> view."""

from __future__ import annotations

from ..commands.networks import (
    NetworkConnectSpec,
    NetworkCreateSpec,
    NetworkDisconnectSpec,
    NetworkInspectSpec,
    NetworkLsSpec,
    NetworkPruneSpec,
    NetworkRmSpec,
)
from ..engine import networks as engine
from ..views.base import Text
from . import perform
from .inspect import inspected
from .listing import listed
from .pruning import pruned

COLUMNS = [("ID", "NETWORK ID"), ("Name", "NAME"), ("Driver", "DRIVER"), ("Scope", "SCOPE")]


@perform.register
def _ls(spec: NetworkLsSpec, session):
    rows = [
        {"ID": n["Id"][:12], "Name": n["Name"], "Driver": n["Driver"], "Scope": n["Scope"]}
        for n in engine.listing(session.api, dict(spec.filters))
    ]
    return listed(rows, COLUMNS, "ID", spec.quiet, spec.format)


@perform.register
def _create(spec: NetworkCreateSpec, session):
    created = engine.create(
        session.api,
        spec.name,
        spec.driver,
        spec.subnets,
        spec.gateways,
        labels=session.labels(dict(spec.labels)),
        internal=spec.internal,
        attachable=spec.attachable,
        options=dict(spec.options),
    )
    return Text(created)


@perform.register
def _connect(spec: NetworkConnectSpec, session):
    engine.connect(session.api, spec.network, spec.container, spec.aliases, spec.ip)
    return Text("")


@perform.register
def _disconnect(spec: NetworkDisconnectSpec, session):
    engine.disconnect(session.api, spec.network, spec.container, spec.force)
    return Text("")


@perform.register
def _rm(spec: NetworkRmSpec, session):
    return Text("\n".join(engine.remove(session.api, spec.names)))


@perform.register
def _inspect(spec: NetworkInspectSpec, session):
    return inspected([engine.inspect(session.api, name) for name in spec.names], spec.names, spec.format)


@perform.register
def _prune(spec: NetworkPruneSpec, session):
    deleted = engine.prune(session.api, dict(spec.filters)).get("NetworksDeleted") or []
    return pruned([("Deleted Networks", deleted)])
