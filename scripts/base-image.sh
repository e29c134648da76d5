# shellcheck shell=bash
# Sourced by setup.sh: makes sure the base image debian:bookworm exists.
# Pulled where a registry (or the local mirror) serves it; otherwise built
# offline with debootstrap (the real Debian 12, minbase) and pushed to the
# local registry on 127.0.0.1:5000, which the engine uses as its mirror, so
# that `docker pull debian:bookworm` works for real afterwards.

DM_BASE=debian:bookworm
DM_CACHE=/var/cache/dockermagic
DM_MIRROR_REF=127.0.0.1:5000/library/debian:bookworm

_in_mirror() {
  python3 - <<'PY' 2>/dev/null
import json, urllib.request
tags = json.load(urllib.request.urlopen("http://127.0.0.1:5000/v2/library/debian/tags/list", timeout=3))
raise SystemExit(0 if "bookworm" in (tags.get("tags") or []) else 1)
PY
}

_build_offline() {
  mkdir -p "$DM_CACHE"
  if [ ! -s "$DM_CACHE/debian-bookworm.tar" ]; then
    command -v debootstrap >/dev/null || { echo "dockermagic: debootstrap is missing (apt-get install debootstrap)" >&2; return 1; }
    local rootfs; rootfs=$(mktemp -d)
    echo "dockermagic: building $DM_BASE offline with debootstrap (about a minute, once)" >&2
    debootstrap --variant=minbase bookworm "$rootfs" >/var/log/dockermagic-debootstrap.log 2>&1 \
      || { tail -n 20 /var/log/dockermagic-debootstrap.log >&2; rm -rf "$rootfs"; return 1; }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -cf "$DM_CACHE/debian-bookworm.tar.part" . && mv "$DM_CACHE/debian-bookworm.tar.part" "$DM_CACHE/debian-bookworm.tar"
    rm -rf "$rootfs"
  fi
  docker import --change 'CMD ["bash"]' "$DM_CACHE/debian-bookworm.tar" "$DM_BASE" >/dev/null
}

base_image_ready() {
  if ! docker image inspect "$DM_BASE" >/dev/null 2>&1; then
    timeout 60 docker pull -q "$DM_BASE" >/dev/null 2>&1 || _build_offline || return 1
  fi
  # Serve it from the local mirror too, so notebooks can rmi and pull it back offline.
  if registry_answers && ! _in_mirror; then
    docker tag "$DM_BASE" "$DM_MIRROR_REF"
    docker push -q "$DM_MIRROR_REF" >/dev/null || { echo "dockermagic: pushing $DM_BASE to the local registry failed" >&2; return 1; }
    docker rmi "$DM_MIRROR_REF" >/dev/null
  fi
}
