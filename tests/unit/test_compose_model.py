"""The compose file model: interpolation, normalisation, validation, config hash (no engine)."""

from __future__ import annotations

import pytest

from dockermagic.compose.confighash import config_hash
from dockermagic.compose.interpolate import Interpolator, read_dotenv
from dockermagic.compose.model import Mount, Port
from dockermagic.compose.project import active, from_text
from dockermagic.errors import CommandError

ENV = {"SET": "value", "EMPTY": ""}

INTERPOLATION = [
    ("${SET}", "value"),
    ("$SET", "value"),
    ("a-${SET}-b", "a-value-b"),
    ("${UNSET:-dflt}", "dflt"),
    ("${EMPTY:-dflt}", "dflt"),
    ("${EMPTY-dflt}", ""),
    ("${UNSET-dflt}", "dflt"),
    ("${SET:-dflt}", "value"),
    ("${SET:+alt}", "alt"),
    ("${UNSET:+alt}", ""),
    ("${EMPTY+alt}", "alt"),
    ("$$SET", "$SET"),
    ("$${SET}", "${SET}"),
    ("cost 5$", "cost 5$"),
    ("${UNSET:-${SET}}", "value"),
    ("${UNSET}", ""),
]


@pytest.mark.parametrize("written, expected", INTERPOLATION)
def test_interpolation(written, expected):
    assert Interpolator(ENV).text(written, lambda: "here") == expected


def test_unset_variables_are_remembered_for_a_warning():
    interpolator = Interpolator(ENV)
    interpolator.text("${A} $B ${A}", lambda: "here")
    assert interpolator.unset == ["A", "B"]


@pytest.mark.parametrize(
    "written, message",
    [
        ("${UNSET:?give it}", "required variable UNSET is missing a value: give it"),
        ("${EMPTY:?}", "EMPTY is not set"),
        ("${UNSET?}", "UNSET is not set"),
        ("${", "unclosed"),
        ("${1A}", "invalid interpolation"),
        ("${A*b}", "invalid interpolation"),
    ],
)
def test_interpolation_errors(written, message):
    with pytest.raises(CommandError, match="here: .*" + message.replace("?", r"\?")):
        Interpolator(ENV).text(written, lambda: "here")


def test_set_but_empty_with_question_without_colon_is_accepted():
    assert Interpolator(ENV).text("${EMPTY?no}", lambda: "here") == ""


def test_dotenv_file_and_kernel_environment(tmp_path):
    (tmp_path / ".env").write_text("# comment\nTAG=from-file\nexport OTHER='quoted value'\nX=1 # note\n")
    assert read_dotenv(str(tmp_path / ".env")) == {"TAG": "from-file", "OTHER": "quoted value", "X": "1"}
    text = "services:\n  a:\n    image: debian:${TAG}\n    command: echo ${OTHER}\n"
    assert from_text(text, str(tmp_path), "p", environ={}).service("a").image == "debian:from-file"
    # the kernel's environment wins over the file
    assert from_text(text, str(tmp_path), "p", environ={"TAG": "env"}).service("a").image == "debian:env"


def test_keys_are_not_interpolated():
    project = from_text("services:\n  a:\n    image: x\n    labels:\n      $K: v\n", "/tmp", "p", environ={})
    assert project.service("a").labels == (("$K", "v"),)


def _one(service_yaml: str, top: str = "", environ=None):
    text = "services:\n  s:\n" + "".join(f"    {line}\n" for line in service_yaml.splitlines()) + top
    return from_text(text, "/work/proj", "p", environ=environ or {}).service("s")


PORTS = [
    ('["80"]', (Port(80),)),
    ('["8080:80"]', (Port(80, "8080"),)),
    ('["127.0.0.1:8080:80"]', (Port(80, "8080", "127.0.0.1"),)),
    ('["0.0.0.0::80/udp"]', (Port(80, "", "0.0.0.0", "udp"),)),
    ('["8000-8001:80-81"]', (Port(80, "8000"), Port(81, "8001"))),
    ('["9000-9005:80"]', (Port(80, "9000-9005"),)),
    ("[3306]", (Port(3306),)),
    (
        '[{target: 80, published: "8080", host_ip: 127.0.0.1, protocol: udp}]',
        (Port(80, "8080", "127.0.0.1", "udp"),),
    ),
    ("[{target: 80}]", (Port(80),)),
]


@pytest.mark.parametrize("written, expected", PORTS)
def test_ports_short_and_long_forms(written, expected):
    assert _one(f"image: x\nports: {written}").ports == expected


VOLUMES = [
    ("[data:/d]", Mount("volume", "/d", "data")),
    ("[data:/d:ro]", Mount("volume", "/d", "data", True)),
    ("[/d]", Mount("volume", "/d", "")),
    ("[./sub:/d]", Mount("bind", "/d", "/work/proj/sub")),
    ("[/abs:/d:ro]", Mount("bind", "/d", "/abs", True)),
    (
        "[{type: volume, source: data, target: /d, volume: {nocopy: true}}]",
        Mount("volume", "/d", "data", nocopy=True),
    ),
    ("[{type: bind, source: ../up, target: /d, read_only: true}]", Mount("bind", "/d", "/work/up", True)),
    ("[{type: tmpfs, target: /t, tmpfs: {size: 64m}}]", Mount("tmpfs", "/t", tmpfs_size=64 * 1024**2)),
]


@pytest.mark.parametrize("written, expected", VOLUMES)
def test_volumes_short_and_long_forms(written, expected):
    assert _one(f"image: x\nvolumes: {written}", "volumes:\n  data:\n").volumes == (expected,)


def test_environment_list_and_map_and_bare_names():
    listed = _one("image: x\nenvironment: [A=1, B=, C, D=x=y]", environ={"C": "from-kernel"})
    assert listed.environment == (("A", "1"), ("B", ""), ("C", "from-kernel"), ("D", "x=y"))
    mapped = _one("image: x\nenvironment: {A: 1, B: true, C: null, E: ''}")
    assert mapped.environment == (("A", "1"), ("B", "true"), ("E", ""))


def test_env_file_under_environment(tmp_path):
    (tmp_path / "app.env").write_text("A=file\nB=file\n")
    text = "services:\n  s:\n    image: x\n    env_file: app.env\n    environment: {B: mine}\n"
    assert from_text(text, str(tmp_path), "p", environ={}).service("s").environment == (
        ("A", "file"),
        ("B", "mine"),
    )
    missing = "services:\n  s:\n    image: x\n    env_file: [{path: none.env, required: false}]\n"
    assert from_text(missing, str(tmp_path), "p", environ={}).service("s").environment == ()


def test_depends_on_short_and_long():
    text = (
        "services:\n  a:\n    image: x\n    depends_on: [b]\n"
        "  b:\n    image: x\n    depends_on:\n      c: {condition: service_healthy, restart: true}\n"
        "  c:\n    image: x\n"
    )
    project = from_text(text, "/tmp", "p", environ={})
    (a,), (b,) = project.service("a").depends_on, project.service("b").depends_on
    assert (a.service, a.condition) == ("b", "service_started")
    assert (b.service, b.condition, b.restart) == ("c", "service_healthy", True)


def test_command_string_is_split_as_a_shell_would_and_healthcheck_forms():
    s = _one(
        "image: x\ncommand: sh -c 'echo a b'\nentrypoint: [tini, --]\n"
        "healthcheck: {test: curl -f x, interval: 1m30s, retries: 3}"
    )
    assert s.command == ("sh", "-c", "echo a b")
    assert s.entrypoint == ("tini", "--")
    assert s.healthcheck.test == ("CMD-SHELL", "curl -f x")
    assert s.healthcheck.interval == 90 * 10**9 and s.healthcheck.retries == 3
    assert _one("image: x\nhealthcheck: {disable: true}").healthcheck.test == ("NONE",)


def test_project_names_networks_and_volumes_as_compose_names_them(tmp_path):
    text = (
        "name: fromfile\nservices:\n  s:\n    image: x\n    networks: {back: {aliases: [db]}}\n"
        "    volumes: [data:/d, ext:/e]\n"
        "networks:\n  back:\n  outside: {external: true}\nvolumes:\n  data:\n  ext: {external: true, name: real}\n"
    )
    project = from_text(text, str(tmp_path), None, environ={})
    assert project.name == "fromfile"
    assert project.network("back").name == "fromfile_back"
    assert project.network("outside").name == "outside" and project.network("outside").external
    assert project.network("default").name == "fromfile_default"
    assert project.volume("data").name == "fromfile_data"
    assert project.volume("ext").name == "real"
    assert from_text(text, str(tmp_path), "over", environ={}).name == "over"  # -p wins
    dirname = tmp_path / "My Dir.2"
    dirname.mkdir()
    assert from_text("services:\n  s:\n    image: x\n", str(dirname), None, environ={}).name == "mydir2"


# a key outside the subset, or a wrong value: one line naming the key path and its line
REFUSED = [
    (
        "services:\n  web:\n    image: x\n    privileged: true\n",
        "'services.web.privileged' (line 4): 'privileged' is not supported",
    ),
    (
        "services:\n  web:\n    image: x\n    deploy:\n      resources: {}\n",
        "'services.web.deploy.resources' (line 5)",
    ),
    ("services:\n  web:\n    image: x\nsecrets: {}\n", "'secrets' (line 4): 'secrets' is not supported"),
    (
        "services:\n  web:\n    image: x\n    ports: ['http']\n",
        "'services.web.ports.0' (line 4): 'http' is not a port",
    ),
    ("services:\n  web:\n    build: {context: ., ssh: default}\n", "'services.web.build.ssh' (line 3)"),
    ("services:\n  web:\n    image: x\n    volumes: [data:/d]\n", "volume 'data' is not declared"),
    ("services:\n  web:\n    image: x\n    networks: [back]\n", "network 'back' is not declared"),
    ("services:\n  web:\n    image: x\n    depends_on: [db]\n", "service 'db' is not defined"),
    (
        "services:\n  web:\n    image: x\n    depends_on: {db: {condition: up}}\n  db: {image: x}\n",
        "'up': use one of",
    ),
    (
        "services:\n  web:\n    image: x\n    restart: sometimes\n",
        "'services.web.restart' (line 4): 'sometimes'",
    ),
    ("services:\n  web:\n    command: x\n", "'services.web' (line 2): needs an image or a build"),
    (
        "services:\n  web:\n    image: x\n    healthcheck: {interval: soon}\n",
        "'services.web.healthcheck.interval' (line 4)",
    ),
    (
        "services:\n  web:\n    image: x\n    deploy: {replicas: -1}\n",
        "'services.web.deploy.replicas' (line 4)",
    ),
    ("services: {}\n", "needs at least one service"),
    ("version: '3'\n", "needs at least one service"),
    ("", "is empty"),
    ("services:\n  a:\n    image: x\x00\n", "line 3: character U+0000 is not allowed in YAML"),
    ("- a\n- b\n", "the top level must be a mapping"),
]


@pytest.mark.parametrize("text, message", REFUSED)
def test_refused_in_one_line_naming_the_key(text, message):
    with pytest.raises(CommandError) as caught:
        from_text(text, "/tmp", "p", environ={})
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "text, line, key",
    [
        ("services:\n  web:\n    image: [x\n    ports: []\n", 4, "services.web"),
        ("services:\n  web:\n    image: x\n   ports: [1]\n", 4, ""),
        (
            "services:\n  web:\n    image: x\n    environment:\n      A: 'unclosed\n",
            6,
            "services.web.environment",
        ),
        ("services:\n  web:\n\timage: x\n", 3, "services.web"),
    ],
)
def test_yaml_mistakes_name_the_line_and_the_key(text, line, key):
    with pytest.raises(CommandError) as caught:
        from_text(text, "/tmp", "p", environ={})
    message = str(caught.value)
    assert f"line {line}" in message and "\n" not in message
    if key:
        assert f"under '{key}" in message


def test_x_extensions_are_the_one_thing_ignored():
    project = from_text(
        "x-common: &c {image: x}\nservices:\n  a:\n    <<: *c\n    x-note: hi\n", "/tmp", "p", environ={}
    )
    assert project.service("a").image == "x"


def test_profiles_select_services_and_named_services_bring_their_dependencies():
    text = (
        "services:\n  app: {image: x}\n  debug: {image: x, profiles: [dev], depends_on: [tool]}\n"
        "  tool: {image: x, profiles: [tools]}\n"
    )
    project = from_text(text, "/tmp", "p", environ={})
    assert [s.name for s in active(project, []).services] == ["app"]
    assert [s.name for s in active(project, ["dev"]).services] == ["app", "debug", "tool"]
    assert [s.name for s in active(project, [], ["tool"]).services] == ["app", "tool"]


def test_config_hash_ignores_what_changes_no_container():
    base = _one("image: x\ncommand: sleep 1\ndeploy: {replicas: 1}")
    assert config_hash(base) == config_hash(
        _one("image: x\ncommand: sleep 1\ndeploy: {replicas: 3}\nprofiles: [a]")
    )
    assert config_hash(base) != config_hash(_one("image: x\ncommand: sleep 2"))
    assert config_hash(base) != config_hash(_one("image: x\ncommand: sleep 1\nenvironment: [A=1]"))
    same = "image: x\ncommand: [sleep, '1']\ndeploy: {replicas: 1}"
    assert config_hash(base) == config_hash(_one(same))  # the same after normalising
    # compose hashes an empty deploy block, so writing one changes the hash, as it does there
    assert config_hash(base) != config_hash(_one("image: x\ncommand: sleep 1"))


def test_an_unset_variable_is_empty_with_a_warning_as_compose_does():
    project = from_text("services:\n  a:\n    image: debian${TAG}\n", "/tmp", "p", environ={})
    assert project.service("a").image == "debian"
    assert project.warnings == ("The TAG variable is not set. Defaulting to a blank string.",)


def test_mangled_files_give_a_project_or_one_line_never_another_exception():
    """A seeded fuzz: a valid file with random pieces inserted, deleted or replaced."""
    import random

    base = TEXT_FOR_FUZZ
    pieces = ["{", "}", "[", "]", ":", "-", " ", "\n", "${", "$$", "'", '"', "\t", "#", "&a", "*a", "<<:", "!!binary",
              "1.5", "null", "true", "2020-01-01", "\x00", "é", "- 99999999999999999999", "x-", "~"]  # fmt: skip
    rng = random.Random(0)
    for _ in range(1500):
        text = list(base)
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(text))
            choice = rng.random()
            if choice < 0.4:
                text.insert(i, rng.choice(pieces))
            elif choice < 0.7:
                del text[i : i + rng.randint(1, 5)]
            else:
                text[i] = rng.choice(pieces)
        try:
            from_text("".join(text), "/tmp", None, environ={})
        except CommandError as exc:
            assert "\n" not in str(exc)


TEXT_FOR_FUZZ = """
services:
  db:
    image: x
    ports: ["80", {target: 81, published: "8081"}]
    volumes: [data:/d, ./a:/b:ro, {type: tmpfs, target: /t}]
    environment: {A: "${A:-1}", B: null}
    networks: {default: {aliases: [q]}}
    depends_on: {w: {condition: service_healthy}}
    healthcheck: {test: [CMD, x], interval: 1s}
    deploy: {replicas: 2}
  w:
    build: {context: ., args: [A=1]}
    command: [sh, -c, "echo"]
    profiles: [p]
volumes: {data: {}}
networks: {default: {labels: {a: b}}}
"""
