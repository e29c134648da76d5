"""An image's layers: what made each one, how big it is, who shares it, what it changed.

``data`` comes from engine.layers.layers_of. Text: one line per layer plus a
summary; HTML: a table with size bars and, per layer, a folded tree of the
files it added, changed and deleted; no JavaScript needed.
"""

from __future__ import annotations

from .base import View, escape, human_size, mask_text


def _instruction(text: str) -> str:
    text = (text or "").replace("/bin/sh -c #(nop) ", "").replace("/bin/sh -c ", "RUN ")
    return mask_text(" ".join(text.split()))


def _tree(paths: list[tuple[str, int]] | list[str], mark: str) -> str:
    """Nested <details> by directory; leaves show their size."""
    root: dict = {}
    for item in paths:
        path, size = (
            item if isinstance(item, (tuple, list)) else (item, None)
        )  # lists after a JSON round trip
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


def layer_anchor(image: str, diff_id: str) -> str:
    """The id of a layer's row in an image's layers view (one per image and layer on a page)."""
    return f"dm-layer-{image.replace('sha256:', '')[:12]}-{diff_id.replace('sha256:', '')[:12]}"


def _more(n: int) -> str:
    return f"<div style='opacity:.6'>&hellip; and {n} more (listing capped)</div>" if n > 0 else ""


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

    def index_of(self, diff_id: str) -> int:
        """The index of the layer with this diff id (-1: not in this image)."""
        return next((layer["index"] for layer in self.layers if layer["digest"] == diff_id), -1)

    def text(self) -> str:
        d = self.data
        lines = [
            (
                f"{len(d['layers'])} layers, {human_size(d['total'])}; wasted {human_size(d['wasted'])}, "
                f"efficiency {d['efficiency']:.1%}"
            )
        ]
        for layer in d["layers"]:
            c = layer["counts"]
            shared = f"  shared with {', '.join(layer['shared_with'])}" if layer["shared_with"] else ""
            lines.append(
                f"{layer['index']:>3}  {human_size(layer['size']):>8}  {layer['digest'][7:19]}  "
                f"+{c['added']} ~{c['changed']} -{c['deleted']}  "
                f"{_instruction(layer['instruction'])[:60]}{shared}"
            )
        for item in d.get("inefficiencies", [])[:10]:
            lines.append(f"  wasted {human_size(item['wasted']):>8}  x{item['copies']}  {item['path']}")
        return "\n".join(lines)

    def _waste_html(self) -> str:
        items = self.data.get("inefficiencies") or []
        if not items:
            return ""
        rows = "".join(
            f"<tr><td>{escape(human_size(i['wasted']))}</td><td>{i['copies']}</td>"
            f"<td style='text-align:left'><code>{escape(i['path'])}</code></td></tr>"
            for i in items
        )
        return (
            f"<details class='dm-waste'><summary>wasted space by file ({len(items)})</summary><table>"
            f"<thead><tr><th>WASTED</th><th>COPIES</th><th>PATH</th></tr></thead><tbody>{rows}</tbody>"
            f"</table></details>"
        )

    def widget(self):
        """The static view plus a layer picker that opens that layer's file trees."""
        import ipywidgets as w

        options = [("(all layers folded)", -1)] + [
            (
                f"{layer['index']}: {_instruction(layer['instruction'])[:60]}",
                layer["index"],
            )
            for layer in self.layers
        ]
        pick = w.Dropdown(options=options, description="Layer")
        out = w.HTML(value=self.html())
        out.add_class("dm-layers")
        pick.observe(
            lambda ch: setattr(out, "value", self.html(open_layer=ch["new"])),
            names="value",
        )
        return w.VBox([pick, out])

    def html(self, open_layer: int = -1) -> str:
        d = self.data
        biggest = max([layer["size"] for layer in d["layers"]] + [1])
        rows = []
        for layer in d["layers"]:
            c = layer["counts"]
            width = max(1, round(100 * layer["size"] / biggest)) if layer["size"] else 0
            bar = f"<div class='dm-bar' style='background:#4c8bf5;height:.8em;width:{width}%'></div>"
            shared = escape(", ".join(layer["shared_with"])) or "&ndash;"
            opened = " open" if layer["index"] == open_layer else ""
            files = "".join(
                f"<details{opened}><summary>{label} ({c[key]})</summary>{_tree(layer[key], mark)}"
                f"{_more(c[key] - len(layer[key]))}</details>"
                for key, label, mark in (
                    ("added", "added", "+"),
                    ("changed", "changed", "~"),
                    ("deleted", "deleted", "&minus;"),
                )
                if c[key]
            )
            rows.append(
                f"<tr class='dm-layer' id='{escape(layer_anchor(d['image'], layer['digest']))}'>"
                f"<td>{layer['index']}</td><td style='text-align:left'>"
                f"<code>{escape(_instruction(layer['instruction']))}</code>{files}</td>"
                f"<td style='min-width:8em'>{bar}{escape(human_size(layer['size']))}</td>"
                f"<td>{escape(human_size(layer['cumulative']))}</td><td>{shared}</td></tr>"
            )
        summary = (
            f"{len(d['layers'])} layers, {escape(human_size(d['total']))}; wasted "
            f"{escape(human_size(d['wasted']))}, efficiency {d['efficiency']:.1%}"
        )
        return (
            f"<div class='dockermagic-layers'><b>{escape(', '.join(d['tags']) or d['image'][7:19])}</b>: "
            f"{summary}<table><thead><tr><th>#</th><th>INSTRUCTION / FILES</th><th>SIZE</th>"
            f"<th>CUMULATIVE</th><th>SHARED WITH</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"{self._waste_html()}</div>"
        )
