#!/usr/bin/env bash
# Prepares this machine for MyeloPath, idempotently:
#  - Debian packages WeasyPrint, translations, PDF tests and browser tests need (apt, when missing)
#  - .venv with Python >= 3.12 (3.13 preferred), found even where the default python3 is older
#  - requirements.txt installed into .venv (skipped when unchanged)
# Usage: scripts/bootstrap.sh [--browser]   (--browser also installs Debian's chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkgs=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext)
if [[ "${1:-}" == "--browser" ]]; then
  need_pkgs+=(chromium poppler-utils)
fi
missing=()
for p in "${need_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing Debian packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

find_python() {
  local cand
  for cand in python3.13 python3.12; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then
      command -v "$cand"; return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    for ver in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.1[2-9]' | sort -rV); do
      cand="$(pyenv root)/versions/$ver/bin/python3"
      [[ -x "$cand" ]] && { echo "$cand"; return 0; }
    done
  fi
  for cand in /usr/bin/python3 /usr/local/bin/python3; do
    if [[ -x "$cand" ]] && "$cand" -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then
      echo "$cand"; return 0
    fi
  done
  return 1
}

if [[ ! -x .venv/bin/python ]] || ! .venv/bin/python -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then
  PY=$(find_python) || { echo "bootstrap: no Python >= 3.12 found (install python3.13 or use pyenv)" >&2; exit 1; }
  echo "bootstrap: creating .venv with $PY ($("$PY" --version))"
  rm -rf .venv
  "$PY" -m venv .venv
fi

stamp=.venv/.requirements.sha256
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [[ ! -f $stamp ]] || [[ "$(cat $stamp)" != "$want" ]]; then
  echo "bootstrap: installing requirements"
  log=$(mktemp)
  if ! .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"; exit 1
  fi
  rm -f "$log"
  echo "$want" > $stamp
fi

# Compiled translations are build output: made from locale/*/LC_MESSAGES/django.po.
DEBUG=1 .venv/bin/python manage.py compilemessages --ignore=.venv -v 0
