"""The thin IPython shell: parse -> perform -> return an object that displays itself.

The only module that knows IPython. Every ``DockerMagicError`` becomes
IPython's plain ``UsageError`` here, which prints one line and stops
"run all"; ``%config DockerMagics.short_errors = False`` shows the traceback.
"""

from __future__ import annotations

import io
import logging
import math
import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_cell_magic, line_magic, magics_class, no_var_expand
from traitlets import Bool, Dict, Float, Int, List, TraitError, Unicode, observe, validate

from .engine.client import Engine
from .engine.docker_context import pinned_context
from .engine.errors import explain
from .errors import DockerMagicError
from .reaper.keeper import Keeper
from .reaper.model import Mode
from .secrets import mask_text, set_reveal
from .session import Session, Settings

if TYPE_CHECKING:  # the shell-line reader loads with the first magic line, not at %load_ext
    from .expand import ShellLine


@magics_class
class DockerMagics(Magics):
    """Docker from a notebook: ``%docker``, ``%%dockerfile``, ``%dexec``, ``%%compose``."""

    base_url = Unicode(
        None,
        allow_none=True,
        config=True,
        help="Engine address (unix:///..., tcp://HOST:PORT, ssh://[USER@]HOST[:PORT]). Default: "
        "DOCKER_HOST, the active docker context, then /var/run/docker.sock. A tcp:// address "
        "uses TLS when DOCKER_TLS_VERIFY is set (files in DOCKER_CERT_PATH); ssh:// goes through "
        "the system ssh client, one connection per kernel.",
    )
    ssh_options = List(
        Unicode(),
        config=True,
        help="Extra arguments of the ssh client for ssh:// engines, e.g. ['-F', 'lab_ssh_config'] "
        "or ['-i', '/path/key']; ~/.ssh/config applies either way.",
    )
    ping_timeout = Float(5.0, config=True, help="Seconds to wait for the engine's first answer.")
    timeout = Float(
        120.0,
        config=True,
        help="Seconds any one engine request may take (a commit or a load of a large image too).",
    )
    stream_timeout = Float(
        600.0,
        config=True,
        help="Seconds a build may go without a byte from the engine before it is "
        "taken for hung (a quiet RUN step counts too).",
    )
    publish_host = Unicode(
        "127.0.0.1",
        config=True,
        help="Host address for ports published without one (-p 8080:80). "
        "Set to '0.0.0.0' to expose them on every interface.",
    )
    labels = Dict(config=True, help="Extra labels put on everything the magics create.")
    build_context_limit = Int(
        100 * 1000 * 1000, config=True, help="Largest build context (bytes) sent without complaint."
    )
    wait_timeout = Float(120.0, config=True, help="Default timeout (s) of run --wait.")
    short_errors = Bool(True, config=True, help="Show errors as one line; False shows the full traceback.")
    show_secrets = Bool(
        False,
        config=True,
        help="Show values whose names look secret (PASSWORD, TOKEN, KEY...) "
        "instead of masking them in every output.",
    )
    builder = Unicode(
        "auto",
        config=True,
        help="Builder of %%dockerfile and %docker build without --builder: 'auto' (BuildKit where "
        "the engine has it through its API, the classic builder elsewhere and for a line with "
        "classic-only options), 'buildkit' or 'classic'.",
    )
    cleanup = Unicode(
        "temporary",
        config=True,
        help="What goes when the kernel goes (shutdown, restart, kill): 'temporary' "
        "(--rm, foreground and terminal containers), 'session' (everything it "
        "created), 'none'.",
    )

    # -- validation: a bad value is refused in one line and the old value stays ------------
    # (IPython's %config prints the TraitError as one ERROR line; it cannot fail the cell.)
    def _refuse(self, proposal, why: str):
        name, value = proposal["trait"].name, proposal["value"]
        if "session" not in self.__dict__:  # from a config file, at load: keep the default, say so
            default = proposal["trait"].default_value
            logging.getLogger("dockermagic").warning(
                f"DockerMagics.{name} = {value!r} ignored: {why}. Using {default!r}."
            )
            return default
        # (traitlets puts the old value back when this is raised from %config)
        raise TraitError(f"DockerMagics.{name} = {value!r} refused: {why}. The old value stays.")

    @validate("ping_timeout", "wait_timeout", "timeout", "stream_timeout")
    def _positive_seconds(self, proposal):
        value = proposal["value"]
        if not math.isfinite(value) or value <= 0:
            return self._refuse(proposal, "use a positive, finite number of seconds, e.g. 5")
        return value

    @validate("build_context_limit")
    def _positive_bytes(self, proposal):
        if proposal["value"] <= 0:
            return self._refuse(proposal, "use a positive number of bytes, e.g. 100_000_000")
        return proposal["value"]

    @validate("publish_host")
    def _ip_address(self, proposal):
        import ipaddress

        try:
            ipaddress.ip_address(proposal["value"])
        except ValueError:
            return self._refuse(
                proposal, "use an IP address: '127.0.0.1' (this machine only) or '0.0.0.0' (every interface)"
            )
        return proposal["value"]

    @validate("labels")
    def _string_labels(self, proposal):
        bad = [k for k, v in proposal["value"].items() if not isinstance(k, str) or not isinstance(v, str)]
        if bad:
            return self._refuse(
                proposal,
                f"label keys and values must be strings ({bad[0]!r} is not); write e.g. {{'team': 'data'}}",
            )
        return proposal["value"]

    @validate("builder")
    def _builder_name(self, proposal):
        if proposal["value"] not in ("classic", "buildkit", "auto"):
            return self._refuse(proposal, "use 'classic', 'buildkit' or 'auto'")
        return proposal["value"]

    @validate("cleanup")
    def _cleanup_mode(self, proposal):
        if proposal["value"] not in {m.value for m in Mode}:
            return self._refuse(proposal, "use 'temporary', 'session' or 'none'")
        return proposal["value"]

    @validate("base_url")
    def _engine_address(self, proposal):
        value = proposal["value"]
        schemes = ("unix://", "tcp://", "http://", "https://", "ssh://", "npipe://")
        if value is not None and not value.startswith(schemes):
            return self._refuse(
                proposal,
                "use an address such as 'unix:///var/run/docker.sock' or "
                "'tcp://127.0.0.1:2375', or None for the default",
            )
        return value

    def __init__(self, shell=None, **kwargs):
        super().__init__(shell=shell, **kwargs)
        self.session = Session(
            engine=Engine(
                self.base_url, self.ping_timeout, self.timeout, self.stream_timeout, list(self.ssh_options)
            ),
            settings=Settings(),
        )
        # the clean-up watchdog starts on the first creation, never here
        self.keeper = Keeper(
            self.session.session_id,
            lambda: self.session.engine.base_url,
            Mode(self.cleanup),
            pinned=lambda: pinned_context(self.session.engine.base_url),  # the context in use now
        )
        self.session.on_create = self.keeper
        self.session.on_image = self.keeper.image_built
        self._sync_settings()

    @observe(
        "base_url",
        "ssh_options",
        "ping_timeout",
        "timeout",
        "stream_timeout",
        "publish_host",
        "labels",
        "build_context_limit",
        "wait_timeout",
        "short_errors",
        "show_secrets",
        "builder",
    )
    def _settings_changed(self, change):
        if "session" not in self.__dict__:  # config applied during __init__
            return
        if change["name"] in ("base_url", "ssh_options", "ping_timeout"):
            self.session.engine.ssh_options = list(self.ssh_options)
            self.session.engine.reset(self.base_url)
            self.session.engine.ping_timeout = self.ping_timeout
        if change["name"] == "timeout":
            self.session.engine.set_timeout(self.timeout)
        self.session.engine.stream_timeout = self.stream_timeout
        self._sync_settings()

    @observe("cleanup")
    def _cleanup_changed(self, change):
        if "keeper" in self.__dict__:
            self.keeper.set_mode(Mode(change["new"]))

    def _sync_settings(self):
        s = self.session.settings
        s.publish_host, s.labels = self.publish_host, dict(self.labels)
        s.build_context_limit, s.wait_timeout = self.build_context_limit, self.wait_timeout
        s.short_errors = self.short_errors
        s.builder = self.builder
        set_reveal(self.show_secrets)

    def close(self):
        self.keeper.close()  # as at the kernel's end: what the cleanup mode says goes now
        self.session.engine.reset()
        set_reveal(False)

    @contextmanager
    def _one_line_errors(self):
        # errors are explained inside the command, while its engine is the one to name
        with self.session.engine.command():
            try:
                yield
            except DockerMagicError as exc:
                if not self.short_errors:
                    raise
                raise UsageError(mask_text(str(exc))) from None
            except (KeyboardInterrupt, UsageError):
                raise
            except Exception as exc:
                if not self.short_errors:
                    raise
                raise UsageError(mask_text(str(explain(exc)))) from None

    def _perform(self, spec):
        from .actions import perform

        result = perform(spec, self.session)
        self.keeper.noticed(spec, result)
        return result

    @property
    def _namespace(self) -> dict:
        return self.shell.user_ns if self.shell else {}

    def _read(self, line: str) -> ShellLine:
        """The line read as a shell would, with ``$VAR``, ``~`` and ``{expr}`` values in
        (README: "Pasting shell lines")."""
        from .expand import read_line

        return read_line(line, self._namespace)

    def _deliver(self, line: ShellLine, perform):
        """Run ``perform``; ``> /dev/null`` shows nothing, and a captured stdout gets the text."""
        from .views.base import View

        if line.discard_output:
            from IPython.utils.capture import capture_output

            with capture_output():
                perform()
            return None
        result = perform()
        if _stdout_captured() and isinstance(result, View):
            # %%capture / capture_output: the CLI's text on stdout, as `docker ... > file` had it
            print(result.text())
        return result

    def _answer(self, line: ShellLine, spec):
        """A parsed line's answer: its help (a ``Help``, or the text itself), or the spec performed."""
        from .commands import Help
        from .views.base import Text

        text = spec.text if isinstance(spec, Help) else spec
        if isinstance(text, str):
            return self._deliver(line, lambda: Text(text))
        return self._deliver(line, lambda: self._perform(spec))

    @line_magic
    @no_var_expand
    def docker(self, line):
        """Run a docker CLI command through the Engine API and return its result.

        Examples
        --------
        ::

            In [1]: %docker version
            In [2]: c = %docker run -d --name web -p 8080:80 debian:bookworm sleep 60
            In [3]: %docker ps -a --filter name=web

        ``%docker --help`` lists the commands; ``%docker COMMAND --help`` their
        options. The line is read as a shell reads it (README: "Pasting shell
        lines"): ``$VAR``, ``${VAR}`` and ``~`` come from the kernel's
        environment, except in single quotes; pipes, ``&&``, ``$(...)`` and
        redirections are refused (``> /dev/null`` shows nothing). ``{expr}`` is
        replaced by the value of a Python expression; Go templates
        (``{{.Name}}``) reach the engine untouched.
        """
        with self._one_line_errors():
            from .commands import parse_line

            read = self._read(line)
            return self._answer(read, parse_line(read.words))

    @cell_magic
    @no_var_expand
    def dockerfile(self, line, cell):
        """Build the cell as a Dockerfile, streaming the build; returns the image.

        Examples
        --------
        ::

            %%dockerfile -t hello:1
            FROM debian:bookworm
            RUN echo hello > /hello

        ``{expr}`` is expanded in the magic's line only; the Dockerfile reaches
        the engine untouched (``${VAR}`` stays). ``%%dockerfile --help`` lists
        the options.
        """
        with self._one_line_errors():
            from .commands.build import parse_cell_line

            read = self._read(line)
            return self._answer(read, parse_cell_line(read.words, cell))

    @cell_magic
    @no_var_expand
    def compose(self, line, cell):
        """Run a compose command with the cell as the compose file; ``up`` returns the Stack.

        Examples
        --------
        ::

            %%compose -p demo up --wait
            services:
              db:
                image: debian:bookworm
                command: sleep infinity

        The line is ``[-p PROJECT] [COMMAND [OPTIONS]]`` (COMMAND defaults to ``up``), as
        ``%docker compose`` takes it; ``{expr}`` is expanded in the line only, the cell's
        ``${VAR}`` come from the kernel's environment and a ``.env`` file.
        """
        with self._one_line_errors():
            import dataclasses

            from .commands import Help, parse_line
            from .commands.compose import cell_words

            read = self._read(line)
            spec = parse_line(cell_words(read.words))
            if not isinstance(spec, Help):
                spec = dataclasses.replace(spec, cell=cell)
            return self._answer(read, spec)

    @line_cell_magic
    @no_var_expand
    def dexec(self, line, cell=None):
        """Run a command (line) or the cell as a script (cell) inside a running container.

        Examples
        --------
        ::

            In [1]: %dexec web ls -l /etc
            In [2]: r = %dexec --no-raise web test -f /ready

            %%dexec web --shell python3
            print("inside", __import__("os").uname().nodename)

        Output streams into the cell as it comes; a non-zero exit raises with
        the last lines of stderr. The cell body is sent to the interpreter on
        stdin, unchanged (``--expand`` expands ``{expr}`` in it).
        """
        with self._one_line_errors():
            from .commands.exec import parse_dexec_cell, parse_dexec_line
            from .expand import expand_text

            read = self._read(line)
            words = read.words
            if cell is None:
                spec = parse_dexec_line(words)
            else:
                body = expand_text(cell, self._namespace) if "--expand" in words else cell
                spec = parse_dexec_cell(words, body)
            return self._answer(read, spec)


def _stdout_captured() -> bool:
    """Whether stdout is being collected into a string (``%%capture``, ``capture_output``,
    ``redirect_stdout(io.StringIO())``) rather than shown."""
    return isinstance(sys.stdout, io.StringIO)
