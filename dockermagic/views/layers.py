"""An image's layers: what made each one, how big it is, who shares it, what it changed.

``data`` comes from engine.layers.layers_of. Text: one line per layer plus a
summary; HTML: a table with size bars and, per layer, a folded tree of the
files it added, changed and deleted; no JavaScript needed.
"""
from __future__ import annotations

from .base import View, escape, human_size


def _instruction(text: str) -> str:
    text = (text or "").replace("/bin/sh -c #(nop) ", "").replace("/bin/sh -c ", "RUN ")
    return " ".join(text.split())


def _tree(paths: list[tuple[str, int]] | list[str], mark: str) -> str:
    """Nested <details> by directory; leaves show their size."""
    root: dict = {}
    for item in paths:
        path, size = item if isinstance(item, tuple) else (item, None)
        node = root
        parts = path.split("/")
        for part in parts[:-1]:
            node = node.setdefault(part + "/", {})
        node[parts[-1]] = size

    def render(node: dict) -> str:
        items = []
        for name, child in sorted(node.items()):
            if isinstance(child, dict):
                items.append(f"<details><summary>{escape(name)}</summary>{render(child)}</details>")
            else:
                size = f" <span style='opacity:.6'>{escape(human_size(child))}</span>" if child else ""
                items.append(f"<div>{mark} {escape(name)}{size}</div>")
        return "<div style='margin-left:1em'>" + "".join(items) + "</div>"
    return render(root)


class LayersView(View):
    def __init__(self, data: dict):
        self.data = data

    @property
    def layers(self) -> list[dict]:
        return self.data["layers"]

    def __len__(self):
        return len(self.layers)

    def __getitem__(self, i):
        return self.layers[i]

    def text(self) -> str:
        d = self.data
        lines = [f"{len(d['layers'])} layers, {human_size(d['total'])}; wasted {human_size(d['wasted'])}, "
                 f"efficiency {d['efficiency']:.1%}"]
        for layer in d["layers"]:
            c = layer["counts"]
            shared = f"  shared with {', '.join(layer['shared_with'])}" if layer["shared_with"] else ""
            lines.append(f"{layer['index']:>3}  {human_size(layer['size']):>8}  {layer['digest'][7:19]}  "
                         f"+{c['added']} ~{c['changed']} -{c['deleted']}  "
                         f"{_instruction(layer['instruction'])[:60]}{shared}")
        return "\n".join(lines)

    def html(self) -> str:
        d = self.data
        biggest = max([layer["size"] for layer in d["layers"]] + [1])
        rows = []
        for layer in d["layers"]:
            c = layer["counts"]
            width = max(1, round(100 * layer["size"] / biggest)) if layer["size"] else 0
            bar = f"<div class='dm-bar' style='background:#4c8bf5;height:.8em;width:{width}%'></div>"
            shared = escape(", ".join(layer["shared_with"])) or "&ndash;"
            files = "".join(
                f"<details><summary>{label} ({c[key]})</summary>{_tree(layer[key], mark)}</details>"
                for key, label, mark in (("added", "added", "+"), ("changed", "changed", "~"),
                                         ("deleted", "deleted", "&minus;")) if c[key])
            rows.append(
                f"<tr class='dm-layer'><td>{layer['index']}</td><td style='text-align:left'>"
                f"<code>{escape(_instruction(layer['instruction']))}</code>{files}</td>"
                f"<td style='min-width:8em'>{bar}{escape(human_size(layer['size']))}</td>"
                f"<td>{escape(human_size(layer['cumulative']))}</td><td>{shared}</td></tr>")
        summary = (f"{len(d['layers'])} layers, {escape(human_size(d['total']))}; wasted "
                   f"{escape(human_size(d['wasted']))}, efficiency {d['efficiency']:.1%}")
        return (f"<div class='dockermagic-layers'><b>{escape(', '.join(d['tags']) or d['image'][7:19])}</b>: "
                f"{summary}<table><thead><tr><th>#</th><th>INSTRUCTION / FILES</th><th>SIZE</th>"
                f"<th>CUMULATIVE</th><th>SHARED WITH</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>")
