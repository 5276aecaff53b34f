#!/usr/bin/env bash
# check-nginx.sh: tries deploy/nginx.conf for real before it goes to /etc/nginx
# (docs/operations.md §1), in front of a quanze server that is already running.
#
#   1. Copies the config into a mktemp directory, changing only what cannot be used on a
#      test machine: the certificate paths (→ a self-signed certificate made there),
#      `listen 443` / `listen 80` (→ two free ports on 127.0.0.1) and the upstream
#      (→ 127.0.0.1:QUANZE_PORT). Runs `nginx -t` on it.
#   2. Starts that nginx and checks, through it, what a browser gets: /healthz over HTTPS
#      with HTTP/2, the HSTS header, a JSON answer gzipped by nginx, the redirect from
#      plain HTTP, and a body over client_max_body_size refused with 413.
#   3. When socat is installed: a remote audit through nginx as an auditor outside runs it —
#      `quanze verify --url` speaks plain HTTP, so socat is the local TLS client in between.
#   4. Stops nginx (and socat) and removes the directory (also on failure or Ctrl-C).
#
# usage: deploy/check-nginx.sh QUANZE_PORT      e.g. after `quanze serve --listen 127.0.0.1:0`
#   NGINX      nginx binary (default /usr/sbin/nginx)
#   QUANZE_BIN quanze binary for step 3 (default bin/quanze beside this directory)
# Exit status 0 when every check passed; each check prints one line.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
nginx_bin=${NGINX:-/usr/sbin/nginx}
quanze=${QUANZE_BIN:-$here/../bin/quanze}
port=${1:-}
[[ $port =~ ^[0-9]+$ ]] || { echo "usage: $0 QUANZE_PORT" >&2; exit 2; }
for tool in "$nginx_bin" openssl curl ss; do
  command -v "$tool" >/dev/null || { echo "check-nginx: $tool not found" >&2; exit 1; }
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null ||
  { echo "check-nginx: no quanze server answers on 127.0.0.1:$port" >&2; exit 1; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/quanze-nginx-check.XXXXXX")
socat_pid=""
cleanup() {
  [[ -n $socat_pid ]] && kill -TERM "$socat_pid" 2>/dev/null
  if [[ -s $dir/nginx.pid ]]; then kill -TERM "$(<"$dir/nginx.pid")" 2>/dev/null || true; sleep 0.3; fi
  rm -rf -- "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 12000))
    [[ -z $(ss -Htln "sport = :$p") ]] && { echo "$p"; return 0; }
  done
  return 1
}
https_port=$(free_port)
http_port=$(free_port)
[[ $https_port != "$http_port" ]] || http_port=$((https_port + 1))

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=quanze.example.gov.cn" \
  -keyout "$dir/privkey.pem" -out "$dir/fullchain.pem" 2>/dev/null
mkdir -p "$dir/tmp"
sed -e "s#/etc/ssl/quanze/#$dir/#" \
    -e "s#listen 443 #listen 127.0.0.1:$https_port #" \
    -e "s#listen 80;#listen 127.0.0.1:$http_port;#" \
    -e "s#server 127.0.0.1:8080;#server 127.0.0.1:$port;#" \
    "$here/nginx.conf" >"$dir/quanze.conf"
cat >"$dir/nginx.conf" <<EOF
daemon on;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 256; }
http {
  access_log $dir/access.log;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  include $dir/quanze.conf;
}
EOF
echo "check-nginx: differences from deploy/nginx.conf:"
{ diff "$here/nginx.conf" "$dir/quanze.conf" || true; } | sed -n "s/^> /  /p"
"$nginx_bin" -t -c "$dir/nginx.conf" -p "$dir"
"$nginx_bin" -c "$dir/nginx.conf" -p "$dir"

failed=0
result() {  # result NAME GOT WANT
  if [[ $2 == "$3" ]]; then echo "ok      $1: $2"; else echo "FAILED  $1: got '$2', want '$3'"; failed=1; fi
}
host=quanze.example.gov.cn
base=https://$host:$https_port
curl_tls() { curl -sk --resolve "$host:$https_port:127.0.0.1" "$@"; }
header() { tr -d '\r' | grep -i "^$1:" | head -n 1 | cut -d' ' -f2-; }

result "HTTPS, HTTP/2: GET /healthz" \
  "$(curl_tls --http2 -o /dev/null -w '%{http_version} %{http_code}' "$base/healthz")" "2 200"
result "HSTS header" "$(curl_tls -D - -o /dev/null "$base/healthz" | header strict-transport-security)" \
  "max-age=31536000"
result "gzip by nginx: GET /api/v1/public/towns" \
  "$(curl_tls -H 'Accept-Encoding: gzip' -D - -o /dev/null "$base/api/v1/public/towns" | header content-encoding)" \
  "gzip"
result "plain HTTP → HTTPS" \
  "$(curl -s --resolve "$host:$http_port:127.0.0.1" -o /dev/null -w '%{http_code} %{redirect_url}' \
     "http://$host:$http_port/healthz")" "301 https://$host/healthz"
result "9 MB body (over client_max_body_size 8m)" \
  "$(head -c 9000000 /dev/zero | curl_tls -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
     --data-binary @- "$base/api/v1/session")" "413"
if command -v socat >/dev/null && [[ -x $quanze ]]; then
  tls_port=$(free_port)
  socat "TCP-LISTEN:$tls_port,bind=127.0.0.1,reuseaddr,fork" \
    "OPENSSL:127.0.0.1:$https_port,cafile=$dir/fullchain.pem,cn=$host,snihost=$host" 2>"$dir/socat.log" &
  socat_pid=$!
  sleep 0.5
  result "quanze verify --url through socat (local TLS client) and nginx" \
    "$("$quanze" verify --url "http://127.0.0.1:$tls_port" 2>&1 | tail -n 1)" "OK / 审计通过"
else
  echo "skipped remote audit through TLS: needs socat and $quanze"
fi
if [[ $failed != 0 ]]; then
  echo "check-nginx: nginx error log:" >&2
  cat "$dir/error.log" >&2
fi
exit "$failed"
