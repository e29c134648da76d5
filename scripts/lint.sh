#!/usr/bin/env bash
# Lint and type checks: ruff (lint and format) over dockermagic/ and tests/, mypy over dockermagic/
# (its settings, strict on commands/ and engine/, are in pyproject.toml). One line per tool; exits
# non-zero if any of them fails. `scripts/lint.sh -v` prints each tool's findings as well.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tool() {  # the project's .venv copy (pyproject's test extras), else the one on PATH
    if [ -x ".venv/bin/$1" ]; then echo ".venv/bin/$1"; else echo "$1"; fi
}
verbose=0
[ "${1:-}" = "-v" ] && verbose=1

status=0
check() {  # check NAME COMMAND...: run it, print one line, keep its output for -v
    local name=$1 out rc
    shift
    out=$("$@" 2>&1)
    rc=$?
    if [ "$rc" = 0 ]; then
        echo "$name: ok"
    else
        echo "$name: FAILED ($(printf '%s\n' "$out" | grep -v '^\s*$' | tail -n 1))"
        status=1
    fi
    [ "$verbose" = 1 ] && [ -n "$out" ] && printf '%s\n' "$out"
    return 0
}

check "ruff check" "$(tool ruff)" check dockermagic tests
check "ruff format" "$(tool ruff)" format --check dockermagic tests
check "mypy" "$(tool mypy)" dockermagic
exit "$status"
