"""The Dockerfiles that the parser comparisons and bench/bench_dockerfile.py run on: every Dockerfile
written in the tests and the notebooks (found by reading them), plus edge cases of the syntax."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_LOOKS_LIKE_ONE = re.compile(r"(?m)^\s*(FROM|ARG)\s+\S")

EDGE_CASES = [
    # heredocs (BuildKit only) versus what only looks like one
    "FROM x\nRUN <<EOF\necho hi\nEOF\n",
    "FROM x\nRUN <<-EOF\n\techo hi\n\tEOF\n",
    "FROM x\nRUN <<'EOF'\necho $HOME\nEOF\n",
    'FROM x\nRUN <<"EOF"\necho hi\nEOF\n',
    "FROM x\nRUN <<-'EOF'\nx\nEOF\n",
    "FROM x\nRUN python3 - <<PY\nprint(1)\nPY\n",
    "FROM x\nRUN cat <<A <<B\na\nA\nb\nB\n",
    "FROM x\nRUN x=1 && cat <<EOF > /f\nline\nEOF\n",
    "FROM x\nRUN cat <<E-F\nx\nE-F\n",
    "FROM x\nRUN <<EOF1\nx\nEOF1\n",
    "FROM x\nRUN <<_a\nx\n_a\n",
    "FROM x\nRUN echo it\\'s <<EOF\nx\nEOF\n",
    "FROM x\nCOPY <<EOF /etc/motd\nhello\nEOF\n",
    "FROM x\nADD <<EOF /f\nx\nEOF\n",
    "FROM x\nCOPY --chown=1:1 <<EOF /f\nx\nEOF\n",
    "FROM x\nRUN cat <<< hi\n",
    'FROM x\nRUN cat <<<"a b"\n',
    "FROM x\nRUN echo '<<EOF'\n",
    'FROM x\nRUN echo "<<EOF"\n',
    'FROM x\nRUN echo x "a <<EOF" b\n',
    "FROM x\nRUN echo \\<<EOF\n",
    "FROM x\nRUN echo a<<b\nRUN b\n",
    "FROM x\nRUN cat<<EOF\n",
    "FROM x\nRUN echo 1 << 2\n",
    "FROM x\nRUN echo $((1 << 2))\n",
    "FROM x\nRUN < <EOF\n",
    "FROM x\nRUN echo a#<<EOF\n",
    'FROM x\nRUN ["cat", "<<EOF"]\n',
    "FROM x\nRUN ['a', '<<EOF']\n",
    "FROM x\nCMD <<EOF\n",
    "FROM x\nENV A=<<EOF\n",
    'FROM x\nLABEL a="<<EOF"\n',
    # line continuations
    "FROM x\nRUN apt-get update && \\\n    apt-get install -y nano\n",
    "FROM x\nRUN a \\  \n  b\n",
    "FROM x\nRUN a \\ \t\n b\n",
    "FROM x\nRUN a\\\nb\n",
    "FROM x\nRUN a\\\n  b\n",
    "FROM x\nRUN a \\\n# comment\n  b\n",
    "FROM x\nRUN a \\\n  # indented comment\n  b\n",
    "FROM x\nRUN a \\\n\n  b\n",
    "FROM x\nRUN a \\\n\\\n  b\n",
    "FROM x\nRUN a \\\n",
    "FROM x\nRUN a \\\n  b \\\n  c\nRUN d\n",
    "FROM x\nENV A=1 \\\n    B=2\n",
    "FROM x\nRUN echo \\\\\n",
    "FROM x\nRUN echo a \\\\\n  RUN b\n",
    "FROM x\nRUN a \\\\\\\n b\n",
    "FROM x\r\nRUN a \\\r\n  b\r\n",
    # parser directives
    "# escape=`\nFROM x\nRUN a `\n  b\n",
    "# escape=`\nFROM x\nRUN dir c:\\\\windows\\\\\n",
    "# escape=`\nFROM x\nRUN a ``\nRUN b\n",
    "#escape=`\nFROM x\nRUN a `\n b\n",
    "# ESCAPE=`\nFROM x\nRUN a `\n b\n",
    "# comment\n# escape=`\nFROM x\nRUN a \\\n b\n",
    "\n# escape=`\nFROM x\nRUN a \\\n b\n",
    "FROM x\n# escape=`\nRUN a \\\n b\n",
    "# syntax=docker/dockerfile:1\nFROM x\n",
    "# syntax=docker/dockerfile:1\n# escape=`\nFROM y\nRUN a `\n  b\n",
    # everything else
    "\ufeffFROM x\nRUN a\n",
    'from x\nrun a\nCmd ["b"]\n',
    "   FROM x\n\t RUN a\n",
    "FROM x\nRUN echo # not a comment\n",
    "FROM x\n\n\n\nRUN a\n",
    'FROM x\nCMD ["a", "b c"]\nENTRYPOINT ["/bin/sh", "-c"]\n',
    "ARG V=1\nFROM x:$V AS base\nFROM base\n",
    "FROM x\nONBUILD RUN echo hi\n",
    "FROM x\nHEALTHCHECK --interval=5s CMD true\n",
    "FROM x\nCOPY --from=build /a /b\nCOPY --chown=1:1 a b\n",
    "FROM x\nRUN --mount=type=cache,target=/c true\n",
    'FROM x\nEXPOSE 80/tcp 443\nVOLUME ["/data"]\nUSER 1000:1000\nWORKDIR /app\nSTOPSIGNAL SIGTERM\n',
]


def _strings(path: Path) -> list[str]:
    """String constants of a test module that look like a Dockerfile (f-string pieces are left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pieces = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in pieces
        and "\n" in node.value
        and _LOOKS_LIKE_ONE.search(node.value)
        and not node.value.lstrip().startswith(("import ", "from __future__"))
    ]


def _cells(path: Path) -> list[str]:
    """The bodies of a notebook's %%dockerfile cells."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    return [s.split("\n", 1)[1] for s in sources if s.startswith("%%dockerfile") and "\n" in s]


def harvested() -> list[str]:
    """Every Dockerfile the tests and the notebooks write, each once."""
    found = [s for p in sorted((ROOT / "tests").rglob("test_*.py")) for s in _strings(p)]
    found += [s for p in sorted((ROOT / "notebooks").glob("*.ipynb")) for s in _cells(p)]
    return list(dict.fromkeys(found))


def all_cases() -> list[str]:
    return list(dict.fromkeys(harvested() + EDGE_CASES))
