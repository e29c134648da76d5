#!/usr/bin/env bash
# Entry point 2: the set-up (scripts/setup.sh), then the test suite. Extra
# arguments go to pytest; which paths and the nbval options live in
# pyproject.toml. Exits with pytest's code, or 1 if the tests or notebooks
# left a labelled container, network, volume or image (scripts/leaks.sh).
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
# shellcheck source=scripts/leaks.sh
source "$DM_ROOT/scripts/leaks.sh"
trap engine_down EXIT
setup_all chromium          # Debian's chromium: the browser test drives it

leaks_snapshot
status=0
python -m pytest "$@" || status=$?
leaks_check || { [ "$status" != 0 ] || status=1; }
exit "$status"
