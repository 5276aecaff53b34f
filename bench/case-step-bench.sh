#!/usr/bin/env bash
# case-step-bench.sh: durable case steps over HTTP (issue 6: ≥ 1,000 steps/s, p99 < 50 ms).
# Each request is a full step: session → legal-authority check (facts loaded from the
# database) → procedure engine → store → journal entry → group commit (fsync) → receipt.
#   1. `quanze demo` in a temporary directory; 200 licensing cases of 桥头镇 opened and
#      accepted through the API by the demo clerk;
#   2. wrk POSTs the repeatable step "verify" (two officers, a document) round-robin to
#      those cases: -t2 -c64 for BENCH_DURATION, with latency percentiles;
#   3. `quanze verify` checks the whole log afterwards.
# Prints a Markdown table on stdout, progress on stderr.
#
# usage: bench/case-step-bench.sh [QUANZE_BIN]   (default $QUANZE_BIN, else ./bin/quanze)
#   BENCH_DURATION (10s) BENCH_CONNECTIONS (64) BENCH_THREADS (2) BENCH_CASES (200)
#   BENCH_DB   a postgresql:// URL of an empty, C-collated database to run on PostgreSQL
#              instead of a SQLite file in the work directory
#   BENCH_REUSE_DB=1  run on BENCH_DB as it is (e.g. a `demo --scale province` database,
#              SQLite file or URL, with its key files where that demo left them) instead
#              of making a demo; the steps are added to it
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${1:-${QUANZE_BIN:-./bin/quanze}}
duration=${BENCH_DURATION:-10s}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
ncases=${BENCH_CASES:-200}

log() { echo "case-step-bench: $*" >&2; }
die() { log "$*"; exit 1; }
[[ -x $bin ]] || die "no quanze binary at '$bin'"
for tool in wrk curl python3; do command -v "$tool" >/dev/null || die "$tool not found"; done

work=$(mktemp -d "${TMPDIR:-/tmp}/quanze-casebench.XXXXXX")
server_pid=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n $server_pid ]]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then log "kept $work"; else rm -rf -- "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

db=${BENCH_DB:-$work/q.db}
if [[ ${BENCH_REUSE_DB:-0} == 1 ]]; then
  [[ -n ${BENCH_DB:-} ]] || die "BENCH_REUSE_DB=1 needs BENCH_DB"
  log "using the existing database $db"
else
  export QUANZE_LEDGER_KEY_FILE=$work/ledger-key QUANZE_LEDGER_SECRET_FILE=$work/commit-secret
  log "demo database in $db"
  "$bin" demo --db "$db" >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; die "quanze demo failed"; }
fi
token=$("$bin" user token qiaotou.clerk --db "$db" 2>/dev/null | tail -n 1 | tr -d '[:space:]')

QUANZE_CASES_SWEEP_INTERVAL_SECONDS=0 "$bin" serve --db "$db" --listen 127.0.0.1:0 \
  >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
line=""
for _ in $(seq 300); do
  if [[ $(wc -l <"$work/serve.out") -ge 1 ]]; then line=$(head -n 1 "$work/serve.out"); break; fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; die "quanze serve exited"; }
  sleep 0.1
done
[[ $line =~ ^listening\ on\ http://127\.0\.0\.1:([0-9]+)/?$ ]] || die "unexpected first line: $line"
base=http://127.0.0.1:${BASH_REMATCH[1]}

log "opening and accepting $ncases licensing cases"
python3 - "$base" "$token" "$ncases" >"$work/setup.json" <<'PY'
import json, sys, urllib.request
base, token, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())
cat = json.loads(urllib.request.urlopen(base + "/api/v1/public/towns/990121101/catalogue").read())
items = [i["code"] for i in cat["items"] if i["kind"] == "licensing"]
ids = []
for k in range(n):
    c = call("POST", "/api/v1/cases", {"town_code": "990121101", "power_code": items[k % len(items)],
        "party": {"kind": "organisation", "name": "基准测试有限公司"}})
    call("POST", f"/api/v1/cases/{c['case_id']}/steps", {"step": "accept", "documents": ["acceptance_receipt"]})
    ids.append(c["case_id"])
me = call("GET", "/api/v1/me")["person"]["id"]
officers = call("GET", f"/api/v1/cases/{ids[0]}/officers")["items"]
partner = next(o["id"] for o in officers if o["id"] != me and o["active"])
print(json.dumps({"ids": ids, "officers": [me, partner]}))
PY

cat >"$work/step.lua" <<'LUA'
local setup = nil
local counter = 0
function init(args)
  local f = io.open(args[1]) local text = f:read("*a") f:close()
  local ids = {}
  for id in text:match('"ids": %[(.-)%]'):gmatch("%d+") do ids[#ids + 1] = id end
  local officers = text:match('"officers": (%[.-%])')
  setup = { ids = ids, body = '{"step":"verify","documents":["verification_record"],"officers":' .. officers .. '}' }
  counter = math.random(#ids)
end
function request()
  counter = counter % #setup.ids + 1
  return wrk.format("POST", "/api/v1/cases/" .. setup.ids[counter] .. "/steps",
    { ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"), ["Content-Type"] = "application/json" },
    setup.body)
end
function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors_status=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, summary.errors.status, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
LUA

log "wrk -t$threads -c$connections -d$duration POST /api/v1/cases/{id}/steps (verify)"
BENCH_TOKEN=$token wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$work/step.lua" \
  "$base" -- "$work/setup.json" >"$work/wrk.out" 2>&1 || { cat "$work/wrk.out" >&2; die "wrk failed"; }
result=$(grep '^RESULT' "$work/wrk.out" | tail -n 1)
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")
kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
log "verifying the whole log"
t0=$(date +%s.%N)
"$bin" verify --db "$db" >"$work/verify.out" 2>&1 || { cat "$work/verify.out" >&2; die "verify failed"; }
t1=$(date +%s.%N)
entries=$(grep -o '[0-9]\+ entries' "$work/verify.out" | head -n 1 || true)

eval "$(echo "$result" | sed 's/^RESULT //')"
echo "| measure | value |"
echo "|---|---|"
echo "| durable case steps/s (wrk -t$threads -c$connections -d$duration) | $rps |"
echo "| latency p50 / p99 / max | ${p50_ms} ms / ${p99_ms} ms / ${max_ms} ms |"
echo "| requests / non-2xx | $requests / $errors_status |"
echo "| server RSS after the run | $((rss_kb / 1024)) MiB |"
echo "| quanze verify (${entries:-log}) | $(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$t0" "$t1") s |"
