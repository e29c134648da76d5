"""Lines as people paste them from shell tutorials (README: "Pasting shell lines").

Each line either reads as POSIX sh reads it (the words are compared with what
``sh`` itself makes of the same line, in the same environment) or is refused
in one line, and then nothing reaches the engine: the magic's one way to the
engine (``DockerMagics._perform``) is replaced by a spy that records specs.
"""

from __future__ import annotations

import contextlib
import io
import subprocess

import pytest
from IPython.core.error import UsageError

from dockermagic.commands import parse_line
from dockermagic.commands.exec import parse_dexec_line
from dockermagic.errors import CommandError
from dockermagic.expand import ShellLine, read_line
from dockermagic.magics import DockerMagics
from dockermagic.views.base import Text

ENV = {
    "HOME": "/home/student",
    "USER": "student",
    "APP_PORT": "8080",
    "TAG": "1.2",
    "PROJECT": "demo",
    "IMAGE_ID": "3f0a6c1b2d4e",
    "EMPTY": "",
    "PATH": "/usr/bin:/bin",
}

# (magic, line): sh's words, and a spec; '> /dev/null' lines run and show nothing
ACCEPTED = [
    ("docker", "rm -f web >> /dev/null  # delete prev container"),
    ("docker", "stop web > /dev/null"),
    ("docker", "rm -f web >/dev/null 2>&1"),
    ("docker", "kill web 1>/dev/null"),
    ("docker", "run -d --name web -p 8080:80 nginx  # start the server"),
    ("docker", "run --rm -v $PWD:/app -w /app python:3.11 python app.py"),
    ("docker", "run -it --rm -v ${HOME}:/shared debian:bookworm bash"),
    ("docker", "run --rm -v ~/code:/app debian:bookworm ls /app"),
    ("docker", "run --rm -v ~:/host debian:bookworm ls"),
    ("docker", "run -d -p $APP_PORT:80 --name web nginx"),
    ("docker", "run -d -p ${APP_PORT}:80 --name web nginx"),
    ("docker", "build -t $PROJECT:$TAG ."),
    ("docker", "tag myapp:latest myapp:${TAG}"),
    ("docker", "run --rm -e USER=$USER debian:bookworm env"),
    ("docker", 'run --rm -e "GREETING=hello $USER" debian:bookworm env'),
    ("docker", "run --rm debian:bookworm sh -c 'echo $HOME; ls ~'"),
    ("docker", "inspect -f '{{.NetworkSettings.IPAddress}}' web"),
    ("docker", "inspect --format='{{json .Config.Env}}' web"),
    ("docker", "ps -a --format 'table {{.Names}}\\t{{.Status}}'"),
    ("docker", 'ps --filter "name=web" -q'),
    ("docker", 'run --rm -v "$PWD/data":/data debian:bookworm ls /data'),
    ("docker", 'run --rm -v "${PWD}":/usr/src/app -w /usr/src/app python:3 python script.py'),
    ("docker", "run -d --name db -e MYSQL_ROOT_PASSWORD=${DB_PASSWORD:-secret} mariadb"),
    ("docker", "run -d --name db -e MARIADB_USER=${DB_USER-$USER} mariadb"),
    (
        "docker",
        "run --rm -v ${DATA:-${HOME}/data}:/data -e T=${TAG:+v$TAG} -e U=${USER-$NOPE} debian:bookworm ls",
    ),
    ("docker", "logs -f web  # Ctrl-C to stop"),
    ("docker", "images  # list images"),
    ("docker", "pull debian:bookworm"),
    ("docker", "rmi -f $IMAGE_ID"),
    ("docker", "network create --driver bridge my-net  # user-defined network"),
    ("docker", "run -d --network my-net --name app -e DB_HOST=db app:latest"),
    ("docker", "cp ./config.json web:/etc/app/config.json"),
    ("docker", "cp web:/var/log/app.log ~/logs/"),
    ("docker", "run --rm -e HOME debian:bookworm env"),
    ("docker", "run --rm debian:bookworm echo \"It's $USER's box\""),
    ("docker", "run --rm debian:bookworm echo \\$HOME"),
    ("docker", "run --rm -v /var/run/docker.sock:/var/run/docker.sock debian:bookworm ls"),
    ("docker", "volume create data_$USER"),
    ("docker", 'run --rm -w "$HOME" debian:bookworm pwd'),
    ("docker", "save -o ~/backup.tar debian:bookworm"),
    ("docker", "run --rm --env-file ./.env debian:bookworm env"),
    ("docker", 'commit -m "added nano" -a "$USER" web myimage:nano'),
    ("docker", 'run --rm debian:bookworm sh -c "echo \\$PATH; cat /etc/hostname"'),
    ("docker", "run --rm debian:bookworm echo price: 5$ a#b"),
    ("docker", "exec -it web bash  # open a shell"),
    ("docker", "run --rm -e EMPTY=$EMPTY debian:bookworm env"),
    ("docker", "run --rm debian:bookworm sh -c \"dpkg-query -W -f '\\${Package}\\n' bash\""),
    ("docker", "--version"),
    ("docker", "-v > /dev/null"),
    ("docker", "run -i --rm debian:bookworm cat  # stdin is empty"),
    ("dexec", "web sh -c 'echo $HOSTNAME'"),
    ("dexec", "web ls -l $HOME > /dev/null"),
]

# (magic, line, what the one line must say)
REFUSED = [
    ("docker", "ps | grep web", "'|' is shell syntax (a pipe)"),
    ("docker", "ps -a | findstr web", "a pipe"),
    ("docker", "inspect web | grep IPAddress", "a pipe"),
    ("docker", "container ls --quiet | wc -l", "a pipe"),
    ("docker", "ps -q | xargs docker stop", "a pipe"),
    ("docker", "logs web 2>&1 | tee out.log", "a pipe"),
    ("docker", "stop $(docker ps -q)", "'$(...)' is a shell command substitution"),
    ("docker", "rm $(docker ps -aq)", "command substitution"),
    ("docker", "rmi $(docker images -q -f dangling=true)", "command substitution"),
    ("docker", "kill `docker ps -q`", "'`...`' is a shell command substitution"),
    ("docker", "run --rm -v $(pwd):/app debian:bookworm ls", "command substitution"),
    ("docker", "run --user $(id -u):$(id -g) debian:bookworm id", "command substitution"),
    ("docker", 'run --rm debian:bookworm echo "today is $(date)"', "command substitution"),
    ("docker", "build -t app . && run --rm app", "'&&' is shell syntax (a command list)"),
    ("docker", "stop web; rm web", "';' is shell syntax"),
    ("docker", "rm web || true", "'||' is shell syntax"),
    ("docker", "run -d nginx &", "'&' is shell syntax (a background job)"),
    ("docker", "logs web > web.log", "'>' is shell syntax (a redirection)"),
    ("docker", "save debian:bookworm > debian.tar", "save -o FILE"),
    ("docker", "load < debian.tar", "load -i FILE"),
    ("docker", "build -t app - < Dockerfile", "'<' is shell syntax"),
    ("docker", "rm web 2> /dev/null", "'2>' is shell syntax"),
    ("docker", "logs web 2>&1", "'2>&1' is shell syntax"),
    ("docker", "ps >> ps.txt", "'>>' is shell syntax"),
    ("docker", "run --rm -v $PROJECT_ROOT:/app debian:bookworm ls", "$PROJECT_ROOT is not set"),
    ("docker", "run --rm -v ${DATA_DIR}:/data debian:bookworm ls", "${DATA_DIR} is not set"),
    ("docker", "exec web echo $?", "'$?' is a shell parameter"),
    ("docker", "run --rm -e N=${#USER} debian:bookworm env", "'${#USER}' is not expanded"),
    ("docker", 'run --rm debian:bookworm sh -c "echo $1"', "'$1' is a shell parameter"),
    ("docker", "run --rm debian:bookworm echo $$", "'$$' is a shell parameter"),
    ("dexec", "web cat /etc/hosts | grep web", "a pipe"),
    ("dexec", "web sh -c 'ls' && echo done", "a command list"),
]


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in ("DB_PASSWORD", "DB_USER", "PROJECT_ROOT", "DATA_DIR", "DATA", "NOPE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PWD", str(tmp_path))
    return {**ENV, "PWD": str(tmp_path)}


def sh_words(line: str, env: dict) -> list[str]:
    """What POSIX sh (Debian's dash) passes as arguments for ``line``; its redirections apply to ``set``."""
    script = f"set -- {line}\nprintf '%s\\0' \"$@\""
    out = subprocess.run(
        ["sh", "-c", script], env=env, cwd=env["PWD"], capture_output=True, text=True, check=True
    )
    return out.stdout.split("\0")[:-1]


@pytest.fixture
def spy(monkeypatch):
    """The magic's one way to the engine, replaced: records each spec and returns a small view."""
    specs: list = []

    def perform(self, spec):
        specs.append(spec)
        print("streamed")  # as a foreground run or a pull writes while it runs
        return Text("ran")

    monkeypatch.setattr(DockerMagics, "_perform", perform)
    return specs


def test_the_corpus_has_more_than_forty_lines():
    assert len(ACCEPTED) + len(REFUSED) >= 70 and len(ACCEPTED) >= 40


@pytest.mark.parametrize("magic, line", ACCEPTED)
def test_an_accepted_line_reads_as_sh_reads_it(magic, line, env):
    read = read_line(line, {})
    assert read.words == sh_words(line, env)
    assert read.discard_output == ("/dev/null" in line)
    (parse_line if magic == "docker" else parse_dexec_line)(read.words)  # a spec, no error


@pytest.mark.parametrize("magic, line", ACCEPTED)
def test_an_accepted_line_reaches_the_engine_once_and_null_shows_nothing(
    magic, line, env, shell, spy, capsys
):
    result = shell.run_line_magic(magic, line)
    assert len(spy) == 1
    shown = capsys.readouterr().out
    if "/dev/null" in line:
        assert result is None and "streamed" not in shown  # ran, and nothing was shown
    else:
        assert str(result) == "ran" and "streamed" in shown


@pytest.mark.parametrize("magic, line, says", REFUSED)
def test_shell_syntax_is_refused_in_one_line_and_nothing_runs(magic, line, says, env, shell, spy):
    with pytest.raises(UsageError) as refused:
        shell.run_line_magic(magic, line)
    message = str(refused.value)
    assert says in message and "\n" not in message
    assert ("runs no shell" in message) != ("is not set" in message)  # what happened, and what to do
    assert spy == []


def test_the_issues_line_removes_web_only(env, shell, spy):
    shell.run_line_magic("docker", "rm -f web >> /dev/null  # delete prev container")
    assert [s.containers for s in spy] == [("web",)]


def test_a_variables_value_is_one_argument_and_never_a_flag(env, monkeypatch):
    monkeypatch.setenv("OPTS", "--privileged -v /:/host")
    monkeypatch.setenv("SPACED", "/home/my docs")
    assert read_line("run -v $SPACED:/d img", {}).words == ["run", "-v", "/home/my docs:/d", "img"]
    assert read_line("run -v ~/x img", {}).words[2] == "/home/student/x"
    with pytest.raises(Exception, match="never becomes a flag"):
        parse_line(read_line("run $OPTS img", {}).words)
    spec = parse_line(read_line("run -e A=$OPTS img", {}).words)
    assert "A=--privileged -v /:/host" in spec.env and not getattr(spec, "privileged", False)


def test_single_quotes_keep_everything_and_dollar_braces_are_never_an_expression(env):
    # HOME is also a Python name here: ${HOME} is still the environment's
    read = read_line(
        "run -e A=${HOME} -e B={HOME} img sh -c 'echo ${HOME} {HOME} $(date) | x'", {"HOME": "py"}
    )
    assert read.words == [
        "run",
        "-e",
        "A=/home/student",
        "-e",
        "B=py",
        "img",
        "sh",
        "-c",
        "echo ${HOME} {HOME} $(date) | x",
    ]
    assert read_line('echo "a | b" "x > y" "c && d" "#no" \\| \\#', {}).words == [
        "echo",
        "a | b",
        "x > y",
        "c && d",
        "#no",
        "|",
        "#",
    ]


def test_values_are_never_globbed_and_an_empty_default_is_asked_for(env, monkeypatch):
    monkeypatch.setenv("GLOB", "*")
    assert read_line("rm $GLOB ${NOPE:-} x", {}).words == ["rm", "*", "", "x"]


def test_every_dev_null_spelling_and_nothing_else(env):
    for line in (
        "ps > /dev/null",
        "ps >/dev/null",
        "ps >> /dev/null",
        "ps 1>/dev/null",
        "ps &>/dev/null",
        "ps &>> /dev/null",
        "ps >/dev/null 2>&1",
        "ps > '/dev/null'",
    ):
        assert read_line(line, {}) == ShellLine(["ps"], discard_output=True), line
    for line in (
        "ps 2>&1 > x",
        "ps > /dev/nul",
        "ps 3>/dev/null",
        "ps >& /dev/null",
        "ps >",
        "ps 2>/dev/null",
    ):
        with pytest.raises(CommandError, match="runs no shell"):
            read_line(line, {})


def test_a_captured_stdout_gets_the_text_and_a_normal_one_does_not(shell, capsys):
    with contextlib.redirect_stdout(io.StringIO()) as captured:
        help_view = shell.run_line_magic("docker", "--help")
    assert captured.getvalue() == help_view.text() + "\n" and "Usage:" in captured.getvalue()
    capsys.readouterr()
    shell.run_line_magic("docker", "--help")
    assert capsys.readouterr().out == ""  # returned, shown once by the front end
