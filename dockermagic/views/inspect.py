"""Inspect documents: indented JSON as text, a collapsible tree as HTML.

Each node of the tree shows the Go-template path that reaches it, ready for
``%docker inspect -f '{{.Path}}'``. Environment values whose names look
secret are masked in every face (text, HTML, widget state); the unmasked
document stays on ``.data`` in the kernel, and ``view.reveal('NAME')`` returns
one value there, so it is never written into a saved notebook.
"""

from __future__ import annotations

import json
import re

from ..secrets import mask_doc
from .base import View, escape, mask_env, mask_text

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SPECIAL = re.compile(r"[&<>\"']")


_STYLE = (
    "<style>.dockermagic-inspect .dm-node>.dm-node,.dockermagic-inspect .dm-node>.dm-leaf{margin-left:1.2em}"
    ".dockermagic-inspect .dm-path,.dockermagic-inspect .dm-size{opacity:.6}</style>"
)


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
        return mask_text(json.dumps(mask_doc(self.data), indent=4, ensure_ascii=False))

    def reveal(self, name: str) -> str:
        """The unmasked value of env var ``name`` (kernel side only; never displayed)."""
        for env in _env_lists(self.data):
            for entry in env:
                key, eq, val = str(entry).partition("=")
                if eq and key == name:
                    return val
        raise KeyError(f"no environment variable {name!r} in this document")

    def secret_names(self) -> list[str]:
        return sorted(
            {str(e).partition("=")[0] for env in _env_lists(self.data) for e in env if mask_env(e) != str(e)}
        )

    def html(self, query: str = "") -> str:
        """The tree; with ``query``, only nodes whose key, path or value contain it (and their parents)."""
        doc = self.data  # env lists are masked as they are rendered (no copy of a large document)
        q = query.strip().lower()
        out: list[str] = []
        if isinstance(doc, list):
            for i, d in enumerate(doc):
                _node(out, str(i), d, "", 0, q)
        else:
            for k, v in doc.items():  # one document: its top-level keys start folded
                _node(out, k, v, child_path("", k), 1, q)
        title = f"<b>{escape(self.title)}</b>" if self.title else ""
        empty = "<i>nothing matches</i>" if q and not out else ""
        return f"<div class='dockermagic-inspect'>{_STYLE}{title}{''.join(out)}{empty}</div>"

    def widget(self):
        """A search box above the tree; filtering happens here, on the masked document."""
        import ipywidgets as w

        box = w.Text(
            placeholder="search keys, paths, values",
            description="Search",
            continuous_update=True,
        )
        tree = w.HTML(value=self.html())
        box.add_class("dm-inspect-search")
        tree.add_class("dm-inspect-tree")

        def refilter(change):
            tree.value = self.html(change["new"])

        box.observe(refilter, names="value")
        parts = [box, tree]
        secrets = self.secret_names()
        if secrets:
            hint = ", ".join(secrets)
            parts.append(
                w.HTML(
                    value=f"<small>masked: {escape(hint)} &mdash; "
                    f"<code>view.reveal('NAME')</code> returns a value in Python</small>"
                )
            )
        return w.VBox(parts)


def _env_lists(doc):
    if isinstance(doc, dict):
        for key, val in doc.items():
            if key == "Env" and isinstance(val, list):
                yield val
            else:
                yield from _env_lists(val)
    elif isinstance(doc, list):
        for val in doc:
            yield from _env_lists(val)


def _matches(key, value, path, q) -> bool:
    if q in str(key).lower() or q in path.lower():
        return True
    return (
        not isinstance(value, (dict, list))
        and q in (value if isinstance(value, str) else json.dumps(value)).lower()
    )


_DICT, _LIST, _STR = dict, list, str


def _node(out: list, key, value, path: str, depth: int, q: str) -> bool:
    """Append the HTML of one node to ``out``; False (nothing appended) when filtered away.

    Written for speed (a 1 MB document has tens of thousands of nodes): one
    shared output list, escaping only strings that need it, styles in one
    <style> block rather than on every node.
    """
    skey = key if type(key) is _STR else str(key)
    if _SPECIAL.search(skey):
        skey = escape(skey)
    where = (
        f" <code class='dm-path'>{{{{{escape(path) if _SPECIAL.search(path) else path}}}}}</code>"
        if path
        else ""
    )
    kind = type(value)
    if kind is _LIST and key == "Env":
        value = [mask_env(e) for e in value]
    if kind is _DICT or kind is _LIST:
        # a matching container node shows all of its children
        child_q = "" if q and _matches(key, None, path, q) else q
        start = len(out)
        out.append("")  # the opening tag, filled in below
        if kind is _DICT:
            for k, v in value.items():
                _node(out, k, v, child_path(path, k), depth + 1, child_q)
        else:
            for k, v in enumerate(value):
                _node(out, k, v, child_path(path, k), depth + 1, child_q)
        if q and child_q and len(out) == start + 1:
            del out[start:]
            return False
        size = f"{len(value)} {'keys' if kind is _DICT else 'items'}"
        opened = " open" if depth < 1 or (q and child_q) else ""
        out[start] = (
            f"<details{opened} class='dm-node'><summary><b>{skey}</b> "
            f"<span class='dm-size'>{size}</span>{where}</summary>"
        )
        out.append("</details>")
        return True
    if q and not _matches(key, value, path, q):
        return False
    shown = mask_text(value) if kind is _STR else json.dumps(value)
    if _SPECIAL.search(shown):
        shown = escape(shown)
    out.append(f"<div class='dm-leaf'><b>{skey}</b>: <code>{shown}</code>{where}</div>")
    return True
