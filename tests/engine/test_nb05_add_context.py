"""The notes' ADD ~/sample.txt: the build error says where ADD reads from, in the failing step's line."""

import os
import tempfile

import pytest
from IPython.core.error import UsageError

from tests.conftest import BASE_IMAGE


@pytest.mark.parametrize(
    "builder, says",
    [
        ("", "[2/2] ADD ~/sample.txt /sample.txt failed: "),  # the default, BuildKit
        (
            "--builder classic",
            "Step 2/3 (ADD ~/sample.txt /sample.txt) failed: ADD failed: file not found in build context",
        ),
    ],
)
def test_add_from_home_says_where_add_reads_from(ip, unique, builder, says):
    context = tempfile.mkdtemp(prefix="dmt-context-")
    with open(os.path.join(context, "sample.txt"), "w") as f:
        f.write("in the context\n")
    try:
        with pytest.raises(UsageError) as info:
            ip.run_cell_magic(
                "dockerfile",
                f"-q -t {unique}:add --context {context} {builder}",
                f"FROM {BASE_IMAGE}\nADD ~/sample.txt /sample.txt\n",
            )
    finally:
        os.remove(os.path.join(context, "sample.txt"))
        os.rmdir(context)
    message = str(info.value)
    assert message.startswith(says) and ("not found" in message or "no such file" in message)
    assert message.endswith(
        "-> ADD and COPY read from the build context (--context DIR, by default the "
        "working directory), never from elsewhere on the host, and expand no '~': put "
        "the file in the context and name it relative to it."
    )
