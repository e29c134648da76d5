#!/usr/bin/env bash
# Entry point 1: the set-up, then JupyterLab on 127.0.0.1 with notebooks/ open.
# Arguments go to jupyter lab. Ctrl-C stops JupyterLab and what the set-up started.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
trap engine_down EXIT
setup_all
jupyter lab --ip=127.0.0.1 --no-browser --notebook-dir="$DM_ROOT/notebooks" "$@"
