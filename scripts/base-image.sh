# shellcheck shell=bash
# Sourced (by setup.sh, after engine.sh and engine_up). Defines base_image_ready.
#
# The notebooks and tests build on debian:bookworm. No public registry is
# reachable on the machines this project runs on, so where no registry serves
# it, it is made offline: debootstrap (the real Debian 12, minbase, from
# Debian's package archive), `docker import`, then a push to the local
# registry on 127.0.0.1:5000. An engine started by engine.sh uses that
# registry as its mirror, so after `docker rmi debian:bookworm` a plain
# `docker pull debian:bookworm` really works, progress stream and all.

# Overridable for tests of these scripts only; the defaults are the project's.
DM_BASE=${DM_BASE:-debian:bookworm}
DM_CACHE=${DM_CACHE:-/var/cache/dockermagic}     # the debootstrapped rootfs tarball: reruns skip debootstrap
DM_DEBOOTSTRAP_LOG=${DM_LOG_DIR:-/var/log}/dockermagic-debootstrap.log
DM_MIRROR_REF=${DM_REGISTRY:-127.0.0.1:5000}/library/debian:bookworm

# Does the local registry list debian:bookworm? (what the mirror serves)
_dm_in_mirror() {
  timeout 5 python3 -c '
import json, sys, urllib.request
tags = json.load(urllib.request.urlopen(sys.argv[1], timeout=3)).get("tags") or []
sys.exit(0 if "bookworm" in tags else 1)' "http://$DM_REGISTRY/v2/library/debian/tags/list" >/dev/null 2>&1
}

# Remove a rootfs left by an interrupted debootstrap. It can still have /proc,
# /sys or /dev mounted inside: unmount those first, and never delete across a
# file system boundary, so the host's own /dev or /proc is never touched.
_dm_remove_rootfs() {
  local dir=$1 m
  [ -e "$dir" ] || return 0
  awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r |
    while read -r m; do umount -l "$m" 2>/dev/null || true; done
  rm -rf --one-file-system "$dir"
}

_dm_build_offline() {
  local tarball=$DM_CACHE/debian-bookworm.tar rootfs=$DM_CACHE/rootfs.tmp
  if [ ! -s "$tarball" ]; then
    if ! command -v debootstrap >/dev/null || [ "$(id -u)" != 0 ]; then
      _dm_say "$DM_BASE is not in the engine and no registry serves it; building it needs root and debootstrap (apt-get install -y debootstrap)"
      return 1
    fi
    mkdir -p "$DM_CACHE"
    _dm_remove_rootfs "$rootfs"
    _dm_say "building $DM_BASE offline with debootstrap (once; about a minute; log in $DM_DEBOOTSTRAP_LOG)"
    # Default mirror: Debian's package archive, which is reachable.
    if ! debootstrap --variant=minbase bookworm "$rootfs" >"$DM_DEBOOTSTRAP_LOG" 2>&1; then
      _dm_say "debootstrap failed; last lines of $DM_DEBOOTSTRAP_LOG:"
      tail -n 15 "$DM_DEBOOTSTRAP_LOG" >&2
      _dm_remove_rootfs "$rootfs"
      return 1
    fi
    # Downloaded .debs and package lists are dead weight in an image (Debian's
    # official images ship without them too: `apt-get update` first).
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    # Written under another name and renamed, so an interrupted run never
    # leaves a truncated tarball that later runs would trust.
    if ! { tar --numeric-owner -C "$rootfs" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"; }; then
      _dm_say "could not write $tarball"; rm -f "$tarball.part"; _dm_remove_rootfs "$rootfs"; return 1
    fi
    _dm_remove_rootfs "$rootfs"
  fi
  _dm_say "importing $DM_BASE from $tarball"
  docker import --change 'CMD ["bash"]' "$tarball" "$DM_BASE" >/dev/null || {
    _dm_say "docker import of $tarball failed"; return 1; }
}

base_image_ready() {
  if ! docker image inspect "$DM_BASE" >/dev/null 2>&1; then
    # A served pull takes seconds (~50-120 MB); with no registry reachable it
    # fails at once (DNS error). The timeout only guards a stalled network.
    if timeout 60 docker pull -q "$DM_BASE" >/dev/null 2>&1; then
      _dm_say "pulled $DM_BASE"
    else
      _dm_build_offline || return 1
    fi
  fi

  # Serve it from the local registry too, so a pull through the mirror works.
  if ! registry_answers; then
    _dm_say "no registry on $DM_REGISTRY: $DM_BASE is in the engine, but cannot be pulled back after 'docker rmi'"
    return 0
  fi
  _dm_in_mirror && return 0
  _dm_say "pushing $DM_BASE to the local registry as $DM_MIRROR_REF"
  if ! { docker tag "$DM_BASE" "$DM_MIRROR_REF" && docker push -q "$DM_MIRROR_REF" >/dev/null; }; then
    _dm_say "pushing $DM_BASE to $DM_REGISTRY failed"; docker rmi "$DM_MIRROR_REF" >/dev/null 2>&1; return 1
  fi
  docker rmi "$DM_MIRROR_REF" >/dev/null || true  # only that extra tag: the image stays as $DM_BASE
  # Checked once, here: the registry must now list the tag the mirror serves.
  _dm_in_mirror || { _dm_say "pushed, but $DM_REGISTRY does not list library/debian:bookworm"; return 1; }
}
