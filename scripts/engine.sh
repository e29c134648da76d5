# shellcheck shell=bash
# Sourced (by setup.sh). Defines engine_up and engine_down.
#
# engine_up makes sure a Docker engine answers and a local registry serves
# images on 127.0.0.1:5000: no public registry is reachable on the machines
# this project runs on, so that registry is the engine's mirror, and the only
# way `docker pull debian:bookworm` can work for real.
# engine_down (the callers' `trap engine_down EXIT`) stops exactly what
# engine_up started, by the pid it recorded. An engine or a registry that was
# already running belongs to its owner: it is used, never restarted,
# reconfigured or stopped.
#
# Functions return 1 (never `exit`) with one clear line on stderr, so that a
# shell that sources this file interactively survives a failure.

# Overridable for tests of these scripts only; the defaults are the project's.
DM_STATE=${DM_STATE:-/var/lib/dockermagic}      # registry config and storage: kept between runs
DM_REGISTRY=${DM_REGISTRY:-127.0.0.1:5000}
DM_ENGINE_TIMEOUT=${DM_ENGINE_TIMEOUT:-60}      # seconds for dockerd to answer
DM_LOG_DIR=${DM_LOG_DIR:-/var/log}
DM_DOCKERD_LOG=$DM_LOG_DIR/dockermagic-dockerd.log
DM_REGISTRY_LOG=$DM_LOG_DIR/dockermagic-registry.log
DM_APT_LOG=$DM_LOG_DIR/dockermagic-apt.log

# What this shell started (empty: nothing); never taken from the environment.
# DM_ENGINE_STARTED=0 records that the engine in use was found running and
# must be left alone.
DM_ENGINE_STARTED=0
DM_DOCKERD_PID=''
DM_REGISTRY_PID=''

_dm_say() { echo "dockermagic: $*" >&2; }

_dm_can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && command -v dpkg-query >/dev/null; }

# The docker CLI when there is one (base-image.sh needs it anyway), else the
# docker SDK (in .venv once setup.sh made it). Both honour DOCKER_HOST.
engine_answers() {
  if command -v docker >/dev/null; then
    timeout 10 docker version >/dev/null 2>&1
  else
    timeout 10 python3 -c 'import docker; docker.from_env().ping()' >/dev/null 2>&1
  fi
}

registry_answers() {
  timeout 5 python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=3)' \
    "http://$DM_REGISTRY/v2/" >/dev/null 2>&1
}

# _dm_apt_install [APT-OPTION...] PACKAGE...: install as root with apt-get.
# The package lists are fetched only when the ones present cannot find or
# download the packages, so a machine with fresh lists skips the update.
_dm_apt_install() {
  local a pkgs=()
  for a; do [[ $a == -* ]] || pkgs+=("$a"); done
  _dm_say "installing ${pkgs[*]} (apt-get; log in $DM_APT_LOG)"
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@")
  if "${apt[@]}" >>"$DM_APT_LOG" 2>&1; then return 0; fi
  if apt-get update -q >>"$DM_APT_LOG" 2>&1 && "${apt[@]}" >>"$DM_APT_LOG" 2>&1; then return 0; fi
  _dm_say "apt-get install failed; last lines of $DM_APT_LOG:"
  tail -n 15 "$DM_APT_LOG" >&2
  return 1
}

# _dm_spawn PIDFILE LOG CMD...: start CMD in its own session (so a Ctrl-C in
# the terminal, sent to the foreground process group, does not kill it mid-run:
# engine_down stops it cleanly instead). The inner sh writes its own pid and
# then execs CMD, so the pid recorded is CMD's even when setsid had to fork.
_dm_spawn() {
  local pidfile=$1 log=$2; shift 2
  rm -f "$pidfile"
  # shellcheck disable=SC2016  # $$ and $@ are the inner sh's
  setsid sh -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" >"$log" 2>&1 </dev/null &
  local _
  for _ in $(seq 50); do [ -s "$pidfile" ] && { cat "$pidfile"; return 0; }; sleep 0.1; done
  return 1
}

# The registry (CNCF distribution, Debian's docker-registry) on 127.0.0.1:5000,
# storing under $DM_STATE so the pushed base image survives between runs.
_dm_registry_up() {
  registry_answers && return 0                      # ours from before, or someone else's: use it
  if ! command -v docker-registry >/dev/null || [ "$(id -u)" != 0 ]; then
    _dm_say "no registry on $DM_REGISTRY and none can be started here (needs root and Debian's docker-registry); 'docker pull debian:bookworm' will only work where a registry serves it"
    return 0                                        # optional: the base image can still be built and used
  fi
  mkdir -p "$DM_STATE/registry"
  # Rewritten only when different, so a rerun leaves the file as it was.
  local conf="$DM_STATE/registry.yml" new
  new=$(printf '%s\n' 'version: 0.1' 'log:' '  level: warn' 'storage:' '  filesystem:' \
        "    rootdirectory: $DM_STATE/registry" 'http:' "  addr: $DM_REGISTRY")
  [ "$(cat "$conf" 2>/dev/null)" = "$new" ] || printf '%s\n' "$new" >"$conf"
  DM_REGISTRY_PID=$(_dm_spawn "$DM_STATE/registry.pid" "$DM_REGISTRY_LOG" docker-registry serve "$conf") || {
    _dm_say "the registry did not start; see $DM_REGISTRY_LOG"; return 1; }
  local _
  for _ in $(seq 50); do
    registry_answers && return 0
    kill -0 "$DM_REGISTRY_PID" 2>/dev/null || break
    sleep 0.2
  done
  _dm_say "the registry did not answer on $DM_REGISTRY; last lines of $DM_REGISTRY_LOG:"
  tail -n 10 "$DM_REGISTRY_LOG" >&2
  return 1
}

_dm_dockerd_up() {
  local args=()
  # The mirror goes on the command line, so /etc/docker/daemon.json stays the
  # host's own. If that file already names mirrors, dockerd would refuse the
  # flag as a conflicting directive: then the file's mirrors are used.
  if grep -qs '"registry-mirrors"' /etc/docker/daemon.json; then
    _dm_say "/etc/docker/daemon.json sets registry-mirrors: not adding http://$DM_REGISTRY"
  else
    args+=(--registry-mirror "http://$DM_REGISTRY")
  fi
  mkdir -p "$DM_STATE"
  _dm_say "starting dockerd (log in $DM_DOCKERD_LOG); it is stopped again when this command ends"
  DM_DOCKERD_PID=$(_dm_spawn "$DM_STATE/dockerd.pid" "$DM_DOCKERD_LOG" dockerd "${args[@]}") || {
    _dm_say "dockerd did not start; see $DM_DOCKERD_LOG"; return 1; }
  DM_ENGINE_STARTED=1
  local deadline=$((SECONDS + DM_ENGINE_TIMEOUT))
  while ((SECONDS < deadline)); do
    engine_answers && return 0
    kill -0 "$DM_DOCKERD_PID" 2>/dev/null || break  # died: no point waiting
    sleep 0.5
  done
  if kill -0 "$DM_DOCKERD_PID" 2>/dev/null; then
    _dm_say "dockerd did not answer within ${DM_ENGINE_TIMEOUT}s; last lines of $DM_DOCKERD_LOG:"
  else
    _dm_say "dockerd exited at start; last lines of $DM_DOCKERD_LOG:"
  fi
  tail -n 20 "$DM_DOCKERD_LOG" >&2
  return 1                                          # engine_down (EXIT trap) stops it
}

engine_up() {
  local found=0 missing=()
  if engine_answers; then
    found=1
    DM_ENGINE_STARTED=0
    _dm_say "using the Docker engine already running${DOCKER_HOST:+ at $DOCKER_HOST} (not started here, left alone)"
  elif [ -n "${DOCKER_HOST:-}" ]; then
    # The project's clients would talk to DOCKER_HOST anyway: a local dockerd would not help.
    _dm_say "DOCKER_HOST=$DOCKER_HOST does not answer: start that engine, or unset DOCKER_HOST"
    return 1
  fi

  # What is missing for the engine (unless one answers), the registry, and the
  # offline base image (debootstrap). docker.io also brings the docker CLI.
  if ! command -v docker >/dev/null || { ((!found)) && ! command -v dockerd >/dev/null; }; then
    missing+=(docker.io)
  fi
  command -v docker-registry >/dev/null || missing+=(docker-registry)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  if ((${#missing[@]})); then
    if _dm_can_install; then
      _dm_apt_install "${missing[@]}" || return 1
    elif ! ((found)); then
      _dm_say "no Docker engine answers: install ${missing[*]} as root (Debian/Ubuntu: apt-get install -y ${missing[*]}), or start a Docker engine and set DOCKER_HOST"
      return 1
    fi
  fi

  _dm_registry_up || return 1
  ((found)) && return 0
  # An install may have started the packaged service (systemd hosts): that one is the system's, not ours.
  if engine_answers; then
    _dm_say "the docker.io package started its own engine: using it, left alone"
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    _dm_say "no Docker engine answers and starting one needs root: run 'sudo dockerd &' (or 'sudo systemctl start docker'), then rerun"
    return 1
  fi
  _dm_dockerd_up
}

# _dm_stop PID NAME SECONDS: TERM, then wait up to SECONDS for it to exit.
# The pid is checked to still be NAME first (/proc/PID/comm), so a recycled
# pid is never signalled.
_dm_stop() {
  local pid=$1 name=$2 wait=$3 _
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq $((wait * 5))); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  return 1
}

engine_down() {
  # dockerd first: on SIGTERM it stops its containers (each within its stop
  # timeout) and its containerd before exiting; cut short, it would leave them
  # behind. Then the registry, which holds no state outside its storage.
  if ((DM_ENGINE_STARTED)) && [ -n "$DM_DOCKERD_PID" ]; then
    _dm_stop "$DM_DOCKERD_PID" dockerd 90 ||
      _dm_say "dockerd (pid $DM_DOCKERD_PID) still running after 90s; see $DM_DOCKERD_LOG"
    rm -f "$DM_STATE/dockerd.pid"
  fi
  if [ -n "$DM_REGISTRY_PID" ]; then
    _dm_stop "$DM_REGISTRY_PID" docker-registry 10 || kill -KILL "$DM_REGISTRY_PID" 2>/dev/null || true
    rm -f "$DM_STATE/registry.pid"
  fi
  DM_DOCKERD_PID='' DM_REGISTRY_PID='' DM_ENGINE_STARTED=0
  return 0
}
