"""The registry derives aliases, group help and completion from what commands declare.

These are the README's "Adding a command" claims: a command is its spec, its
``@command`` and its handler; nothing else keeps a list of commands.
"""

import ast
import pathlib
from dataclasses import dataclass
from typing import Annotated

import pytest

from dockermagic.commands import parse_line, registry
from dockermagic.commands.grammar import Parsed, Positional, Rest, flag, refused, repeated, value
from dockermagic.completion import Completer
from dockermagic.errors import CommandError
from dockermagic.session import Session

PACKAGE = pathlib.Path(registry.__file__).resolve().parents[1]


@dataclass(frozen=True)
class FrobSpec:
    containers: tuple[str, ...]
    hard: bool = False


@pytest.fixture
def scratch_registry(monkeypatch):
    """The real registry, copied, so that a command declared here leaves no trace."""
    monkeypatch.setattr(registry, "_COMMANDS", dict(registry._COMMANDS))
    monkeypatch.setattr(registry, "_SPELLINGS", dict(registry._SPELLINGS))
    return registry


def declare_frob(reg, **declared):
    @reg.command(
        "frob",
        "Frobnicate containers",
        [flag("--hard", help="Harder")],
        [Positional("container", many=True)],
        **declared,
    )
    def frob(p: Parsed) -> FrobSpec:
        return FrobSpec(tuple(p.container), p.hard)


def test_a_family_gives_the_management_spelling_and_aliases_add_others(scratch_registry):
    declare_frob(scratch_registry, family="container", aliases=("container frobnicate",))
    assert (
        parse_line("container frob --hard a b") == FrobSpec(("a", "b"), True) == parse_line("frob --hard a b")
    )
    assert parse_line("container frobnicate a") == FrobSpec(("a",))
    assert {"frob", "frobnicate"} <= set(registry.group_members("container"))
    assert "  frobnicate  Frobnicate containers (= frob)" in str(parse_line("container --help"))
    assert "\n  frob  " in registry.overview()
    assert registry.get("container frob").specs == (FrobSpec,)


def test_without_a_family_there_is_no_management_spelling(scratch_registry):
    declare_frob(scratch_registry)
    assert registry.get("frob") is not None and registry.get("container frob") is None


def test_a_spelling_registered_twice_is_refused(scratch_registry):
    declare_frob(scratch_registry, family="container")
    with pytest.raises(RuntimeError, match="'container frob' registered twice"):

        @scratch_registry.command("other", "x", aliases=("container frob",))
        def other(p: Parsed) -> FrobSpec:
            return FrobSpec(())


class Names:
    """Only at the unit level: an engine whose API lists one container and one image."""

    connected = True

    class api:  # noqa: N801 - the SDK's attribute name
        @staticmethod
        def containers(**query):
            return [{"Names": ["/web"]}]

        @staticmethod
        def images(**query):
            return [{"RepoTags": ["debian:bookworm"]}]

        @staticmethod
        def networks(**query):
            return [{"Name": "backend"}]

        @staticmethod
        def volumes(**query):
            return {"Volumes": [{"Name": "data"}], "Warnings": None}

    def get(self):
        return self


def event(text, line=None):
    return type("Event", (), {"line": line or text, "text_until_cursor": text})()


def test_completion_follows_what_the_positionals_name(scratch_registry):
    declare_frob(scratch_registry, family="container")
    session = Session()
    session.engine = Names()
    complete = Completer(session)
    assert complete(None, event("%docker frob ")) == ["web"]
    assert complete(None, event("%docker container frob w")) == ["web"]
    assert complete(None, event("%docker container fr")) == ["frob"]


def test_completes_overrides_the_positionals(scratch_registry):
    declare_frob(scratch_registry, completes=("image",))
    session = Session()
    session.engine = Names()
    assert Completer(session)(None, event("%docker frob ")) == ["debian:bookworm"]


def test_networks_and_volumes_complete_their_own_names():
    session = Session()
    session.engine = Names()
    complete = Completer(session)
    assert complete(None, event("%docker network rm b")) == ["backend"]
    assert complete(None, event("%docker network connect ")) == ["backend", "web"]
    assert complete(None, event("%docker volume rm ")) == ["data"]


def test_completion_reads_the_line_up_to_the_cursor():
    """Tab in the middle of a line completes the word before the cursor, not the line's last."""
    complete = Completer(Session())
    assert complete(None, event("%docker ru", line="%docker ru --rm debian:bookworm")) == ["run"]
    assert complete(None, event("%docker run --net", line="%docker run --net x debian:bookworm true")) == [
        "--net",
        "--net-alias",
        "--network",
        "--network-alias",
    ]


def test_a_group_with_help_prints_the_groups_help():
    for line in ("network -h", "network --help", "network help"):
        text = str(parse_line(line))
        assert text.startswith("Usage:  %docker network COMMAND\n\nCommands:\n")
        assert "\n  ls  " in text and "\n  list  " in text and "(= network ls)" in text


def _strings(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


@pytest.mark.parametrize("module", ["commands/registry.py", "completion.py"])
def test_no_hand_kept_list_of_commands_remains(module):
    """Aliases and completion sets come from the declarations: these modules name no command."""
    named = _strings(PACKAGE / module) & set(registry.spellings())
    assert not named, f"{module} names commands itself: {sorted(named)}"


def test_every_registered_spec_has_a_handler():
    from dockermagic.actions import perform

    fallback = perform.registry[object]
    unhandled = [
        (c.name, s.__name__) for c in registry.commands() for s in c.specs if perform.dispatch(s) is fallback
    ]
    assert not unhandled


# The spec is the grammar: a command declared on its spec dataclass, one line per flag.


@dataclass(frozen=True)
class PolishSpec:
    containers: Annotated[tuple[str, ...], Positional("container", many=True)]
    hard: Annotated[bool, flag("-H", "--hard", help="Harder")] = False
    times: Annotated[int, value("-n", "--times", help="How often", metavar="int", convert=int)] = 1
    tags: Annotated[
        tuple[tuple[str, str], ...], repeated("--tag", help="Tags", freeze=lambda e: tuple(e))
    ] = ()
    words: Annotated[tuple[str, ...], Rest()] = ()
    note: str = "not from the line"


def declare_polish(reg, *extra):
    reg.command("polish", "Polish containers", list(extra), family="container")(PolishSpec)


def test_a_spec_declared_command_fills_its_fields_by_declaration(scratch_registry):
    declare_polish(scratch_registry)
    assert parse_line("polish -H -n 3 a b") == PolishSpec(("a",), True, 3, words=("b",))
    assert parse_line("container polish a") == PolishSpec(("a",))
    found = registry.get("polish")
    assert found.specs == (PolishSpec,) and found.command_rest
    assert found.flags == ("-H", "--hard", "-n", "--times", "--tag")
    # the option's default is the field's
    assert [o.default for o in found.options] == [False, 1, ()]


def test_a_refused_flag_is_refused_by_name_with_its_reason(scratch_registry):
    declare_polish(scratch_registry, refused("--shine", "-s", reason="a notebook has no shine"))
    for line in ("polish --shine a", "polish --shine=x a", "polish -Hs a"):
        with pytest.raises(CommandError) as info:
            parse_line(line)
        message = str(info.value)
        assert "not supported by '%docker polish': a notebook has no shine" in message
        assert "unknown" not in message and "\n" not in message
    found = registry.get("polish")
    assert found.refused_flags == {"--shine": "a notebook has no shine", "-s": "a notebook has no shine"}
    assert "--shine" not in found.flags
    text = str(parse_line("polish --help"))
    assert text.endswith(
        "Refused (the docker CLI's flags that %docker does not take):\n  --shine, -s  a notebook has no shine"
    )


def test_a_spec_declared_command_keeps_every_value_and_fills_every_field(scratch_registry):
    with pytest.raises(RuntimeError, match="--loose has no field in PolishSpec"):
        declare_polish(scratch_registry, flag("--loose", help="x"))

    @dataclass(frozen=True)
    class Orphan:
        needed: str

    with pytest.raises(RuntimeError, match="Orphan.needed has no default and no option"):
        scratch_registry.command("orphan", "x")(Orphan)


def test_a_builder_fills_the_rest_and_omits_what_it_does_not_offer(scratch_registry):
    @scratch_registry.command("buff", "Buff", [flag("--check", help="x")], omit=("times",))
    def buff(p: Parsed) -> PolishSpec:
        return registry.fill(PolishSpec, p, note="checked" if p.check else "no")

    assert parse_line("buff --check -H a") == PolishSpec(("a",), True, note="checked")
    with pytest.raises(CommandError, match="unknown shorthand flag: 'n'"):
        parse_line("buff -n 2 a")


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("save debian:bookworm", "save needs -o FILE: a notebook cell has no stdout to redirect."),
        ("image save -o '' a", "save needs -o FILE: a notebook cell has no stdout to redirect."),
        ("load -q", "load needs -i FILE: a notebook cell has no stdin to read from."),
    ],
)
def test_a_required_option_says_what_to_write(line, said):
    with pytest.raises(CommandError) as info:
        parse_line(line)
    assert str(info.value) == said


def test_a_flag_declared_twice_is_refused_at_registration(scratch_registry):
    with pytest.raises(RuntimeError, match="'polish': -H declared twice"):
        declare_polish(scratch_registry, refused("-H", reason="x"))
    with pytest.raises(RuntimeError, match="'polish': two options fill 'z'"):

        @scratch_registry.command("polish", "x", [flag("-z", help="x"), flag("--z", help="y")])
        def polish(p: Parsed) -> PolishSpec:
            return registry.fill(PolishSpec, p)
