"""What every view shares: a text face, an escaped HTML face, and a widget face.

A view is built from plain data (dicts, lists, strings). ``text()`` is what
terminals, saved notebooks and nbval read; ``html()`` must be static, escaped
HTML that needs no JavaScript; ``widget()`` (optional) returns an ipywidget,
imported only when a front end asks for it.
"""

from __future__ import annotations

import html as _html

from ..secrets import MASK, looks_secret, mask_env, mask_text  # noqa: F401  (the one policy, re-exported)


def escape(value) -> str:
    """Everything that reaches HTML goes through here, quotes included."""
    return _html.escape("" if value is None else str(value), quote=True)


def human_size(n: float | None) -> str:
    """Sizes as the docker CLI prints them (decimal units: 1kB = 1000 B)."""
    if n is None:
        return ""
    n = float(n)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if abs(n) < 1000 or unit == "TB":
            if unit == "B":
                return f"{int(n)}B"
            return f"{n:.3g}{unit}"
        n /= 1000
    return f"{n}TB"  # pragma: no cover


def binary_size(n: float | None) -> str:
    """Sizes in binary units, as ``docker stats`` prints them (KiB, MiB, GiB)."""
    n = float(n or 0)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.4g}{unit}" if unit != "B" else f"{int(n)}B"
        n /= 1024
    return f"{n}TiB"  # pragma: no cover


class View:
    """Base class: subclasses implement ``text`` and ``html``."""

    def text(self) -> str:
        raise NotImplementedError

    def html(self) -> str:
        return f"<pre>{escape(self.text())}</pre>"

    def __str__(self) -> str:
        return self.text()

    def _repr_pretty_(self, p, cycle) -> None:
        p.text(self.text())

    def _repr_html_(self) -> str:
        return self.html()

    def _repr_mimebundle_(self, include=None, exclude=None):
        # views/widgets.py decides: text + HTML always, the widget when a front end can show it
        from .widgets import bundle

        return bundle(self, include, exclude)


class Text(View):
    """Plain text, e.g. help or a templated ``--format`` result."""

    def __init__(self, text: str):
        self._text = text

    def text(self) -> str:
        return self._text

    def __eq__(self, other):
        return str(self) == str(other)


class KeyValues(View):
    """A two-column listing of nested data (version, info)."""

    def __init__(self, title: str, data: dict):
        self.title = title
        self.data = data

    def _rows(self, data, indent=0):
        for key, val in data.items():
            if isinstance(val, dict):
                yield indent, key, ""
                yield from self._rows(val, indent + 1)
            elif isinstance(val, list) and val and isinstance(val[0], dict):
                yield indent, key, ""
                for item in val:
                    label = item.get("Name", "") if isinstance(item, dict) else ""
                    yield indent + 1, label, ""
                    yield from self._rows({k: v for k, v in item.items() if k != "Name"}, indent + 2)
            else:
                if isinstance(val, list):
                    val = ", ".join(str(v) for v in val)
                yield indent, key, mask_text(val) if isinstance(val, str) else val

    def text(self) -> str:
        lines = [f"{self.title}:"]
        for indent, key, val in self._rows(self.data):
            lines.append(
                f"{'  ' * (indent + 1)}{key}: {val}".rstrip().rstrip(":") + (":" if val == "" else "")
            )
        return "\n".join(lines)

    def html(self) -> str:
        rows = "".join(
            f"<tr><td style='padding-left:{indent * 1.2}em;text-align:left'>{escape(key)}</td>"
            f"<td style='text-align:left'>{escape(val)}</td></tr>"
            for indent, key, val in self._rows(self.data)
        )
        return (
            f"<details open><summary><b>{escape(self.title)}</b></summary>"
            f"<table class='dockermagic'>{rows}</table></details>"
        )

    def __getitem__(self, key):
        return self.data[key]
