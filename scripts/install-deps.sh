#!/usr/bin/env bash
# Installs the Debian 12 packages quanze needs to build, test and run.
# Idempotent: installs only what is missing; uses sudo when not root.
# Usage: scripts/install-deps.sh [--with-web] [--with-postgres]
# PostgreSQL (libpqxx and libpq to build, the server for the test cluster that
# `make test` starts) is always installed; --with-postgres is kept for old scripts.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git curl
  libsqlite3-dev sqlite3 libpqxx-dev libpq-dev postgresql libssl-dev libsodium-dev
  nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev libtomlplusplus-dev
  librestinio-dev libasio-dev libhttp-parser-dev
  libxlsxwriter-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev
  wrk nginx-light time
)
for arg in "$@"; do
  case "$arg" in
    --with-web) packages+=(chromium fonts-noto-cjk) ;;
    --with-postgres) ;;
    *) echo "usage: $0 [--with-web] [--with-postgres]" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# nginx-light or any other nginx flavour will do for the benchmark baseline.
if printf '%s\n' "${missing[@]}" | grep -qx nginx-light && command -v nginx >/dev/null 2>&1; then
  missing=("${missing[@]/nginx-light}")
fi
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | grep -v '^$' || true)

if ! command -v node >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if [ "${#missing[@]}" -eq 0 ]; then
  echo "deps: all packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
