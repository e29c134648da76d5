"""The masking rules one by one: structured Env lists, NAME=value pairs in text (quoted values that
hold pairs themselves), ENV/ARG bodies with spaces, values holding '=', the reveal switch, and the
inspect view's reveal() and secret_names()."""

import pytest

from dockermagic import secrets
from dockermagic.secrets import MASK, looks_secret, mask_doc, mask_env, mask_text, set_reveal
from dockermagic.views.inspect import InspectView


def test_env_lists_are_masked_in_structured_documents_and_only_they():
    doc = {
        "Config": {"Env": ["DB_PASSWORD=s3cret", "A=1"], "Cmd": ["run"]},
        "Mounts": [{"Env": ["API_TOKEN=t"]}],
        "env": "x",
    }
    out = mask_doc(doc)
    assert out == {
        "Config": {"Env": [f"DB_PASSWORD={MASK}", "A=1"], "Cmd": ["run"]},
        "Mounts": [{"Env": [f"API_TOKEN={MASK}"]}],
        "env": "x",
    }
    assert doc["Config"]["Env"][0] == "DB_PASSWORD=s3cret"  # a copy: the kernel keeps the value


def test_a_value_holding_equals_signs_is_masked_whole_and_only_for_its_own_name():
    assert mask_env("API_KEY=a=b") == f"API_KEY={MASK}"
    assert mask_env("A=TOKEN=x") == "A=TOKEN=x"
    assert mask_text("ENV DB_PASSWORD=a=b c") == f"ENV DB_PASSWORD={MASK}"


def test_every_pair_of_an_env_instruction_is_masked_up_to_the_next_name():
    assert mask_text("ENV A=1 B_TOKEN=two words C_PASSWORD=x") == f"ENV A=1 B_TOKEN={MASK} C_PASSWORD={MASK}"


def test_a_quoted_value_is_searched_for_pairs_and_keeps_its_quotes():
    assert mask_text('CMD="API_TOKEN=abc run"') == f'CMD="API_TOKEN={MASK} run"'
    assert mask_text("sh -c 'DB_PASSWORD=x ./start'") == f"sh -c 'DB_PASSWORD={MASK} ./start'"


def test_empty_and_missing_text_pass_through():
    assert mask_text(None) is None and mask_text("") == ""
    assert looks_secret(None) is False and looks_secret("") is False and looks_secret("AUTHOR") is False


def test_the_reveal_switch_turns_masking_off_and_on():
    try:
        set_reveal(1)
        assert secrets.policy.reveal is True
        assert mask_env("DB_PASSWORD=x") == "DB_PASSWORD=x" and mask_text("A_TOKEN=y") == "A_TOKEN=y"
    finally:
        set_reveal(0)
    assert secrets.policy.reveal is False and mask_env("DB_PASSWORD=x") == f"DB_PASSWORD={MASK}"


def test_reveal_reads_only_env_lists_and_names_what_is_missing():
    view = InspectView({"Config": {"Cmd": ["X=1"], "Env": ["A=b=c", "DB_PASSWORD=p=q"]}})
    assert view.reveal("A") == "b=c" and view.reveal("DB_PASSWORD") == "p=q"
    with pytest.raises(KeyError) as info:
        view.reveal("X")
    assert info.value.args[0] == "no environment variable 'X' in this document"
    assert view.secret_names() == ["DB_PASSWORD"]
