#!/usr/bin/env bash
# The 3-node swarm, too heavy for CI (which runs the same test on two nodes):
#   bash scripts/swarm-3-nodes.sh [--no-notebook]
# The usual set-up (scripts/setup.sh: .venv, the Docker engine, debian:bookworm), then on three
# Docker engines in containers (tests/nodes.py: Debian's docker.io, no --privileged, no image from
# outside): tests/engine/test_swarm_nodes.py with DM_SWARM_NODES=3 (one manager, two workers; a
# service with 6 replicas spreads 2 per node, a drained node's tasks move to the others, the tasks
# view shows it; each step's time printed), then notebooks/08-swarm.ipynb under nbval (notebook
# 07's Spark cluster as a stack across the three nodes, and a job on both workers). Everything
# either makes is removed, and the leak check of scripts/test.sh runs after them, on what they make.
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
# shellcheck source=scripts/leaks.sh
source "$DM_ROOT/scripts/leaks.sh"
trap engine_down EXIT
setup_all

# The leak check counts only what these runs make (the nodes, their image, notebook 08's image):
# other test runs on a shared engine are theirs, and their objects must not be removed from under them.
export DM_NODES_PREFIX=dm-swarm3-$$
eval "_dm_labelled_all() $(declare -f _dm_labelled | tail -n +2)"
_dm_labelled() {
  local all
  all=$(_dm_labelled_all) || return 1
  grep -E $'^[a-z]+\t[^\t]+\t'"($DM_NODES_PREFIX-|nb08|dockermagic-node:)" <<<"$all" || true
}

notebook=1
[ "${1:-}" = --no-notebook ] && notebook=0

leaks_snapshot
status=0
started=$SECONDS
DM_SWARM_NODES=3 python -m pytest -p no:cacheprovider -s -q tests/engine/test_swarm_nodes.py || status=$?
echo "swarm-3-nodes: swarm test done in $((SECONDS - started)) s" >&2
if ((notebook)); then
  started=$SECONDS
  DM_SWARM_NODES=3 python -m pytest -p no:cacheprovider -q notebooks/08-swarm.ipynb || status=$?
  echo "swarm-3-nodes: notebook 08 done in $((SECONDS - started)) s" >&2
fi
leaks_check || { [ "$status" != 0 ] || status=1; }
exit "$status"
