#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster, then removes the cluster.
#
#   scripts/with-postgres.sh npm test
#   scripts/with-postgres.sh npx tsx bench/http-read.ts
#
# The command sees PG_URL and TEST_DATABASE_URL (postgres://postgres@127.0.0.1:<port>/postgres,
# a superuser, so the test harness can CREATE DATABASE per test file). The script exits with the
# command's status. PG_BINDIR overrides where the server binaries are looked for; PG_PORT the
# first port tried.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

find_bindir() {
  if [[ -n "${PG_BINDIR:-}" ]]; then
    echo "$PG_BINDIR"
    return
  fi
  # Debian installs major versions side by side and pg_config (when present at all) describes the
  # client, so take the newest server under /usr/lib/postgresql; sort -V because 10 < 9 lexically.
  local dir best=''
  while read -r dir; do
    [[ -x "$dir/initdb" ]] && best="$dir"
  done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V)
  if [[ -z "$best" ]] && command -v initdb >/dev/null; then
    best=$(dirname "$(command -v initdb)")
  fi
  if [[ -z "$best" ]] && command -v pg_config >/dev/null; then
    dir=$(pg_config --bindir 2>/dev/null || true)
    [[ -n "$dir" && -x "$dir/initdb" ]] && best="$dir"
  fi
  echo "$best"
}

bindir=$(find_bindir)
if [[ -z "$bindir" || ! -x "$bindir/initdb" || ! -x "$bindir/pg_ctl" ]]; then
  echo "with-postgres: no PostgreSQL server binaries found (looked in /usr/lib/postgresql/*/bin," \
    "PATH and pg_config); install them with: apt-get install -y postgresql" >&2
  exit 127
fi

# PostgreSQL refuses to run as root, so root hands the cluster to the postgres OS user.
if [[ $(id -u) -eq 0 ]]; then
  if ! id postgres >/dev/null 2>&1; then
    useradd -r -m postgres
  fi
  if command -v runuser >/dev/null; then
    as_owner() { runuser -u postgres -- "$@"; }
  else
    as_owner() { su -s /bin/sh postgres -c "$(printf '%q ' "$@")"; }
  fi
  base=${TMPDIR:-/tmp}
  # A root-only TMPDIR would be unreachable for the postgres user.
  as_owner test -x "$base" 2>/dev/null || base=/tmp
else
  as_owner() { "$@"; }
  base=${TMPDIR:-/tmp}
fi

tmp=$(mktemp -d "$base/with-postgres.XXXXXX")
data="$tmp/data"
log="$tmp/postgres.log"
started=''

cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  if [[ -n "$started" ]]; then
    # Immediate: nothing in a throwaway cluster is worth a shutdown checkpoint.
    (cd "$tmp" && as_owner "$bindir/pg_ctl" -D "$data" -m immediate -w -t 30 stop) \
      >/dev/null 2>&1 || true
    # A postmaster pg_ctl could not stop must not outlive its deleted data directory.
    local pid
    pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
    if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
# Turn signals into an ordinary exit so the EXIT trap tears the cluster down.
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

[[ $(id -u) -eq 0 ]] && chown postgres: "$tmp"

# The server's own processes must be able to read the cwd; the temp dir always is.
(
  cd "$tmp"
  as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C --no-sync \
    >"$tmp/initdb.log" 2>&1
) || {
  echo "with-postgres: initdb failed:" >&2
  cat "$tmp/initdb.log" >&2
  exit 1
}

cat >>"$data/postgresql.conf" <<EOF
# Throwaway test cluster: durability buys nothing here and costs most of the write time.
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
listen_addresses = '127.0.0.1'
unix_socket_directories = '$tmp'
EOF

# Bash's /dev/tcp connects only when something listens; a race with another starter is caught
# below by retrying on the next port when the server cannot bind.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

port=${PG_PORT:-54329}
# Set before starting: a signal arriving during pg_ctl start is handled only after it returns.
started=1
for attempt in $(seq 1 50); do
  if ! port_busy "$port"; then
    # pg_ctl appends to its log; start each attempt clean so the bind check reads only this one.
    rm -f "$log"
    if (cd "$tmp" && as_owner "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 30 \
      -o "-p $port" start) >/dev/null 2>&1; then
      started=1
      break
    fi
    if ! grep -qiE 'could not (bind|create listen)|address already in use' "$log" 2>/dev/null; then
      echo "with-postgres: PostgreSQL failed to start:" >&2
      cat "$log" >&2 || true
      exit 1
    fi
  fi
  port=$((port + 1))
  if [[ $attempt -eq 50 ]]; then
    echo "with-postgres: no free port found from ${PG_PORT:-54329} to $port" >&2
    exit 1
  fi
done

export PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
export TEST_DATABASE_URL="$PG_URL"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on" \
  "127.0.0.1:$port (data in $tmp)" >&2

# Not exec: the trap must outlive the command to remove the cluster. Run in the foreground so
# the command keeps the terminal and its signals; a TERM sent to this script alone therefore
# takes effect when the command ends (a CI cancel signals the whole process group anyway).
set +e
"$@"
status=$?
set -e
exit "$status"
