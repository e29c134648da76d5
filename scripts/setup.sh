# shellcheck shell=bash
# Sourced by lab.sh and test.sh: virtual environment, the package, an engine
# and the base image. Idempotent: a second run reuses what the first made.

DM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$DM_ROOT" || exit 1
# shellcheck source=engine.sh
source "$DM_ROOT/scripts/engine.sh"
# shellcheck source=base-image.sh
source "$DM_ROOT/scripts/base-image.sh"

setup_python() {
  local venv="$DM_ROOT/.venv" stamp
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv" || {
    echo "dockermagic: python3 -m venv failed; install python3-venv (Debian) or Python >= 3.10." >&2; return 1; }
  stamp=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [ "$(cat "$venv/.dockermagic-stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "dockermagic: installing the package and its test tools into .venv" >&2
    if ! { "$venv/bin/python" -m pip install -q --upgrade pip &&
           "$venv/bin/python" -m pip install -q -e ".[test]"; } >"$venv/pip.log" 2>&1; then
      tail -n 20 "$venv/pip.log" >&2; return 1
    fi
    echo "$stamp" >"$venv/.dockermagic-stamp"
  fi
  export PATH="$venv/bin:$PATH"
}

setup_all() {
  setup_python || return 1
  engine_up || return 1
  base_image_ready || return 1
}
