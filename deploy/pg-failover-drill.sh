#!/usr/bin/env bash
# pg-failover-drill.sh: what quanze sees when its PostgreSQL primary fails over to a
# synchronous standby (docs/operations.md §2) — by hand, on scratch clusters, the step that
# Patroni automates in production (Patroni itself is not run here):
#
#   1. A primary with quanze's demo database, and one standby made with pg_basebackup -R,
#      streaming, named in synchronous_standby_names with synchronous_commit = on: a commit
#      is acknowledged only once the standby has it.
#   2. `quanze serve` on a multi-host URL (both sockets, target_session_attrs=read-write:
#      libpq connects to whichever host accepts writes). Journaled writes through the API;
#      the receipt of the last one acknowledged is kept.
#   3. The primary is killed (immediate stop, no clean shutdown) and the standby promoted.
#   4. Writes (accounts added) and a public read through the same running server, once a
#      second: printed, to show how the server comes through (on the build machine: each
#      pooled connection the failover broke failed one request with 500/503, no receipt;
#      then libpq reconnected through the URL to the promoted standby, without a restart).
#   5. `quanze serve` (re)started on the same URL; the receipt acknowledged before the
#      failover is proved against its signed checkpoint; `quanze verify --db` on the new
#      primary.
#
# usage: deploy/pg-failover-drill.sh [QUANZE_BIN]   (default $QUANZE_BIN, else ./bin/quanze)
#   DRILL_KEEP=1 keeps the scratch directory. Unix sockets only, all inside one mktemp
#   directory; as root, PostgreSQL runs as `postgres` (as scripts/pg-test-cluster.sh).
set -euo pipefail

bin=$(realpath "${1:-${QUANZE_BIN:-./bin/quanze}}")
[[ -x $bin ]] || { echo "pg-failover-drill: no quanze binary at '$bin'" >&2; exit 1; }
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x $pgbin/initdb ]] || { echo "pg-failover-drill: PostgreSQL server binaries not found" >&2; exit 1; }

log() { echo "pg-failover-drill: $*" >&2; }
as_owner() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/quanze-failover.XXXXXX")
chmod 0755 "$dir"
mkdir -p "$dir/keys" "$dir/a.sock" "$dir/b.sock"
[[ $(id -u) == 0 ]] && chown postgres: "$dir" "$dir/a.sock" "$dir/b.sock"
server_pid=""
cleanup() {
  local rc=$?
  [[ -n $server_pid ]] && { kill -TERM "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; }
  for d in a b; do
    [[ -f $dir/$d/postmaster.pid ]] && as_owner "$pgbin/pg_ctl" -D "$dir/$d" -m immediate -w stop >/dev/null 2>&1
  done
  if [[ ${DRILL_KEEP:-0} == 1 ]]; then log "kept $dir"; else rm -rf -- "$dir"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export QUANZE_LEDGER_KEY_FILE=$dir/keys/quanze.ledger-key QUANZE_LEDGER_SECRET_FILE=$dir/keys/quanze.commit-secret
export QUANZE_CASES_SWEEP_INTERVAL_SECONDS=0 QUANZE_LEDGER_CHECKPOINT_INTERVAL_MS=0
url="postgresql://postgres@/quanze?host=$dir/a.sock,$dir/b.sock&target_session_attrs=read-write&connect_timeout=3"
psql_a() { psql -X -A -t -h "$dir/a.sock" -U postgres -d quanze -c "$1"; }
psql_b() { psql -X -A -t -h "$dir/b.sock" -U postgres -d quanze -c "$1"; }

start_server() {
  "$bin" serve --db "$url" --listen 127.0.0.1:0 >"$dir/serve.out" 2>"$dir/serve.err" &
  server_pid=$!
  for _ in $(seq 100); do
    [[ -s $dir/serve.out ]] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$dir/serve.err" >&2; exit 1; }
    sleep 0.1
  done
  base=$(head -n 1 "$dir/serve.out" | sed 's/^listening on //')
}
stop_server() { kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""; }
# A journaled write: a refused request (403) answers with its receipt.
write() { curl -s -m 10 -H "Authorization: Bearer $token" "$base/api/v1/users" || true; }
# A state change: an account added by the admin; prints the answer and its HTTP status.
add_user() {
  curl -s -m 10 -w ' → HTTP %{http_code}' -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d "{\"name\":\"drill.$1\",\"role\":\"auditor\",\"scope\":\"all\",\"password\":\"drill-password-2026\"}" \
    "$base/api/v1/users" || true
}

log "1. primary a, quanze demo, standby b (synchronous)"
as_owner "$pgbin/initdb" -D "$dir/a" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
cat >>"$dir/a/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir/a.sock'
EOF
as_owner "$pgbin/pg_ctl" -D "$dir/a" -l "$dir/a.log" -w start >/dev/null
createdb -h "$dir/a.sock" -U postgres --locale=C.UTF-8 --template=template0 quanze
"$bin" demo --db "$url" >"$dir/demo.log" 2>&1 || { cat "$dir/demo.log" >&2; exit 1; }
token=$("$bin" user token qiaotou.officer --db "$url" 2>/dev/null | tail -n 1 | tr -d '[:space:]')
admin=$("$bin" user token admin --db "$url" 2>/dev/null | tail -n 1 | tr -d '[:space:]')
as_owner "$pgbin/pg_basebackup" -h "$dir/a.sock" -U postgres -D "$dir/b" -X stream -c fast -R
echo "unix_socket_directories = '$dir/b.sock'" >>"$dir/b/postgresql.conf"
# After the primary_conninfo that -R wrote, so that this one (with a name) wins.
echo "primary_conninfo = 'host=$dir/a.sock user=postgres application_name=quanze_b'" >>"$dir/b/postgresql.auto.conf"
as_owner "$pgbin/pg_ctl" -D "$dir/b" -l "$dir/b.log" -w start >/dev/null
psql_a "ALTER SYSTEM SET synchronous_standby_names = 'quanze_b'" >/dev/null
psql_a "ALTER SYSTEM SET synchronous_commit = 'on'" >/dev/null
psql_a "SELECT pg_reload_conf()" >/dev/null
for _ in $(seq 50); do
  state=$(psql_a "SELECT application_name || ' ' || state || ' ' || sync_state FROM pg_stat_replication")
  [[ $state == "quanze_b streaming sync" ]] && break
  sleep 0.2
done
log "   pg_stat_replication on a: $state"
[[ $state == "quanze_b streaming sync" ]] || { log "FAILED: the standby is not synchronous"; exit 1; }

log "2. quanze serve on $url"
start_server
for _ in $(seq 20); do last=$(write); done
log "   last acknowledged write: $last"
index=$(echo "$last" | sed -n 's/.*"receipt":{"index":\([0-9]*\),"leaf_hash":"\([^"]*\)".*/\1/p')
leaf=$(echo "$last" | sed -n 's/.*"receipt":{"index":\([0-9]*\),"leaf_hash":"\([^"]*\)".*/\2/p')
[[ -n $index && -n $leaf ]] || { log "no receipt in: $last"; exit 1; }
log "   log size on a: $(psql_a "SELECT COUNT(*) FROM ledger_entries"), on b: $(psql_b "SELECT COUNT(*) FROM ledger_entries")"
log "   standby b stopped for a moment: a write waits for it (curl gives up after 5 s)"
as_owner "$pgbin/pg_ctl" -D "$dir/b" -m fast -w stop >/dev/null
t0=$(date +%s.%N)
waited=$(curl -s -m 5 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/api/v1/users" || true)
log "   answer while b is down: HTTP ${waited} after $(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$t0" "$(date +%s.%N)") s"
as_owner "$pgbin/pg_ctl" -D "$dir/b" -l "$dir/b.log" -w start >/dev/null
last=$(write)
log "   b back: a write is acknowledged again: $(echo "$last" | head -c 120)"
index=$(echo "$last" | sed -n 's/.*"receipt":{"index":\([0-9]*\),"leaf_hash":"\([^"]*\)".*/\1/p')
leaf=$(echo "$last" | sed -n 's/.*"receipt":{"index":\([0-9]*\),"leaf_hash":"\([^"]*\)".*/\2/p')
[[ -n $index && -n $leaf ]] || { log "no receipt in: $last"; exit 1; }

log "3. primary a killed, standby b promoted"
as_owner "$pgbin/pg_ctl" -D "$dir/a" -m immediate -w stop >/dev/null
as_owner "$pgbin/pg_ctl" -D "$dir/b" -w promote >/dev/null
log "   b in recovery: $(psql_b "SELECT pg_is_in_recovery()")"

log "4. writes (accounts added) through the server started before the failover"
for attempt in 1 2 3 4 5 6; do
  answer=$(add_user "after.$attempt")
  log "   attempt $attempt: ${answer##* → } $(echo "$answer" | grep -o '"receipt":{[^}]*}\|"message_en":"[^"]*' | head -n 1 | cut -c 1-120)"
  curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/public/towns" | sed 's/^/     public read: HTTP /' >&2; echo >&2
  sleep 1
done
kill -0 "$server_pid" 2>/dev/null && log "   the server process is still running" || log "   the server process exited"
log "   its log lines that are not requests:"
grep -v '"route"' "$dir/serve.err" | head -n 5 | cut -c 1-300 | sed 's/^/     /' >&2 || true
stop_server

log "5. quanze serve restarted on the same URL"
start_server
log "   an account added: $(add_user restarted | tail -c 200)"
"$bin" receipt verify --url "$base" --index "$index" --leaf-hash "$leaf" >&2
stop_server
"$bin" verify --db "$url" 2>/dev/null
log "OK: the receipt acknowledged before the failover is in the promoted standby's log"
