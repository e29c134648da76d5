#!/usr/bin/env bash
# Entry point 2: the set-up (scripts/setup.sh), lint and type checks
# (scripts/lint.sh), then the test suite. Extra arguments go to pytest; which
# paths and the nbval options live in pyproject.toml. Exits with pytest's code,
# or non-zero if lint failed or the tests or notebooks left a labelled
# container, network, volume or image (scripts/leaks.sh).
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
# shellcheck source=scripts/leaks.sh
source "$DM_ROOT/scripts/leaks.sh"
trap engine_down EXIT
# Debian's chromium: the browser test drives it; openssh and openssl: the ssh:// and TLS engine tests;
# podman (with netavark, its network stack tested here): tests/engine/test_podman.py
setup_all chromium openssh-server openssh-client openssl podman netavark aardvark-dns

# Lint and types first (ruff, mypy: scripts/lint.sh); the tests run either way, and a failure
# of either fails the run.
status=0
bash "$DM_ROOT/scripts/lint.sh" || status=$?

leaks_snapshot
python -m pytest "$@" || status=$?
leaks_check || { [ "$status" != 0 ] || status=1; }
exit "$status"
