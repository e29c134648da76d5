# shellcheck shell=bash
# Sourced by setup.sh: makes sure a Docker engine answers, and a local registry
# mirror serves images on 127.0.0.1:5000. Only what this script starts is
# stopped again (engine_down, run from the callers' EXIT trap): an engine that
# was already running belongs to its owner and is never touched.

DM_STATE=/var/lib/dockermagic
DM_STARTED_PIDS=()

engine_answers() { timeout 10 docker version >/dev/null 2>&1; }

registry_answers() { timeout 5 python3 - <<'PY' 2>/dev/null
import urllib.request
urllib.request.urlopen("http://127.0.0.1:5000/v2/", timeout=3)
PY
}

_need_packages() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v docker-registry >/dev/null || missing+=(docker-registry)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  ((${#missing[@]})) || return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "dockermagic: needs ${missing[*]} (Debian/Ubuntu packages); install them as root, or start a Docker engine and set DOCKER_HOST." >&2
    return 1
  fi
  echo "dockermagic: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

_start_registry() {
  registry_answers && return 0
  command -v docker-registry >/dev/null || return 0  # optional: only the offline base image needs it
  mkdir -p "$DM_STATE/registry"
  cat >"$DM_STATE/registry.yml" <<YML
version: 0.1
storage:
  filesystem:
    rootdirectory: $DM_STATE/registry
  delete:
    enabled: true
http:
  addr: 127.0.0.1:5000
log:
  level: warn
YML
  setsid docker-registry serve "$DM_STATE/registry.yml" >/var/log/dockermagic-registry.log 2>&1 </dev/null &
  DM_STARTED_PIDS+=("$!")
  for _ in $(seq 50); do registry_answers && return 0; sleep 0.2; done
  echo "dockermagic: the local registry did not start; see /var/log/dockermagic-registry.log" >&2
  return 1
}

engine_up() {
  _need_packages || return 1
  _start_registry || return 1
  if engine_answers; then
    return 0
  fi
  if [ -n "${DOCKER_HOST:-}" ]; then
    echo "dockermagic: DOCKER_HOST=$DOCKER_HOST does not answer; start that engine or unset DOCKER_HOST." >&2
    return 1
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "dockermagic: no Docker engine answers and starting one needs root: run 'sudo dockerd &' or 'sudo systemctl start docker'." >&2
    return 1
  fi
  # The mirror flag (not /etc/docker/daemon.json) keeps the host's config untouched.
  setsid dockerd --registry-mirror http://127.0.0.1:5000 >/var/log/dockermagic-dockerd.log 2>&1 </dev/null &
  DM_DOCKERD_PID=$!
  DM_STARTED_PIDS+=("$DM_DOCKERD_PID")
  for _ in $(seq 120); do
    engine_answers && return 0
    kill -0 "$DM_DOCKERD_PID" 2>/dev/null || break
    sleep 0.5
  done
  echo "dockermagic: dockerd did not come up; last lines of /var/log/dockermagic-dockerd.log:" >&2
  tail -n 15 /var/log/dockermagic-dockerd.log >&2
  return 1
}

engine_down() {
  local pid
  for pid in "${DM_STARTED_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || continue
    # dockerd stops its containers on SIGTERM; give it time to do so cleanly
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  done
  DM_STARTED_PIDS=()
}
