#!/usr/bin/env bash
# Runs the libFuzzer targets on their seed corpora (fuzz/corpus/<name>/) and
# prints, per target, the CPU time spent, the inputs executed and any crash.
# Usage: fuzz/run.sh [--smoke] BIN_DIR SECONDS [NAME...]
#   BIN_DIR   where fuzz_<name> programs are (build/fuzz/fuzz/bin)
#   SECONDS   -max_total_time per target (the corpus replay counts in it)
#   --smoke   new inputs go to a throwaway folder (make test); otherwise they
#             are kept in BIN_DIR/../work/<name> and found again next time.
# Exit 1 if any target crashed or broke a property; the input that did it is
# in BIN_DIR/../artifacts/<name>/ (add it to fuzz/corpus/<name>/ once fixed).
set -euo pipefail
cd "$(dirname "$0")/.."
smoke=0
if [ "${1:-}" = "--smoke" ]; then smoke=1; shift; fi
bin_dir=$1 seconds=$2
shift 2
names=("$@")
if [ "${#names[@]}" -eq 0 ]; then
  mapfile -t names < <(ls fuzz/corpus)
fi
out_dir=$(cd "$bin_dir/.." && pwd)
scratch=""
if [ "$smoke" = 1 ]; then
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
fi

failed=()
total_cpu=0
printf '%-16s %9s %12s  %s\n' target cpu_s execs result
for name in "${names[@]}"; do
  work=${scratch:-$out_dir/work}/$name
  artifacts=$out_dir/artifacts/$name
  log=$out_dir/logs/$name.log
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"
  set +e
  # /usr/bin/time: user+system seconds of the target (libFuzzer's own clock is wall time).
  /usr/bin/time -f '%U %S' -o "$log.time" \
    "$bin_dir/fuzz_$name" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "fuzz/corpus/$name" >"$log" 2>&1
  rc=$?
  set -e
  cpu=$(tail -1 "$log.time" | awk '{printf "%.1f", $1+$2}' 2>/dev/null || echo "?")
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  total_cpu=$(awk -v a="$total_cpu" -v b="$cpu" 'BEGIN{printf "%.1f", a+b}')
  if [ "$rc" -eq 0 ]; then
    printf '%-16s %9s %12s  %s\n' "$name" "$cpu" "${execs:-?}" ok
  else
    printf '%-16s %9s %12s  %s\n' "$name" "$cpu" "${execs:-?}" "FAILED (exit $rc, log $log)"
    grep -m1 -E 'property failed|ERROR: (AddressSanitizer|libFuzzer|UndefinedBehaviorSanitizer)|runtime error' "$log" || true
    grep -m1 -E '^artifact_prefix=|Test unit written to' "$log" || true
    failed+=("$name")
  fi
done
printf '%-16s %9s\n' total "$total_cpu"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}" >&2
  exit 1
fi
