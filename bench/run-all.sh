#!/usr/bin/env bash
# Runs every benchmark once and prints the figures for bench/README.md.
# Usage: bench/run-all.sh [BUILD_DIR]   (default build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${1:-build/release}"
BENCH="$BUILD_DIR/bench"
echo "## $(date -u +%Y-%m-%dT%H:%MZ) — commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores"
for b in merkle_benchmark writer_benchmark catalogue_io_benchmark staffing_rules_benchmark; do
  if [ -x "$BENCH/$b" ]; then
    echo; echo "### $b"
    "$BENCH/$b" --benchmark_format=console 2>&1 | grep -v '^\*\*\*' || true
  fi
done
echo; echo "### HTTP (wrk -t2 -c64 -d10s)"
QUANZE_BIN="${QUANZE_BIN:-bin/quanze}" bench/http-bench.sh
if [ -x bench/catalogue-bench.sh ]; then
  echo; echo "### public catalogue"
  QUANZE_BIN="${QUANZE_BIN:-bin/quanze}" bench/catalogue-bench.sh
fi
