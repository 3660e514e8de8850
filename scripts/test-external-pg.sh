#!/bin/sh
# Runs the given test files against an external PostgreSQL (Debian's, 15 by default) instead of
# the embedded cluster: a throwaway cluster in a temporary directory on a port of its own,
# started for the run and removed after it. Issue 45: each defect reproduced on both databases.
#
#   scripts/test-external-pg.sh test/security/upload-text.test.ts test/...
#
# PG_BIN: the server's binaries (default /usr/lib/postgresql/15/bin); PG_PORT (default 55432).
# As root, the cluster runs as the `postgres` user (initdb refuses root).
set -eu
[ "$#" -gt 0 ] || { echo "usage: $0 <test files…>" >&2; exit 2; }
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${PG_PORT:-55432}
dir=$(mktemp -d /tmp/ix-external-pg-XXXXXX)
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$dir"
cleanup() {
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM
as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $PG_PORT -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start >/dev/null
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT ($dir)" >&2
TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres" npx vitest run "$@"
