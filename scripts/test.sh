#!/usr/bin/env bash
# Entry point 2: the set-up, then the whole test suite (unit, engine, magics,
# browser, notebooks through nbval). Arguments go to pytest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
trap engine_down EXIT
setup_all

status=0
python -m pytest "$@" || status=$?

# Every test removes what it made; anything still labelled is a leak: fail.
left=$(docker ps -aq --filter label=dockermagic.test)
if [ -n "$left" ]; then
  echo "dockermagic: tests left containers behind:" >&2
  docker ps -a --filter label=dockermagic.test >&2
  docker rm -f $left >/dev/null
  status=1
fi
exit "$status"
