"""A stack file -> the Engine API bodies ``docker stack deploy`` sends: one ``ServiceSpec`` per
service (named ``STACK_SERVICE``) and one overlay network per network the services use.

The bodies are the CLI's, field for field (its ``cli/compose/convert``): the
``com.docker.stack.namespace`` label on services, their containers, networks and volumes, the
``com.docker.stack.image`` label, aliases with the service's own name last, networks sorted by
name, ports by published port, the environment sorted. ``extra_labels`` (the session's) are added
beside them, so the clean-up policy applies to stacks as to everything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .body import healthcheck, network_settings
from .model import Mount, NetworkDef, Project, Service
from .swarm_file import Deploy, Rollout, StackFile

NAMESPACE = "com.docker.stack.namespace"
IMAGE = "com.docker.stack.image"
DEFAULT_DRIVER = "overlay"


def scoped(namespace: str, name: str) -> str:
    return f"{namespace}_{name}"


def _labelled(namespace: str, labels: Any, extra: Mapping[str, str]) -> dict[str, str]:
    return {**dict(labels), **extra, NAMESPACE: namespace}


def used_networks(project: Project) -> list[NetworkDef]:
    """The networks some service is attached to, in the file's order."""
    keys = {a.network for s in project.services for a in s.networks}
    return [n for n in project.networks if n.key in keys]


def network_bodies(
    project: Project, namespace: str, extra_labels: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    """``POST /networks/create`` bodies by name (``STACK_KEY``, or the ``name:`` written), for the
    stack's own networks (not the external ones)."""
    out: dict[str, dict[str, Any]] = {}
    for net in used_networks(project):
        if net.external:
            continue
        out[net.name] = {
            "Labels": _labelled(namespace, net.labels, extra_labels),
            "Driver": net.driver or DEFAULT_DRIVER,
            **network_settings(net),
        }
    return out


def external_networks(project: Project) -> list[str]:
    return [n.name for n in used_networks(project) if n.external]


def _mount(project: Project, namespace: str, m: Mount, extra: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"Type": m.type, "Target": m.target}
    if m.type == "volume" and m.source:
        volume = project.volume(m.source)
        out["Source"] = volume.name  # STACK_KEY, or the name: written
        options: dict[str, Any] = {}
        if m.nocopy:
            options["NoCopy"] = True
        if not volume.external:
            options["Labels"] = _labelled(namespace, volume.labels, extra)
            if volume.driver or volume.driver_opts:
                options["DriverConfig"] = {"Name": volume.driver or "", "Options": dict(volume.driver_opts)}
        out["VolumeOptions"] = options
    elif m.type == "bind":
        out["Source"] = m.source
    if m.read_only:
        out["ReadOnly"] = True
    if m.type == "tmpfs" and m.options_written:
        out["TmpfsOptions"] = {"SizeBytes": m.tmpfs_size} if m.tmpfs_size else {}
    return out


def _rollout(config: Rollout | None) -> dict[str, Any] | None:
    if config is None:
        return None
    given = {
        "Delay": config.delay,
        "FailureAction": config.failure_action,
        "Monitor": config.monitor,
        "MaxFailureRatio": config.max_failure_ratio,
        "Order": config.order,
    }
    return {"Parallelism": config.parallelism, **{key: value for key, value in given.items() if value}}


def _restart_policy(restart: str, deploy: Deploy) -> dict[str, Any] | None:
    """``deploy.restart_policy``; without it the service's ``restart:`` as the CLI reads it (``no``:
    none sent, so the engine's default, ``any``)."""
    policy = deploy.restart_policy
    if policy is not None:
        out: dict[str, Any] = {}
        if policy.condition:
            out["Condition"] = policy.condition
        if policy.delay is not None:
            out["Delay"] = policy.delay
        if policy.max_attempts is not None:
            out["MaxAttempts"] = policy.max_attempts
        if policy.window is not None:
            out["Window"] = policy.window
        return out
    if restart in ("always", "unless-stopped"):
        return {"Condition": "any"}
    if restart.startswith("on-failure"):
        _, _, count = restart.partition(":")
        return {"Condition": "on-failure", "MaxAttempts": int(count or 0)}
    return None


def _ports(service: Service, deploy: Deploy) -> list[dict[str, Any]]:
    host = set(deploy.host_ports)
    out = []
    for p in service.ports:
        published = int(p.published) if p.published.isdigit() else 0
        mode = "host" if (p.target, p.published, p.protocol) in host else "ingress"
        port: dict[str, Any] = {"Protocol": p.protocol, "TargetPort": p.target, "PublishMode": mode}
        if published:
            port["PublishedPort"] = published
        out.append(port)
    return sorted(out, key=lambda port: port.get("PublishedPort", 0))


def service_spec(
    stack: StackFile, service: Service, namespace: str, extra_labels: Mapping[str, str]
) -> dict[str, Any]:
    """The ``ServiceSpec`` of one service."""
    project = stack.project
    deploy = stack.deploys.get(service.name, Deploy())
    image = service.image or ""
    container: dict[str, Any] = {
        "Image": image,
        "Labels": _labelled(namespace, service.labels, extra_labels),
        "Privileges": {"CredentialSpec": None, "SELinuxContext": None},
    }
    optional = {
        "Command": list(service.entrypoint) if service.entrypoint is not None else None,
        "Args": list(service.command) if service.command is not None else None,
        "Hostname": service.hostname,
        "Env": sorted(f"{k}={v}" for k, v in service.environment) or None,
        "Dir": service.working_dir,
        "User": service.user,
        "Mounts": [_mount(project, namespace, m, extra_labels) for m in service.volumes] or None,
        "Healthcheck": healthcheck(service),
    }
    container.update({k: v for k, v in optional.items() if v})
    placement: dict[str, Any] = {}
    if deploy.constraints:
        placement["Constraints"] = list(deploy.constraints)
    if deploy.preferences:
        placement["Preferences"] = [{"Spread": {"SpreadDescriptor": p}} for p in deploy.preferences]
    if deploy.max_replicas_per_node:
        placement["MaxReplicas"] = deploy.max_replicas_per_node
    resources: dict[str, Any] = {}
    if deploy.limits:
        resources["Limits"] = dict(deploy.limits)
    if deploy.reservations:
        resources["Reservations"] = dict(deploy.reservations)
    networks: list[dict[str, Any]] = sorted(
        (
            {"Target": project.network(a.network).name, "Aliases": [*a.aliases, service.name]}
            for a in service.networks
        ),
        key=lambda n: str(n["Target"]),
    )
    task: dict[str, Any] = {
        "ContainerSpec": container,
        "Resources": resources,
        "Placement": placement,
        "Networks": networks,
    }
    restart = _restart_policy(stack.restarts.get(service.name, ""), deploy)
    if restart is not None:
        task["RestartPolicy"] = restart
    endpoint: dict[str, Any] = {}
    if deploy.endpoint_mode:
        endpoint["Mode"] = deploy.endpoint_mode
    ports = _ports(service, deploy)
    if ports:
        endpoint["Ports"] = ports
    mode: dict[str, Any] = (
        {"Global": {}}
        if deploy.mode == "global"
        else {"Replicated": {"Replicas": deploy.replicas} if deploy.replicas is not None else {}}
    )
    spec: dict[str, Any] = {
        "Name": scoped(namespace, service.name),
        "Labels": {**_labelled(namespace, deploy.labels, extra_labels), IMAGE: image},
        "TaskTemplate": task,
        "Mode": mode,
        "EndpointSpec": endpoint,
    }
    for key, config in (("UpdateConfig", deploy.update_config), ("RollbackConfig", deploy.rollback_config)):
        body = _rollout(config)
        if body is not None:
            spec[key] = body
    return spec


def service_specs(
    stack: StackFile, namespace: str, extra_labels: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    """Every service's ``ServiceSpec``, by its name on the swarm."""
    return {
        scoped(namespace, s.name): service_spec(stack, s, namespace, extra_labels)
        for s in stack.project.services
    }
