#!/usr/bin/env bash
# Runs a command with DATABASE_URL pointing at a throw-away PostgreSQL server on
# a Unix socket, installing Debian's postgresql when missing. Stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
work=$(mktemp -d)
chmod 755 "$work"
run_as=()
cd_root=0
if [[ $(id -u) -eq 0 ]]; then
  chown postgres "$work"
  run_as=(runuser -u postgres --)
  cd_root=1
fi
pg() { if ((cd_root)); then (cd / && "${run_as[@]}" "$@"); else "$@"; fi; }
pg "$PGBIN/initdb" -D "$work/data" -U myelopath --auth=trust -E UTF8 >/dev/null
pg "$PGBIN/pg_ctl" -D "$work/data" -o "-k $work -c listen_addresses='' -c fsync=off" -l "$work/log" -w start >/dev/null
cleanup() { pg "$PGBIN/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
pg "$PGBIN/createdb" -h "$work" -U myelopath myelopath
export DATABASE_URL="postgres://myelopath@/myelopath?host=$work"
echo "with_postgres: $("$PGBIN/postgres" --version) on $work"
"$@"
