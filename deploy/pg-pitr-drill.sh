#!/usr/bin/env bash
# pg-pitr-drill.sh: a recovery drill for quanze on PostgreSQL from a base backup and the
# WAL archive (docs/operations.md §3), end to end on a scratch cluster — the steps an
# operator follows after losing a primary, rehearsed where nothing real is at stake:
#
#   1. A cluster with WAL archiving (archive_mode = on, archive_command copying each full
#      WAL segment to an archive directory); a C-collated database `quanze`; `quanze demo`.
#   2. A base backup with pg_basebackup.
#   3. Writes through quanze (accounts added with `quanze user add`); pg_switch_wal() sends
#      the WAL holding them to the archive. More writes, then the primary crashes
#      (immediate stop): the WAL segment it was writing never reaches the archive.
#   4. Recovery: the base backup copied to a new data directory, restore_command reading
#      the archive, recovery.signal; start; the server replays every archived segment
#      (the default target: the end of the archive) and is promoted.
#   5. `quanze verify --db` on the recovered database with the same key files; its log
#      holds every write archived before the crash and none of the later ones: the loss
#      window that WAL archiving alone leaves open (archive_timeout bounds it in time; a
#      synchronous standby closes it, docs/operations.md §2).
#
# usage: deploy/pg-pitr-drill.sh [QUANZE_BIN]   (default $QUANZE_BIN, else ./bin/quanze)
#   DRILL_KEEP=1 keeps the scratch directory. Everything lives in one mktemp directory;
#   both clusters listen on Unix sockets only, inside it. As root, PostgreSQL runs as the
#   `postgres` user (it refuses to run as root), as in scripts/pg-test-cluster.sh.
set -euo pipefail

bin=$(realpath "${1:-${QUANZE_BIN:-./bin/quanze}}")
[[ -x $bin ]] || { echo "pg-pitr-drill: no quanze binary at '$bin'" >&2; exit 1; }
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x $pgbin/initdb ]] || { echo "pg-pitr-drill: PostgreSQL server binaries not found" >&2; exit 1; }

log() { echo "pg-pitr-drill: $*" >&2; }
as_owner() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/quanze-pitr.XXXXXX")
chmod 0755 "$dir"
mkdir -p "$dir/wal" "$dir/keys" "$dir/primary.sock" "$dir/restored.sock"
[[ $(id -u) == 0 ]] && chown postgres: "$dir" "$dir/wal" "$dir/primary.sock" "$dir/restored.sock"
cleanup() {
  local rc=$?
  for d in primary restored; do
    [[ -f $dir/$d/postmaster.pid ]] && as_owner "$pgbin/pg_ctl" -D "$dir/$d" -m immediate -w stop >/dev/null 2>&1
  done
  if [[ ${DRILL_KEEP:-0} == 1 ]]; then log "kept $dir"; else rm -rf -- "$dir"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export QUANZE_LEDGER_KEY_FILE=$dir/keys/quanze.ledger-key QUANZE_LEDGER_SECRET_FILE=$dir/keys/quanze.commit-secret
primary="postgresql://postgres@/quanze?host=$dir/primary.sock"
restored="postgresql://postgres@/quanze?host=$dir/restored.sock"
size() { psql -X -A -t -d "$1" -c "SELECT COUNT(*) FROM ledger_entries"; }
add_users() {  # add_users URL PREFIX N: N accounts, each a journaled write
  for i in $(seq "$3"); do
    printf 'drill-password-2026\n' | "$bin" user add "$2.$i" --role auditor --scope all --password-stdin \
      --db "$1" >/dev/null
  done
}

log "1. cluster with WAL archiving in $dir/primary"
as_owner "$pgbin/initdb" -D "$dir/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
cat >>"$dir/primary/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir/primary.sock'
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $dir/wal/%f && cp %p $dir/wal/%f'
CONF
as_owner "$pgbin/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w start >/dev/null
createdb -h "$dir/primary.sock" -U postgres --locale=C.UTF-8 --template=template0 quanze
"$bin" demo --db "$primary" >"$dir/demo.log" 2>&1 || { cat "$dir/demo.log" >&2; exit 1; }
log "   quanze demo: $(size "$primary") log entries"

log "2. base backup"
as_owner "$pgbin/pg_basebackup" -h "$dir/primary.sock" -U postgres -D "$dir/base" -X stream -c fast

log "3. writes archived, more writes, then the primary crashes"
add_users "$primary" drill.archived 5
archived=$(size "$primary")
segment=$(psql -X -A -t -d "$primary" -c "SELECT pg_walfile_name(pg_switch_wal())")
for _ in $(seq 100); do
  [[ -f $dir/wal/$segment ]] && break
  sleep 0.2
done
[[ -f $dir/wal/$segment ]] || { log "FAILED: $segment was not archived"; exit 1; }
add_users "$primary" drill.unarchived 5
lost=$(size "$primary")
as_owner "$pgbin/pg_ctl" -D "$dir/primary" -m immediate -w stop >/dev/null
log "   log size when $segment was archived: $archived; when the primary crashed: $lost"

log "4. recovery from the base backup and the WAL archive"
as_owner cp -a "$dir/base" "$dir/restored"
cat >>"$dir/restored/postgresql.conf" <<CONF
unix_socket_directories = '$dir/restored.sock'
archive_mode = off
restore_command = 'cp $dir/wal/%f %p'
CONF
as_owner touch "$dir/restored/recovery.signal"
as_owner "$pgbin/pg_ctl" -D "$dir/restored" -l "$dir/restored.log" -w -t 120 start >/dev/null
for _ in $(seq 120); do
  [[ $(psql -X -A -t -d "$restored" -c "SELECT pg_is_in_recovery()") == f ]] && break
  sleep 0.5
done
grep -E "redo done|selected new timeline|archive recovery complete" "$dir/restored.log" |
  sed 's/^/   postgres: /' >&2 || true

log "5. quanze verify on the recovered database (same key files)"
"$bin" verify --db "$restored" 2>/dev/null
recovered=$(size "$restored")
log "   recovered log size: $recovered (archived: $archived, at the crash: $lost)"
[[ $recovered == "$archived" ]] || { log "FAILED: expected $archived entries"; exit 1; }
log "OK: the log verifies and holds every archived write; the $((lost - archived)) entries written after the last archived segment are lost"
