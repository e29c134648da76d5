"""``%docker stats``: the CLI's columns, and a small chart per container of the samples seen.

``row(sample)`` computes what ``docker stats`` prints from one engine sample
(CPU % from the difference with the previous counters, memory without the page
cache, network and block I/O summed). ``StatsView`` keeps the last ``KEEP``
rows of each container: its text face is the CLI's table of the latest ones,
its HTML face the same table under one static chart per container (CPU %,
memory %, and network and block I/O rates), which is what a saved notebook shows.
The chart is inline-styled boxes, one bar per sample, not SVG: JupyterLab's
sanitizer of untrusted HTML keeps those styles and drops SVG.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from .base import View, binary_size, escape, human_size
from .table import Table

KEEP = 120
COLUMNS = [
    ("ID", "CONTAINER ID"),
    ("Name", "NAME"),
    ("CPUPerc", "CPU %"),
    ("MemUsage", "MEM USAGE / LIMIT"),
    ("MemPerc", "MEM %"),
    ("NetIO", "NET I/O"),
    ("BlockIO", "BLOCK I/O"),
    ("PIDs", "PIDS"),
]


def row(sample: dict[str, Any], name: str = "") -> dict[str, Any]:
    """The CLI's fields (``--format`` names them) for one sample, plus the raw numbers charted."""
    cpu = sample.get("cpu_stats") or {}
    pre = sample.get("precpu_stats") or {}
    cpu_delta = (cpu.get("cpu_usage") or {}).get("total_usage", 0) - (pre.get("cpu_usage") or {}).get(
        "total_usage", 0
    )
    sys_delta = cpu.get("system_cpu_usage", 0) - pre.get("system_cpu_usage", 0)
    ncpu = cpu.get("online_cpus") or len((cpu.get("cpu_usage") or {}).get("percpu_usage") or []) or 1
    cpu_pct = (cpu_delta / sys_delta * ncpu * 100) if sys_delta > 0 and cpu_delta > 0 else 0.0
    mem = sample.get("memory_stats") or {}
    usage = max(0, mem.get("usage", 0) - (mem.get("stats") or {}).get("cache", 0))
    limit = mem.get("limit", 0)
    mem_pct = usage / limit * 100 if limit else 0.0
    nets = (sample.get("networks") or {}).values()
    rx, tx = sum(n.get("rx_bytes", 0) for n in nets), sum(n.get("tx_bytes", 0) for n in nets)
    io = {"read": 0, "write": 0}
    for entry in (sample.get("blkio_stats") or {}).get("io_service_bytes_recursive") or []:
        op = (entry.get("op") or "").lower()
        if op in io:
            io[op] += entry.get("value", 0)
    ident = sample.get("id", "") or name
    return {
        "ID": ident[:12],
        "Container": name or ident[:12],
        "Name": (sample.get("name") or name).lstrip("/"),
        "CPUPerc": f"{cpu_pct:.2f}%",
        "MemUsage": f"{binary_size(usage)} / {binary_size(limit)}",
        "MemPerc": f"{mem_pct:.2f}%",
        "NetIO": f"{human_size(rx)} / {human_size(tx)}",
        "BlockIO": f"{human_size(io['read'])} / {human_size(io['write'])}",
        "PIDs": str((sample.get("pids_stats") or {}).get("current", 0)),  # 0 when none counted, as the CLI
        "_cpu": cpu_pct,
        "_mem": mem_pct,
        "_net": rx + tx,
        "_block": io["read"] + io["write"],
    }


class StatsView(View):
    """The latest row of each container and the last ``KEEP`` of each, for the charts."""

    def __init__(self, names: list[str] | None = None, note: str = "") -> None:
        self.history: dict[str, deque[dict[str, Any]]] = {n: deque(maxlen=KEEP) for n in names or []}
        self.note = note

    def add(self, name: str, sample_row: dict[str, Any]) -> None:
        self.history.setdefault(name, deque(maxlen=KEEP)).append(sample_row)

    @property
    def rows(self) -> list[dict[str, Any]]:
        return [h[-1] for h in self.history.values() if h]

    def table(self) -> Table:
        return Table(COLUMNS, self.rows)

    def to_pandas(self) -> Any:
        """The latest snapshot as a DataFrame (pandas is optional)."""
        return self.table().to_pandas()

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def text(self) -> str:
        if not self.history:
            return "[no running containers: %docker stats -a includes stopped ones]"
        return self.table().text() + (f"\n[{self.note}]" if self.note else "")

    def html(self) -> str:
        if not self.history:
            return f"<pre>{escape(self.text())}</pre>"
        charts = "".join(_chart(name, list(rows)) for name, rows in self.history.items() if rows)
        note = f"<div style='opacity:.7'>{escape(self.note)}</div>" if self.note else ""
        return (
            f"<div class='dockermagic-stats'><div style='display:flex;flex-wrap:wrap;gap:1em'>{charts}</div>"
            f"{self.table().html()}{note}</div>"
        )


_W, _H = 240, 22  # one series' strip, in px; a bar per sample, as wide as the strip allows
_SERIES = (("_cpu", "CPUPerc", "CPU %", "#2a6ebb"), ("_mem", "MemPerc", "MEM %", "#c0392b"))
_RATES = (("_net", "NET I/O", "#27ae60"), ("_block", "BLOCK I/O", "#8e44ad"))


def _strip(label: str, values: list[float], top: float, color: str, shown: str) -> str:
    """One series as bars on a baseline (1 px for zero, so every sample shows), its label on the left."""
    bars = "".join(
        f"<span class='dm-stats-bar' style='flex:1 1 0;min-width:1px;max-width:6px;height:"
        f"{max(1, round(v / top * _H)) if top else 1}px;background:{color}'></span>"
        for v in values
    )
    return (
        f"<div style='display:flex;align-items:flex-end;gap:.5em'>"
        f"<span style='width:10em;white-space:nowrap;font-size:80%;color:{color}'>"
        f"{escape(label)} {escape(shown)}</span>"
        f"<div class='dm-stats-series' title='{escape(label)}' style='display:flex;align-items:flex-end;"
        f"gap:1px;width:{_W}px;height:{_H}px;border-bottom:1px solid #ccc'>{bars}</div></div>"
    )


def _chart(name: str, rows: list[dict[str, Any]]) -> str:
    """One container's static chart: CPU % and MEM % on 0-100 (or the peak), I/O as rates per sample."""
    top = max([100.0] + [r[k] for r in rows for k, _, _, _ in _SERIES])
    last = rows[-1]
    strips = [
        _strip(label, [r[key] for r in rows], top, color, last[shown]) for key, shown, label, color in _SERIES
    ]
    for key, label, color in _RATES:
        totals = [r[key] for r in rows]
        rates = [float(max(0, b - a)) for a, b in zip(totals, totals[1:], strict=False)] or [0.0]
        strips.append(_strip(label, rates, max(rates), color, "per sample"))
    return (
        f"<figure class='dm-stats-chart' style='margin:0'>"
        f"<figcaption><b>{escape(last['Name'] or name)}</b> ({len(rows)} samples)</figcaption>"
        f"<div role='img' style='display:flex;flex-direction:column;gap:2px;padding:2px;"
        f"border:1px solid #ccc;background:#fff'>{''.join(strips)}</div></figure>"
    )
