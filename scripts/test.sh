#!/usr/bin/env bash
# Entry point 2: the set-up (scripts/setup.sh), then the test suite. Extra
# arguments go to pytest; which paths and the nbval options live in
# pyproject.toml. Exits with pytest's code, or 1 if a test left a container.
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
trap engine_down EXIT
setup_all chromium          # Debian's chromium: the browser test drives it

status=0
python -m pytest "$@" || status=$?

# Tests label what they make `dockermagic.test` and remove it themselves: any
# such container still here is a leak. Shown, removed (so the next run starts
# clean), and the run fails. (The check is engine-wide: it assumes no other
# test run shares the engine at the same time, as in CI.)
if ! left=$(docker ps -aq --filter label=dockermagic.test); then
  echo "dockermagic: could not list containers after the tests" >&2
  exit 1
fi
if [ -n "$left" ]; then
  echo "dockermagic: the tests left these containers behind (now removed):" >&2
  docker ps -a --filter label=dockermagic.test >&2 || true
  # shellcheck disable=SC2086  # one id per word
  docker rm -f $left >/dev/null || true
  [ "$status" != 0 ] || status=1
fi
exit "$status"
