"""The project's exceptions, all of them.

Everything raised on purpose inside dockermagic is a ``DockerMagicError``; the
magics turn it into IPython's plain ``UsageError`` at the edge (only that exact
class prints as a single line, and it still stops "run all").  The mapping from
the docker SDK's errors to these lives in ``engine.errors``, the one place that
knows the SDK's exception classes.
"""

from __future__ import annotations


class DockerMagicError(Exception):
    """A failure with a message meant for the person at the notebook."""


class CommandError(DockerMagicError):
    """The command line could not be understood (unknown flag, missing value...)."""


class EngineUnavailable(DockerMagicError):
    """No Docker engine answered where we looked."""


class EngineError(DockerMagicError):
    """The engine answered, with an error."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class NotFound(EngineError):
    """A container, image, network or volume that does not exist."""


class Conflict(EngineError):
    """The engine refused because of a name or state conflict."""


class ContainerFailed(DockerMagicError):
    """A container (or exec) exited with a non-zero code."""

    def __init__(self, message: str, exit_code: int, stderr_tail: str = ""):
        super().__init__(message)
        self.exit_code = exit_code
        self.stderr_tail = stderr_tail


class LocalPathError(DockerMagicError):
    """A file or directory on the kernel's machine could not be read or written."""


class NotYetAvailable(DockerMagicError):
    """A command that this version does not implement yet."""


class BuildFailed(DockerMagicError):
    """A build step failed; carries the step, its instruction and the whole log."""

    def __init__(self, message: str, step: int | None, instruction: str | None, build_log: str):
        super().__init__(message)
        self.step, self.instruction, self.build_log = step, instruction, build_log
