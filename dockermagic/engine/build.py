"""Building an image through the Engine API's classic builder, step by step.

The engine reports a build as a JSON stream: ``Step N/M : INSTR``, the step's
output, `` ---> Using cache`` or `` ---> Running in <container>``, and an
``aux`` record with the image id. ``BuildRun`` turns it into step events for
the view, remembers every intermediate container so that an interrupt or a
failure leaves none behind, and keeps the whole log.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any, NoReturn, Protocol

from ..errors import BuildFailed, DockerMagicError, EngineUnavailable, NotFound
from . import images
from .errors import call, explain
from .streams import EngineWatch, close_quietly

_STEP = re.compile(r"^(?:Step|STEP) (\d+)/(\d+) ?: (.*)$")  # "Step 1/3 : X" (Docker), "STEP 1/3: X" (Podman)
_RUNNING = re.compile(r"^ ---> Running in ([0-9a-f]{12,64})$")
_LAYER = re.compile(r"^ ---> ([0-9a-f]{12,64})$")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # the classic builder colours a step's stderr red


@dataclass
class Step:
    number: int
    total: int
    instruction: str
    output: list[str] = field(default_factory=list)
    cached: bool = False
    layer: str | None = None
    started: float = field(default_factory=time.monotonic)
    seconds: float | None = None


@dataclass
class BuildOptions:
    tags: tuple[str, ...] = ()
    build_args: dict[str, str | None] = field(default_factory=dict)
    target: str | None = None
    no_cache: bool = False
    pull: bool = False
    labels: dict[str, str] = field(default_factory=dict)
    platform: str | None = None
    dockerfile: str | None = None
    # the CLI's resource and sandbox options for the RUN steps' containers (its query names)
    extra_hosts: tuple[str, ...] = ()
    cache_from: tuple[str, ...] = ()
    security_opt: tuple[str, ...] = ()
    ulimits: tuple[dict[str, Any], ...] = ()
    network: str | None = None
    cgroup_parent: str | None = None
    isolation: str | None = None
    cpu_period: int | None = None
    cpu_quota: int | None = None
    cpu_shares: int | None = None
    cpuset_cpus: str | None = None
    cpuset_mems: str | None = None
    memory: int | None = None
    memory_swap: int | None = None
    shm_size: int | None = None
    squash: bool = False
    compress: bool = False


class BuildRun:
    """One build: feed it the engine's events; it calls ``on_step``/``on_output``."""

    def __init__(
        self,
        on_step: Callable[[Step, bool], object] | None = None,
        on_output: Callable[[Step, str], object] | None = None,
        on_quiet: Callable[[float, float | None], object] | None = None,
    ):
        self.steps: list[Step] = []
        self.log: list[str] = []
        self.containers: set[str] = set()
        self.image_id: str | None = None
        self.error: str | None = None
        self.on_step = on_step or (lambda step, done: None)
        self.on_output = on_output or (lambda step, line: None)
        self.on_quiet = on_quiet or (lambda seconds, limit: None)
        self.last_heard = time.monotonic()
        self._partial = ""

    @property
    def current(self) -> Step | None:
        return self.steps[-1] if self.steps else None

    def _finish_current(self) -> None:
        step = self.current
        if step is not None and step.seconds is None:
            step.seconds = time.monotonic() - step.started
            self.on_step(step, True)

    def feed(self, event: dict[str, Any]) -> None:
        self.last_heard = time.monotonic()
        if "error" in event or "errorDetail" in event:
            self.error = (event.get("errorDetail") or {}).get("message") or event.get("error", "")
            self.log.append(self.error + "\n")
            return
        aux = event.get("aux")
        if isinstance(aux, dict) and aux.get("ID"):
            self.image_id = aux["ID"]
        text = event.get("stream")
        if not text:
            return
        self.log.append(text)
        self._partial += text
        *lines, self._partial = self._partial.split("\n")
        for line in lines:
            self._line(line.rstrip("\r"))

    def _line(self, line: str) -> None:
        line = _ANSI.sub("", line)
        m = _STEP.match(line)
        if m:
            self._finish_current()
            started = Step(int(m.group(1)), int(m.group(2)), m.group(3))
            self.steps.append(started)
            self.on_step(started, False)
            return
        step = self.current
        if (line == " ---> Using cache" or line.startswith("--> Using cache")) and step:  # Docker's, Podman's
            step.cached = True
            return
        m = _RUNNING.match(line)
        if m:
            self.containers.add(m.group(1))
            return
        m = _LAYER.match(line)
        if m and step:
            step.layer = m.group(1)
            return
        if line.startswith(("Removing intermediate container", "Successfully built", "Successfully tagged")):
            if line.startswith("Successfully built"):
                self._finish_current()
            return
        if step is not None:
            step.output.append(line)
            self.on_output(step, line)

    def close(self) -> None:
        if self._partial:
            self._line(self._partial)
            self._partial = ""
        if self.error is None:
            self._finish_current()

    @property
    def text(self) -> str:
        return "".join(self.log)


QUIET_NOTICE = 30.0  # seconds of silence between two "still waiting" notices


class Heard(Protocol):
    """A build's progress as either builder decodes it (BuildRun, BuildKit's Graph): when the engine
    last said something, and whom to tell that it has been silent."""

    last_heard: float

    def on_quiet(self, seconds: float, limit: float | None) -> object: ...


@contextmanager
def _quiet_notices(run: Heard, limit: float | None) -> Iterator[None]:
    """While the engine says nothing, tell ``run.on_quiet`` every QUIET_NOTICE seconds."""
    done = threading.Event()

    def watch() -> None:
        every = QUIET_NOTICE
        while not done.wait(every / 4):
            silent = time.monotonic() - run.last_heard
            if silent >= every:
                run.on_quiet(silent, limit)
                run.last_heard = time.monotonic() - (silent % every)  # the next notice in `every` s

    thread = threading.Thread(target=watch, name="dockermagic-build-quiet", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()


def _with_hint(error: str) -> str:
    """The builder's error, with what its words leave out: where ADD and COPY read from."""
    if "file not found in build context" in error:
        return (
            f"{error} -> ADD and COPY read from the build context (--context DIR, by default the "
            "working directory), never from elsewhere on the host, and expand no '~': put the file "
            "in the context and name it relative to it."
        )
    return error


def experimental(api: Any) -> bool:
    """Whether the engine runs in experimental mode (``--squash`` needs it)."""
    version: dict[str, Any] = call(api.version)
    return bool(version.get("Experimental"))


def remove_leftovers(api: Any, containers: set[str], wait: float = 5.0) -> None:
    """Remove intermediate containers a cancelled or failed build left behind."""
    deadline = time.monotonic() + wait
    for cid in containers:
        while True:
            try:
                api.remove_container(cid, force=True)
                break
            except Exception as exc:
                error = explain(exc)
                if isinstance(error, (NotFound, EngineUnavailable)) or time.monotonic() > deadline:
                    break
                time.sleep(0.2)  # the engine may still be tearing it down


def _params(options: BuildOptions) -> dict[str, Any]:
    """The query the CLI's client sends (``imageBuildOptionsToQuery``); intermediate containers
    are always removed, even after a failure, so that a build leaves nothing behind."""
    params: dict[str, Any] = {
        "t": options.tags[0] if options.tags else None,
        "nocache": options.no_cache,
        "pull": options.pull,
        "rm": True,
        "forcerm": True,
        "target": options.target,
        "platform": options.platform,
        "dockerfile": options.dockerfile,
        "extrahosts": list(options.extra_hosts) or None,  # repeated in the query, as the CLI's
        "securityopt": list(options.security_opt) or None,
        "networkmode": None if options.network in (None, "default") else options.network,
        "cgroupparent": options.cgroup_parent,
        "isolation": None if options.isolation in (None, "", "default") else options.isolation,
        "cpuperiod": options.cpu_period,
        "cpuquota": options.cpu_quota,
        "cpushares": options.cpu_shares,
        "cpusetcpus": options.cpuset_cpus,
        "cpusetmems": options.cpuset_mems,
        "memory": options.memory,
        "memswap": options.memory_swap,
        "shmsize": options.shm_size,
        "squash": options.squash,
    }
    if options.build_args:
        params["buildargs"] = json.dumps(options.build_args)
    if options.labels:
        params["labels"] = json.dumps(options.labels)
    if options.cache_from:
        params["cachefrom"] = json.dumps(list(options.cache_from))
    if options.ulimits:
        params["ulimits"] = json.dumps(list(options.ulimits))
    return {k: v for k, v in params.items() if v not in (None, False, 0)}


def compressed(fileobj: Any) -> Any:
    """``--compress``: the context tar gzipped, as the CLI sends it (the engine unpacks it)."""
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    with gzip.GzipFile(fileobj=spool, mode="wb") as packed:
        shutil.copyfileobj(fileobj, packed)
    spool.seek(0)
    return spool


def build(
    api: Any, context: Any, options: BuildOptions, run: BuildRun, idle_timeout: float | None = None
) -> str:
    """Send ``context`` (a Context) and stream the build into ``run``; return the image id.

    The request is made here rather than through the SDK's ``build()`` so that
    an interrupt can close the connection: the engine cancels a build whose
    client went away.  ``idle_timeout``: seconds without a byte from the engine
    before giving up (a hung engine), not the length of the build.
    """
    headers = {"Content-Type": "application/x-tar"}
    response = None
    try:
        api._set_auth_headers(headers)
        response = api._post(
            api._url("/build"),
            data=compressed(context.fileobj) if options.compress else context.fileobj,
            params=_params(options),
            headers=headers,
            stream=True,
            timeout=idle_timeout,
        )
        read_events(api, response, run.feed, beside=_quiet_notices(run, idle_timeout))
        run.close()
    except BaseException as exc:
        stopped(exc, response, idle_timeout, undo=lambda: remove_leftovers(api, run.containers))
    if run.error is not None or run.image_id is None and not run.steps:
        remove_leftovers(api, run.containers)
        raise _failure(run)
    image_id = run.image_id or _last_layer(run)
    for extra in options.tags[1:]:
        images.tag(api, image_id, extra)
    return image_id


def read_events(
    api: Any,
    response: Any,
    feed: Callable[[dict[str, Any]], None],
    beside: AbstractContextManager[object] | None = None,
) -> None:
    """Give each event of a build's JSON stream to ``feed`` while an engine watch runs: a stopping
    engine fails the running step (its container got SIGTERM) and still reports it, and the watch
    tells an engine that went away from a step that failed, for an error ``feed`` raises too."""
    api._raise_for_status(response)
    sock = api._get_raw_response_socket(response)
    with beside or nullcontext(), EngineWatch(lambda: close_quietly(sock)) as watch:
        try:
            for event in api._stream_helper(response, decode=True):
                feed(event)
        except Exception:
            watch.check()
            raise
        watch.check()


def stopped(
    exc: BaseException, response: Any, idle_timeout: float | None, undo: Callable[[], None]
) -> NoReturn:
    """A build that failed or was interrupted: close its stream, ``undo`` what it leaves (unless
    the engine is gone: it cannot clean up), and raise ``exc``, explained."""
    if response is not None:
        response.close()
    error = (
        explain(exc, timeout=idle_timeout, setting="stream_timeout") if isinstance(exc, Exception) else None
    )
    if not isinstance(error, EngineUnavailable):
        undo()
    if error is not None and error is not exc:
        raise error from None
    raise exc


def _failure(run: BuildRun) -> BuildFailed:
    """The failed step, the builder's error with its hint, and the step's last output lines."""
    step = run.current
    reason = _with_hint(run.error) if run.error else "no image was produced"
    if step is None:
        return BuildFailed(f"The build failed: {reason}", None, None, run.text)
    tail = "\n".join(step.output[-10:])
    message = f"Step {step.number}/{step.total} ({step.instruction}) failed: {reason}"
    return BuildFailed(message + (f"\n{tail}" if tail else ""), step.number, step.instruction, run.text)


def _last_layer(run: BuildRun) -> str:
    for step in reversed(run.steps):
        if step.layer:
            return step.layer
    raise DockerMagicError("The build finished without reporting an image id.")
