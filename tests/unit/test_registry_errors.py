"""Registry failures are one line that names the cause in words, not the engine's raw
network error (which carries resolver addresses and registry host names)."""

import pytest

from dockermagic.engine.images import registry_error, registry_of

# The shape of what dockerd 20.10 says when a search or pull cannot reach Docker Hub on a machine
# without internet (the hub's host names replaced by a reserved one: the message must not echo it).
RAW_SEARCH = (
    'Get "https://index.hub.invalid/v1/search?q=debian&n=5": dial tcp: lookup '
    "index.hub.invalid on 10.255.255.53:53: no such host"
)
RAW_PULL = (
    'Get "https://registry.hub.invalid/v2/": dial tcp: lookup registry.hub.invalid '
    "on 10.255.255.53:53: no such host"
)


@pytest.mark.parametrize(
    "action, ref, raw", [("search for", "debian", RAW_SEARCH), ("pull", "debian:bookworm", RAW_PULL)]
)
def test_unreachable_docker_hub_is_named_without_its_host(action, ref, raw):
    message = str(registry_error(action, ref, raw))
    assert message == (
        f"Cannot {action} {ref}: Docker Hub cannot be reached from the engine "
        "(its name does not resolve). Check the engine's network or its registry mirror."
    )
    assert "hub.invalid" not in message and "10.255.255.53" not in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "raw, cause",
    [
        ("dial tcp 127.0.0.1:5999: connect: connection refused", "the connection was refused"),
        ("dial tcp 10.0.0.1:443: i/o timeout", "the connection timed out"),
        ("dial tcp: lookup example.invalid: server misbehaving", "its name does not resolve"),
        ("dial tcp 10.0.0.1:443: connect: network is unreachable", "no network route leads to it"),
        ("net/http: TLS handshake timeout", "the TLS handshake failed"),
    ],
)
def test_each_network_cause_in_words(raw, cause):
    assert f"({cause})" in str(registry_error("pull", "x", raw))


def test_other_registry_errors_keep_the_engine_message():
    message = str(registry_error("pull", "127.0.0.1:5000/nosuch:1", "manifest unknown: manifest unknown"))
    assert message == "Cannot pull 127.0.0.1:5000/nosuch:1: manifest unknown: manifest unknown"


@pytest.mark.parametrize(
    "ref, registry",
    [
        ("debian", "Docker Hub"),
        ("library/debian:bookworm", "Docker Hub"),
        ("user/app", "Docker Hub"),
        ("127.0.0.1:5000/app:1", "the registry 127.0.0.1:5000"),
        ("localhost/app", "the registry localhost"),
        ("registry.example.org/team/app", "the registry registry.example.org"),
    ],
)
def test_registry_named_by_the_reference(ref, registry):
    assert registry_of(ref) == registry
