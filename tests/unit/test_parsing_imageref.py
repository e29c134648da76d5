"""parsing.imageref: one reading of image references for every family."""

import pytest

from dockermagic.parsing.imageref import registry_host, split, with_tag


@pytest.mark.parametrize(
    "ref, expected",
    [
        ("debian", ("debian", "latest")),
        ("debian:bookworm", ("debian", "bookworm")),
        ("library/debian:12", ("library/debian", "12")),
        ("127.0.0.1:5000/library/debian", ("127.0.0.1:5000/library/debian", "latest")),
        ("127.0.0.1:5000/library/debian:bookworm", ("127.0.0.1:5000/library/debian", "bookworm")),
        ("debian@sha256:abc", ("debian", "sha256:abc")),
        ("host:5000/x:1@sha256:abc", ("host:5000/x:1", "sha256:abc")),
        ("<none>:<none>", ("<none>", "<none>")),
    ],
)
def test_split(ref, expected):
    assert split(ref) == expected


@pytest.mark.parametrize(
    "ref, expected",
    [
        ("debian", "debian:latest"),
        ("debian:12", "debian:12"),
        ("localhost:5000/x", "localhost:5000/x:latest"),
        ("x@sha256:abc", "x@sha256:abc"),
    ],
)
def test_with_tag(ref, expected):
    assert with_tag(ref) == expected


@pytest.mark.parametrize(
    "ref, host",
    [
        ("debian", None),
        ("library/debian", None),
        ("user/app:1", None),
        ("127.0.0.1:5000/debian", "127.0.0.1:5000"),
        ("localhost/app", "localhost"),
        ("registry.example/team/app", "registry.example"),
        ("Upper/app", "Upper"),
        ("localhost", None),
    ],
)
def test_registry_host(ref, host):
    assert registry_host(ref) == host
