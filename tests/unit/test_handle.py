"""objects/handle.py: what every handle shares, on inspect documents without an engine."""

from dockermagic.objects.handle import Handle


class Thing(Handle):
    """A handle whose 'engine' is a dict of documents; counts its inspections."""

    def __init__(self, docs: dict, ref: str, attrs=None):
        self.docs, self.calls = docs, 0
        super().__init__(session=None, ref=ref, attrs=attrs)

    def _inspect(self, ref: str) -> dict:
        self.calls += 1
        return dict(self.docs[ref])


class Other(Thing):
    pass


DOCS = {
    "web": {"Id": "abc123def456789", "Name": "/web"},
    "abc123def456789": {"Id": "abc123def456789", "Name": "/web2"},
    "img": {"Id": "sha256:0123456789abcdef0123"},
}


def test_identity_comes_from_the_inspect_document():
    web = Thing(DOCS, "web")
    assert (web.id, web.short_id, web.name, web.calls) == ("abc123def456789", "abc123def456", "web", 1)
    image = Thing(DOCS, "img")
    assert (image.short_id, image.name) == ("0123456789ab", "")


def test_attrs_given_are_not_inspected_again_and_reload_reads_by_id():
    web = Thing(DOCS, "web", attrs=DOCS["web"])
    assert web.calls == 0
    assert web.reload() is web and web.calls == 1 and web.name == "web2"


def test_equal_when_same_kind_and_id():
    a, b = Thing(DOCS, "web"), Thing(DOCS, "abc123def456789")
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != Other(DOCS, "web") and a != Thing(DOCS, "img") and a != "abc123def456789"


def test_repr_names_the_kind_and_the_object():
    assert repr(Thing(DOCS, "web")) == "<Thing web abc123def456>"
    assert repr(Other(DOCS, "img")) == "<Other 0123456789ab>"
