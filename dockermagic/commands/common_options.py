"""Options several commands declare with the same names and the same help words as the CLI.

Shared only where the CLI's help text is the same for every command that
uses it: where the CLI words an option differently, the command spells its own.
A spec field takes one as ``filters: Annotated[Filters, FILTER] = ()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..parsing import container_values
from ..parsing.keyvalue import filters, mapping
from .grammar import Option, flag, repeated, value
from .value_kinds import duration, int64, integer, size

# ``(key, values)`` pairs, sorted by key: the API's filters, frozen.
Filters = tuple[tuple[str, tuple[str, ...]], ...]
# ``(key, value)`` pairs in the order given, the last of a key winning: a ``key_values`` option, frozen.
KeyValues = tuple[tuple[str, str], ...]


def frozen_filters(entries: list[str]) -> Filters:
    """``--filter label=a --filter until=1h`` -> sorted ``(key, values)`` pairs."""
    return tuple((key, tuple(values)) for key, values in sorted(filters(entries).items()))


def frozen_mapping(flag_name: str) -> Callable[[list[str]], KeyValues]:
    """``--label a=1 --label b`` -> ``(("a", "1"), ("b", ""))``: the last one of a key wins."""

    def freeze(entries: list[str]) -> KeyValues:
        return tuple(mapping(entries, flag_name).items())

    return freeze


def key_values(*names: str, help: str, **kw: Any) -> Option:
    """A repeated ``KEY=VALUE`` option (``--label a=1 --label b``), frozen by ``frozen_mapping``."""
    return repeated(*names, help=help, freeze=frozen_mapping(names[-1]), **kw)


# listings
QUIET_IMAGE_IDS = flag("-q", "--quiet", help="Only show image IDs")
FILTER = repeated(
    "-f",
    "--filter",
    help="Filter output based on conditions provided",
    metavar="filter",
    freeze=frozen_filters,
)
FORMAT = value("--format", help="Format output using a Go template")
NO_TRUNC = flag("--no-trunc", help="Don't truncate output")
INSPECT_FORMAT = value("-f", "--format", help="Format the output using a Go template")

# images
QUIET_PROGRESS = flag("-q", "--quiet", help="Suppress verbose output")
PLATFORM = value("--platform", help="Set platform if server is multi-platform capable")

# a process in a container (run, exec)
INTERACTIVE = flag("-i", "--interactive", help="Keep STDIN open (with -t: opens a terminal widget)")
TTY = flag("-t", "--tty", help="Allocate a pseudo-TTY")
ENV = repeated("-e", "--env", help="Set environment variables")
ENV_FILE = repeated("--env-file", help="Read in a file of environment variables")
WORKDIR = value("-w", "--workdir", help="Working directory inside the container")
USER = value("-u", "--user", help="Username or UID (format: <name|uid>[:<group|gid>])")

# a container's settings that a service's tasks take too (run, create, service create/update)
CAP_ADD = repeated("--cap-add", help="Add Linux capabilities")
CAP_DROP = repeated("--cap-drop", help="Drop Linux capabilities")
DNS = repeated("--dns", help="Set custom DNS servers", convert=container_values.ip_address)
DNS_SEARCH = repeated(
    "--dns-search", help="Set custom DNS search domains", convert=container_values.dns_search
)
HEALTH_CMD = value("--health-cmd", help="Command to run to check health")
HEALTH_INTERVAL = duration("--health-interval", help="Time between running the check (ms|s|m|h)")
HEALTH_TIMEOUT = duration("--health-timeout", help="Maximum time to allow one check to run (ms|s|m|h)")
HEALTH_RETRIES = integer("--health-retries", help="Consecutive failures needed to report unhealthy")
NO_HEALTHCHECK = flag("--no-healthcheck", help="Disable any container-specified HEALTHCHECK")
READ_ONLY = flag("--read-only", help="Mount the container's root filesystem as read only")
STOP_SIGNAL = value("--stop-signal", help="Signal to stop the container")
ULIMIT = repeated("--ulimit", help="Ulimit options", metavar="ulimit", convert=container_values.ulimit)

# a container's resources and host (run, create, and build's RUN steps)
CPU_SHARES = int64("-c", "--cpu-shares", help="CPU shares (relative weight)")
CPUSET_CPUS = value("--cpuset-cpus", help="CPUs in which to allow execution (0-3, 0,1)")
CPUSET_MEMS = value("--cpuset-mems", help="MEMs in which to allow execution (0-3, 0,1)")
MEMORY = size("-m", "--memory", help="Memory limit")
ISOLATION = value("--isolation", help="Container isolation technology")
ADD_HOST = repeated(
    "--add-host", help="Add a custom host-to-IP mapping (host:ip)", convert=container_values.extra_host
)

# a file in place of the CLI's stdout, which a notebook cell does not have (save, export)
OUTPUT_FILE = value(
    "-o",
    "--output",
    help="Write to a file (required in a notebook)",
    required="FILE: a notebook cell has no stdout to redirect",
)

# drivers (network create, volume create)
DRIVER_OPTS = key_values("-o", "--opt", help="Set driver specific options")
