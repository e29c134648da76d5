"""Tab completion from the registry, and from cached engine names once connected."""

from dockermagic.completion import Completer
from dockermagic.session import Session


class FakeEngine:
    """Only at the unit level: counts list calls to prove the cache."""

    def __init__(self):
        self.calls = 0
        outer = self

        class Api:
            def containers(self, all=False, **query):
                outer.calls += 1
                return [{"Names": ["/web"]}, {"Names": ["/db", "/web/db"]}]

            def images(self, **query):
                outer.calls += 1
                return [{"RepoTags": ["debian:bookworm"]}, {"RepoTags": ["<none>:<none>"]}]

        self._client = type("Client", (), {"api": Api()})()
        self.connected = True

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
    assert complete(c, "%docker ps -")[:2] == ["--all", "--filter"]


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


# -- through IPython's own completer, as a front end asks for it on Tab -------------------


def ipython_completions(shell, text: str) -> list[tuple[str, int, int]]:
    """What Tab at the end of ``text`` offers: (text, start, end) of each completion."""
    from IPython.core.completer import provisionalcompleter

    with provisionalcompleter():
        return [(c.text, c.start, c.end) for c in shell.Completer.completions(text, len(text))]


def test_ipython_completer_offers_subcommands_and_flags(shell):
    assert ipython_completions(shell, "%docker ru") == [("run", 8, 10)]
    assert ipython_completions(shell, "%docker network co") == [("connect", 16, 18)]
    flags = [
        t for t, start, end in ipython_completions(shell, "%docker run --net") if (start, end) == (12, 17)
    ]
    assert flags == ["--net", "--net-alias", "--network", "--network-alias"]
    assert ("--all", 11, 15) in ipython_completions(shell, "%docker ps --al")


def test_ipython_completer_after_an_assignment(shell):
    """``box = %docker run ...`` is how the README writes it."""
    assert ipython_completions(shell, "box = %docker ru") == [("run", 14, 16)]


def test_ipython_completer_offers_engine_names_once_connected(shell, monkeypatch):
    session = shell.magics_manager.registry["DockerMagics"].session
    monkeypatch.setattr(session, "engine", FakeEngine())
    assert ("web", 13, 14) in ipython_completions(shell, "%docker stop w")
    assert ("db", 7, 8) in ipython_completions(shell, "%dexec d")
    assert ("debian:bookworm", 16, 18) in ipython_completions(shell, "c = %docker run de")


def test_ipython_completer_completes_after_a_colon(shell, monkeypatch):
    """IPython replaces the text after its last delimiter: a tag is completed from the ':'."""
    session = shell.magics_manager.registry["DockerMagics"].session
    monkeypatch.setattr(session, "engine", FakeEngine())
    assert ("bookworm", 19, 20) in ipython_completions(shell, "%docker run debian:b")
