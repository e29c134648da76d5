# shellcheck shell=bash
# Sourced by the two entry points (lab.sh, test.sh), which then set
# `trap engine_down EXIT` and call setup_all: the trap is in place before
# anything is started, so even a set-up that fails half-way stops what it
# started. Idempotent: a second run reuses what the first made.

DM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$DM_ROOT" || return 1
# shellcheck source=scripts/engine.sh
source "$DM_ROOT/scripts/engine.sh"
# shellcheck source=scripts/base-image.sh
source "$DM_ROOT/scripts/base-image.sh"

# .venv at the repo root with the package (editable) and its test tools.
# pip runs only when pyproject.toml changed since the last install (its
# sha256 is kept in a stamp file inside .venv): a rerun takes no time here.
setup_python() {
  local venv=$DM_ROOT/.venv stamp
  if [ ! -x "$venv/bin/pip" ]; then
    # Debian's python3 makes venvs only with python3-venv (ensurepip) installed.
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
      { _dm_can_install && _dm_apt_install python3-venv && python3 -m venv "$venv"; } || {
        _dm_say "python3 -m venv failed: install python3-venv (Debian/Ubuntu) or a Python >= 3.10 with venv"
        return 1; }
    fi
  fi
  stamp=$(sha256sum pyproject.toml | cut -d' ' -f1) || return 1
  if [ "$(cat "$venv/.dockermagic-stamp" 2>/dev/null)" != "$stamp" ]; then
    _dm_say "installing the package and its test tools into .venv (log in .venv/pip.log)"
    if ! "$venv/bin/python" -m pip install -e '.[test]' >"$venv/pip.log" 2>&1; then
      _dm_say "pip install failed; last lines of .venv/pip.log:"
      tail -n 20 "$venv/pip.log" >&2
      return 1
    fi
    echo "$stamp" >"$venv/.dockermagic-stamp"
  fi
  # an editable install leaves out pyproject's data files: put the server extension's config
  # (views/saving.py) where a wheel install puts it
  local conf=$venv/etc/jupyter/jupyter_server_config.d
  cmp -s "$DM_ROOT/jupyter-config/jupyter_server_config.d/dockermagic.json" "$conf/dockermagic.json" || {
    mkdir -p "$conf" && cp "$DM_ROOT/jupyter-config/jupyter_server_config.d/dockermagic.json" "$conf/"; }
  export VIRTUAL_ENV=$venv
  export PATH="$venv/bin:$PATH"
}

# Debian packages a caller needs besides the engine's (test.sh: chromium, for
# the browser test). Installed when missing and possible; otherwise only said,
# and the tests needing them fail with their own message.
_dm_want_packages() {
  local p missing=()
  for p; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  if _dm_can_install; then
    _dm_apt_install --no-install-recommends "${missing[@]}"
  else
    _dm_say "missing ${missing[*]} (Debian packages); some tests will fail without them"
  fi
}

# setup_all [DEBIAN-PACKAGE...]
setup_all() {
  setup_python || return 1
  engine_up || return 1
  base_image_ready || return 1
  _dm_want_packages "$@" || return 1
}
