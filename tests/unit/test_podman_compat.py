"""What Podman's engine sends otherwise than Docker's, read as the CLI reads Docker's."""

from __future__ import annotations

from dockermagic.engine.build import BuildRun
from dockermagic.engine.errors import explain
from dockermagic.errors import Conflict
from dockermagic.parsing.imageref import familiar


def test_full_names_are_shown_as_the_cli_shows_them():
    assert familiar("docker.io/library/debian:bookworm") == "debian:bookworm"
    assert familiar("docker.io/someone/tool:1") == "someone/tool:1"
    assert familiar("localhost/debian:bookworm") == "localhost/debian:bookworm"
    assert familiar("127.0.0.1:5000/x/y:1") == "127.0.0.1:5000/x/y:1"
    assert familiar("debian:bookworm") == "debian:bookworm"


def test_podmans_build_steps_are_steps():
    run = BuildRun()
    for text in ["STEP 1/2: FROM debian:bookworm\n", "STEP 2/2: RUN echo hi\n", "hi\n"]:
        run.feed({"stream": text})
    docker = BuildRun()
    docker.feed({"stream": "Step 1/1 : FROM debian:bookworm\n"})
    assert [(s.number, s.total, s.instruction) for s in run.steps] == [
        (1, 2, "FROM debian:bookworm"),
        (2, 2, "RUN echo hi"),
    ]
    assert run.steps[1].output == ["hi"]
    assert [(s.number, s.instruction) for s in docker.steps] == [(1, "FROM debian:bookworm")]


class _Response:
    def __init__(self, status):
        self.status_code = status


class APIError(Exception):
    def __init__(self, status, explanation):
        super().__init__(explanation)
        self.response, self.explanation = _Response(status), explanation


def test_a_name_in_use_is_a_conflict_on_podman_too():
    podman = (
        'creating container storage: the container name "web" is already in use by 1a6e. You have to '
        "remove that container to be able to reuse that name: that name is already in use"
    )
    assert isinstance(explain(APIError(500, podman)), Conflict)
    assert isinstance(
        explain(APIError(409, 'Conflict. The container name "/web" is already in use')), Conflict
    )
    assert not isinstance(explain(APIError(500, "something else broke")), Conflict)
