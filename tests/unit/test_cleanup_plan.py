"""What clean-up removes per mode (a pure function of labels), the watchdog's messages,
the session commands' grammar, and that loading the extension starts no watchdog."""

from __future__ import annotations

import io

import pytest

from dockermagic.commands import parse_line
from dockermagic.commands.session import SessionRmSpec, SessionSpec
from dockermagic.engine.labelled import CONTAINER, IMAGE, NETWORK, VOLUME, Labelled
from dockermagic.errors import CommandError
from dockermagic.reaper.model import EXEC, MODE, Mode, message, read_message
from dockermagic.reaper.model import IMAGE as IMAGE_MESSAGE
from dockermagic.reaper.plan import doomed, removed_by
from dockermagic.reaper.watchdog import listen
from dockermagic.session import SESSION_LABEL, TEMPORARY_LABEL

ME, OTHER = "aaaaaaaaaaaa", "bbbbbbbbbbbb"


def item(kind: str, ident: str, session: str | None = ME, temporary: bool = False) -> Labelled:
    labels = {SESSION_LABEL: session} if session else {}
    if temporary:
        labels[TEMPORARY_LABEL] = "1"
    return Labelled(kind, ident, ident, "", labels)


TEMP = item(CONTAINER, "rm-container", temporary=True)
KEPT = item(CONTAINER, "d-container")
NET = item(NETWORK, "net")
VOL = item(VOLUME, "vol")
IMG = item(IMAGE, "sha256:labelled")
COMMITTED = item(IMAGE, "sha256:committed", session=None)  # no session label: known by id
THEIRS = item(CONTAINER, "other-kernel", session=OTHER, temporary=True)
NOBODYS = item(CONTAINER, "cli-made", session=None, temporary=True)
ALL = [TEMP, KEPT, NET, VOL, IMG, COMMITTED, THEIRS, NOBODYS]
BUILT = frozenset({"sha256:committed"})


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (Mode.TEMPORARY, {"rm-container"}),
        (Mode.SESSION, {"rm-container", "d-container", "net", "vol", "sha256:labelled", "sha256:committed"}),
        (Mode.NONE, set()),
    ],
)
def test_each_mode_removes_exactly_its_share(mode, expected):
    assert {i.id for i in ALL if removed_by(i, mode, ME, BUILT)} == expected


def test_another_kernels_objects_are_never_this_kernels_to_remove():
    # a restarted kernel has a new session id: its predecessor's watchdog must spare it
    for mode in Mode:
        assert not removed_by(THEIRS, mode, ME, BUILT)
        assert removed_by(THEIRS, mode, OTHER) == (mode is not Mode.NONE)


def test_a_built_image_goes_only_under_session():
    assert not removed_by(COMMITTED, Mode.TEMPORARY, ME, BUILT)
    assert removed_by(COMMITTED, Mode.SESSION, ME, BUILT)
    assert not removed_by(COMMITTED, Mode.SESSION, ME)  # not recorded, no label: not ours


def test_temporary_label_on_a_network_does_not_make_it_temporary():
    assert not removed_by(item(NETWORK, "n", temporary=True), Mode.TEMPORARY, ME)


def test_order_containers_first_images_last_each_once():
    shuffled = [IMG, VOL, NET, KEPT, TEMP, COMMITTED, TEMP, NET]
    kinds = [i.kind for i in doomed(shuffled, Mode.SESSION, ME, BUILT)]
    assert kinds == [CONTAINER, CONTAINER, NETWORK, VOLUME, IMAGE, IMAGE]


def test_messages_round_trip_and_junk_is_ignored():
    assert read_message(message(MODE, "session")) == (MODE, "session")
    assert read_message(message(IMAGE_MESSAGE, "sha256:x")) == (IMAGE_MESSAGE, "sha256:x")
    for junk in (b"", b"\n", b"mode\n", b"mode everything\n", b"rm -rf /\n", b"\xff\xfe\n"):
        assert read_message(junk) is None


def test_the_watchdog_keeps_the_last_mode_every_image_and_exec_until_end_of_file():
    pipe = io.BytesIO(
        message(MODE, "none")
        + message(IMAGE_MESSAGE, "sha256:a")
        + b"garbage\n"
        + message(EXEC, "c1 e1")
        + message(EXEC, "c1")  # malformed: ignored
        + message(MODE, "session")
        + message(IMAGE_MESSAGE, "sha256:b")
    )
    heard = listen(pipe, Mode.TEMPORARY)
    assert (heard.mode, heard.built, heard.execs) == (Mode.SESSION, {"sha256:a", "sha256:b"}, {"e1": "c1"})
    empty = listen(io.BytesIO(b""), Mode.TEMPORARY)
    assert (empty.mode, empty.built, empty.execs) == (Mode.TEMPORARY, set(), {})


@pytest.mark.parametrize(
    ("line", "spec"),
    [
        ("session", SessionSpec(False)),
        ("session --notebook", SessionSpec(True)),
        ("session rm", SessionRmSpec(False)),
        ("session rm --notebook", SessionRmSpec(True)),
        ("session --notebook rm", SessionRmSpec(True)),
    ],
)
def test_session_grammar(line, spec):
    assert parse_line(line) == spec


def test_session_unknown_argument_is_one_line():
    with pytest.raises(CommandError) as info:
        parse_line("session ls")
    assert "'%docker session rm'" in str(info.value) and "\n" not in str(info.value)


def test_load_starts_no_watchdog_and_a_bad_mode_is_refused(shell):
    shell.run_line_magic("reload_ext", "dockermagic")
    magics = shell.magics_manager.registry["DockerMagics"]
    assert magics.keeper.pids == [] and magics.keeper.watchdogs == {}
    shell.run_line_magic("config", "DockerMagics.cleanup = 'everything'")  # printed as one ERROR line
    assert magics.cleanup == "temporary" and magics.keeper.mode is Mode.TEMPORARY
    shell.run_line_magic("config", "DockerMagics.cleanup = 'none'")
    try:
        assert magics.keeper.mode is Mode.NONE
        magics.keeper()  # a creation under "none": still no process
        assert magics.keeper.pids == []
    finally:
        magics.keeper.created = False  # (else going back to "temporary" would start one now)
        shell.run_line_magic("config", "DockerMagics.cleanup = 'temporary'")
    assert magics.keeper.pids == []


def test_session_view_escapes_names_and_hands_out_handles_by_name():
    from dockermagic.views.session import SessionTable

    row = {
        "kind": "container",
        "name": "<b>x</b>",
        "id": "0123456789ab",
        "state": "running",
        "kernel": "this",
        "on_exit": "removed",
    }
    handle = object()
    view = SessionTable([row], "Created by session s1", {"<b>x</b>": handle})
    assert "<b>x</b>" not in view.html() and "&lt;b&gt;x&lt;/b&gt;" in view.html()
    assert view.text().splitlines()[0] == "Created by session s1"
    assert view["<b>x</b>"] is handle and view[0] == row and view.containers == [handle]
    with pytest.raises(KeyError, match="no container named 'y' here"):
        view["y"]
    assert SessionTable([], "Created by session s1").text() == "Created by session s1: nothing"
