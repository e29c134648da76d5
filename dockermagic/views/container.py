"""A container at a glance: name, id, image, status, address, reachable ports."""

from __future__ import annotations

from .base import View, escape


class ContainerCard(View):
    """``data``: name, id, image, status, ip, ports [(container_port, host_ip, host_port)]."""

    def __init__(self, data: dict):
        self.data = data

    def _port_lines(self) -> list[str]:
        lines = []
        for ctr, host_ip, host_port in self.data.get("ports", []):
            if host_port:
                lines.append(f"{ctr} -> {host_ip or '0.0.0.0'}:{host_port}")
            else:
                lines.append(f"{ctr} (not published)")
        return lines

    def text(self) -> str:
        d = self.data
        head = f"Container {d['name']} ({d['id'][:12]}) from {d['image']}: {d['status']}"
        lines = [head]
        if d.get("ip"):
            lines.append(f"  IP address: {d['ip']}")
        for line in self._port_lines():
            lines.append(f"  port {line}")
        return "\n".join(lines)

    def html(self) -> str:
        d = self.data
        ports = "".join(f"<li><code>{escape(line)}</code></li>" for line in self._port_lines())
        ip = f" &middot; IP <code>{escape(d['ip'])}</code>" if d.get("ip") else ""
        return (
            f"<div class='dockermagic-container'><b>{escape(d['name'])}</b> "
            f"<code>{escape(d['id'][:12])}</code> from <code>{escape(d['image'])}</code>: "
            f"{escape(d['status'])}{ip}" + (f"<ul>{ports}</ul>" if ports else "") + "</div>"
        )
