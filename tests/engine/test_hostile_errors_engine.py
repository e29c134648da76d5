"""Errors name their real cause, on the real engine."""

import pytest
from IPython.core.error import UsageError

from tests.conftest import BASE_IMAGE


def test_save_to_a_missing_directory_names_the_local_path(ip, tmp_path):
    target = tmp_path / "no-such-dir" / "x.tar"
    with pytest.raises(UsageError) as caught:
        ip.run_line_magic("docker", f"save -o {target} {BASE_IMAGE}")
    assert str(target.parent) in str(caught.value) and "this machine" in str(caught.value)
    assert "socket" not in str(caught.value) and not target.parent.exists()
