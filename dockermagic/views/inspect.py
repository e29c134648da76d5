"""Inspect documents: indented JSON as text, a collapsible tree as HTML.

Each node of the tree shows the Go-template path that reaches it, ready for
``%docker inspect -f '{{.Path}}'``. Environment values whose names look
secret are masked in every face; the unmasked document stays on ``.data``.
"""
from __future__ import annotations

import json
import re

from .base import View, escape, looks_secret, mask_env

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def masked(doc):
    """A copy of ``doc`` with secret-looking env entries and values masked."""
    if isinstance(doc, dict):
        out = {}
        for key, val in doc.items():
            if key == "Env" and isinstance(val, list):
                out[key] = [mask_env(e) for e in val]
            elif isinstance(val, str) and looks_secret(key) and val:
                out[key] = "••••••"
            else:
                out[key] = masked(val)
        return out
    if isinstance(doc, list):
        return [masked(v) for v in doc]
    return doc


def child_path(path: str, key) -> str:
    if isinstance(key, int):
        return f"(index {path or '.'} {key})"
    if _IDENT.match(str(key)) and not path.startswith("(index"):
        return f"{path}.{key}"
    return f'(index {path or "."} "{key}")'


class InspectView(View):
    def __init__(self, doc, title: str = ""):
        self.data = doc
        self.title = title

    def __getitem__(self, key):
        return self.data[key]

    def __iter__(self):
        return iter(self.data)

    def __len__(self):
        return len(self.data)

    def get(self, key, default=None):
        return self.data.get(key, default) if isinstance(self.data, dict) else default

    def keys(self):
        return self.data.keys()

    def text(self) -> str:
        return json.dumps(masked(self.data), indent=4)

    def _node(self, key, value, path: str, depth: int) -> str:
        label = f"<b>{escape(key)}</b>" if key != "" else ""
        where = f" <code style='opacity:.6' title='%docker inspect -f'>{{{{{escape(path)}}}}}</code>" if path else ""
        if isinstance(value, (dict, list)):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            inner = "".join(self._node(k, v, child_path(path, k), depth + 1) for k, v in items)
            size = f"{len(value)} {'keys' if isinstance(value, dict) else 'items'}"
            opened = " open" if depth < 1 else ""
            return (f"<details{opened} style='margin-left:{1.2 if depth else 0}em'><summary>{label} "
                    f"<span style='opacity:.6'>{size}</span>{where}</summary>{inner}</details>")
        shown = json.dumps(value) if not isinstance(value, str) else value
        return (f"<div style='margin-left:{1.2 if depth else 0}em'>{label}: "
                f"<code>{escape(shown)}</code>{where}</div>")

    def html(self) -> str:
        doc = masked(self.data)
        if isinstance(doc, list):
            body = "".join(self._node(str(i), d, "", 0) for i, d in enumerate(doc))
        else:
            body = "".join(self._node(k, v, child_path("", k), 0) for k, v in doc.items())
        title = f"<b>{escape(self.title)}</b>" if self.title else ""
        return f"<div class='dockermagic-inspect'>{title}{body}</div>"
