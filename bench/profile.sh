#!/usr/bin/env bash
# Where the responder's CPU goes under load: starts `bls-fcgi run`, drives one scenario with
# wrk, records the responder with `perf record -e cpu-clock -g` for a few seconds in the
# middle, and prints the profile by library and the top symbols (children included).
#
# Usage: bench/profile.sh [health|accept|reject-sig|reject-paid] [--bls PATH] [-d SECONDS]
# Needs perf (Debian: linux-perf) besides what bench/run.sh needs. Bounded: wrk runs for -d
# seconds (default 10), perf for half of that; everything started is stopped on exit.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
scenario=${1:-health}
[ $# -gt 0 ] && shift
bls=${BLS_FCGI:-}
duration=10
port=${BENCH_PORT:-39174}
while [ $# -gt 0 ]; do
  case "$1" in
    --bls) bls=$2; shift 2 ;;
    -d) duration=$2; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
case "$scenario" in health | accept | reject-sig | reject-paid) ;; *) echo "unknown scenario $scenario" >&2; exit 2 ;; esac
case "$duration" in '' | *[!0-9]*) echo "-d needs seconds" >&2; exit 2 ;; esac
[ "$duration" -ge 4 ] && [ "$duration" -le 120 ] || { echo "-d must be 4..120" >&2; exit 2; }
command -v perf >/dev/null || { echo "perf is missing: apt-get install -y linux-perf" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

if [ -z "$bls" ]; then
  (cd "$root" && swift build -c release --scratch-path .build-bench --product bls-fcgi >/dev/null)
  bls="$root/.build-bench/release/bls-fcgi"
fi

work=$(mktemp -d /tmp/bls-profile.XXXXXX)
run_pid=""
cleanup() {
  if [ -n "$run_pid" ]; then
    kill -TERM "$run_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$run_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$run_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

key() { "$bls" keygen | sed -n 's/^NOSTR_SECRET_KEY=//p'; }
export NODE_ID=profile NOSTR_SECRET_KEY="$(key)" ILP_ADDRESS=g.profile BLS_PORT="$port" \
  BLS_LISTEN_ADDRESS=127.0.0.1 DATA_DIR="$work/data" BLS_BASE_PRICE_PER_BYTE=10
mkdir -p "$work/data"
client=$(key)
bodies="" mode=cycle path=/handle-payment
case "$scenario" in
  health) path=/health ;;
  accept)
    "$bls" payload --secret-key "$client" --count $((12000 * duration)) --content "profiled note" \
      --tag t,bench >"$work/bodies.jsonl"
    bodies="$work/bodies.jsonl" mode=once ;;
  reject-paid)
    "$bls" payload --secret-key "$client" --count 500 --content "underpaid" --tag t,bench --amount 1 >"$work/bodies.jsonl"
    bodies="$work/bodies.jsonl" ;;
  reject-sig)
    "$bls" payload --secret-key "$client" --count 500 --content "bad signature" --tag t,bench | python3 -c '
import base64, json, sys
for line in sys.stdin:
    body = json.loads(line)
    rows = base64.b64decode(body["data"]).decode().split("\n")
    rows = [r[:-1] + ("1" if r[-1] == "0" else "0") if r.startswith("sig: ") else r for r in rows]
    body["data"] = base64.b64encode("\n".join(rows).encode()).decode()
    print(json.dumps(body, separators=(",", ":")))' >"$work/bodies.jsonl"
    bodies="$work/bodies.jsonl" ;;
esac

"$bls" run --no-access-log >"$work/bls.log" 2>&1 &
run_pid=$!
for _ in $(seq 1 150); do grep -q 'ready:' "$work/bls.log" 2>/dev/null && break; sleep 0.1; done
responder=$(sed -n 's/.*responder pid \([0-9]*\).*/\1/p' "$work/bls.log" | tail -1)
[ -n "$responder" ] || { cat "$work/bls.log" >&2; exit 1; }

BENCH_BODIES="$bodies" BENCH_MODE="$mode" BENCH_THREADS=2 timeout $((duration + 30)) \
  wrk -t2 -c32 -d"${duration}s" --timeout 5s -s "$here/wrk/bench.lua" "http://127.0.0.1:$port$path" \
  >"$work/wrk.txt" 2>&1 &
wrk_pid=$!
sleep $((duration / 4))
perf record -e cpu-clock -F 2000 -g -p "$responder" -o "$work/perf.data" -- sleep $((duration / 2)) \
  >/dev/null 2>&1 || true
wait "$wrk_pid" || true

[ -n "${PROFILE_KEEP:-}" ] && cp "$work/perf.data" "$PROFILE_KEEP"
echo "== $scenario: $(grep '^BENCH ' "$work/wrk.txt" | sed 's/^BENCH //' | cut -d' ' -f3-6)"
echo "== load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== responder CPU by library"
perf report -i "$work/perf.data" --no-children --stdio --sort dso -g none 2>/dev/null | grep '%' | head -10
echo "== responder CPU by thread"
perf report -i "$work/perf.data" --no-children --stdio --sort pid -g none 2>/dev/null | grep "%" | head -12 || true
echo "== top symbols, children included"
perf report -i "$work/perf.data" --children --stdio --sort sym -g none 2>/dev/null | grep '%' | head -40 | cut -c1-150 || true
echo "== top symbols, self"
perf report -i "$work/perf.data" --no-children --stdio --sort dso,sym -g none 2>/dev/null | grep "%" | head -${PROFILE_SELF_TOP:-40} | cut -c1-150 || true
