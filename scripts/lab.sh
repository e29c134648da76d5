#!/usr/bin/env bash
# Entry point 1: the set-up (scripts/setup.sh), then JupyterLab on 127.0.0.1
# with notebooks/ open. Extra arguments go to `jupyter lab`.
# Not `exec`: this shell must outlive JupyterLab for its EXIT trap to stop
# what the set-up started (Ctrl-C in JupyterLab ends both).
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
trap engine_down EXIT
# shellcheck disable=SC2119  # no extra Debian packages for the lab
setup_all
# JupyterLab refuses to start as root without --allow-root; these machines run as root.
root_flag=()
[ "$(id -u)" != 0 ] || root_flag=(--allow-root)
jupyter lab --ip=127.0.0.1 --no-browser --notebook-dir=notebooks "${root_flag[@]}" "$@"
