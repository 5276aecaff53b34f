#!/usr/bin/env bash
# http-bench.sh: wrk against a real `quanze serve` on a throwaway demo database, with
# nginx `return 200` (same body size as /healthz) as the yardstick. Prints a Markdown
# table (endpoint, req/s, p99 latency, % of nginx, errors) and the server's idle RSS.
#
# usage: bench/http-bench.sh [QUANZE_BIN]      (default $QUANZE_BIN, else ./bin/quanze)
#   BENCH_DURATION (10s)  BENCH_CONNECTIONS (64)  BENCH_THREADS (2)  wrk settings
#   NGINX_WORKERS (1)     nginx worker processes: see bench/nginx-baseline.sh
#   BENCH_KEEP=1          keep the work directory (db, logs, raw wrk output)
#
# Targets only 127.0.0.1. Everything it starts (quanze serve, nginx) is stopped on exit.
# Progress goes to stderr, the table to stdout. Both servers and wrk share the machine's
# cores: compare ratios within one run, not absolute numbers across runs or machines.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${1:-${QUANZE_BIN:-./bin/quanze}}
duration=${BENCH_DURATION:-10s}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
export NGINX_WORKERS=${NGINX_WORKERS:-1}

log() { echo "http-bench: $*" >&2; }
die() { log "$*"; exit 1; }

usage() {
  echo "usage: $0 [QUANZE_BIN]   (env: BENCH_DURATION BENCH_CONNECTIONS BENCH_THREADS NGINX_WORKERS BENCH_KEEP)" >&2
  exit 2
}
[[ ${1:-} == -h || ${1:-} == --help || $# -gt 1 ]] && usage
[[ -x $bin ]] || die "no quanze binary at '$bin' (build it, or pass its path / set QUANZE_BIN)"
for tool in wrk curl ss; do
  command -v "$tool" >/dev/null || die "$tool not found (apt-get install wrk curl iproute2)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/quanze-bench.XXXXXX")
db=$work/q.db
export NGINX_BASELINE_STATE=$work/nginx.state
server_pid=""

# Stops the server with SIGTERM (its contract: finish in-flight requests, exit 0) and sets
# shutdown_status to its exit status, or to "killed" when it had to be SIGKILLed after 15 s.
shutdown_status=""
stop_server() {
  [[ -n $server_pid ]] || return 0
  local pid=$server_pid rc=0
  server_pid=""
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    shutdown_status=killed
    return 0
  fi
  wait "$pid" || rc=$?
  shutdown_status=$rc
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_server || true
  "$here/nginx-baseline.sh" stop 2>/dev/null || true
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then log "kept $work"; else rm -rf -- "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- a demo database and a bearer token ------------------------------------------------
log "demo database in $work"
"$bin" demo --db "$db" >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; die "quanze demo failed"; }
printf 'pw-bench-123456\n' |
  "$bin" user add bench --role admin --scope all --password-stdin --db "$db" >"$work/user.log" 2>&1 ||
  { cat "$work/user.log" >&2; die "quanze user add failed"; }
token=$("$bin" user token bench --db "$db" 2>"$work/token.err" | tail -n 1 | tr -d '[:space:]') ||
  { cat "$work/token.err" >&2; die "quanze user token failed"; }
[[ -n $token ]] || die "quanze user token printed no token"

# --- the server: a direct background command, so $! is its PID ------------------------
"$bin" serve --db "$db" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
line=""
for _ in $(seq 300); do
  if [[ $(wc -l <"$work/serve.out") -ge 1 ]]; then line=$(head -n 1 "$work/serve.out"); break; fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; die "quanze serve exited at startup"; }
  sleep 0.1
done
[[ -n $line ]] || { cat "$work/serve.err" >&2; die "quanze serve printed no line within 30 s"; }
[[ $line =~ ^listening\ on\ http://127\.0\.0\.1:([0-9]+)/?$ ]] ||
  die "unexpected first line (want 'listening on http://127.0.0.1:PORT'): $line"
port=${BASH_REMATCH[1]}
base=http://127.0.0.1:$port
sleep 0.5
idle_rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status")
log "quanze serve pid $server_pid on $base, idle VmRSS ${idle_rss_kb} kB"

# --- sanity: a benchmark of 401s or 404s measures nothing -----------------------------
code=$(curl -sS -o "$work/healthz.body" -w '%{http_code}' "$base/healthz")
[[ $code == 200 ]] || die "GET /healthz answered $code"
body_size=$(wc -c <"$work/healthz.body")
code=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/api/v1/regions")
[[ $code == 200 ]] || die "GET /api/v1/regions with the bench token answered $code"

# --- the yardstick ---------------------------------------------------------------------
nginx_pid=$("$here/nginx-baseline.sh" "$work/nginx.port" "$body_size")
nginx_port=$(<"$work/nginx.port")
log "nginx master $nginx_pid on 127.0.0.1:$nginx_port with a $body_size-byte body"

# run_wrk NAME URL [wrk args...]: raw output in $work/wrk-NAME.txt
run_wrk() {
  local name=$1 url=$2
  shift 2
  # A Ctrl-C stops wrk early (it exits 0) and the server (SIGINT = shut down): notice.
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; die "quanze serve is no longer running"; }
  log "wrk -t$threads -c$connections -d$duration --latency ${*:+$* }$url"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "$@" "$url" >"$work/wrk-$name.txt" 2>&1 ||
    { cat "$work/wrk-$name.txt" >&2; die "wrk failed on $url"; }
  grep -q '^Requests/sec:' "$work/wrk-$name.txt" || { cat "$work/wrk-$name.txt" >&2; die "no result from wrk"; }
}

run_wrk healthz "$base/healthz"
QUANZE_BENCH_TOKEN=$token run_wrk regions "$base/api/v1/regions" -s "$here/auth.lua"
run_wrk nginx "http://127.0.0.1:$nginx_port/"
kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; die "quanze serve died under load"; }
rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status")
hwm_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$server_pid/status")
stop_server

# --- report ----------------------------------------------------------------------------
rps() { awk '/^Requests\/sec:/ {print $2}' "$work/wrk-$1.txt"; }
# p99 in ms, from wrk's "99%  1.23ms" (units us, ms, s, m).
p99_ms() {
  awk '$1 == "99%" {
         v = $2; n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
         f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : -1
         if (f < 0) print "?"; else printf "%.2f ms\n", n * f
       }' "$work/wrk-$1.txt"
}
# Non-2xx/3xx replies plus socket errors (connect, read, write, timeout).
errors() {
  awk '/Non-2xx or 3xx responses:/ {e += $NF}
       /Socket errors:/ {gsub(/,/, ""); e += $4 + $6 + $8 + $10}
       END {print e + 0}' "$work/wrk-$1.txt"
}
percent() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", (b > 0) ? 100 * a / b : 0 }'; }

nginx_rps=$(rps nginx)
commit=$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "### HTTP benchmark, $(date -u +%Y-%m-%d), commit $commit"
echo
echo "$(nproc) cores; wrk -t$threads -c$connections -d$duration; nginx $NGINX_WORKERS worker(s); $(uname -r)"
echo
echo "| endpoint | req/s | p99 latency | % of nginx | errors |"
echo "|---|---:|---:|---:|---:|"
row() { echo "| $1 | $(rps "$2") | $(p99_ms "$2") | $(percent "$(rps "$2")" "$nginx_rps") | $(errors "$2") |"; }
# shellcheck disable=SC2016 # literal backquotes for Markdown
row '`GET /healthz`' healthz
# shellcheck disable=SC2016
row '`GET /api/v1/regions` (Bearer)' regions
row "nginx \`return 200\` ($body_size B)" nginx
echo
awk -v i="$idle_rss_kb" -v r="$rss_kb" -v h="$hwm_kb" 'BEGIN {
  printf "Idle RSS of `quanze serve`: %.1f MiB (VmRSS %d kB); after the runs %.1f MiB, peak %.1f MiB.\n",
         i / 1024, i, r / 1024, h / 1024 }'
echo "SIGTERM after the runs: exit status $shutdown_status."
