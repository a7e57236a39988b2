#!/usr/bin/env bash
# Writes .env with a fresh random SECRET_KEY the first time; never overwrites it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f .env ]]; then
  key=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')
  umask 077
  printf 'SECRET_KEY=%s\nDEBUG=0\nALLOWED_HOSTS=127.0.0.1,localhost\n' "$key" > .env
  echo "ensure_env: wrote .env with a new SECRET_KEY"
fi
