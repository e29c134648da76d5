"""Errors name their real cause: a local path as a local path, an engine with its address."""

import errno

from dockermagic.engine.errors import current, explain
from dockermagic.errors import EngineUnavailable, LocalPathError


def test_a_local_file_is_not_blamed_on_the_socket():
    for exc in (
        PermissionError(errno.EACCES, "Permission denied", "/ctx/private.key"),
        FileNotFoundError(errno.ENOENT, "No such file or directory", "/nonexistent-dir/x.tar"),
    ):
        error = explain(exc, "unix:///var/run/docker.sock (from the default socket)")
        assert isinstance(error, LocalPathError)
        assert exc.filename in str(error) and "this machine" in str(error) and "socket" not in str(error)


def test_the_socket_is_still_named_as_the_socket():
    error = explain(
        FileNotFoundError("[Errno 2] No such file or directory"), "unix:///x.sock (from DOCKER_HOST)"
    )
    assert isinstance(error, EngineUnavailable) and "unix:///x.sock (from DOCKER_HOST)" in str(error)


def test_the_running_commands_engine_is_named_by_default():
    import requests

    saved = current.where
    current.where = "unix:///run/e.sock (from DOCKER_HOST)"
    try:
        error = explain(requests.exceptions.ChunkedEncodingError("Connection broken: IncompleteRead"))
    finally:
        current.where = saved
    assert "unix:///run/e.sock (from DOCKER_HOST)" in str(error) and "closed the connection" in str(error)


def test_a_stream_closed_under_its_reader_names_the_engine():
    """http.client's "I/O operation on closed file": the engine closed the stream's connection."""
    error = explain(ValueError("I/O operation on closed file."), "unix:///run/e.sock (from DOCKER_HOST)")
    assert isinstance(error, EngineUnavailable)
    assert "unix:///run/e.sock (from DOCKER_HOST)" in str(error) and "closed the connection" in str(error)
    other = explain(ValueError("invalid literal for int()"), "unix:///run/e.sock (from DOCKER_HOST)")
    assert not isinstance(other, EngineUnavailable)
