"""The import graph keeps the layers: imports run downwards only, and there are no cycles.

Layers, top to bottom (README, "Architecture"):

    magics -> expand | completion -> actions -> reaper | compose -> objects -> session
        -> commands | engine | views -> templates -> parsing | secrets -> errors | version

A module may import from its own package or from any lower layer; packages
that share a layer (commands, engine, views) never import each other.  Every
import counts, wherever it is written (a lazy import inside a function still
ties the two modules together).  Only engine/ imports the docker SDK.
"""

from __future__ import annotations

import ast
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "dockermagic"

# The unit each module belongs to (a sub-package, or a top-level module), by layer: higher imports lower.
LAYERS = {
    "errors": 0,
    "version": 0,
    "parsing": 1,
    "secrets": 1,
    "templates": 2,
    "commands": 3,
    "engine": 3,
    "views": 3,
    "session": 4,
    "objects": 5,
    "reaper": 6,
    "compose": 6,
    "actions": 7,
    "expand": 8,
    "completion": 8,
    "magics": 9,
    "__init__": 10,
}
SDK = {"docker", "requests", "urllib3"}


def module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def unit(module: str) -> str:
    """``dockermagic.engine.client`` -> ``engine``; the package itself -> ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def modules() -> dict[str, pathlib.Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(module: str, path: pathlib.Path, known: set[str]) -> list[tuple[str, int]]:
    """(imported module, line) for every import in the file, relative ones resolved."""
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # ``from .. import perform`` where the package root is the target: only submodules
            # named that way are below the importer; a name defined in the root is not
            if target != "dockermagic" or not all(f"{target}.{a.name}" in known for a in node.names):
                found.append((target, node.lineno))
            # ``from . import perform`` / ``from .engine import containers``: submodules too
            found += [
                (f"{target}.{a.name}", node.lineno) for a in node.names if f"{target}.{a.name}" in known
            ]
    return found


def graph() -> tuple[dict[str, set[str]], list[tuple[str, int, str]]]:
    """Edges between the project's modules, and every import of a third-party module."""
    known = set(modules())
    edges: dict[str, set[str]] = {m: set() for m in known}
    outside = []
    for module, path in modules().items():
        for target, line in imports(module, path, known):
            if target in known:
                # a module's own packages are imported before it, whatever it writes: not an edge
                # (but a name taken from the package root is an import from the top layer)
                own = module.startswith(target + ".") and target != "dockermagic"
                if not (module == target or own):
                    edges[module].add(target)
            elif not target.startswith("dockermagic"):
                outside.append((module, line, target))
    return edges, outside


def test_every_module_has_a_layer():
    assert not {unit(m) for m in modules()} - set(LAYERS)


def test_imports_run_downwards_only():
    edges, _ = graph()
    upward = sorted(
        f"{m} -> {t}"
        for m, targets in edges.items()
        for t in targets
        if unit(m) != unit(t) and LAYERS[unit(t)] >= LAYERS[unit(m)]
    )
    assert not upward, "imports from a layer up (or across) to another:\n" + "\n".join(upward)


def test_no_import_cycles():
    edges, _ = graph()
    cycles, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(edges[node]):
            if state.get(target) == "open":
                cycles.append(" -> ".join(stack[stack.index(target) :] + [target]))
            elif target not in state:
                visit(target, stack)
        stack.pop()
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_only_the_engine_imports_the_sdk():
    _, outside = graph()
    leaks = sorted(
        f"{m}:{line} imports {t}" for m, line, t in outside if t.split(".")[0] in SDK and unit(m) != "engine"
    )
    assert not leaks, "\n".join(leaks)


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from ..errors import X", "dockermagic.errors"),
        ("from . import grammar", "dockermagic.commands.grammar"),
        ("from .grammar import parse", "dockermagic.commands.grammar"),
        ("import dockermagic.engine.client", "dockermagic.engine.client"),
    ],
)
def test_relative_imports_resolve(tmp_path, source, expected):
    """The graph's own reading of a file in dockermagic/commands/."""
    path = tmp_path / "x.py"
    path.write_text(f"def f():\n    {source}\n", encoding="utf-8")
    found = {t for t, _ in imports("dockermagic.commands.x", path, set(modules()))}
    assert expected in found


SDK_ERRORS = re.compile(
    r"\b(APIError|ImageNotFound|DockerException|ReadTimeout|ConnectTimeout|ChunkedEncodingError"
    r"|ProtocolError|NewConnectionError|RequestException|status_code)\b"
)


def test_sdk_errors_are_read_in_one_place():
    """engine/errors.py alone knows the SDK's and requests' error classes (the choke point)."""
    choke_point = PACKAGE / "engine" / "errors.py"
    elsewhere = sorted(
        f"{path.relative_to(ROOT)}:{number}: {found.group(0)}"
        for path in PACKAGE.rglob("*.py")
        if path != choke_point
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for found in [SDK_ERRORS.search(line)]
        if found
    )
    assert not elsewhere, "\n".join(elsewhere)


def test_engine_functions_take_plain_values():
    """No engine function takes a session or a spec (a parameter so named, unless it is a string)."""
    taken = []
    for path in sorted((PACKAGE / "engine").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for arg in node.args.posonlyargs + node.args.args + node.args.kwonlyargs:
                    plain = isinstance(arg.annotation, ast.Name) and arg.annotation.id == "str"
                    if arg.arg in ("session", "spec") and not plain:
                        taken.append(f"{path.name}: {node.name}({arg.arg})")
    assert not taken, "\n".join(taken)


def test_the_grammar_and_the_engine_know_no_ipython():
    _, outside = graph()
    front_end = {"IPython", "ipywidgets", "ipykernel", "traitlets"}
    found = [
        f"{m}:{line} imports {t}"
        for m, line, t in outside
        if t.split(".")[0] in front_end and unit(m) in ("commands", "engine")
    ]
    assert not found, "\n".join(found)
