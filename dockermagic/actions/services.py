"""service create/ls/ps/inspect/logs/scale/update/rollback/rm: spec -> engine -> view or handle.

``create``, ``update``, ``scale`` and ``rollback`` wait, unless ``-d``, until the service has
converged, as the CLI does, showing each slot's task; an interrupt stops the waiting, never the
service, and says so.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..commands.services import (
    ServiceCreateSpec,
    ServiceInspectSpec,
    ServiceLogsSpec,
    ServiceLsSpec,
    ServicePsSpec,
    ServiceRmSpec,
    ServiceRollbackSpec,
    ServiceScaleSpec,
    ServiceSettings,
    ServiceUpdateSpec,
)
from ..engine import services as engine
from ..engine import swarm as swarm_engine
from ..engine.logs import STDERR, STDOUT
from ..errors import CommandError, DockerMagicError
from ..objects.service import Service
from ..parsing.keyvalue import env_entry, read_env_file
from ..views.base import Text
from ..views.logs import LogBuffer, LogsView
from ..views.services import SERVICE_COLUMNS, Convergence, ServiceTable
from ..views.widgets import Live
from . import perform
from .background import Background
from .inspect import inspected
from .listing import formatted, natural_key
from .logs import followed
from .swarm import image_shown, listed_tasks, pretty

SECOND = 1_000_000_000
# swarmkit's defaults, which the CLI sends once any flag of the group is given
UPDATE_DEFAULTS = {
    "Parallelism": 1,
    "FailureAction": "pause",
    "Monitor": 5 * SECOND,
    "MaxFailureRatio": 0,
    "Order": "stop-first",
}
RESTART_DEFAULTS = {"Condition": "any", "Delay": 5 * SECOND, "MaxAttempts": 0}


# -- the ServiceSpec the CLI sends -------------------------------------------------------------


def _given(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    return {k: v for k, v in pairs if v is not None}


def _over(
    current: dict[str, Any] | None, defaults: dict[str, Any], changes: dict[str, Any]
) -> dict[str, Any] | None:
    """A group's flags over its current value (else over ``defaults``); the current one when no flag
    of the group is given, so that update leaves it as it is."""
    if not changes:
        return current
    return {**(current or defaults), **changes}


def _rollout(spec: ServiceSettings, prefix: str, current: dict[str, Any] | None) -> dict[str, Any] | None:
    """``UpdateConfig``/``RollbackConfig``: None unless a flag of the group is given (then the
    current one, else swarm's defaults, with the flags over it)."""
    changes = _given(
        (key, getattr(spec, f"{prefix}_{field}"))
        for key, field in (
            ("Parallelism", "parallelism"),
            ("Delay", "delay"),
            ("Monitor", "monitor"),
            ("FailureAction", "failure_action"),
            ("MaxFailureRatio", "max_failure_ratio"),
            ("Order", "order"),
        )
    )
    return _over(current, UPDATE_DEFAULTS, changes)


def _restart(spec: ServiceSettings, current: dict[str, Any] | None) -> dict[str, Any] | None:
    changes = _given(
        [
            ("Condition", spec.restart_condition),
            ("Delay", spec.restart_delay),
            ("MaxAttempts", spec.restart_max_attempts),
            ("Window", spec.restart_window),
        ]
    )
    return _over(current, RESTART_DEFAULTS, changes)


def _healthcheck(spec: ServiceSettings, current: dict[str, Any] | None) -> dict[str, Any] | None:
    if spec.no_healthcheck:
        return {"Test": ["NONE"]}
    changes = _given(
        [
            ("Test", ["CMD-SHELL", spec.health_cmd] if spec.health_cmd else None),
            ("Interval", spec.health_interval),
            ("Timeout", spec.health_timeout),
            ("Retries", spec.health_retries),
            ("StartPeriod", spec.health_start_period),
        ]
    )
    return _over(current, {}, changes)


def _resources(spec: ServiceSettings, current: dict[str, Any] | None) -> dict[str, Any]:
    current = current or {}
    limits = {
        **(current.get("Limits") or {}),
        **_given(
            [("NanoCPUs", spec.limit_cpu), ("MemoryBytes", spec.limit_memory), ("Pids", spec.limit_pids)]
        ),
    }
    reservations = {
        **(current.get("Reservations") or {}),
        **_given([("NanoCPUs", spec.reserve_cpu), ("MemoryBytes", spec.reserve_memory)]),
    }
    return {"Limits": limits, "Reservations": reservations}


def _container_settings(spec: ServiceSettings, container: dict[str, Any]) -> None:
    """What the shared options set on ``ContainerSpec`` (in place)."""
    container.update(
        _given(
            [
                ("Command", list(spec.entrypoint) if spec.entrypoint is not None else None),
                ("Hostname", spec.hostname),
                ("User", spec.user),
                ("Dir", spec.workdir),
                ("StopSignal", spec.stop_signal),
                ("StopGracePeriod", spec.stop_grace_period),
            ]
        )
    )
    for key, on in (("TTY", spec.tty), ("ReadOnly", spec.read_only), ("Init", spec.init)):
        if on:
            container[key] = True
    if spec.cap_add:
        container["CapabilityAdd"] = sorted({*(container.get("CapabilityAdd") or []), *spec.cap_add})
    if spec.cap_drop:
        container["CapabilityDrop"] = sorted({*(container.get("CapabilityDrop") or []), *spec.cap_drop})
    health = _healthcheck(spec, container.get("Healthcheck"))
    if health is not None:
        container["Healthcheck"] = health


def _task_settings(spec: ServiceSettings, task: dict[str, Any]) -> None:
    """What the shared options set on ``TaskTemplate`` (in place)."""
    task["Resources"] = _resources(spec, task.get("Resources"))
    restart = _restart(spec, task.get("RestartPolicy"))
    if restart is not None:
        task["RestartPolicy"] = restart
    if spec.log_driver is not None or spec.log_opt:
        log = dict(task.get("LogDriver") or {})
        if spec.log_driver is not None:
            log["Name"] = spec.log_driver
        log["Options"] = {**(log.get("Options") or {}), **dict(spec.log_opt)}
        task["LogDriver"] = log
    if spec.replicas_max_per_node is not None:
        task.setdefault("Placement", {})["MaxReplicas"] = spec.replicas_max_per_node


def _service_settings(spec: ServiceSettings, service: dict[str, Any]) -> None:
    """What the shared options set on the service itself (in place)."""
    for key, prefix in (("UpdateConfig", "update"), ("RollbackConfig", "rollback")):
        rollout = _rollout(spec, prefix, service.get(key))
        if rollout is not None:
            service[key] = rollout
    if spec.endpoint_mode is not None:
        service.setdefault("EndpointSpec", {})["Mode"] = spec.endpoint_mode


def _env(entries: Iterable[str], files: Iterable[str]) -> list[str]:
    found: list[str] = []
    for path in files:
        found += read_env_file(os.path.expanduser(path))
    for entry in entries:
        found += env_entry(entry)
    return found


def _mode(spec: ServiceCreateSpec) -> dict[str, Any]:
    if spec.mode == "global":
        return {"Global": {}}
    if spec.mode == "global-job":
        return {"GlobalJob": {}}
    if spec.mode == "replicated-job":
        job: dict[str, Any] = _given(
            [("TotalCompletions", spec.replicas), ("MaxConcurrent", spec.max_concurrent)]
        )
        return {"ReplicatedJob": job}
    return {"Replicated": _given([("Replicas", spec.replicas)])}


def create_body(spec: ServiceCreateSpec, labels: dict[str, str]) -> dict[str, Any]:
    """``POST /services/create``'s ServiceSpec for the line, as the CLI builds it."""
    container: dict[str, Any] = {
        "Image": spec.image,
        "Labels": dict(spec.container_labels),
        "Env": _env(spec.env, spec.env_files),
        "Mounts": list(spec.mounts),
    }
    if spec.args:
        container["Args"] = list(spec.args)
    if spec.groups:
        container["Groups"] = list(spec.groups)
    if spec.hosts:
        container["Hosts"] = [f"{ip} {host}" for host, _, ip in (h.partition(":") for h in spec.hosts)]
    if spec.dns or spec.dns_options or spec.dns_search:
        container["DNSConfig"] = {
            "Nameservers": list(spec.dns),
            "Search": list(spec.dns_search),
            "Options": list(spec.dns_options),
        }
    if spec.sysctls:
        container["Sysctls"] = dict(spec.sysctls)
    if spec.ulimits:
        container["Ulimits"] = list(spec.ulimits)
    _container_settings(spec, container)
    task: dict[str, Any] = {
        "ContainerSpec": container,
        "Placement": {},
        "Networks": [dict(n) for n in spec.networks],
    }
    if spec.constraints:
        task["Placement"]["Constraints"] = list(spec.constraints)
    if spec.placement_prefs:
        task["Placement"]["Preferences"] = list(spec.placement_prefs)
    _task_settings(spec, task)
    body: dict[str, Any] = {
        "Labels": labels,
        "TaskTemplate": task,
        "Mode": _mode(spec),
        "EndpointSpec": {"Mode": spec.endpoint_mode or "vip", "Ports": list(spec.publish)},
    }
    if spec.name:
        body["Name"] = spec.name
    _service_settings(spec, body)
    if spec.max_concurrent is not None and spec.mode != "replicated-job":
        raise CommandError("--max-concurrent is for --mode replicated-job only.")
    return body


# -- update --------------------------------------------------------------------------------


def _removed(items: list[Any], keys: Iterable[Any], key: Callable[[Any], Any]) -> list[Any]:
    gone = set(keys)
    return [item for item in items if key(item) not in gone]


def _env_name(entry: str) -> str:
    return entry.partition("=")[0]


def _port_key(p: dict[str, Any]) -> tuple[Any, ...]:
    return (p.get("TargetPort"), p.get("Protocol", "tcp"))


def updated_spec(spec: ServiceUpdateSpec, current: dict[str, Any]) -> dict[str, Any]:
    """The service's whole new spec: ``current`` with the line's changes, as the CLI merges them."""
    import copy

    new = copy.deepcopy(current)
    task = new.setdefault("TaskTemplate", {})
    container = task.setdefault("ContainerSpec", {})
    if spec.image is not None:
        container["Image"] = spec.image
    if spec.args is not None:
        container["Args"] = list(spec.args)
    env = _removed(list(container.get("Env") or []), spec.env_rm, _env_name)
    added = _env(spec.env_add, ())
    env = _removed(env, map(_env_name, added), _env_name) + added
    container["Env"] = env
    labels = {k: v for k, v in (container.get("Labels") or {}).items() if k not in spec.container_label_rm}
    container["Labels"] = {**labels, **dict(spec.container_label_add)}
    mounts = _removed(list(container.get("Mounts") or []), spec.mount_rm, lambda m: m.get("Target"))
    mounts = _removed(mounts, [m["Target"] for m in spec.mount_add], lambda m: m.get("Target"))
    container["Mounts"] = mounts + list(spec.mount_add)
    if spec.group_add or spec.group_rm:
        groups = [g for g in container.get("Groups") or [] if g not in spec.group_rm]
        container["Groups"] = groups + [g for g in spec.group_add if g not in groups]
    if spec.host_add or spec.host_rm:
        hosts = [
            h
            for h in container.get("Hosts") or []
            if h.split(" ", 1)[-1] not in {r.split(":")[0] for r in spec.host_rm}
        ]
        container["Hosts"] = hosts + [
            f"{ip} {host}" for host, _, ip in (h.partition(":") for h in spec.host_add)
        ]
    if (
        spec.dns_add
        or spec.dns_rm
        or spec.dns_option_add
        or spec.dns_option_rm
        or spec.dns_search_add
        or spec.dns_search_rm
    ):
        dns = dict(container.get("DNSConfig") or {})
        for key, add, rm in (
            ("Nameservers", spec.dns_add, spec.dns_rm),
            ("Options", spec.dns_option_add, spec.dns_option_rm),
            ("Search", spec.dns_search_add, spec.dns_search_rm),
        ):
            kept = [v for v in dns.get(key) or [] if v not in rm]
            dns[key] = kept + [v for v in add if v not in kept]
        container["DNSConfig"] = dns
    if spec.sysctl_add or spec.sysctl_rm:
        sysctls = {k: v for k, v in (container.get("Sysctls") or {}).items() if k not in spec.sysctl_rm}
        container["Sysctls"] = {**sysctls, **dict(spec.sysctl_add)}
    if spec.ulimit_add or spec.ulimit_rm:
        gone = set(spec.ulimit_rm) | {u["Name"] for u in spec.ulimit_add}
        container["Ulimits"] = [u for u in container.get("Ulimits") or [] if u["Name"] not in gone] + list(
            spec.ulimit_add
        )
    _container_settings(spec, container)
    placement = task.setdefault("Placement", {})
    if spec.constraint_add or spec.constraint_rm:
        kept = [c for c in placement.get("Constraints") or [] if c not in spec.constraint_rm]
        placement["Constraints"] = kept + [c for c in spec.constraint_add if c not in kept]
    if spec.placement_pref_add or spec.placement_pref_rm:
        kept = [p for p in placement.get("Preferences") or [] if p not in spec.placement_pref_rm]
        placement["Preferences"] = kept + [p for p in spec.placement_pref_add if p not in kept]
    if spec.network_add or spec.network_rm:
        nets = [n for n in task.get("Networks") or [] if n.get("Target") not in spec.network_rm]
        task["Networks"] = nets + [dict(n) for n in spec.network_add]
    _task_settings(spec, task)
    if spec.force:
        task["ForceUpdate"] = int(task.get("ForceUpdate") or 0) + 1
    labels = {k: v for k, v in (new.get("Labels") or {}).items() if k not in spec.label_rm}
    new["Labels"] = {**labels, **dict(spec.label_add)}
    if spec.replicas is not None:
        mode = new.get("Mode") or {}
        if "Replicated" in mode:
            mode["Replicated"]["Replicas"] = spec.replicas
        elif "ReplicatedJob" in mode:
            mode["ReplicatedJob"]["TotalCompletions"] = spec.replicas
        else:
            raise CommandError("--replicas can only be used with replicated or replicated-job mode.")
    if spec.max_concurrent is not None:
        if "ReplicatedJob" not in (new.get("Mode") or {}):
            raise CommandError("--max-concurrent is for --mode replicated-job only.")
        new["Mode"]["ReplicatedJob"]["MaxConcurrent"] = spec.max_concurrent
    if spec.publish_add or spec.publish_rm:
        endpoint = new.setdefault("EndpointSpec", {"Mode": "vip"})
        gone = {_port_key(p) for p in (*spec.publish_rm, *spec.publish_add)}
        endpoint["Ports"] = [p for p in endpoint.get("Ports") or [] if _port_key(p) not in gone] + list(
            spec.publish_add
        )
    _service_settings(spec, new)
    return new


# -- waiting for convergence -----------------------------------------------------------------

INTERRUPTED = (
    "Stopped waiting (interrupted): the service goes on converging on the swarm; "
    "%docker service ps {0} shows its tasks."
)
POLL = 0.5


def _desired(service: dict[str, Any], api: Any) -> int:
    mode = service["Spec"].get("Mode") or {}
    if "Replicated" in mode:
        return int(mode["Replicated"].get("Replicas", 1))
    nodes = swarm_engine.nodes(api, {})
    return sum(
        1
        for n in nodes
        if (n.get("Spec") or {}).get("Availability") == "active"
        and (n.get("Status") or {}).get("State") == "ready"
    )


def converge(session: Any, service_id: str, timeout: float | None = None) -> Convergence:
    """Wait until every task of the service's current spec runs and its update (if any) is done.

    Each slot's state is a line when it changes (a terminal) or a live display (a notebook). An
    interrupt ends the waiting with a line saying the service goes on; an update the swarm
    paused, or no convergence within ``timeout`` (``wait_timeout``), is one error line with the
    tasks' last error.
    """
    api = session.api
    service = engine.inspect(api, service_id)
    name = service["Spec"]["Name"]
    view = Convergence(name)
    live = Live(view)
    limit = timeout if timeout is not None else float(getattr(session.settings, "wait_timeout", 120.0))
    deadline = time.monotonic() + limit
    steady_since: float | None = None
    shown: dict[str, tuple[str, str]] = {}

    def show() -> None:
        if live.active:
            live.update()
            return
        for slot in view.slots:
            if shown.get(slot) != view.slots[slot]:
                shown[slot] = view.slots[slot]
                session.out(view.line(slot) + "\n")

    try:
        while True:
            service = engine.inspect(api, service_id)
            view.desired = _desired(service, api)
            tasks = engine.tasks(api, {"service": [service_id], "_up-to-date": ["true"]})
            latest: dict[str, dict[str, Any]] = {}
            for t in sorted(tasks, key=lambda t: t.get("CreatedAt") or ""):
                slot = str(t["Slot"]) if t.get("Slot") else t.get("NodeID", "")
                if t.get("DesiredState") in ("running", "complete") or slot not in latest:
                    latest[slot] = t
            view.slots = {
                (f"{slot}/{view.desired}" if slot.isdigit() else slot[:12]): (
                    str((t.get("Status") or {}).get("State", "")),
                    str((t.get("Status") or {}).get("Err", "")),
                )
                for slot, t in sorted(latest.items(), key=lambda kv: natural_key(kv[0]))
                if not (slot.isdigit() and int(slot) > view.desired)
            }
            show()
            update = (service.get("UpdateStatus") or {}).get("State", "")
            if update in ("paused", "rollback_paused"):
                message = (service.get("UpdateStatus") or {}).get("Message", "")
                raise DockerMagicError(f"service {name}: update {update.replace('_', ' ')}: {message}")
            done = view.running >= view.desired and update in ("", "completed", "rollback_completed")
            if done and len(view.slots) >= view.desired:
                steady_since = steady_since or time.monotonic()
                if time.monotonic() - steady_since >= 1.0:  # still running a second later
                    break
            else:
                steady_since = None
            if time.monotonic() > deadline:
                errors = {e for _, e in view.slots.values() if e}
                raise DockerMagicError(
                    f"service {name} did not converge within {limit:g} s ({view.running} of {view.desired} "
                    f"tasks running{'; ' + '; '.join(sorted(errors)) if errors else ''}): it goes on trying; "
                    f"%docker service ps {name} shows why, %config DockerMagics.wait_timeout sets the limit."
                )
            time.sleep(POLL)
    except KeyboardInterrupt:
        view.note = INTERRUPTED.format(name)
        live.clear()
        session.out(view.note + "\n")
        return view
    view.note = "verify: Service converged"
    live.clear()
    if not live.active:
        session.out(view.note + "\n")
    return view


# -- handlers ------------------------------------------------------------------------------


@perform.register
def _create(spec: ServiceCreateSpec, session):
    api = session.api
    answer = engine.create(api, create_body(spec, session.labels(dict(spec.labels))))
    for warning in answer.get("Warnings") or []:
        session.err(f"WARNING: {warning}\n")
    handle = Service(session, answer["ID"])
    if not spec.detach and spec.mode in ("replicated", "global"):
        if not spec.quiet:
            session.out(f"{handle.id}\n")
        converge(session, handle.id)
    return handle.reload()


def _update_and_wait(
    session: Any, ref: str, change, detach: bool, quiet: bool, rollback: bool = False
) -> Service:
    api = session.api
    current = engine.inspect(api, ref)
    new = change(current["Spec"]) if change else current["Spec"]
    warnings = engine.update(api, current["ID"], current["Version"]["Index"], new, rollback=rollback)
    for warning in warnings:
        session.err(f"WARNING: {warning}\n")
    handle = Service(session, current["ID"])
    mode = new.get("Mode") or {}
    if not detach and ("Replicated" in mode or "Global" in mode):
        if not quiet:
            session.out(f"{ref}\n")
        converge(session, current["ID"])
    return handle.reload()


@perform.register
def _update(spec: ServiceUpdateSpec, session):
    change = None if spec.rollback else (lambda current: updated_spec(spec, current))
    return _update_and_wait(session, spec.service, change, spec.detach, spec.quiet, rollback=spec.rollback)


@perform.register
def _rollback(spec: ServiceRollbackSpec, session):
    handle = _update_and_wait(session, spec.service, None, spec.detach, spec.quiet, rollback=True)
    return handle


def scaled(spec: dict[str, Any], replicas: int, name: str) -> dict[str, Any]:
    mode = dict(spec.get("Mode") or {})
    if "Replicated" in mode:
        mode["Replicated"] = {**mode["Replicated"], "Replicas": replicas}
    elif "ReplicatedJob" in mode:
        mode["ReplicatedJob"] = {**mode["ReplicatedJob"], "TotalCompletions": replicas}
    else:
        raise CommandError(f"{name}: scale can only be used with replicated or replicated-job mode.")
    return {**spec, "Mode": mode}


@perform.register
def _scale(spec: ServiceScaleSpec, session):
    api = session.api
    lines = []
    changed = []
    for name, replicas in spec.targets:
        current = engine.inspect(api, name)
        engine.update(
            api, current["ID"], current["Version"]["Index"], scaled(current["Spec"], replicas, name)
        )
        lines.append(f"{name} scaled to {replicas}")
        changed.append(current["ID"])
    session.out("\n".join(lines) + "\n")
    if not spec.detach:
        for service_id in changed:
            converge(session, service_id)
    return Text("")


@perform.register
def _rm(spec: ServiceRmSpec, session):
    for ref in spec.services:
        engine.remove(session.api, ref)
    return Text("\n".join(spec.services))


# -- ls, ps, inspect -----------------------------------------------------------------------


def ports_shown(ports: list[dict[str, Any]]) -> str:
    """The routing mesh's published ports as the CLI's service ls shows them (ranges folded)."""
    mesh = sorted(
        (p for p in ports if p.get("PublishMode", "ingress") == "ingress"),
        key=lambda p: (p.get("Protocol", "tcp"), p.get("TargetPort", 0), p.get("PublishedPort", 0)),
    )
    items: list[str] = []
    run: list[dict[str, Any]] = []

    def flush() -> None:
        if not run:
            return
        first, last = run[0], run[-1]
        if len(run) == 1:
            items.append(f"*:{first['PublishedPort']}->{first['TargetPort']}/{first['Protocol']}")
        else:
            items.append(
                f"*:{first['PublishedPort']}-{last['PublishedPort']}->"
                f"{first['TargetPort']}-{last['TargetPort']}/{first['Protocol']}"
            )

    for p in mesh:
        if (
            run
            and p.get("Protocol") == run[-1].get("Protocol")
            and p.get("TargetPort") == run[-1].get("TargetPort", 0) + 1
            and p.get("PublishedPort") == run[-1].get("PublishedPort", 0) + 1
        ):
            run.append(p)
            continue
        flush()
        run = [p]
    flush()
    return ", ".join(items)


def service_rows(services: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``GET /services?status=true`` as the CLI's service ls context, by name."""
    rows = []
    for s in services:
        spec = s["Spec"]
        mode = spec.get("Mode") or {}
        status = s.get("ServiceStatus") or {}
        running, desired = status.get("RunningTasks", 0), status.get("DesiredTasks", 0)
        kind = next(iter(mode), "Replicated")
        word = {
            "Replicated": "replicated",
            "Global": "global",
            "ReplicatedJob": "replicated job",
            "GlobalJob": "global job",
        }[kind]
        replicas = f"{running}/{desired}"
        most = ((spec.get("TaskTemplate") or {}).get("Placement") or {}).get("MaxReplicas")
        if most and kind == "Replicated":
            replicas += f" (max {most} per node)"
        if kind in ("ReplicatedJob", "GlobalJob"):
            done = status.get("CompletedTasks", 0)
            total = mode["ReplicatedJob"].get("TotalCompletions", 1) if kind == "ReplicatedJob" else desired
            replicas += f" ({done}/{total} completed)"
        rows.append(
            {
                "ID": s["ID"][:12],
                "Name": spec.get("Name", ""),
                "Mode": word,
                "Replicas": replicas,
                "Image": image_shown(
                    ((spec.get("TaskTemplate") or {}).get("ContainerSpec") or {}).get("Image", "")
                ),
                "Ports": ports_shown((s.get("Endpoint") or {}).get("Ports") or []),
            }
        )
    return sorted(rows, key=lambda r: natural_key(r["Name"]))


def service_listing(rows: list[dict[str, Any]], quiet: bool, format: str | None):
    """Service rows as ``service ls`` and ``stack services`` show them: IDs, a template, or the table."""
    if quiet:
        return Text("\n".join(r["ID"] for r in rows))
    if format:
        return formatted(rows, format, SERVICE_COLUMNS)
    return ServiceTable(rows)


@perform.register
def _ls(spec: ServiceLsSpec, session):
    rows = service_rows(engine.listing(session.api, dict(spec.filters)))
    return service_listing(rows, spec.quiet, spec.format)


@perform.register
def _ps(spec: ServicePsSpec, session):
    api = session.api
    ids = [engine.inspect(api, ref)["ID"] for ref in spec.services]
    filters = {k: list(v) for k, v in spec.filters}
    filters["service"] = ids
    return listed_tasks(api, filters, spec, whole_quiet_ids=True)


def _service_pretty(doc: dict[str, Any]) -> str:
    """``service inspect --pretty``: the CLI's human-friendly summary of one service (its main parts)."""
    spec = doc["Spec"]
    task = spec.get("TaskTemplate") or {}
    container = task.get("ContainerSpec") or {}
    mode = spec.get("Mode") or {}
    lines = [f"ID:\t\t{doc['ID']}", f"Name:\t\t{spec.get('Name', '')}"]
    if spec.get("Labels"):
        lines.append("Labels:")
        lines += [f" {k}={v}" for k, v in sorted(spec["Labels"].items())]
    lines.append("Service Mode:\t" + pretty(next(iter(mode), "Replicated")))
    if "Replicated" in mode:
        lines.append(f" Replicas:\t{mode['Replicated'].get('Replicas', 1)}")
    placement = task.get("Placement") or {}
    if placement.get("Constraints"):
        lines.append("Placement:")
        lines.append(f" Constraints:\t{placement['Constraints']}")
    lines.append("ContainerSpec:")
    lines.append(f" Image:\t\t{container.get('Image', '')}")
    if container.get("Args"):
        lines.append(f" Args:\t\t{' '.join(container['Args'])}")
    if container.get("Env"):
        lines.append(f" Env:\t\t{' '.join(container['Env'])}")
    ports = (spec.get("EndpointSpec") or {}).get("Ports") or []
    lines.append(f"Endpoint Mode:\t{(spec.get('EndpointSpec') or {}).get('Mode', 'vip')}")
    if ports:
        lines.append("Ports:")
        for p in ports:
            lines += [
                f" PublishedPort = {p.get('PublishedPort', 0)}",
                f"  Protocol = {p.get('Protocol', 'tcp')}",
                f"  TargetPort = {p.get('TargetPort', 0)}",
                f"  PublishMode = {p.get('PublishMode', 'ingress')}",
            ]
    return "\n".join(lines)


@perform.register
def _inspect(spec: ServiceInspectSpec, session):
    docs = [engine.inspect(session.api, ref) for ref in spec.services]
    if spec.pretty and not spec.format:
        from ..secrets import mask_doc

        return Text("\n\n".join(_service_pretty(mask_doc(d)) for d in docs))
    return inspected(docs, spec.services, spec.format)


# -- logs ----------------------------------------------------------------------------------


def log_prefixes(api: Any, ref: str, spec: ServiceLogsSpec) -> Callable[[dict[str, str]], str]:
    """``name.slot.task@node    |``, as the CLI prefixes each line, cached per task."""
    cache: dict[str, str] = {}
    try:
        service = engine.inspect(api, ref)
        replicas = ((service["Spec"].get("Mode") or {}).get("Replicated") or {}).get("Replicas", 0)
    except DockerMagicError:
        replicas = 0
    padding = len(str(replicas)) if replicas else 0

    def prefix(details: dict[str, str]) -> str:
        task_id = details.get("com.docker.swarm.task.id", "")
        if task_id not in cache:
            task = engine.inspect_task(api, task_id)
            if spec.no_resolve:
                service_name, node = task["ServiceID"], task.get("NodeID", "")
            else:
                service_name = engine.inspect(api, task["ServiceID"])["Spec"]["Name"]
                node_doc = swarm_engine.inspect_node(api, task.get("NodeID", ""))
                node = (node_doc.get("Description") or {}).get("Hostname", node_doc["ID"])
            slot = task.get("Slot") or 0
            name = f"{service_name}.{slot}" if slot else f"{service_name}.{task.get('NodeID', '')}"
            if not spec.no_task_ids:
                name += "." + (task_id if spec.no_trunc else task_id[:12])
            cache[task_id] = f"{name}@{node}{' ' * max(0, padding - len(str(slot)))}    |"
        return cache[task_id]

    return prefix


def log_batches(
    api: Any, spec: ServiceLogsSpec, on_open: Callable[[Callable[[], None]], Any]
) -> Iterator[tuple[int, list[str]]]:
    """The service's log lines, formatted as the CLI prints them, one batch per line."""
    prefix = log_prefixes(api, spec.service, spec)
    for stream, details, stamp, text in engine.logs(
        api,
        spec.service,
        follow=spec.follow,
        tail=str(spec.tail),
        since=spec.since,
        timestamps=spec.timestamps,
        on_open=on_open,
    ):
        if spec.raw:
            line = text
        else:
            extra = ",".join(f"{k}={v}" for k, v in details.items() if not k.startswith("com.docker.swarm."))
            line = f"{prefix(details)} {extra + ' ' if spec.details and extra else ''}{text}"
        yield (STDERR if stream == 2 else STDOUT), [f"{stamp} {line}" if stamp else line]


@perform.register
def _logs(spec: ServiceLogsSpec, session):
    api = session.api
    buffer = LogBuffer()
    if not spec.follow:
        reader = log_batches(api, spec, lambda close: None)
        for stream, lines in reader:
            buffer.extend(stream, lines)
        buffer.close()
        return LogsView(buffer, spec.service)
    batches = Background(lambda on_open: log_batches(api, spec, on_open))
    view = LogsView(buffer, spec.service, following=True)
    return followed(session, view, batches, buffer, ended="the service's logs ended")
