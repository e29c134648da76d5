"""swarm init/join/leave/join-token/update/unlock-key/ca and node ls/inspect/update/ps/rm/promote/
demote: spec -> engine -> view, with the CLI's words."""

from __future__ import annotations

import getpass
import time
from typing import Any

from ..commands.swarm import (
    NodeDemoteSpec,
    NodeInspectSpec,
    NodeLsSpec,
    NodePromoteSpec,
    NodePsSpec,
    NodeRmSpec,
    NodeUpdateSpec,
    SwarmCaSpec,
    SwarmInitSpec,
    SwarmJoinSpec,
    SwarmJoinTokenSpec,
    SwarmLeaveSpec,
    SwarmSettings,
    SwarmUnlockKeySpec,
    SwarmUnlockSpec,
    SwarmUpdateSpec,
)
from ..engine import services as service_engine
from ..engine import swarm as engine
from ..errors import CommandError, DockerMagicError
from ..views.base import Text
from ..views.services import NODE_COLUMNS, TASK_COLUMNS, NodeTable, TaskTable
from ..views.table import Table
from ..views.timefmt import human_duration
from . import perform
from .go_types import GoTime
from .inspect import inspected
from .listing import formatted, natural_key


def pretty(word: Any) -> str:
    """The CLI's PrettyPrint: the first letter in capitals, the rest in small letters."""
    text = "None" if word is None else str(word)
    return text[:1].upper() + text[1:].lower()


# -- swarm ---------------------------------------------------------------------------------


def swarm_spec(spec: SwarmSettings, current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The swarm's spec with what the line gave (``current``: the swarm's, kept for the rest)."""
    merged: dict[str, Any] = {
        key: dict(value) for key, value in (current or {}).items() if isinstance(value, dict)
    }
    merged.update({k: v for k, v in (current or {}).items() if not isinstance(v, dict)})

    def put(section: str, key: str, value: Any) -> None:
        if value is not None:
            merged.setdefault(section, {})[key] = value

    put("Orchestration", "TaskHistoryRetentionLimit", spec.task_history_limit)
    put("Raft", "SnapshotInterval", spec.snapshot_interval)
    put("Raft", "KeepOldSnapshots", spec.max_snapshots)
    put("Dispatcher", "HeartbeatPeriod", spec.dispatcher_heartbeat)
    put("CAConfig", "NodeCertExpiry", spec.cert_expiry)
    return merged


def init_body(spec: SwarmInitSpec) -> dict[str, Any]:
    """``POST /swarm/init``'s body as the CLI sends it for the same flags."""
    return {
        "ListenAddr": spec.listen_addr,
        "AdvertiseAddr": spec.advertise_addr or "",
        "DataPathAddr": spec.data_path_addr or "",
        "DataPathPort": spec.data_path_port or 0,
        "ForceNewCluster": spec.force_new_cluster,
        "Spec": swarm_spec(spec),
        "AutoLockManagers": spec.autolock,
        "Availability": spec.availability,
        "DefaultAddrPool": list(spec.default_addr_pool),
        "SubnetSize": spec.default_addr_pool_mask_length,
    }


def manager_address(api: Any) -> str:
    """The address workers join this manager at (its node's ``ManagerStatus.Addr``)."""
    node = engine.inspect_node(api, "self")
    return str((node.get("ManagerStatus") or {}).get("Addr") or "")


def join_command(role: str, token: str, address: str) -> str:
    return (
        f"To add a {role} to this swarm, run the following command:\n\n"
        f"    docker swarm join --token {token} {address}\n"
    )


def unlock_text(key: str) -> str:
    return (
        "To unlock a swarm manager after it restarts, run the `docker swarm unlock`\n"
        "command and provide the following key:\n\n"
        f"    {key}\n\n"
        "Remember to store this key in a password manager, since without it you\n"
        "will not be able to restart the manager."
    )


@perform.register
def _init(spec: SwarmInitSpec, session):
    api = session.api
    node_id = engine.init(api, init_body(spec))
    tokens = engine.inspect(api).get("JoinTokens") or {}
    lines = [
        f"Swarm initialized: current node ({node_id}) is now a manager.",
        "",
        join_command("worker", tokens.get("Worker", ""), manager_address(api)),
        "To add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions.",
    ]
    if spec.autolock:
        lines += ["", unlock_text(engine.unlock_key(api))]
    return Text("\n".join(lines))


@perform.register
def _join(spec: SwarmJoinSpec, session):
    body = {
        "ListenAddr": spec.listen_addr,
        "AdvertiseAddr": spec.advertise_addr or "",
        "DataPathAddr": spec.data_path_addr or "",
        "RemoteAddrs": [spec.host],
        "JoinToken": spec.token,
        "Availability": spec.availability,
    }
    engine.join(session.api, body)
    role = "manager" if engine.info(session.api).get("ControlAvailable") else "worker"
    return Text(f"This node joined a swarm as a {role}.")


@perform.register
def _leave(spec: SwarmLeaveSpec, session):
    engine.leave(session.api, spec.force)
    return Text("Node left the swarm.")


@perform.register
def _join_token(spec: SwarmJoinTokenSpec, session):
    api = session.api
    found = engine.inspect(api)
    if spec.rotate:
        engine.update(
            api,
            found["Version"]["Index"],
            found["Spec"],
            rotate_worker_token=spec.role == "worker",
            rotate_manager_token=spec.role == "manager",
        )
        found = engine.inspect(api)
    token = (found.get("JoinTokens") or {}).get(spec.role.capitalize(), "")
    if spec.quiet:
        return Text(token)
    lines = []
    if spec.rotate:
        lines += [f"Successfully rotated {spec.role} join token.", ""]
    lines.append(join_command(spec.role, token, manager_address(api)))
    return Text("\n".join(lines))


@perform.register
def _update(spec: SwarmUpdateSpec, session):
    api = session.api
    found = engine.inspect(api)
    merged = swarm_spec(spec, found.get("Spec"))
    if spec.autolock is not None:
        merged.setdefault("EncryptionConfig", {})["AutoLockManagers"] = spec.autolock
    engine.update(api, found["Version"]["Index"], merged)
    lines = ["Swarm updated."]
    if spec.autolock:
        lines += [unlock_text(engine.unlock_key(api))]
    return Text("\n".join(lines))


@perform.register
def _unlock_key(spec: SwarmUnlockKeySpec, session):
    api = session.api
    if spec.rotate:
        found = engine.inspect(api)
        if not (found["Spec"].get("EncryptionConfig") or {}).get("AutoLockManagers"):
            raise CommandError(
                "Cannot rotate because autolock is not turned on: %docker swarm update --autolock."
            )
        engine.update(api, found["Version"]["Index"], found["Spec"], rotate_manager_unlock_key=True)
    key = engine.unlock_key(api)
    if not key:
        raise CommandError("no unlock key is set: turn autolock on with %docker swarm update --autolock.")
    if spec.quiet:
        return Text(key)
    return Text(("Successfully rotated manager unlock key.\n\n" if spec.rotate else "") + unlock_text(key))


@perform.register
def _unlock(spec: SwarmUnlockSpec, session):
    """The key from a prompt that does not echo, as the CLI reads it from a terminal: never a
    word of the cell, so it is not saved with the notebook."""
    try:
        key = getpass.getpass("Enter unlock key: ")
    except Exception:  # noqa: BLE001 - a front end that takes no input (nbval, a script)
        raise DockerMagicError(
            "swarm unlock: this front end cannot prompt for the key; run it in a notebook or a terminal "
            "IPython, or use the docker CLI on the manager."
        ) from None
    if not key.strip():
        raise DockerMagicError("swarm unlock: the key is empty.")
    engine.unlock(session.api, key.strip())
    return Text("")


@perform.register
def _ca(spec: SwarmCaSpec, session):
    found = engine.inspect(session.api)
    root = ((found.get("TLSInfo") or {}).get("TrustRoot") or "").rstrip("\n")
    return Text(root)


# -- nodes ---------------------------------------------------------------------------------


def node_rows(nodes: list[dict[str, Any]], self_id: str) -> list[dict[str, Any]]:
    """``GET /nodes`` as the CLI's node ls context, in its order (by hostname, naturally)."""
    rows = []
    for n in nodes:
        manager = n.get("ManagerStatus")
        is_self = n["ID"] == self_id
        rows.append(
            {
                "ID": n["ID"],
                "IDSelf": f"{n['ID']} {'*' if is_self else ' '}",
                "Self": is_self,
                "Hostname": (n.get("Description") or {}).get("Hostname", ""),
                "Status": pretty((n.get("Status") or {}).get("State")),
                "Availability": pretty((n.get("Spec") or {}).get("Availability")),
                "ManagerStatus": ("Leader" if manager.get("Leader") else pretty(manager.get("Reachability")))
                if manager
                else "",
                "EngineVersion": ((n.get("Description") or {}).get("Engine") or {}).get("EngineVersion", ""),
                "TLSStatus": "Ready" if (n.get("Description") or {}).get("TLSInfo") else "",
            }
        )
    return sorted(rows, key=lambda r: natural_key(r["Hostname"]))


@perform.register
def _node_ls(spec: NodeLsSpec, session):
    api = session.api
    rows = node_rows(engine.nodes(api, dict(spec.filters)), str(engine.info(api).get("NodeID") or ""))
    if spec.quiet:
        return Text("\n".join(r["ID"] for r in rows))
    if spec.format:
        columns = [("ID", "ID"), *NODE_COLUMNS[1:]]
        return formatted(rows, spec.format, columns)
    return NodeTable(rows)


def _node_pretty(doc: dict[str, Any]) -> str:
    """``node inspect --pretty``: the CLI's human-friendly summary of one node."""
    desc = doc.get("Description") or {}
    status = doc.get("Status") or {}
    spec = doc.get("Spec") or {}
    lines = [f"ID:\t\t\t{doc['ID']}"]
    if spec.get("Name"):
        lines.append(f"Name:\t\t\t{spec['Name']}")
    if spec.get("Labels"):
        lines.append("Labels:")
        lines += [f" - {k}={v}" for k, v in sorted(spec["Labels"].items())]
    lines += [
        f"Hostname:\t\t{desc.get('Hostname', '')}",
        f"Joined at:\t\t{GoTime(doc.get('CreatedAt'))}",
        "Status:",
        f" State:\t\t\t{pretty(status.get('State'))}",
        f" Availability:\t\t{pretty(spec.get('Availability'))}",
        f" Address:\t\t{status.get('Addr', '')}",
    ]
    manager = doc.get("ManagerStatus")
    if manager:
        lines += [
            "Manager Status:",
            f" Address:\t\t{manager.get('Addr', '')}",
            f" Raft Status:\t\t{pretty(manager.get('Reachability'))}",
            f" Leader:\t\t{'Yes' if manager.get('Leader') else 'No'}",
        ]
    platform = desc.get("Platform") or {}
    resources = desc.get("Resources") or {}
    lines += [
        "Platform:",
        f" Operating System:\t{platform.get('OS', '')}",
        f" Architecture:\t\t{platform.get('Architecture', '')}",
        "Resources:",
        f" CPUs:\t\t\t{int(resources.get('NanoCPUs', 0) / 1e9)}",
        f" Memory:\t\t{_binary(resources.get('MemoryBytes', 0))}",
        f"Engine Version:\t\t{(desc.get('Engine') or {}).get('EngineVersion', '')}",
    ]
    return "\n".join(lines)


def _binary(n: float) -> str:
    """go-units' BytesSize (binary units, up to four significant digits)."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.4g}{unit}"
        n /= 1024
    return f"{n:.4g}TiB"  # pragma: no cover


@perform.register
def _node_inspect(spec: NodeInspectSpec, session):
    docs = [engine.inspect_node(session.api, ref) for ref in spec.nodes]
    if spec.pretty and not spec.format:
        return Text("\n\n".join(_node_pretty(d) for d in docs))
    return inspected(docs, spec.nodes, spec.format)


def _update_node(api: Any, ref: str, change) -> dict[str, Any]:
    doc = engine.inspect_node(api, ref)
    new = dict(doc.get("Spec") or {})
    change(new)
    engine.update_node(api, doc["ID"], doc["Version"]["Index"], new)
    return doc


@perform.register
def _node_update(spec: NodeUpdateSpec, session):
    def change(node: dict[str, Any]) -> None:
        if spec.availability:
            node["Availability"] = spec.availability
        if spec.role:
            node["Role"] = spec.role
        labels = dict(node.get("Labels") or {})
        for key in spec.label_rm:
            labels.pop(key, None)
        labels.update(dict(spec.label_add))
        node["Labels"] = labels

    _update_node(session.api, spec.node, change)
    return Text(spec.node)


def _set_role(role: str):
    def change(node: dict[str, Any]) -> None:
        node["Role"] = role

    return change


def _change_roles(session, refs: tuple[str, ...], role: str, changed: str) -> Text:
    """Give each node ``role``; ``changed`` is the CLI's line for a node that changed (``{ref}``)."""
    lines = []
    for ref in refs:
        doc = engine.inspect_node(session.api, ref)
        if (doc.get("Spec") or {}).get("Role") == role:
            lines.append(f"Node {ref} is already a {role}.")
            continue
        _update_node(session.api, ref, _set_role(role))
        lines.append(changed.format(ref=ref))
    return Text("\n".join(lines))


@perform.register
def _promote(spec: NodePromoteSpec, session):
    return _change_roles(session, spec.nodes, "manager", "Node {ref} promoted to a manager in the swarm.")


@perform.register
def _demote(spec: NodeDemoteSpec, session):
    return _change_roles(session, spec.nodes, "worker", "Manager {ref} demoted in the swarm.")


@perform.register
def _node_rm(spec: NodeRmSpec, session):
    for ref in spec.nodes:
        engine.remove_node(session.api, ref, spec.force)
    return Text("\n".join(spec.nodes))


# -- tasks (node ps, service ps) -----------------------------------------------------------


def image_shown(image: str, trunc: bool = True) -> str:
    """An image as the CLI shows a task's or service's: without its digest when it has a tag."""
    if not trunc or "@" not in image:
        return image
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    return name if ":" in last else image


def _since(timestamp: str | None, now: float) -> str:
    from datetime import datetime

    if not timestamp:
        return "Less than a second"
    text = timestamp.rstrip("Z")
    whole, _, fraction = text.partition(".")
    seconds = datetime.fromisoformat(whole + "+00:00").timestamp() + float("0." + (fraction or "0")[:6])
    return human_duration(now - seconds).lower()


def task_rows(
    tasks: list[dict[str, Any]],
    service_names: dict[str, str],
    node_names: dict[str, str],
    trunc: bool = True,
    now: float | None = None,
) -> list[dict[str, Any]]:
    """Tasks as the CLI's task context, in its order: by name (service.slot, naturally), the newest
    of a slot first, the earlier ones of that slot indented under it."""
    now = time.time() if now is None else now
    named = []
    for t in tasks:
        service = service_names.get(t["ServiceID"], t["ServiceID"])
        name = f"{service}.{t['Slot']}" if t.get("Slot") else f"{service}.{t.get('NodeID', '')}"
        named.append((name, t))
    named.sort(key=lambda pair: pair[1].get("CreatedAt") or "", reverse=True)
    named.sort(key=lambda pair: natural_key(pair[0]))
    rows = []
    previous = ""
    for name, t in named:
        status = t.get("Status") or {}
        error = status.get("Err") or ""
        if trunc and len(error) > 30:
            error = error[:29] + "…"
        ports = (status.get("PortStatus") or {}).get("Ports") or []
        rows.append(
            {
                "ID": t["ID"][:12] if trunc else t["ID"],
                "Name": f" \\_ {name}" if name == previous else name,
                "Image": image_shown(
                    ((t.get("Spec") or {}).get("ContainerSpec") or {}).get("Image", ""), trunc
                ),
                "Node": node_names.get(t.get("NodeID", ""), t.get("NodeID", "")),
                "DesiredState": pretty(t.get("DesiredState")),
                "CurrentState": f"{pretty(status.get('State'))} {_since(status.get('Timestamp'), now)} ago",
                "Error": f'"{error}"' if error else "",
                "Ports": ",".join(
                    f"*:{p.get('PublishedPort')}->{p.get('TargetPort')}/{p.get('Protocol')}" for p in ports
                ),
            }
        )
        previous = name
    return rows


def listed_tasks(
    api: Any, filters: dict[str, list[str]], spec: Any, whole_quiet_ids: bool = False
) -> Text | Table:
    """The tasks ``filters`` select, as ``-q``, ``--format`` or the task table (names resolved
    unless ``--no-resolve``); ``whole_quiet_ids``: ``-q`` prints whole ids (``service ps`` does,
    ``node ps`` does not)."""
    tasks = service_engine.tasks(api, filters)
    if spec.no_resolve:
        services: dict[str, str] = {}
        nodes: dict[str, str] = {}
    else:
        services = {s["ID"]: s["Spec"]["Name"] for s in service_engine.listing(api, {}, status=False)}
        nodes = {
            n["ID"]: (n.get("Description") or {}).get("Hostname", n["ID"]) for n in engine.nodes(api, {})
        }
    rows = task_rows(tasks, services, nodes, trunc=not (spec.no_trunc or (spec.quiet and whole_quiet_ids)))
    if spec.quiet:
        return Text("\n".join(r["ID"] for r in rows))
    if spec.format:
        plain = (
            [{**r, "Name": r["Name"].removeprefix(" \\_ ")} for r in rows] if spec.format != "table" else rows
        )
        return formatted(plain, spec.format, TASK_COLUMNS)
    return TaskTable(rows)


def _merged_filters(spec: Any, key: str, values: list[str]) -> dict[str, list[str]]:
    filters = {k: list(v) for k, v in spec.filters}
    filters[key] = values
    return filters


@perform.register
def _node_ps(spec: NodePsSpec, session):
    api = session.api
    ids = [engine.inspect_node(api, ref)["ID"] for ref in (spec.nodes or ("self",))]
    return listed_tasks(api, _merged_filters(spec, "node", ids), spec)
