#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests (the core suite's second run, the
# concurrency test, the benchmark's server figures) and prints its URL. Safe to run again: a
# server already running in the folder is reused. The server is for tests only: it runs with
# fsync off (fast, and nothing in it matters), which the app refuses unless the environment
# says FRONTDESK_TEST_ONLY_ALLOW_UNDURABLE_SERVER=1.
#   scripts/pg-test-server.sh [DIR]        (default /tmp/frontdesk-pg; port 55432)
#   scripts/pg-test-server.sh --stop [DIR]
set -euo pipefail
stop=""
if [ "${1:-}" = "--stop" ]; then stop=1; shift; fi
dir="${1:-/tmp/frontdesk-pg}"
port="${FRONTDESK_PG_PORT:-55432}"
password="frontdesk-test"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$bin" ]; then
  echo "pg-test-server: PostgreSQL is not installed (scripts/setup.sh --test installs it)" >&2
  exit 1
fi
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ -n "$stop" ]; then
  [ -f "$dir/data/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null
  exit 0
fi
if [ ! -f "$dir/data/PG_VERSION" ]; then
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  # Passwords over TCP (as a hospital's server asks them), so a refused password can be tried.
  echo "$password" >"$dir/pwfile"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir/pwfile"
  as_pg "$bin/initdb" --no-sync -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null
fi
echo "postgres://postgres:$password@127.0.0.1:$port/postgres"
