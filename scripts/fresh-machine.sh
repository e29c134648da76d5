#!/usr/bin/env bash
# Runs the README's test command (`bash scripts/test.sh ARGS...`) as a fresh
# machine would: in a throwaway debian:bookworm container on the running
# engine that holds only a copy of the repository (`git archive HEAD`, or with
# --worktree the working tree's tracked and untracked, non-ignored files) and
# what a bare CI machine has (python3 with venv and pip, git, gcc,
# ca-certificates). Everything else (docker.io, docker-registry, debootstrap,
# chromium, the Python packages) is installed by the test command itself, and
# the container runs its own Docker engine: Docker in Docker without
# --privileged (all capabilities but SYS_RESOURCE, no seccomp/apparmor
# confinement, /var/lib/docker on a volume), the inner dockerd under its own
# cgroup parent (set in its /etc/docker/daemon.json, which the set-up leaves
# alone) so it never touches the outer engine's cgroups. The host's CA bundle is
# added to the machine's trust store (machines of this kind reach PyPI only
# through it), and PIP_CERT points at the result, as on the host.
# The container, its volume and its network are removed at the end, Ctrl-C included;
# the exit status is the test command's.
#
#   bash scripts/fresh-machine.sh [--worktree] [--keep] [--] [PYTEST-ARGS...]
set -euo pipefail

usage() { sed -n '/^#   bash/s/^#   //p' "$0"; }

worktree=0 keep=0
while (($#)); do
  case $1 in
    --worktree) worktree=1; shift ;;
    --keep) keep=1; shift ;;       # leave the container running, for a look inside afterwards
    -h | --help) usage; exit 0 ;;
    --) shift; break ;;
    *) break ;;
  esac
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BASE=debian:bookworm
HOST_CA=${DM_FRESH_CA:-/etc/ssl/certs/ca-certificates.crt}
CA_IN=/usr/local/share/ca-certificates/dm-host-bundle.crt   # update-ca-certificates adds it
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
run_id=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
name=dm-fresh-$run_id              # container, volume, network and inner cgroup parent
started=$SECONDS

say() { echo "fresh-machine: $*" >&2; }

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if ((keep)); then
    say "kept: docker exec -it $name bash; remove with: docker rm -f $name && docker volume rm $name && docker network rm $name"
  else
    docker rm -f "$name" >/dev/null 2>&1 || true
    docker volume rm "$name" >/dev/null 2>&1 || true
    docker network rm "$name" >/dev/null 2>&1 || true
    # The inner engine's cgroups (empty once its processes are gone): rmdir only removes empty ones.
    find /sys/fs/cgroup/*/"$name" -depth -type d -exec rmdir {} + 2>/dev/null || true
  fi
  say "done in $((SECONDS - started)) s, status $status"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[ -r "$HOST_CA" ] || { say "no CA bundle at $HOST_CA (set DM_FRESH_CA)"; exit 1; }
command -v docker >/dev/null && docker version >/dev/null 2>&1 || {
  say "no Docker engine answers here: this script needs one to run the throwaway machine"; exit 1; }

in_box() { docker exec -i "$name" "$@"; }

say "machine $name from $BASE"
docker volume create --label dockermagic.fresh="$run_id" "$name" >/dev/null
# A network of its own: on the outer default bridge, the inner engine would
# find 172.17.0.0/16 taken and give its own bridge another subnet than a real
# machine's. Its subnet is named, not left to the engine, whose next free pool
# (172.31.0.0/16 on a quiet engine) holds the subnets the tests create, so a
# test run beside this one on the outer engine would collide with it.
DM_FRESH_SUBNET=${DM_FRESH_SUBNET:-172.28.0.0/16}
docker network create --subnet "$DM_FRESH_SUBNET" --label dockermagic.fresh="$run_id" "$name" >/dev/null
# --init: an init as PID 1 reaps exited daemons, as on a real machine (the
# set-up waits for the dockerd it stops to be gone).
docker run -d --init --name "$name" --hostname fresh --network "$name" --label dockermagic.fresh="$run_id" \
  --cap-add ALL --cap-drop SYS_RESOURCE \
  --security-opt seccomp=unconfined --security-opt apparmor=unconfined --security-opt systempaths=unconfined \
  --device-cgroup-rule 'a *:* rwm' --tmpfs /run --shm-size 1g \
  -v /sys/fs/cgroup:/sys/fs/cgroup:rw --cgroupns host \
  -v "$name:/var/lib/docker" -v "$HOST_CA:$CA_IN:ro" -e PIP_CERT="$CA_BUNDLE" \
  "$BASE" sleep infinity >/dev/null

say "installing what a bare CI machine has: python3 (venv, pip), git, gcc, ca-certificates"
in_box sh -c 'export DEBIAN_FRONTEND=noninteractive; apt-get update -q >/tmp/apt.log 2>&1 &&
  apt-get install -y -q python3 python3-venv python3-pip git gcc ca-certificates >>/tmp/apt.log 2>&1 &&
  update-ca-certificates >>/tmp/apt.log 2>&1 || { tail -n 20 /tmp/apt.log; exit 1; }'

# The inner dockerd's own cgroup parent; no registry-mirrors here, so the set-up adds its mirror flag.
in_box sh -c 'mkdir -p /etc/docker && cat >/etc/docker/daemon.json' <<EOF
{"cgroup-parent": "/$name"}
EOF

in_box mkdir -p /src
if ((worktree)); then
  say "copying the working tree (tracked and untracked, not ignored)"
  (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
    tar --null -T - -cf -) | docker cp - "$name:/src"
else
  say "copying HEAD ($(git -C "$ROOT" rev-parse --short HEAD))"
  git -C "$ROOT" archive --format=tar HEAD | docker cp - "$name:/src"
fi

say "running: bash scripts/test.sh $*"
status=0
docker exec -w /src "$name" bash scripts/test.sh "$@" || status=$?
exit "$status"
