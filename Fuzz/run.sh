#!/bin/sh
# Builds the libFuzzer targets of Fuzz/ and runs each for FUZZ_SECONDS (default 60), one after
# the other, from its committed seeds (Fuzz/corpus/<target>). Prints one line per target and
# fails if any target crashed, leaked, hung or ran out of memory; the input that did it is
# kept in .build-fuzz/artifacts/<target>/.
#
#   FUZZ_SECONDS=30 Fuzz/run.sh                     # what CI runs (make fuzz)
#   FUZZ_TARGETS="fastcgi json" FUZZ_RUNS=10000000 Fuzz/run.sh   # a campaign, by executions
#   FUZZ_ARGS="-only_ascii=1" Fuzz/run.sh           # extra libFuzzer flags
#
# Targets: fastcgi, json, toon, payment (see Fuzz/README.md).
set -eu
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-fastcgi json toon payment}
scratch=.build-fuzz
# Swift's own crash handler would race AddressSanitizer's; libFuzzer reports crashes itself.
export SWIFT_BACKTRACE=enable=no

$SWIFT build --package-path Fuzz --scratch-path "$scratch" -c release -Xswiftc -sanitize=fuzzer,address >&2
bin=$($SWIFT build --package-path Fuzz --scratch-path "$scratch" -c release --show-bin-path)

limit="-max_total_time=$seconds"
[ -n "${FUZZ_RUNS:-}" ] && limit="-runs=$FUZZ_RUNS"
failed=0
printf '%-8s %12s %9s %7s %7s %s\n' target execs 'exec/s' seconds corpus status
for target in $targets; do
  work="$scratch/corpus/$target"
  artifacts="$scratch/artifacts/$target/"
  log="$scratch/fuzz-$target.log"
  mkdir -p "$work" "$artifacts"
  start=$(date +%s)
  status=0
  # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
  nice -n 10 "$bin/fuzz-$target" $limit -rss_limit_mb=2048 -timeout=10 -fork=0 -print_final_stats=1 \
    -artifact_prefix="$artifacts" ${FUZZ_ARGS:-} "$work" "Fuzz/corpus/$target" >"$log" 2>&1 || status=$?
  elapsed=$(($(date +%s) - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  units=$(find "$work" -type f | wc -l)
  if [ "$status" -eq 0 ]; then result=ok; else result="FAILED (exit $status, see $log)"; failed=1; fi
  printf '%-8s %12s %9s %7s %7s %s\n' "$target" "${execs:-?}" "${rate:-?}" "$elapsed" "$units" "$result"
  if [ "$status" -ne 0 ]; then grep -E 'ERROR|Fatal error|Precondition|SUMMARY|Test unit written' "$log" | head -10 >&2 || true; fi
done
exit $failed
