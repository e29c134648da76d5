"""Start failures the notes' mistakes cause get a one-line error that says what to write instead."""

from dockermagic.engine.errors import explain
from dockermagic.errors import EngineError


class APIError(Exception):
    """Stands for docker.errors.APIError: explain() matches the class by name."""

    def __init__(self, explanation, status=500):
        super().__init__(explanation)
        self.explanation = explanation
        self.response = type("Response", (), {"status_code": status})()


def _message(engine_text):
    error = explain(APIError(engine_text))
    assert isinstance(error, EngineError)
    assert "\n" not in str(error)
    return str(error)


SHIM = "failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: "


def test_an_option_after_the_image_name():
    message = _message(SHIM + 'exec: "-v": executable file not found in $PATH: unknown')
    assert message.startswith(SHIM + 'exec: "-v": executable file not found')
    assert "'-v' is not a program in the image: options of run go before the image name" in message


def test_an_exec_form_cmd_with_a_shell_variable():
    message = _message(SHIM + 'exec: "echo $PATH": executable file not found in $PATH: unknown')
    assert "'echo $PATH' is not a program in the image" in message
    assert "runs no shell (write CMD echo $PATH" in message


def test_a_user_that_does_not_exist():
    message = _message("unable to find user user2: no matching entries in passwd file")
    assert message == (
        "unable to find user user2: no matching entries in passwd file -> user 'user2' does not "
        "exist in the image: create it first (RUN useradd user2 before USER user2), or run as an "
        "existing user (-u)."
    )


def test_other_engine_errors_are_left_as_they_are():
    assert (
        _message("driver failed programming external connectivity")
        == "driver failed programming external connectivity"
    )


def test_a_hinted_start_failure_is_not_blamed_on_the_engine():
    # the engine answers these with a 500; they are the Dockerfile's or the command line's mistake
    message = str(
        explain(
            APIError("unable to find user user2: no matching entries in passwd file"),
            where="unix:///var/run/docker.sock (from the default socket)",
        )
    )
    assert "internal error of the engine" not in message
    assert message.endswith("or run as an existing user (-u).")
    other = str(
        explain(
            APIError("something broke inside"), where="unix:///var/run/docker.sock (from the default socket)"
        )
    )
    assert "internal error of the engine" in other
