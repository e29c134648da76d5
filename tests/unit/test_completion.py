"""Tab completion from the registry, and from cached engine names once connected."""
from dockermagic.completion import Completer
from dockermagic.session import Session


class FakeEngine:
    """Only at the unit level: counts list calls to prove the cache."""

    def __init__(self):
        self.calls = 0
        outer = self

        class Api:
            def containers(self, all=False):
                outer.calls += 1
                return [{"Names": ["/web"]}, {"Names": ["/db", "/web/db"]}]

            def images(self):
                outer.calls += 1
                return [{"RepoTags": ["debian:bookworm"]}, {"RepoTags": ["<none>:<none>"]}]

        self._client = type("Client", (), {"api": Api()})()

    def get(self):
        return self._client


def complete(completer, line):
    event = type("Event", (), {"line": line, "symbol": line.split()[-1] if not line.endswith(" ") else ""})()
    return completer(None, event)


def test_subcommands_groups_and_flags():
    c = Completer(Session())
    assert complete(c, "%docker ru") == ["run"]
    assert "connect" in complete(c, "%docker network ")
    assert complete(c, "%docker run --net") == ["--net", "--net-alias", "--network", "--network-alias"]
    assert complete(c, "%docker ps -") [:2] == ["--all", "--filter"]


def test_names_need_a_connection_and_are_cached():
    session = Session()
    c = Completer(session)
    assert complete(c, "%docker stop w") == []  # not connected: nothing asked of any engine
    engine = FakeEngine()
    session.engine = engine
    assert complete(c, "%docker stop w") == ["web"]
    assert complete(c, "%docker run de") == ["debian:bookworm"]
    assert complete(c, "%dexec d") == ["db"]
    calls = engine.calls
    for _ in range(20):
        complete(c, "%docker stop w")
    assert engine.calls == calls
