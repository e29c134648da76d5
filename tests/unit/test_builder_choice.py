"""The default builder ('auto'), how the engine's BuildKit is detected (once per engine), and
``builder prune``'s grammar."""

from __future__ import annotations

import pytest

from dockermagic.actions import buildkit as choice
from dockermagic.commands import parse_line
from dockermagic.commands.build import BuildSpec
from dockermagic.commands.builder import BuilderPruneSpec
from dockermagic.errors import CommandError
from dockermagic.magics import DockerMagics
from dockermagic.session import Settings

DOCKER_20_10 = {
    "Os": "linux",
    "ApiVersion": "1.41",
    "Version": "20.10.24+dfsg1",
    "Components": [{"Name": "Engine"}, {"Name": "containerd"}],
}
PODMAN_4_3 = {
    "Os": "linux",
    "ApiVersion": "1.41",
    "Version": "4.3.1",
    "Components": [{"Name": "Podman Engine"}, {"Name": "Conmon"}],
}


class Api:
    """An API client that answers ``GET /version`` and counts the calls."""

    def __init__(self, version: dict):
        self.answer, self.calls = version, 0

    def version(self):
        self.calls += 1
        return self.answer


class Session:
    def __init__(self, version: dict, builder: str = Settings().builder):
        self.api = Api(version)
        self.settings = Settings(builder=builder)


def test_the_default_builder_is_auto():
    assert Settings().builder == "auto"
    assert DockerMagics.class_traits()["builder"].default_value == "auto"


@pytest.mark.parametrize(
    "version, buildkit",
    [
        (DOCKER_20_10, True),
        (PODMAN_4_3, False),  # answers /build, but POST /session is a 404
        ({**DOCKER_20_10, "Os": "windows"}, False),
        ({**DOCKER_20_10, "ApiVersion": "1.38"}, False),  # sessions were experimental before 1.39
    ],
)
def test_auto_takes_buildkit_where_the_engine_serves_it(version, buildkit):
    assert choice.chosen(BuildSpec("."), Session(version)) is buildkit


def test_auto_takes_the_classic_builder_for_its_own_options():
    assert choice.chosen(BuildSpec(".", memory=64 * 2**20), Session(DOCKER_20_10)) is False
    assert choice.chosen(BuildSpec(".", squash=True), Session(DOCKER_20_10)) is False


def test_a_secret_where_auto_cannot_take_buildkit_is_refused_in_one_line():
    secret = (("tok", "env", "TOKEN"),)
    with pytest.raises(CommandError, match=r"^--secret needs BuildKit, which this engine \(4\.3\.1\)"):
        choice.chosen(BuildSpec(".", secrets=secret), Session(PODMAN_4_3))
    with pytest.raises(CommandError, match=r"^--secret needs BuildKit and --memory the classic builder"):
        choice.chosen(BuildSpec(".", secrets=secret, memory=1 << 26), Session(DOCKER_20_10))


def test_the_engine_is_asked_once_per_client():
    session = Session(DOCKER_20_10)
    for _ in range(3):
        choice.chosen(BuildSpec("."), session)
    assert session.api.calls == 1
    other = Session(DOCKER_20_10)  # another client (another engine, or the same one reconnected)
    choice.chosen(BuildSpec("."), other)
    assert other.api.calls == 1


def test_builder_prune_grammar():
    spec = parse_line("builder prune -af --filter until=24h --keep-storage 1g")
    assert spec == BuilderPruneSpec(all=True, filters=(("until", ("24h",)),), keep_storage=1 << 30)
    assert parse_line("builder prune -f") == BuilderPruneSpec()
    assert isinstance(parse_line("builder build -t x ."), BuildSpec)


@pytest.mark.parametrize(
    "line, said",
    [
        ("builder prune", "'%docker builder prune' removes all dangling build cache: add -f to confirm"),
        ("builder prune -a", "'%docker builder prune' removes all unused build cache: add -f to confirm"),
        ("builder prune -f --filter label=a=1", "builder prune --filter label=...: build cache is selected"),
        ("builder prune -f --keep-storage lots", 'invalid argument "lots" for "--keep-storage"'),
    ],
)
def test_builder_prune_refusals(line, said):
    with pytest.raises(CommandError) as info:
        parse_line(line)
    assert str(info.value).startswith(said) and "\n" not in str(info.value)


def test_build_cache_is_listed_while_someone_elses_disk_usage_count_runs():
    """GET /system/df counts for one caller at a time and refuses the others with a 500."""
    from dockermagic.engine.buildkit.build import cache_records
    from dockermagic.engine.pruning import DF_BUSY
    from dockermagic.errors import EngineError

    class Busy:
        calls = 0

        def df(self):
            self.calls += 1
            if self.calls < 3:
                raise EngineError(f"Internal Server Error ({DF_BUSY})", 500)
            return {"BuildCache": [{"ID": "r1"}]}

    api = Busy()
    assert cache_records(api) == [{"ID": "r1"}] and api.calls == 3


def test_progress_is_taken_as_the_cli_writes_it_and_tty_is_refused():
    """A pasted ``--progress=plain`` builds (the lines are plain progress anyway); tty needs a
    terminal, which a cell is not; an unknown mode is named with the ones there are."""
    assert parse_line("build --progress=plain .").progress == "plain"
    assert parse_line("build .").progress == "auto"
    with pytest.raises(CommandError, match="--progress=tty draws on a terminal"):
        parse_line("build --progress tty .")
    with pytest.raises(CommandError, match="use auto, plain, tty"):
        parse_line("build --progress=fancy .")
