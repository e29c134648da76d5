"""network ls/create/rm/connect/disconnect/inspect/prune: spec -> engine -> view."""

from __future__ import annotations

from typing import Any

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
from .listing import listed, network_rows
from .pruning import pruned

COLUMNS = [("ID", "NETWORK ID"), ("Name", "NAME"), ("Driver", "DRIVER"), ("Scope", "SCOPE")]


@perform.register
def _ls(spec: NetworkLsSpec, session):
    rows = network_rows(engine.listing(session.api, dict(spec.filters)), spec.no_trunc)
    return listed(rows, COLUMNS, "ID", spec.quiet, spec.format, "network")


def create_body(spec: NetworkCreateSpec, labels: dict[str, str]) -> dict[str, Any]:
    """``POST /networks/create``'s body as the CLI sends it for the same flags."""
    body: dict[str, Any] = {
        "CheckDuplicate": True,
        "Driver": spec.driver,
        "Options": dict(spec.options),
        "IPAM": {
            "Driver": spec.ipam_driver,
            "Config": [pool.body() for pool in spec.pools],
            "Options": dict(spec.ipam_options),
        },
        "Internal": spec.internal,
        "EnableIPv6": spec.ipv6,
        "Attachable": spec.attachable,
        "Ingress": spec.ingress,
        "Scope": spec.scope or "",
        "ConfigOnly": spec.config_only,
        "Labels": labels,
    }
    if spec.config_from:
        body["ConfigFrom"] = {"Network": spec.config_from}
    return body


@perform.register
def _create(spec: NetworkCreateSpec, session):
    return Text(engine.create(session.api, spec.name, create_body(spec, session.labels(dict(spec.labels)))))


def endpoint(spec: NetworkConnectSpec) -> dict[str, Any]:
    """``EndpointConfig`` of ``POST /networks/{id}/connect``, as the CLI sends it."""
    return {
        "IPAMConfig": {
            "IPv4Address": spec.ip or "",
            "IPv6Address": spec.ip6 or "",
            "LinkLocalIPs": list(spec.link_local_ips) or None,
        },
        "Links": list(spec.links) or None,
        "Aliases": list(spec.aliases) or None,
        "DriverOpts": dict(spec.driver_opts) or None,
    }


@perform.register
def _connect(spec: NetworkConnectSpec, session):
    engine.connect(session.api, spec.network, spec.container, endpoint(spec))
    return Text("")


@perform.register
def _disconnect(spec: NetworkDisconnectSpec, session):
    engine.disconnect(session.api, spec.network, spec.container, spec.force)
    return Text("")


@perform.register
def _rm(spec: NetworkRmSpec, session):
    return Text("\n".join(engine.remove(session.api, spec.names, spec.force)))


@perform.register
def _inspect(spec: NetworkInspectSpec, session):
    found = [engine.inspect(session.api, name, spec.verbose) for name in spec.names]
    return inspected(found, spec.names, spec.format)


@perform.register
def _prune(spec: NetworkPruneSpec, session):
    deleted = engine.prune(session.api, dict(spec.filters)).get("NetworksDeleted") or []
    return pruned([("Deleted Networks", deleted)])
