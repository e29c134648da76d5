"""What every list command returns, as the CLI's formatter prints it: ids for ``-q``, one JSON
object a row for ``--format json``, a Go template a row for ``--format TEMPLATE``, the template's
cells under their headers for ``--format 'table ...'``, else the command's table.

Each row is the CLI's formatting context for that command (``ContainerContext``,
``ImageContext``...): its fields are the context's methods, so a template may name any of them
(``{{.Label "com.x"}}`` too), ``json`` prints all of them with the CLI's names, and a field the
context lacks is an error, as with the CLI.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..secrets import mask_text
from ..templates import HEADER_FUNCS, GoStruct, Template, go_json, render
from ..views.base import Text, human_size
from ..views.table import Table
from .go_types import GoTime

# The CLI's context per list command: its Go name and the fields ``json`` prints (sorted, as
# the CLI marshals a map). Fields added by newer CLIs are listed; older ones print fewer.
CONTEXTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "container": (
        "*formatter.ContainerContext",
        (
            "Command",
            "CreatedAt",
            "ID",
            "Image",
            "Labels",
            "LocalVolumes",
            "Mounts",
            "Names",
            "Networks",
            "Platform",
            "Ports",
            "RunningFor",
            "Size",
            "State",
            "Status",
        ),
    ),  # fmt: skip
    "image": (
        "*formatter.ImageContext",
        (
            "Containers",
            "CreatedAt",
            "CreatedSince",
            "Digest",
            "ID",
            "Repository",
            "SharedSize",
            "Size",
            "Tag",
            "UniqueSize",
            "VirtualSize",
        ),
    ),  # fmt: skip
    "network": (
        "*network.formatContext",
        ("CreatedAt", "Driver", "ID", "IPv4", "IPv6", "Internal", "Labels", "Name", "Scope"),
    ),
    "volume": (
        "*volume.formatContext",
        (
            "Availability",
            "Driver",
            "Group",
            "Labels",
            "Links",
            "Mountpoint",
            "Name",
            "Scope",
            "Size",
            "Status",
        ),
    ),
    "history": (
        "*image.historyContext",
        ("Comment", "CreatedAt", "CreatedBy", "CreatedSince", "ID", "Size"),
    ),
    "stats": (
        "*container.statsContext",
        ("BlockIO", "CPUPerc", "Container", "ID", "MemPerc", "MemUsage", "Name", "NetIO", "PIDs"),
    ),
    "df": ("*formatter.diskUsageContext", ("Active", "Reclaimable", "Size", "TotalCount", "Type")),
}

# Headers the CLI gives fields whose header is not their name in capitals (it splits the others
# at their capitals: CreatedAt -> CREATED AT).
HEADERS = {
    "RunningFor": "CREATED",
    "CreatedSince": "CREATED",
    "CPUPerc": "CPU %",
    "MemPerc": "MEM %",
    "MemUsage": "MEM USAGE / LIMIT",
    "NetIO": "NET I/O",
    "BlockIO": "BLOCK I/O",
    "PIDs": "PIDS",
    "TotalCount": "TOTAL",
    "IPv4": "IPV4",
    "IPv6": "IPV6",
    "Mountpoint": "MOUNTPOINT",
}


def header(field: str) -> str:
    """The CLI's column title for ``field``."""
    return HEADERS.get(field) or re.sub(r"(?<=[a-z])(?=[A-Z])", " ", field).upper()


def context(row: dict, kind: str | None) -> ListContext:
    """``row`` as the CLI's context for ``kind``: its fields, a ``Label NAME`` method when it has
    labels, and every field ``json`` prints ("" where the row has no value for it)."""
    name, fields = CONTEXTS.get(kind or "", ("*formatter.Context", ()))
    values = {key: row.get(key, "") for key in fields} if fields else dict(row)
    values.update({k: v for k, v in row.items() if k not in values and not k.isupper()})
    if "Labels" in values and "Label" not in values:
        labels = _labels(str(values["Labels"]))
        values["Label"] = lambda key: labels.get(key, "")
    return ListContext(name, values, shown=fields or tuple(values))


class ListContext(GoStruct):
    """A list row: ``json`` marshals the fields it names, keys sorted, as Go's json.Marshal does."""

    def __init__(self, name: str, fields: dict, shown: Sequence[str]):
        super().__init__(name, fields, raw={k: fields[k] for k in sorted(shown) if not callable(fields[k])})

    def __go_json__(self) -> str:
        return go_json(self.raw, escape_html=True)


def _labels(text: str) -> dict[str, str]:
    pairs = (item.partition("=") for item in text.split(",") if item)
    return {k: v for k, _, v in pairs}


def listed(
    rows: list[dict],
    columns: list[tuple[str, str]],
    key: str,
    quiet: bool,
    template: str | None,
    kind: str | None = None,
):
    """``rows`` as ``-q`` (the ``key`` column), ``--format`` or a table keyed by ``key``."""
    if quiet:
        return Text("\n".join(r[key] for r in rows))
    if template:
        return formatted(rows, template, columns, kind)
    return Table(columns, rows, id_key=key)


def formatted(
    rows: list[dict], template: str, columns, kind: str | None = None, untitled: tuple[str, ...] = ()
) -> Text | Table:
    """``--format``: ``json``, ``table [TEMPLATE]`` (headers, columns aligned) or a template per row.

    As the CLI's formatter: ``\\t`` and ``\\n`` written in the format are a tab and a newline, and
    ``table`` alone is the command's own columns. ``untitled``: fields the CLI gives no header
    (``context ls``'s ``Current``: ``<no value>`` in the header line, false in an ``if``).
    """
    contexts = [context(r, kind) for r in rows]
    if template == "json":
        return Text(mask_text("\n".join(c.__go_json__() for c in contexts)))
    is_table = template.startswith("table")
    body = template[len("table") :] if is_table else template
    body = body.strip(" ").replace("\\t", "\t").replace("\\n", "\n")
    if is_table and not body:
        body = "\t".join("{{." + k + "}}" for k, _ in columns)
    parsed = Template(body)
    lines = [render(parsed, c) for c in contexts]
    if not is_table:
        return Text("\n".join(lines))
    titles = {**{k: header(k) for k in (kind and CONTEXTS.get(kind, ("", ()))[1] or ())}, **dict(columns)}
    for c in contexts[:1]:
        titles.update({k: header(k) for k in c.fields if k not in titles and not callable(c.fields[k])})
    head = _header(parsed, {k: v for k, v in titles.items() if k not in untitled})
    return FormattedTable(head, lines)


def _header(parsed: Template, titles: dict[str, str]) -> str:
    """The header line: the template run on the titles, the CLI's functions leaving them as they are
    (``Label NAME`` is titled NAME); an error leaves what was written before it, as with the CLI."""

    return parsed.execute({**titles, "Label": lambda name: name}, funcs=HEADER_FUNCS, partial=True)


class FormattedTable(Table):
    """``--format 'table ...'``: the template's output cells (split at tabs) under its headers."""

    def __init__(self, head: str, lines: list[str]):
        heads = head.split("\t")
        width = max([len(heads)] + [len(line.split("\t")) for line in lines])
        columns = [(str(i), heads[i] if i < len(heads) else "") for i in range(width)]
        rows = [dict(enumerate(line.split("\t"))) for line in lines]
        super().__init__(columns, [{str(k): v for k, v in r.items()} for r in rows], id_key="0")
        self.lines = [head, *lines]

    def text(self) -> str:
        return Table.tabwritten(self.lines)


def units_size(n: float) -> str:
    """go-units' HumanSize (four significant digits), as the CLI prints some sizes (``system df``,
    an image's VirtualSize); others it prints with three (``human_size``)."""
    n = float(n)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if abs(n) < 1000 or unit == "TB":
            return f"{n:.4g}{unit}"
        n /= 1000
    return f"{n:.4g}TB"  # pragma: no cover


def natural_key(name: str) -> list[tuple[str, int]]:
    """The CLI's natural order (sortorder.NaturalLess): runs of digits compare as numbers."""
    parts = re.split(r"(\d+)", name)
    return [(parts[i], int(parts[i + 1]) if i + 1 < len(parts) else -1) for i in range(0, len(parts), 2)]


def _joined_labels(labels: dict | None) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted((labels or {}).items()))


def network_rows(networks: list[dict], no_trunc: bool = False) -> list[dict]:
    """``GET /networks`` as the CLI's network ls context, in its order (by name, naturally)."""
    rows = [
        {
            "ID": n["Id"] if no_trunc else n["Id"][:12],
            "Name": n["Name"],
            "Driver": n["Driver"],
            "Scope": n["Scope"],
            "CreatedAt": str(GoTime(n.get("Created"))),
            "IPv4": "true" if n.get("EnableIPv4") else "false",
            "IPv6": "true" if n.get("EnableIPv6") else "false",
            "Internal": "true" if n.get("Internal") else "false",
            "Labels": _joined_labels(n.get("Labels")),
        }
        for n in networks
    ]
    return sorted(rows, key=lambda r: natural_key(r["Name"]))


def volume_rows(volumes: list[dict]) -> list[dict]:
    """``GET /volumes`` as the CLI's volume ls context, in its order (by name, naturally)."""
    rows = []
    for v in volumes:
        usage = v.get("UsageData")
        cluster = v.get("ClusterVolume")
        rows.append(
            {
                "Driver": v["Driver"],
                "Name": v["Name"],
                "Mountpoint": v.get("Mountpoint", ""),
                "Scope": v.get("Scope", ""),
                "Labels": _joined_labels(v.get("Labels")),
                "Links": str(usage["RefCount"]) if usage else "N/A",
                "Size": human_size(usage["Size"]) if usage else "N/A",
                "Availability": (cluster or {}).get("Spec", {}).get("Availability", "N/A")
                if cluster
                else "N/A",
                "Group": (cluster or {}).get("Spec", {}).get("Group", "N/A") if cluster else "N/A",
                "Status": "N/A" if not cluster else str((cluster.get("Info") or {}).get("Status", "")),
            }
        )
    return sorted(rows, key=lambda r: natural_key(r["Name"]))
