"""A handle on one image: tags, size, history, layers."""

from __future__ import annotations

from typing import Any

from ..engine import images as engine
from ..engine.layers import layers_of
from ..parsing.imageref import familiar
from ..views.base import escape, human_size
from ..views.history import HistoryView
from ..views.layers import LayersView
from .handle import Handle


class Image(Handle):
    def __init__(self, session: Any, ref: str, attrs: dict | None = None, build_log: str | None = None):
        super().__init__(session, ref, attrs)
        self.build_log = build_log
        # set by a build: its steps as a view, and the bytes of context it sent
        self.build_steps: Any = None
        self.context_bytes: int | None = None

    def _inspect(self, ref: str) -> dict:
        return engine.inspect(self._api, ref)

    @property
    def tags(self) -> list[str]:
        return [familiar(t) for t in self.attrs.get("RepoTags") or []]

    @property
    def size(self) -> int:
        return self.attrs.get("Size", 0)

    @property
    def created(self) -> str:
        return self.attrs.get("Created", "")

    @property
    def labels(self) -> dict:
        return (self.attrs.get("Config") or {}).get("Labels") or {}

    @property
    def layer_digests(self) -> list[str]:
        return list((self.attrs.get("RootFS") or {}).get("Layers") or [])

    def history(self, no_trunc: bool = False) -> HistoryView:
        return HistoryView(engine.history(self._api, self.id), no_trunc=no_trunc)

    def layers(self) -> LayersView:
        return LayersView(layers_of(self._api, self.id))

    def tag(self, repository: str, tag: str | None = None) -> Image:
        """Tag the image as ``repository`` (``repo[:tag]``), or ``repository:tag`` when ``tag`` is given."""
        engine.tag(self._api, self.id, repository if tag is None else f"{repository}:{tag}")
        self.reload()
        return self

    def remove(self, force: bool = False) -> None:
        engine.remove(self._api, self.id, force=force)

    def _repr_label(self) -> str:
        return ", ".join(self.tags) or self.short_id

    def _summary(self) -> str:
        tags = ", ".join(self.tags) or "<untagged>"
        return f"Image {tags} ({self.short_id}), {human_size(self.size)}, {len(self.layer_digests)} layers"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(self._summary() + "\n" + self.history().text())

    def _repr_html_(self) -> str:
        return f"<div class='dockermagic-image'><b>{escape(self._summary())}</b>{self.history().html()}</div>"
