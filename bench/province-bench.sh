#!/usr/bin/env bash
# province-bench.sh: the issue-8 measures on a province-scale database, on either backend.
#   1. `quanze verify` of the whole log: wall time and peak RSS;
#   2. `quanze serve` (sweeper off): RSS once started;
#   3. wrk -t2 -c64 against the public catalogue (item summaries) of a generated town
#      with 300 items;
#   4. the province staffing scan, GET /api/v1/staffing/violations?region=990000
#      (every town's register checked against the five prohibited practices), wrk -t1 -c4;
#   5. durable case steps over HTTP: bench/case-step-bench.sh on this database
#      (BENCH_REUSE_DB=1), which also reports the server's RSS afterwards.
# Prints a Markdown table on stdout, progress on stderr.
#
# usage: bench/province-bench.sh DB [QUANZE_BIN]
#   DB  made by `quanze demo --scale province`: a SQLite file or a postgresql:// URL; the
#       key files where that demo left them (or QUANZE_LEDGER_KEY_FILE/_SECRET_FILE set)
#   BENCH_DURATION (10s)   wrk duration
# The benchmark adds cases and steps to DB.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
db=${1:?usage: bench/province-bench.sh DB [QUANZE_BIN]}
bin=${2:-${QUANZE_BIN:-./bin/quanze}}
duration=${BENCH_DURATION:-10s}
town=${BENCH_TOWN:-990221101}

log() { echo "province-bench: $*" >&2; }
die() { log "$*"; exit 1; }
[[ -x $bin ]] || die "no quanze binary at '$bin'"
for tool in wrk curl python3 /usr/bin/time; do command -v "$tool" >/dev/null || die "$tool not found"; done

work=$(mktemp -d "${TMPDIR:-/tmp}/quanze-provbench.XXXXXX")
server_pid=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n $server_pid ]]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf -- "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "quanze verify --db $db"
/usr/bin/time -f "%e %M" -o "$work/verify.time" "$bin" verify --db "$db" >"$work/verify.out" 2>&1 ||
  { cat "$work/verify.out" >&2; die "verify failed"; }
read -r verify_s verify_kb <"$work/verify.time"
entries=$(grep -o '[0-9]\+ entries' "$work/verify.out" | head -n 1)

token=$("$bin" user token admin --db "$db" 2>/dev/null | tail -n 1 | tr -d '[:space:]')
QUANZE_CASES_SWEEP_INTERVAL_SECONDS=0 "$bin" serve --db "$db" --listen 127.0.0.1:0 \
  >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
for _ in $(seq 600); do
  [[ -s $work/serve.out ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; die "quanze serve exited"; }
  sleep 0.1
done
[[ $(head -n 1 "$work/serve.out") =~ ^listening\ on\ http://127\.0\.0\.1:([0-9]+)/?$ ]] || die "no listening line"
base=http://127.0.0.1:${BASH_REMATCH[1]}
rss_start_kb=$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")

cat >"$work/report.lua" <<'LUA'
function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors_status=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, summary.errors.status, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA
run_wrk() {  # threads connections path [header]
  local out=$work/wrk.out
  wrk -t"$1" -c"$2" -d"$duration" --latency -s "$work/report.lua" ${4:+-H "$4"} "$base$3" >"$out" 2>&1 ||
    { cat "$out" >&2; die "wrk failed"; }
  grep '^RESULT' "$out" | tail -n 1 | sed 's/^RESULT //'
}

items=$(curl -sf "$base/api/v1/public/towns/$town/catalogue" | python3 -c "import json,sys; print(len(json.load(sys.stdin)['items']))")
log "catalogue of $town ($items items): wrk -t2 -c64 -d$duration"
eval "cat_$(run_wrk 2 64 "/api/v1/public/towns/$town/catalogue" | sed 's/ / cat_/g')"
scan_ms=$(curl -sf -o "$work/scan.json" -w '%{time_total}' -H "Authorization: Bearer $token" \
  "$base/api/v1/staffing/violations?region=990000&limit=5000" | python3 -c "import sys; print(f'{float(sys.stdin.read())*1000:.0f}')")
violations=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(len(d.get('items', [])))" "$work/scan.json")
log "province staffing scan: wrk -t1 -c4 -d$duration"
eval "scan_$(run_wrk 1 4 "/api/v1/staffing/violations?region=990000&limit=5000" "Authorization: Bearer $token" | sed 's/ / scan_/g')"
rss_after_reads_kb=$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")
kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""

log "case steps (bench/case-step-bench.sh on this database)"
steps=$(BENCH_REUSE_DB=1 BENCH_DB="$db" BENCH_DURATION="$duration" "$here/case-step-bench.sh" "$bin")

echo "| measure | value |"
echo "|---|---|"
echo "| \`quanze verify\` of the whole log (${entries}) | ${verify_s} s, peak RSS $((verify_kb / 1024)) MiB |"
echo "| server RSS once started | $((rss_start_kb / 1024)) MiB |"
echo "| public catalogue of $town, $items items (wrk -t2 -c64) | ${cat_rps} req/s, p50 ${cat_p50_ms} ms, p99 ${cat_p99_ms} ms, non-2xx ${cat_errors_status} |"
echo "| province staffing scan, one request ($violations violations listed) | ${scan_ms} ms |"
echo "| province staffing scan (wrk -t1 -c4) | ${scan_rps} req/s, p50 ${scan_p50_ms} ms, p99 ${scan_p99_ms} ms, non-2xx ${scan_errors_status} |"
echo "| server RSS after the reads | $((rss_after_reads_kb / 1024)) MiB |"
echo "$steps" | tail -n +3
