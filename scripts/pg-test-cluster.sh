#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: nothing depends on a server
# that was already running.
#
#   scripts/pg-test-cluster.sh start        start one; print its postgresql:// URL
#   scripts/pg-test-cluster.sh url          print the URL of the running one
#   scripts/pg-test-cluster.sh stop         stop it and delete its directory
#   scripts/pg-test-cluster.sh run CMD...   start, run CMD with QUANZE_TEST_PG_URL
#                                           set, stop (also on failure or Ctrl-C);
#                                           exits with CMD's status
#
# The cluster lives in a fresh mktemp directory: data in DIR/data, the log in
# DIR/log, and the Unix socket in DIR itself. It listens on no TCP address, so
# the port only names the socket file and can never clash with another
# server; trust authentication is safe because only the socket in this
# private directory reaches it. fsync is off: the data is thrown away.
# PG_TEST_DURABLE=1 keeps PostgreSQL's durable defaults (fsync, synchronous
# commit, full-page writes) and gives it 256 MB of shared buffers: for the
# benchmarks, whose figures must include the cost of each commit's fsync.
# PostgreSQL refuses to run as root, so as root initdb and pg_ctl run as the
# `postgres` user that Debian's package creates, in a directory it owns.
# The state file (PG_TEST_CLUSTER_STATE, default /tmp/quanze-pg-test-cluster.<uid>)
# remembers the directory between start, url and stop; `run` uses a fresh one.
set -euo pipefail

STATE="${PG_TEST_CLUSTER_STATE:-/tmp/quanze-pg-test-cluster.$(id -u)}"
PORT=5432
DB=quanze_test

bindir() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -z "$d" ] || [ ! -x "$d/initdb" ]; then
    echo "pg-test-cluster: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
    exit 1
  fi
  echo "$d"
}

# Runs a command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    if command -v runuser >/dev/null 2>&1; then
      runuser -u postgres -- "$@"
    else
      su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
  else
    "$@"
  fi
}

url_for() { echo "postgresql://postgres@/$DB?host=$1&port=$PORT"; }

start() {
  if [ -f "$STATE" ] && [ -d "$(cat "$STATE")/data" ]; then
    echo "pg-test-cluster: already running in $(cat "$STATE") (stop it first)" >&2
    exit 1
  fi
  local bin dir
  bin="$(bindir)"
  dir="$(mktemp -d "${TMPDIR:-/tmp}/quanze-pg.XXXXXX")"
  chmod 0755 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  echo "$dir" > "$STATE"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir'
port = $PORT
max_connections = 200
EOF
  if [ "${PG_TEST_DURABLE:-0}" = 1 ]; then
    echo "shared_buffers = 256MB" >>"$dir/data/postgresql.conf"
  else
    printf '%s\n' "fsync = off" "synchronous_commit = off" "full_page_writes = off" \
      >>"$dir/data/postgresql.conf"
  fi
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 start >/dev/null ||
    { cat "$dir/log" >&2; exit 1; }
  as_owner "$bin/createdb" -h "$dir" -p "$PORT" -U postgres "$DB"
  url_for "$dir"
}

stop() {
  [ -f "$STATE" ] || return 0
  local dir
  dir="$(cat "$STATE")"
  if [ -d "$dir/data" ]; then
    as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  rm -f "$STATE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url)
    [ -f "$STATE" ] || { echo "pg-test-cluster: not running" >&2; exit 1; }
    url_for "$(cat "$STATE")"
    ;;
  run)
    shift
    [ "$#" -gt 0 ] || { echo "usage: $0 run CMD..." >&2; exit 2; }
    # A state file of its own, so that runs side by side (several checkouts on one
    # machine) each get their own cluster.
    STATE="$(mktemp "${TMPDIR:-/tmp}/quanze-pg-run.XXXXXX")"
    rm -f "$STATE"
    trap stop EXIT
    trap 'exit 130' INT TERM
    QUANZE_TEST_PG_URL="$(start)"
    export QUANZE_TEST_PG_URL
    echo "pg-test-cluster: $QUANZE_TEST_PG_URL" >&2
    status=0
    "$@" || status=$?
    exit "$status"
    ;;
  *)
    echo "usage: $0 start|stop|url|run CMD..." >&2
    exit 2
    ;;
esac
