"""scripts/lint.sh prints one line per tool and fails when one does; pre-commit runs the same tools."""

import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path):
    """A two-file project with this repository's settings and tools, and its own copy of lint.sh."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "lint.sh", tmp_path / "scripts" / "lint.sh")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    (tmp_path / "dockermagic").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "dockermagic" / "__init__.py").write_text('"""A package."""\n')
    (tmp_path / "tests" / "test_x.py").write_text("def test_x() -> None:\n    assert True\n")
    return tmp_path


def lint(project):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MYPY")}
    done = subprocess.run(
        ["bash", "scripts/lint.sh"], cwd=project, capture_output=True, text=True, env=env, timeout=120
    )
    return done.returncode, done.stdout.splitlines()


def test_a_clean_tree_passes_with_one_line_per_tool(project):
    code, lines = lint(project)
    assert (code, lines) == (0, ["ruff check: ok", "ruff format: ok", "mypy: ok"])


def test_each_failing_tool_says_so_and_the_script_fails(project):
    (project / "dockermagic" / "bad.py").write_text("import os\ndef f(x:int)->str:\n    return x\n")
    code, lines = lint(project)
    assert code == 1 and len(lines) == 3
    assert [line.split(":")[0] + ": " + line.split(": ", 1)[1].split(" ")[0] for line in lines] == [
        "ruff check: FAILED",
        "ruff format: FAILED",
        "mypy: FAILED",
    ]


def test_pre_commit_runs_the_same_tools_from_the_same_place():
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    entries = {hook["entry"].split()[0] + " " + hook["entry"].split()[1] for hook in repo["hooks"]}
    assert entries == {".venv/bin/ruff check", ".venv/bin/ruff format", ".venv/bin/mypy dockermagic"}
    assert all(hook["language"] == "system" for hook in repo["hooks"])
    script = (ROOT / "scripts" / "lint.sh").read_text()
    for check in ('tool ruff)" check', 'tool ruff)" format --check', 'tool mypy)" dockermagic'):
        assert check in script
