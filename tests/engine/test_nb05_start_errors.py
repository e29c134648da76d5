"""The notes' start-time mistakes, against the real engine: one line that says what to write instead."""

import pytest
from IPython.core.error import UsageError

from tests.conftest import BASE_IMAGE


def test_an_option_after_the_image_name_becomes_the_command(ip, unique):
    with pytest.raises(UsageError) as info:
        ip.run_line_magic("docker", f"run --rm --name {unique} {BASE_IMAGE} -v /srv:/download")
    message = str(info.value)
    assert "\n" not in message
    assert 'exec: "-v": executable file not found' in message
    assert "'-v' is not a program in the image: options of run go before the image name" in message


def test_a_user_that_does_not_exist_stops_the_start(ip, unique):
    with pytest.raises(UsageError) as info:
        ip.run_line_magic("docker", f"run --rm --name {unique} -u user2 {BASE_IMAGE} true")
    assert str(info.value).endswith(
        "user 'user2' does not exist in the image: create it first "
        "(RUN useradd user2 before USER user2), or run as an existing user (-u)."
    )
