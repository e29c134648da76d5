"""Escape sequences that ncurses programs (mysql's client, nano) send leave no residue on the screen."""

from dockermagic.views.screen import Screen


def _shown(data: bytes) -> str:
    screen = Screen()
    screen.feed(data)
    return screen.text


def test_charset_designation_is_dropped():
    # ESC ( B selects the ASCII character set: seen before every line of the MariaDB monitor's banner
    assert (
        _shown(b"\x1b(BWelcome to the MariaDB monitor.\r\n\x1b(B\x1b(BServer version")
        == "Welcome to the MariaDB monitor.\nServer version"
    )
    assert _shown(b"\x1b)0line") == "line"


def test_one_character_escapes_are_dropped():
    # ESC = / ESC > switch the keypad mode, ESC 7 / ESC 8 save and restore the cursor, ESC c resets
    assert _shown(b"\x1b=ab\x1b>") == "ab"
    assert _shown(b"\x1b7x\x1b8") == "x"
    assert _shown(b"\x1bcy") == "y"


def test_csi_and_osc_are_still_dropped():
    assert _shown(b"\x1b[1;32mgreen\x1b[0m \x1b]0;title\x07done") == "green done"
