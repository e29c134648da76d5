"""network and volume commands, system df, logs."""
from __future__ import annotations

import time

from ..commands.networks import (DfSpec, LogsSpec, NetworkConnectSpec, NetworkCreateSpec, ObjectInspectSpec,
                                 ObjectListSpec, ObjectRemoveSpec, VolumeCreateSpec)
from ..engine.containers import call, each, inspect as inspect_container
from ..engine.streams import STDERR, Collector, frames
from ..views.base import Text, human_size
from ..views.table import Table
from ..views.timefmt import ago
from . import perform
from .containers import formatted
from .images import inspect_one, inspected


def _pairs(entries) -> dict:
    return dict((e.split("=", 1) + [""])[:2] for e in entries)


@perform.register
def _list(spec: ObjectListSpec, session):
    api, filters = session.api, dict(spec.filters) or None
    if spec.kind == "network":
        rows = [{"ID": n["Id"][:12], "Name": n["Name"], "Driver": n["Driver"], "Scope": n["Scope"]}
                for n in call(api.networks, filters=filters)]
        columns = [("ID", "NETWORK ID"), ("Name", "NAME"), ("Driver", "DRIVER"), ("Scope", "SCOPE")]
        key = "ID"
    else:
        vols = (call(api.volumes, filters=filters) or {}).get("Volumes") or []
        rows = [{"Driver": v["Driver"], "Name": v["Name"], "Mountpoint": v.get("Mountpoint", "")} for v in vols]
        columns = [("Driver", "DRIVER"), ("Name", "VOLUME NAME")]
        key = "Name"
    if spec.quiet:
        return Text("\n".join(r[key] for r in rows))
    if spec.format:
        return formatted(rows, spec.format, columns)
    return Table(columns, rows, id_key=key)


@perform.register
def _network_create(spec: NetworkCreateSpec, session):
    ipam = None
    if spec.subnets:
        from docker.types import IPAMConfig, IPAMPool

        gateways = list(spec.gateways) + [None] * len(spec.subnets)
        ipam = IPAMConfig(pool_configs=[IPAMPool(subnet=s, gateway=g) for s, g in zip(spec.subnets, gateways)])
    labels = {**_pairs(spec.labels), **session.labels()}
    result = call(session.api.create_network, spec.name, driver=spec.driver, ipam=ipam,
                  internal=spec.internal, attachable=spec.attachable or None, labels=labels,
                  options=_pairs(spec.options) or None, check_duplicate=True)
    return Text(result["Id"])


@perform.register
def _network_connect(spec: NetworkConnectSpec, session):
    if spec.connect:
        call(session.api.connect_container_to_network, spec.container, spec.network,
             aliases=list(spec.aliases) or None, ipv4_address=spec.ip)
    else:
        call(session.api.disconnect_container_from_network, spec.container, spec.network, force=spec.force)
    return Text("")


@perform.register
def _remove(spec: ObjectRemoveSpec, session):
    api = session.api
    if spec.kind == "network":
        return Text("\n".join(each(spec.names, api.remove_network)))
    return Text("\n".join(each(spec.names, lambda n: api.remove_volume(n, force=spec.force))))


@perform.register
def _volume_create(spec: VolumeCreateSpec, session):
    labels = {**_pairs(spec.labels), **session.labels()}
    result = call(session.api.create_volume, spec.name, driver=spec.driver,
                  driver_opts=_pairs(spec.options) or None, labels=labels)
    return Text(result["Name"])


@perform.register
def _object_inspect(spec: ObjectInspectSpec, session):
    docs = [inspect_one(session.api, name, spec.kind) for name in spec.names]
    return inspected(docs, spec.names, spec.format)


@perform.register
def _df(spec: DfSpec, session):
    usage = call(session.api.df)
    now = time.time()
    images = usage.get("Images") or []
    containers = usage.get("Containers") or []
    volumes = usage.get("Volumes") or []
    cache = usage.get("BuildCache") or []
    used_images = [i for i in images if i.get("Containers", 0) > 0]
    image_size = sum(i.get("Size", 0) - i.get("SharedSize", 0) for i in images) + max(
        [i.get("SharedSize", 0) for i in images] or [0])
    rows = [
        {"Type": "Images", "Total": len(images), "Active": len(used_images),
         "Size": human_size(usage.get("LayersSize", image_size))},
        {"Type": "Containers", "Total": len(containers),
         "Active": sum(c.get("State") == "running" for c in containers),
         "Size": human_size(sum(c.get("SizeRw", 0) for c in containers))},
        {"Type": "Local Volumes", "Total": len(volumes),
         "Active": sum((v.get("UsageData") or {}).get("RefCount", 0) > 0 for v in volumes),
         "Size": human_size(sum(max((v.get("UsageData") or {}).get("Size", 0), 0) for v in volumes))},
        {"Type": "Build Cache", "Total": len(cache), "Active": sum(bool(c.get("InUse")) for c in cache),
         "Size": human_size(sum(c.get("Size", 0) for c in cache))},
    ]
    summary = Table([("Type", "TYPE"), ("Total", "TOTAL"), ("Active", "ACTIVE"), ("Size", "SIZE")], rows)
    if not spec.verbose:
        return summary
    detail = [{"Repository": (i.get("RepoTags") or ["<none>:<none>"])[0].rsplit(":", 1)[0],
               "Tag": (i.get("RepoTags") or ["<none>:<none>"])[0].rsplit(":", 1)[1],
               "ID": i["Id"].replace("sha256:", "")[:12], "Created": ago(i.get("Created", 0), now),
               "Size": human_size(i.get("Size", 0)), "Shared": human_size(i.get("SharedSize", 0)),
               "Unique": human_size(i.get("Size", 0) - max(i.get("SharedSize", 0), 0)),
               "Containers": i.get("Containers", 0)} for i in images]
    return Table([("Repository", "REPOSITORY"), ("Tag", "TAG"), ("ID", "IMAGE ID"), ("Created", "CREATED"),
                  ("Size", "SIZE"), ("Shared", "SHARED SIZE"), ("Unique", "UNIQUE SIZE"),
                  ("Containers", "CONTAINERS")], detail, title="Images space usage")


def _demuxed(raw: bytes, tty: bool):
    """Split a non-follow logs body into (stream, bytes) frames."""
    if tty:
        yield 1, raw
        return
    import struct

    pos = 0
    while pos + 8 <= len(raw):
        stream, size = raw[pos], struct.unpack(">I", raw[pos + 4:pos + 8])[0]
        yield stream, raw[pos + 8:pos + 8 + size]
        pos += 8 + size


def _since(value: str) -> int:
    """``42m``, ``2h``, ``10s`` (relative) or a unix timestamp."""
    from ..commands.run import duration_ns

    try:
        return int(float(value))
    except ValueError:
        return int(time.time() - duration_ns(value) / 1e9)
