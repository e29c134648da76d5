#!/usr/bin/env bash
# Mutation testing of the pure layers with mutmut 3 (not part of CI):
#   bash scripts/mutation.sh                   every family, one after another
#   bash scripts/mutation.sh templates views   only those families
#   bash scripts/mutation.sh --report          the figures of the last runs, without running
#   bash scripts/mutation.sh --head [FAMILY...] the committed tree (HEAD), copied to .mutation-head/,
#                                              so that uncommitted edits in the checkout do not count
# Families: commands (the CLI grammar), templates (Go templates), dockerfile (Dockerfile checks),
# masking (secret values, dockermagic/secrets.py), views (the views' text faces). Only tests/unit runs (no engine, no
# browser). mutmut works on a copy in mutants/ (git-ignored); survivors: .venv/bin/mutmut show NAME.
# MUTATION_JOBS (default 2) workers; MUTATION_LIMIT (default 1800) seconds per family at most.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=$PWD/.venv/bin/python
[ -x "$PY" ] || { echo "No .venv here: run 'bash scripts/setup.sh' first." >&2; exit 1; }
"$PY" -c "import mutmut" 2>/dev/null || "$PY" -m pip install -q "mutmut>=3.8,<4"
MUTMUT=$PWD/.venv/bin/mutmut

# mutmut names a mutant MODULE.x_FUNCTION__mutmut_N or MODULE.xǁCLASSǁMETHOD__mutmut_N; each glob
# below also matches the function's own name, which mutmut uses to pick the tests that reach it.
# Functions under a decorator (@command builders, @property) are never mutated by mutmut 3.
family_globs() {
    case "$1" in
        commands) echo "dockermagic.commands.*" ;;
        templates) echo "dockermagic.templates.*" ;;
        dockerfile) echo "dockermagic.engine.dockerfile.*" ;;
        masking) echo "dockermagic.secrets.*" "dockermagic.views.inspect.x__env_lists*" \
            "dockermagic.views.inspect.xǁInspectViewǁreveal*" \
            "dockermagic.views.inspect.xǁInspectViewǁsecret_names*" ;;
        views) echo "dockermagic.views.base.x_human_size*" "dockermagic.views.base.x_binary_size*" \
            "dockermagic.views.base.xǁKeyValuesǁ_rows*" "dockermagic.views.base.xǁKeyValuesǁtext*" \
            "dockermagic.views.table.xǁTableǁtext*" "dockermagic.views.table.xǁTableǁcell*" \
            "dockermagic.views.history.x__created_by*" "dockermagic.views.history.xǁHistoryViewǁtable_rows*" \
            "dockermagic.views.history.xǁHistoryViewǁtext*" "dockermagic.views.inspect.xǁInspectViewǁtext*" \
            "dockermagic.views.layers.x__instruction*" "dockermagic.views.layers.xǁLayersViewǁtext*" \
            "dockermagic.views.logs.xǁLogBufferǁ*" "dockermagic.views.logs.xǁLogsViewǁ_header*" \
            "dockermagic.views.logs.xǁLogsViewǁ_footer*" "dockermagic.views.logs.xǁLogsViewǁtext*" \
            "dockermagic.views.progress.xǁLayerBarsǁtext*" "dockermagic.views.progress.xǁLayerProgressǁfeed*" \
            "dockermagic.views.timefmt.*" ;;
        *) echo "Unknown family '$1': use commands, templates, dockerfile, masking or views." >&2; return 1 ;;
    esac
}

ALL="commands templates dockerfile masking views"
REPORT_ONLY=0
HEAD_ONLY=0
FAMILIES=()
for arg in "$@"; do
    case "$arg" in
        --report) REPORT_ONLY=1 ;;
        --head) HEAD_ONLY=1 ;;
        *) FAMILIES+=("$arg") ;;
    esac
done
[ ${#FAMILIES[@]} -gt 0 ] || read -r -a FAMILIES <<<"$ALL"
for family in "${FAMILIES[@]}"; do family_globs "$family" >/dev/null; done

if [ "$HEAD_ONLY" = 1 ]; then
    if [ "$REPORT_ONLY" = 0 ]; then
        rm -rf .mutation-head && mkdir .mutation-head
        git archive HEAD | tar -x -C .mutation-head
    fi
    cd .mutation-head
fi

if [ "$REPORT_ONLY" = 0 ]; then
    for family in "${FAMILIES[@]}"; do
        read -r -a globs <<<"$(family_globs "$family")"
        echo "== $family: mutmut run --max-children ${MUTATION_JOBS:-2}"
        start=$(date +%s)
        mkdir -p mutants
        # one family at a time, bounded: the machine is shared
        timeout -k 30 "${MUTATION_LIMIT:-1800}" "$MUTMUT" run --max-children "${MUTATION_JOBS:-2}" \
            "${globs[@]}" >"mutants/$family.log" 2>&1 || echo "   mutmut ended with status $? (see mutants/$family.log)"
        echo "   $(( $(date +%s) - start )) s"
    done
fi

# Per-module and overall figures, read from mutmut's result files for the chosen families only.
specs=()
for family in $ALL; do specs+=("$family=$(family_globs "$family")"); done
"$PY" - "${specs[@]}" <<'EOF'
import fnmatch, json, pathlib, re, sys
from collections import Counter, defaultdict

from mutmut.stats import status_by_exit_code

globs = {f: g.split() for f, g in (s.split("=", 1) for s in sys.argv[1:])}
results = {}
for meta in pathlib.Path("mutants").rglob("*.py.meta"):
    results.update(json.loads(meta.read_text()).get("exit_code_by_key", {}))
if not results:
    sys.exit("No mutmut results yet: run without --report first.")

by_module, by_family, survivors = defaultdict(Counter), defaultdict(Counter), []
for name, code in sorted(results.items()):
    family = next((f for f, gs in globs.items() if any(fnmatch.fnmatchcase(name, g) for g in gs)), None)
    if family is None:
        continue
    status = status_by_exit_code[code]
    module = re.split(r"\.x[_ǁ]", name, maxsplit=1)[0]
    by_module[module][status] += 1
    by_family[family][status] += 1
    if status not in ("killed", "timeout", "not checked"):
        survivors.append(f"{status:10} {name}")


def row(label, c):
    tried = sum(n for s, n in c.items() if s != "not checked")
    score = f"{100 * (c['killed'] + c['timeout']) / tried:5.1f} %" if tried else "    -  "
    return (f"{label:34} {c['killed']:5} {c['survived']:8} {c['timeout']:7} {c['no tests']:8} "
            f"{c['not checked']:11} {score}")


header = f"{'':34} {'killed':>5} {'survived':>8} {'timeout':>7} {'no tests':>8} {'not checked':>11}  score"
print("\n" + header)
for module in sorted(by_module):
    print(row(module, by_module[module]))
print()
total = Counter()
for family in globs:
    if by_family[family]:
        print(row(f"[{family}]", by_family[family]))
        total += by_family[family]
print(row("overall", total))
print("\nscore = (killed + timeout) / mutants tried; 'no tests' counts as not killed")
if survivors:
    print(f"\n{len(survivors)} not killed ('mutmut show NAME' in {pathlib.Path.cwd().name}/ shows each change):")
    print("\n".join(survivors))
EOF
