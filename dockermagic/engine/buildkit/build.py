"""``POST /build?version=2``: a BuildKit build whose files come from a session.

The session must be open first (``Session``); the build names it with
``session=`` and ``remote=client-session``, and the Dockerfile frontend asks it
for the locals ``context`` and ``dockerfile``. The answer is a JSON stream of
``moby.buildkit.trace`` records (progress, decoded by ``Graph``), then
``moby.image.id`` with the image's id. An interrupt closes the request and
asks the engine to cancel the build by its ``buildid``.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from ...errors import BuildFailed
from .. import images
from ..build import BuildOptions, _params, _quiet_notices, read_events, stopped
from ..errors import call
from ..pruning import when_free
from .progress import Graph

TRACE, IMAGE_ID = "moby.buildkit.trace", "moby.image.id"


@dataclass(frozen=True)
class Support:
    buildkit: bool  # BuildKit through the API: sessions out of experimental (API 1.39), Linux, not Podman
    heredocs: bool  # the Dockerfile frontend built into the engine reads heredocs and COPY --link
    version: str


def support(api: Any) -> Support:
    """What the engine's BuildKit can do. Podman answers /build but has no /session; the frontend
    built into Docker Engine 20.10 (BuildKit 0.8) predates heredocs and COPY --link, which came
    built in with Engine 23."""
    version: dict[str, Any] = call(api.version)
    names = " ".join(str(c.get("Name", "")) for c in version.get("Components") or [])
    api_version = tuple(int(p) for p in str(version.get("ApiVersion", "0.0")).split(".")[:2])
    buildkit = version.get("Os") == "linux" and api_version >= (1, 39) and "podman" not in names.lower()
    engine = str(version.get("Version", "0"))
    major = int(engine.split(".")[0]) if engine.split(".")[0].isdigit() else 0
    return Support(buildkit, buildkit and major >= 23, engine)


def query(options: BuildOptions, session_id: str, build_id: str, output: str | None = None) -> dict[str, Any]:
    """``output``: the exporter (``local``, ``tar``) that sends the result back on the session in
    place of an image; its destination stays with the client, as the CLI keeps it."""
    params = _params(options)
    if output is not None:
        params["outputs"] = json.dumps([{"Type": output, "Attrs": {}}])
    params.update(
        version="2", session=session_id, remote="client-session", buildid=build_id, dockerfile="Dockerfile"
    )
    params.pop("forcerm", None)  # the classic builder's intermediate containers: BuildKit has none
    params.pop("rm", None)
    if options.tags:
        params["t"] = list(options.tags)
    return params


def cancel(api: Any, build_id: str) -> None:
    """Ask the engine to stop a build (best effort: it may have ended already)."""
    try:
        response = api._post(api._url("/build/cancel"), params={"id": build_id}, timeout=10)
        response.close()
    except Exception:  # noqa: BLE001  (cancelling is best effort; the closed stream cancels too)
        pass


def build(
    api: Any,
    session_id: str,
    options: BuildOptions,
    graph: Graph,
    idle_timeout: float | None,
    output: str | None = None,
) -> str:
    """Run the build on an open session, feeding ``graph``; return the image id (none, "", when
    ``output`` sends the result to the session instead)."""
    build_id = uuid.uuid4().hex
    response = None
    image_id: str | None = None
    error: str | None = None

    def feed(event: dict[str, Any]) -> None:
        nonlocal error, image_id
        if "error" in event or "errorDetail" in event:
            error = (event.get("errorDetail") or {}).get("message") or event.get("error", "")
        elif event.get("id") == TRACE and isinstance(event.get("aux"), str):
            graph.feed_trace(event["aux"])
        elif event.get("id") == IMAGE_ID and isinstance(event.get("aux"), dict):
            image_id = event["aux"].get("ID")

    try:
        response = api._post(
            api._url("/build"),
            params=query(options, session_id, build_id, output),
            headers={"Content-Type": "application/x-tar"},
            data=b"",
            stream=True,
            timeout=idle_timeout,
        )
        read_events(api, response, feed, beside=_quiet_notices(graph, idle_timeout))
        graph.close()
    except BaseException as exc:
        stopped(exc, response, idle_timeout, undo=lambda: cancel(api, build_id))
    if error is not None or (image_id is None and output is None):
        raise failure(graph, error or "the build finished without an image")
    if image_id is None:
        return ""
    for extra in options.tags[1:]:
        images.tag(api, image_id, extra)  # the engine tags every -t already; harmless if so
    return image_id


def failure(graph: Graph, error: str) -> BuildFailed:
    """One line naming the failed step and the builder's reason, then the step's last output lines."""
    step = graph.failed()
    reason = error.strip().splitlines()[-1] if error.strip() else "failed"
    if step is None:
        return BuildFailed(f"The build failed: {reason}", None, None, error)
    tail = "\n".join(step.output[-10:])
    log = "\n".join(f"{v.name}\n" + "\n".join(v.output) for v in graph.steps)
    message = f"{step.name} failed: {step.error or reason}"
    return BuildFailed(message + (f"\n{tail}" if tail else ""), None, step.name, log)


def prune_cache(api: Any, ids: list[str]) -> int:
    """Remove these BuildKit cache records (a test's own), one ``POST /build/prune`` each: the
    engine's filter takes one id at a time. Returns the bytes reclaimed."""
    reclaimed = 0
    for record in ids:
        response = api._post(
            api._url("/build/prune"),
            params={"all": "1", "filters": json.dumps({"id": [record]})},
            timeout=60,
        )
        api._raise_for_status(response)
        reclaimed += int(response.json().get("SpaceReclaimed") or 0)
    return reclaimed


def cache_records(api: Any) -> list[dict[str, Any]]:
    """The engine's BuildKit cache records (``/system/df``'s BuildCache)."""
    df: dict[str, Any] = when_free(call, api.df)
    return list(df.get("BuildCache") or [])
