"""A handle on one image: tags, size, history, layers."""
from __future__ import annotations

from ..engine.containers import call
from ..engine.images import inspect
from ..views.base import escape, human_size
from ..views.history import HistoryView


class Image:
    def __init__(self, session, ref: str, attrs: dict | None = None, build_log: str | None = None):
        self._session = session
        self.build_log = build_log
        self.attrs = attrs if attrs is not None else inspect(session.api, ref)

    def reload(self) -> "Image":
        self.attrs = inspect(self._session.api, self.id)
        return self

    @property
    def id(self) -> str:
        return self.attrs["Id"]

    @property
    def short_id(self) -> str:
        return self.id.replace("sha256:", "")[:12]

    @property
    def tags(self) -> list[str]:
        return list(self.attrs.get("RepoTags") or [])

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
        return HistoryView(call(self._session.api.history, self.id), no_trunc=no_trunc)

    def layers(self):
        from ..engine.layers import layers_of
        from ..views.layers import LayersView

        return LayersView(layers_of(self._session.api, self.id))

    def tag(self, repository: str, tag: str | None = None) -> "Image":
        from ..engine.images import split_ref

        repo, parsed = split_ref(repository) if tag is None else (repository, tag)
        call(self._session.api.tag, self.id, repo, parsed)
        return self.reload()

    def remove(self, force: bool = False) -> None:
        call(self._session.api.remove_image, self.id, force=force)

    def _summary(self) -> str:
        tags = ", ".join(self.tags) or "<untagged>"
        return f"Image {tags} ({self.short_id}), {human_size(self.size)}, {len(self.layer_digests)} layers"

    def _repr_pretty_(self, p, cycle):
        p.text(self._summary() + "\n" + self.history().text())

    def _repr_html_(self) -> str:
        return f"<div class='dockermagic-image'><b>{escape(self._summary())}</b>{self.history().html()}</div>"

    def __repr__(self) -> str:
        return f"<Image {', '.join(self.tags) or self.short_id}>"
