"""Times and ports as the docker CLI prints them."""

from __future__ import annotations

import time


def human_duration(seconds: float) -> str:
    """The CLI's wording for a duration (go-units HumanDuration)."""
    s = int(seconds)
    if s < 1:
        return "Less than a second"
    if s == 1:
        return "1 second"
    if s < 60:
        return f"{s} seconds"
    minutes = int(seconds / 60)
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    hours = int(seconds / 3600 + 0.5)
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    if hours < 24 * 7 * 2:
        return f"{hours // 24} days"
    if hours < 24 * 30 * 2:
        return f"{hours // 24 // 7} weeks"
    if hours < 24 * 365 * 2:
        return f"{hours // 24 // 30} months"
    return f"{int(seconds / 3600) // 24 // 365} years"


def ago(timestamp: float, now: float | None = None) -> str:
    return human_duration((now or time.time()) - timestamp) + " ago"


def ports_text(ports: list[dict]) -> str:
    """The PORTS column: ``127.0.0.1:8080->80/tcp, 443/tcp``, ranges folded as the CLI does."""
    groups: dict[tuple, list[tuple[int, int | None]]] = {}
    for p in ports:
        ip = p.get("IP", "")
        key = (ip, p.get("Type", "tcp"), bool(p.get("PublicPort")))
        groups.setdefault(key, []).append((p["PrivatePort"], p.get("PublicPort")))
    items = []
    for (ip, proto, published), pairs in groups.items():
        pairs.sort()
        run: list[tuple[int, int | None]] = []
        for pair in pairs + [None]:
            if (
                run
                and pair is not None
                and pair[0] == run[-1][0] + 1
                and (not published or pair[1] == (run[-1][1] or 0) + 1)
            ):
                run.append(pair)
                continue
            if run:
                items.append(_port_item(ip, proto, published, run))
            run = [pair] if pair is not None else []
    items.sort(key=lambda item: item[0])
    return ", ".join(text for _, text in items)


def _port_item(ip, proto, published, run):
    first, last = run[0], run[-1]
    ctr = str(first[0]) if first[0] == last[0] else f"{first[0]}-{last[0]}"
    if not published:
        return (first[0], f"{ctr}/{proto}")
    host = str(first[1]) if first[1] == last[1] else f"{first[1]}-{last[1]}"
    shown_ip = f"[{ip}]" if ":" in ip else ip
    return (first[0], f"{shown_ip}:{host}->{ctr}/{proto}")
