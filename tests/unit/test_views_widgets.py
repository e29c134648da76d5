"""How views display: text + HTML always; the widget only when a front end can show it."""

from dockermagic.views import frontend, widgets
from dockermagic.views.inspect import InspectView

from ._viewdata import load

SECRETS = ("hunter2-secret", "tok-123")


def test_no_front_end_means_text_and_html():
    b = InspectView(load("container_inspect.json"))._repr_mimebundle_()
    assert set(b) == {"text/plain", "text/html"}
    assert not any(s in str(b) for s in SECRETS)


def test_front_end_adds_the_widget_and_keeps_the_fallbacks(monkeypatch):
    monkeypatch.setattr(frontend, "widget_frontend", lambda: True)
    view = InspectView(load("container_inspect.json"))
    b = view._repr_mimebundle_()
    assert set(b) == {"text/plain", "text/html", widgets.WIDGET_MIME}
    model = b[widgets.WIDGET_MIME]["model_id"]
    assert model == view._widget.model_id
    state = str([c.get_state() for c in view._widget.children])
    assert not any(s in state for s in SECRETS)
