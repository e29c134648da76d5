"""What ``%docker events`` returns, and its lines as the CLI prints them.

The lines were streamed into the cell as the events came, so the result
displays nothing more; assigned (``ev = %docker events --until 0s``), it
holds the events (the engine's dicts) and the lines.
"""

from __future__ import annotations

import json
from collections import deque
from datetime import datetime, timezone
from typing import Any

from ..secrets import mask_env, mask_text
from ..templates import render

# The events kept on the result: a followed engine can emit without end, memory stays bounded.
KEEP = 10_000


def timestamp(event: dict[str, Any]) -> str:
    """The CLI's ``2006-01-02T15:04:05.000000000Z07:00`` in local time (``Z`` when UTC)."""
    nanos = event.get("timeNano") or (event.get("time") or 0) * 1_000_000_000
    seconds, fraction = divmod(int(nanos), 1_000_000_000)
    when = datetime.fromtimestamp(seconds, timezone.utc).astimezone()
    offset = when.utcoffset()
    zone = "Z" if not offset else when.strftime("%z")
    if zone != "Z":
        zone = zone[:3] + ":" + zone[3:]
    return when.strftime("%Y-%m-%dT%H:%M:%S") + f".{fraction:09d}{zone}"


def line(event: dict[str, Any]) -> str:
    """``TIME TYPE ACTION ID (key=value, ...)``, attributes sorted by key, as the CLI prints one."""
    actor = event.get("Actor") or {}
    text = f"{event.get('Type', '')} {event.get('Action', '')} {actor.get('ID', '')}"
    if event.get("timeNano") or event.get("time"):
        text = f"{timestamp(event)} {text}"
    attributes = actor.get("Attributes") or {}
    if attributes:
        text += " (" + ", ".join(f"{k}={attributes[k]}" for k in sorted(attributes)) + ")"
    return text


def go_fields(event: dict[str, Any]) -> dict[str, Any]:
    """The event under the names a ``--format`` template uses (the CLI's Go field names)."""
    actor = event.get("Actor") or {}
    return {
        "Status": event.get("status", ""),
        "ID": event.get("id", ""),
        "From": event.get("from", ""),
        "Type": event.get("Type", ""),
        "Action": event.get("Action", ""),
        "Actor": {"ID": actor.get("ID", ""), "Attributes": actor.get("Attributes") or {}},
        "Scope": event.get("scope", ""),
        "Time": event.get("time", 0),
        "TimeNano": event.get("timeNano", 0),
    }


def masked(event: dict[str, Any]) -> dict[str, Any]:
    """``event`` with secret-looking attributes (a label such as ``DB_PASSWORD=...``) masked."""
    actor = event.get("Actor") or {}
    attributes = actor.get("Attributes") or {}
    shown = {k: mask_env(f"{k}={v}").split("=", 1)[1] for k, v in attributes.items()}
    if shown == attributes:
        return event
    return {**event, "Actor": {**actor, "Attributes": shown}}


def formatted(event: dict[str, Any], template: str | None) -> str:
    """One event's output line: the CLI's line, its JSON (``json``, ``{{json .}}``), or a template;
    secret-looking values masked."""
    event = masked(event)
    if not template:
        return line(event)
    if template.strip() in ("json", "{{json .}}"):
        # the CLI prints the message under its JSON names, which are the engine's
        return mask_text(json.dumps(event, separators=(",", ":"), ensure_ascii=False))
    # unlike the listings' --format, the CLI's events leaves a written \t as it is
    return mask_text(render(template, go_fields(event)))


class Events:
    """The events seen, in order (the last ``KEEP``), and how the stream ended."""

    def __init__(self, template: str | None = None):
        self.template = template
        self.events: deque[dict[str, Any]] = deque(maxlen=KEEP)
        self.lines: deque[str] = deque(maxlen=KEEP)
        self.total = 0
        self.interrupted = False

    def add(self, event: dict[str, Any]) -> str:
        """Keep ``event``; returns its output line (secret-looking values masked)."""
        shown = formatted(event, self.template)
        self.events.append(event)
        self.lines.append(shown)
        self.total += 1
        return shown

    def _ipython_display_(self) -> None:
        pass  # shown already, live, as each event came

    def __len__(self) -> int:
        return self.total

    def __str__(self) -> str:
        return "\n".join(self.lines)

    def __repr__(self) -> str:
        how = "interrupted" if self.interrupted else "ended"
        return f"<{self.total} events, {how}; .events holds the last {len(self.events)}, .lines their lines>"
