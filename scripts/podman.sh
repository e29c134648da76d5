#!/usr/bin/env bash
# The engine tests marked `podman` against Podman's Docker-compatible API:
#   bash scripts/podman.sh [PYTEST-ARGS...]      (default: tests/engine)
# The usual set-up (scripts/setup.sh: .venv, the Docker engine, the local registry with
# debian:bookworm), plus Debian's podman when it is missing. Then tests/podman.py starts
# `podman system service` on a private socket with its own store and configuration in a
# temporary directory (nothing under /etc is edited), pulls debian:bookworm into it from the
# local registry, runs pytest -m podman with DOCKER_HOST on that socket, removes everything
# and prints the summary: passed, failed, and the expected differences with their reasons.
# Not in CI (a run takes several minutes); tests/engine/test_podman.py is the cheap check there.
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
trap engine_down EXIT
# netavark: the network stack tested here (without recommends apt would pick the CNI plugins)
setup_all podman netavark aardvark-dns

(($#)) || set -- tests/engine
status=0
python -m tests.podman "$@" || status=$?
exit "$status"
