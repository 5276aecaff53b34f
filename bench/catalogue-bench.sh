#!/usr/bin/env bash
# catalogue-bench.sh: the public catalogue and the master catalogue import, end to end.
#   1. a generated 3,000-item CSV imported with `quanze import catalogue` (CLI: its own
#      timing and the wall time of the whole command) and through POST /api/v1/powers/import;
#   2. the demo town with the most items granted more items through the API (bulk
#      proposal, readiness, mark_ready, make_effective) up to 600, and published;
#   3. wrk against GET /api/v1/public/towns/{code}/catalogue of that town: the default JSON
#      (item summaries) plain and gzip (Accept-Encoding: gzip), conditional (If-None-Match
#      with the current ETag → 304), ?view=full plain and gzip, one item
#      (/catalogue/items/{power_code}), the CSV download; then nginx serving the same
#      summary and full JSON bytes as static files (the bandwidth yardstick).
# Prints a Markdown table on stdout, progress on stderr.
#
# usage: bench/catalogue-bench.sh [QUANZE_BIN]      (default $QUANZE_BIN, else ./bin/quanze)
#   BENCH_DURATION (10s)  BENCH_CONNECTIONS (64)  BENCH_THREADS (2)  wrk settings
#   BENCH_ITEMS (3000)    items in the generated import file
#   BENCH_TOWN_ITEMS (600) effective grants of the benchmarked town
#   BENCH_KEEP=1          keep the work directory
# Targets only 127.0.0.1; everything it starts is stopped on exit. wrk and the server
# share the machine's cores: compare within one run, not across machines.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${1:-${QUANZE_BIN:-./bin/quanze}}
duration=${BENCH_DURATION:-10s}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
items=${BENCH_ITEMS:-3000}
town_items=${BENCH_TOWN_ITEMS:-600}

log() { echo "catalogue-bench: $*" >&2; }
die() { log "$*"; exit 1; }

[[ ${1:-} == -h || ${1:-} == --help || $# -gt 1 ]] && { echo "usage: $0 [QUANZE_BIN]" >&2; exit 2; }
[[ -x $bin ]] || die "no quanze binary at '$bin' (build it, or pass its path / set QUANZE_BIN)"
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || die "$tool not found"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/quanze-catbench.XXXXXX")
server_pid=""
nginx_conf=""
stop_nginx() {
  [[ -n $nginx_conf ]] || return 0
  nginx -c "$nginx_conf" -p "$work/nginx" -s quit 2>/dev/null || true
  nginx_conf=""
}
stop_server() {
  [[ -n $server_pid ]] || return 0
  local pid=$server_pid
  server_pid=""
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_server || true
  stop_nginx || true
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then log "kept $work"; else rm -rf -- "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- demo database (timed: it builds the whole demo catalogue through the use cases) --
log "demo database in $work"
demo_started=$(date +%s.%N)
"$bin" demo --db "$work/q.db" >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; die "quanze demo failed"; }
demo_seconds=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$demo_started" "$(date +%s.%N)")
cp "$work/q.db" "$work/import.db"
cp "$work/q.db.ledger-key" "$work/import.db.ledger-key"
cp "$work/q.db.commit-secret" "$work/import.db.commit-secret"
printf 'pw-bench-123456\n' |
  "$bin" user add bench --role province_staffing --scope 990000 --password-stdin --db "$work/q.db" >/dev/null 2>&1 ||
  die "quanze user add failed"
token=$("$bin" user token bench --db "$work/q.db" 2>/dev/null | tail -n 1 | tr -d '[:space:]')

# --- a generated 3,000-item CSV, imported with the CLI into a copy of the demo ---------
python3 - "$root/data/catalogue/master-catalogue.csv" "$work/import.csv" "$items" <<'PY'
import csv, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = list(csv.reader(open(src, encoding="utf-8-sig", newline="")))
header, body = rows[0], rows[1:]
code, parent = header.index("事项编码"), header.index("上级事项编码")
with open(dst, "w", encoding="utf-8-sig", newline="") as f:
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow(header)
    for i in range(n):
        r = list(body[i % len(body)])
        r[code] = f"{r[code]}-B{i:05d}"
        r[parent] = ""
        w.writerow(r)
PY
import_bytes=$(wc -c <"$work/import.csv")
log "importing $items items ($import_bytes B) with the CLI"
t0=$(date +%s.%N)
"$bin" import catalogue "$work/import.csv" --db "$work/import.db" >"$work/import.out" 2>"$work/import.err" ||
  { cat "$work/import.err" >&2; die "quanze import catalogue failed"; }
t1=$(date +%s.%N)
cli_wall=$(python3 -c "import sys; print(f'{(float(sys.argv[2]) - float(sys.argv[1])) * 1000:.0f}')" "$t0" "$t1")
cli_ms=$(sed -n 's/.*; \([0-9]*\) ms (read.*/\1/p' "$work/import.out")
cli_detail=$(sed -n 's/.* ms (\(read and checked [0-9]* ms, written and journaled [0-9]* ms\).*/\1/p' "$work/import.out")

# --- server ---------------------------------------------------------------------------
"$bin" serve --db "$work/q.db" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
line=""
for _ in $(seq 300); do
  if [[ $(wc -l <"$work/serve.out") -ge 1 ]]; then line=$(head -n 1 "$work/serve.out"); break; fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; die "quanze serve exited at startup"; }
  sleep 0.1
done
[[ $line =~ ^listening\ on\ http://127\.0\.0\.1:([0-9]+)/?$ ]] || die "unexpected first line: $line"
base=http://127.0.0.1:${BASH_REMATCH[1]}

# (-H 'Expect:': curl would otherwise wait 1 s for a "100 Continue" the server never sends.)
log "importing the same file through POST /api/v1/powers/import"
http_out=$(curl -sS -o "$work/http-import.json" -w '%{http_code} %{time_total}' -H "Authorization: Bearer $token" \
  -H 'Content-Type: text/csv' -H 'Expect:' --data-binary "@$work/import.csv" "$base/api/v1/powers/import")
read -r http_code http_seconds <<<"$http_out"
[[ $http_code == 200 ]] || { cat "$work/http-import.json" >&2; die "HTTP import answered $http_code"; }
http_ms=$(python3 -c "import sys; print(f'{float(sys.argv[1]) * 1000:.0f}')" "$http_seconds")

# --- the largest demo town, grown to $town_items effective grants, published -----------
curl -sS "$base/api/v1/public/towns?limit=500" >"$work/towns.json"
town=$(python3 -c '
import json, sys
towns = [t for t in json.load(open(sys.argv[1]))["items"] if t["version"] is not None]
print(max(towns, key=lambda t: t["item_count"])["code"])' "$work/towns.json")
log "granting town $town up to $town_items items through the API (propose, readiness, ready, effective), then publishing"
python3 - "$base" "$token" "$town" "$town_items" <<'PY' >"$work/grow.out"
import json, sys, time, urllib.request
base, token, town, target = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + token,
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)
def pages(path):
    cursor = None
    while True:
        page = call("GET", path + (f"&cursor={cursor}" if cursor else ""))
        yield from page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return
grants = [g for g in pages(f"/api/v1/grants?town={town}&limit=500") if g["state"] != "revoked"]
held = {g["power_code"] for g in grants}
effective = sum(1 for g in grants if g["state"] == "effective")
need = max(0, target - effective)
codes = [p["code"] for p in pages("/api/v1/powers?limit=500") if p["code"] not in held][:need]
doc = {"issuer": "东海省人民政府", "number": "东政发〔2026〕99号", "title": "基准测试", "date": "2026-01-05"}
t0 = time.time()
if codes:
    made = call("POST", "/api/v1/grants",
                {"items": [{"town_code": town, "power_code": c, "decision_doc": doc} for c in codes]})
    keys = ["staff_trained", "system_access", "network_port", "guidance_contact"]
    for g in made["items"]:
        call("PATCH", f"/api/v1/grants/{g['id']}/readiness", {"items": [{"key": k, "done": True} for k in keys]})
        call("POST", f"/api/v1/grants/{g['id']}/transitions", {"action": "mark_ready"})
        call("POST", f"/api/v1/grants/{g['id']}/transitions", {"action": "make_effective"})
v = call("POST", f"/api/v1/towns/{town}/catalogue/publish", {})
print(v["version"], v["item_count"], f"{time.time() - t0:.1f}")
PY
read -r town_version town_count grow_seconds <"$work/grow.out"

url="$base/api/v1/public/towns/$town/catalogue"
curl -sS -D "$work/cat.headers" -o "$work/cat.json" "$url"
curl -sS -o "$work/cat-full.json" "$url?view=full"
etag=$(awk 'tolower($1) == "etag:" {print $2}' "$work/cat.headers" | tr -d '\r')
json_bytes=$(wc -c <"$work/cat.json")
gzip_bytes=$(curl -sS -H 'Accept-Encoding: gzip' "$url" | wc -c)
full_bytes=$(wc -c <"$work/cat-full.json")
full_gzip_bytes=$(curl -sS -H 'Accept-Encoding: gzip' "$url?view=full" | wc -c)
csv_bytes=$(curl -sS "$url?format=csv" | wc -c)
[[ -n $etag ]] || die "no ETag on $url"
code=$(curl -sS -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$url")
[[ $code == 304 ]] || die "If-None-Match answered $code, not 304"
item_code=$(python3 -c '
import json, sys
items = json.load(open(sys.argv[1]))["items"]
print(items[len(items) // 2]["code"])' "$work/cat.json")
item_url="$url/items/$item_code"
item_bytes=$(curl -sS "$item_url" | wc -c)
code=$(curl -sS -o /dev/null -w '%{http_code}' "$item_url")
[[ $code == 200 ]] || die "$item_url answered $code"
log "town $town version $town_version: $town_count items, summary JSON $json_bytes B (gzip $gzip_bytes B)," \
    "full JSON $full_bytes B (gzip $full_gzip_bytes B), item $item_code $item_bytes B, ETag $etag"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
run_wrk() {
  local name=$1 target=$2
  shift 2
  log "wrk -t$threads -c$connections -d$duration $* $target"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "$@" "$target" >"$work/wrk-$name.txt" 2>&1 ||
    { cat "$work/wrk-$name.txt" >&2; die "wrk failed"; }
}
run_wrk json "$url"
run_wrk gzip "$url" -H 'Accept-Encoding: gzip'
run_wrk inm "$url" -H "If-None-Match: $etag"
run_wrk full "$url?view=full"
run_wrk fullgz "$url?view=full" -H 'Accept-Encoding: gzip'
run_wrk item "$item_url"
run_wrk csv "$url?format=csv&version=$town_version" -H 'Accept-Encoding: gzip'
rss_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$server_pid/status")

# The yardstick: nginx (1 worker, sendfile) serving the same JSON bytes as static files.
nginx_rps="n/a"
nginx_full_rps="n/a"
if command -v nginx >/dev/null; then
  mkdir -p "$work/nginx/html" "$work/nginx/tmp"
  cp "$work/cat.json" "$work/nginx/html/cat.json"
  cp "$work/cat-full.json" "$work/nginx/html/cat-full.json"
  chmod a+rx "$work" "$work/nginx" "$work/nginx/html" && chmod a+r "$work/nginx/html/"*.json  # nginx workers run as nobody
  nginx_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp; proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp; uwsgi_temp_path $work/nginx/tmp; scgi_temp_path $work/nginx/tmp;
  sendfile on;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$nginx_port; root $work/nginx/html; }
}
NGINX
  if nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" 2>"$work/nginx/start.err"; then
    nginx_conf=$work/nginx/nginx.conf
    sleep 0.3
    run_wrk nginx "http://127.0.0.1:$nginx_port/cat.json"
    nginx_rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$work/wrk-nginx.txt")
    run_wrk nginxfull "http://127.0.0.1:$nginx_port/cat-full.json"
    nginx_full_rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$work/wrk-nginxfull.txt")
    stop_nginx
  else
    log "nginx did not start: $(cat "$work/nginx/start.err")"
  fi
fi

stop_server

# --- report -----------------------------------------------------------------------------
rps() { awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$work/wrk-$1.txt"; }
p99() { awk '$1 == "99%" {print $2}' "$work/wrk-$1.txt"; }
errors() {
  awk '/Non-2xx or 3xx responses:/ {e += $NF} /Socket errors:/ {gsub(/,/, ""); e += $4 + $6 + $8 + $10}
       END {print e + 0}' "$work/wrk-$1.txt"
}
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "### Catalogue benchmark, $(date -u +%Y-%m-%d), commit $commit"
echo
echo "$(nproc) cores, load average before the runs: ${load_before}; wrk -t$threads -c$connections -d$duration;"
echo "town $town, version $town_version, $town_count items; summary JSON $json_bytes B (gzip $gzip_bytes B), full JSON"
echo "$full_bytes B (gzip $full_gzip_bytes B), one item $item_bytes B, CSV $csv_bytes B; \`quanze demo\` took ${demo_seconds} s."
echo
echo "| request | req/s | p99 | errors |"
echo "|---|---:|---:|---:|"
echo "| public catalogue, JSON (summaries) | $(rps json) | $(p99 json) | $(errors json) |"
echo "| public catalogue, JSON (summaries) gzip | $(rps gzip) | $(p99 gzip) | $(errors gzip) |"
echo "| public catalogue, If-None-Match → 304 | $(rps inm) | $(p99 inm) | $(errors inm) |"
echo "| public catalogue, ?view=full | $(rps full) | $(p99 full) | $(errors full) |"
echo "| public catalogue, ?view=full gzip | $(rps fullgz) | $(p99 fullgz) | $(errors fullgz) |"
echo "| one item, /catalogue/items/$item_code | $(rps item) | $(p99 item) | $(errors item) |"
echo "| public catalogue, CSV gzip (version named) | $(rps csv) | $(p99 csv) | $(errors csv) |"
echo "| nginx, the summary JSON as a static file (yardstick) | $nginx_rps | $( [[ $nginx_rps == n/a ]] || p99 nginx) | $( [[ $nginx_rps == n/a ]] || errors nginx) |"
echo "| nginx, the full JSON as a static file (yardstick) | $nginx_full_rps | $( [[ $nginx_full_rps == n/a ]] || p99 nginxfull) | $( [[ $nginx_full_rps == n/a ]] || errors nginxfull) |"
echo
echo "Import of a $items-item CSV ($import_bytes B): CLI ${cli_ms} ms (${cli_detail}; the whole" \
     "command ${cli_wall} ms wall, with start-up and the final WAL checkpoint); HTTP POST /api/v1/powers/import" \
     "${http_ms} ms (the same $items new items into the served database, upload included)."
echo "Growing the town to $town_count effective items through the API and publishing: ${grow_seconds} s."
echo "Peak RSS of \`quanze serve\`: $((rss_kb / 1024)) MiB."
