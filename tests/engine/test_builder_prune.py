"""builder prune and system prune's build cache step: the CLI and %docker remove the same records
and print the same report.

A prune of build cache cannot be narrowed to one test's records by a label (records carry none),
and a CLI prune without an id filter would empty the cache of everyone on the engine. So these
tests run on a throwaway dockerd of their own (tests/engine/throwaway_engine.py), which holds
only the records they make: each side gets the same cache, made afresh by the same two BuildKit
builds, and the CLI's prune runs on one copy, %docker's on the other.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from IPython.core.error import UsageError

from .throwaway_engine import ThrowawayEngine

pytestmark = pytest.mark.engine

DOCKERFILE = "FROM scratch\nCOPY a /a\n"


@pytest.fixture(scope="module")
def engine():
    eng = ThrowawayEngine()
    try:
        eng.start()
        yield eng
    finally:
        eng.destroy()
    assert not eng.leftover_processes() and not eng.mounts()


@pytest.fixture
def on_engine(ip, engine):
    """The shell's magics on the throwaway engine; back on the shared one after."""
    magics = ip.magics_manager.registry["DockerMagics"]
    before = magics.base_url
    ip.run_line_magic("config", f"DockerMagics.base_url = {engine.address!r}")
    yield ip
    ip.run_line_magic("config", f"DockerMagics.base_url = {before!r}")


def cli(engine, *args: str) -> str:
    env = {**os.environ, "DOCKER_HOST": engine.address}
    done = subprocess.run(["docker", *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def records(engine) -> dict[str, str]:
    """Each cache record's id and its role: what it is, which the two sides' copies share."""
    api = engine.client().api
    return {
        r["ID"]: f"{r['Type']} '{r['Description']}' {r['Size']}B" for r in api.df().get("BuildCache") or []
    }


def fresh_cache(ip, engine, tmp_path) -> dict[str, str]:
    """An empty cache, then two builds of one file changed between them (the default builder,
    BuildKit): two context copies and the Dockerfile's (not shared), two COPY results (shared)."""
    cli(engine, "builder", "prune", "-a", "-f")
    for image in engine.client().api.images(quiet=True):
        engine.client().api.remove_image(image, force=True)
    for content in ("one\n", "two\n"):
        (tmp_path / "a").write_text(content)
        image = ip.run_cell_magic("dockerfile", f"-q -t dmt-cache:1 --context {tmp_path}", DOCKERFILE)
        assert "(BuildKit)" in image.build_steps.text()
    made = records(engine)
    assert sorted(made.values()) == sorted([
        "regular 'fileop target' 4B",
        "regular 'fileop target' 4B",
        "source.local 'local source for context' 0B",
        "source.local 'local source for context' 4B",
        "source.local 'local source for dockerfile' 23B",
    ])  # fmt: skip
    return made


def report(text: str, roles: dict[str, str]) -> list[str]:
    """A prune report with each record's id as its role, image ids as ``sha256:ID``, and the
    lines of each section sorted: the engine lists what it removed in no fixed order."""
    for record, role in roles.items():
        text = text.replace(record, role)
    text = re.sub(r"sha256:[0-9a-f]{64}", "sha256:ID", text)
    return [
        "\n".join([head, *sorted(lines)])
        for head, *lines in (block.strip().split("\n") for block in text.strip().split("\n\n"))
    ]


def both_sides(ip, engine, tmp_path, line: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """``docker LINE`` and ``%docker LINE`` on the same fresh cache: each report, and what is left."""
    roles = fresh_cache(ip, engine, tmp_path)
    theirs = report(cli(engine, *line.split()), roles)
    left_theirs = sorted(roles[r] for r in records(engine))
    roles = fresh_cache(ip, engine, tmp_path)
    ours = report(ip.run_line_magic("docker", line).text(), roles)
    left_ours = sorted(roles[r] for r in records(engine))
    return theirs, ours, left_theirs, left_ours


@pytest.mark.parametrize(
    "flags, gone",
    [
        ("", 3),  # dangling: the records no image step shares (context and Dockerfile copies)
        ("-a", 5),
        ("-a --filter type=regular", 2),
        ("--keep-storage 1g", 0),  # the cache is under the size to keep
    ],
)
def test_builder_prune_matches_the_cli(on_engine, engine, tmp_path, flags, gone):
    theirs, ours, left_theirs, left_ours = both_sides(
        on_engine, engine, tmp_path, f"builder prune -f {flags}"
    )
    assert ours == theirs
    assert left_ours == left_theirs and len(left_ours) == 5 - gone
    if gone:
        assert ours[0].startswith("Deleted build cache objects:\n") and ours[0].count("\n") == gone
    assert ours[-1].startswith("Total reclaimed space: ")


def test_builder_prune_by_id_removes_that_record_alone(on_engine, engine, tmp_path):
    roles = fresh_cache(on_engine, engine, tmp_path)
    dockerfile = next(r for r, role in roles.items() if "dockerfile" in role)
    said = on_engine.run_line_magic("docker", f"builder prune -f --filter id={dockerfile}").text()
    assert said == f"Deleted build cache objects:\n{dockerfile}\n\nTotal reclaimed space: 23B"
    assert set(records(engine)) == set(roles) - {dockerfile}


@pytest.mark.parametrize("flags", ["", "-a"])
def test_system_prune_prunes_build_cache_as_the_cli_does(on_engine, engine, tmp_path, flags):
    """No label filter (the engine would ignore one for build cache): the whole of this engine's."""
    theirs, ours, left_theirs, left_ours = both_sides(on_engine, engine, tmp_path, f"system prune -f {flags}")
    assert ours == theirs
    assert any(section.startswith("Deleted build cache objects:\n") for section in ours)
    # without -a one COPY result stays: the tagged image's (the first build's image lost its tag to
    # the second, and went as a dangling image, with its step's record)
    assert left_ours == left_theirs == ([] if flags else ["regular 'fileop target' 4B"])


def test_system_df_counts_build_cache_as_the_cli_does(on_engine, engine, tmp_path):
    fresh_cache(on_engine, engine, tmp_path)
    theirs = cli(engine, "system", "df", "--format", "{{.Type}} {{.TotalCount}} {{.Size}} {{.Reclaimable}}")
    ours = on_engine.run_line_magic(
        "docker", "system df --format '{{.Type}} {{.TotalCount}} {{.Size}} {{.Reclaimable}}'"
    ).text()
    assert "Build Cache 5 " in theirs
    assert ours.strip() == theirs.strip()


def test_builder_prune_refuses_what_would_prune_more_than_asked(ip):
    with pytest.raises(UsageError, match=r"removes all dangling build cache: add -f to confirm"):
        ip.run_line_magic("docker", "builder prune")
    with pytest.raises(
        UsageError, match=r"^builder prune --filter label=\.\.\.: build cache is selected by until"
    ):
        ip.run_line_magic("docker", "builder prune -f --filter label=mine=1")
