#!/usr/bin/env bash
# BLS end-to-end benchmark: in one run, the same nginx configuration is measured
#   (a) alone, answering `return 200` with fixed JSON,
#   (b) in front of a trivial multi-threaded C libfcgi responder (bench/ceiling.c): the
#       ceiling of this architecture,
#   (c) in front of the real responder (`bls-fcgi run`),
# with wrk on loopback, for GET /health, POST /handle-payment with distinct validly signed
# events (all accepted, checked in events.db afterwards), and two kinds of rejects (bad
# signature, underpaid). Prints req/s, p50/p99 latency, the ratios to the ceiling, the
# responder's CPU per request, RSS idle and under load, and the group-commit batch sizes.
#
# Usage: bench/run.sh [options]       (see --help; BENCHMARKS.md has the figures)
# Timing thresholds are never asserted: this program measures and prints.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

duration=${BENCH_DURATION:-10}
connections=${BENCH_CONNECTIONS:-32}
threads=${BENCH_THREADS:-2}
port=${BENCH_PORT:-39173}
workers=${BENCH_WORKERS:-}
payments=${BENCH_PAYMENTS:-}
targets=${BENCH_TARGETS:-nginx,ceiling,verify,bls}
scenarios=${BENCH_SCENARIOS:-health,accept,reject-sig,reject-paid}
soak=${BENCH_SOAK:-0}
access_log=${BENCH_ACCESS_LOG:-off}
scratch=${BENCH_SCRATCH:-.build-bench}
keep=${BENCH_KEEP:-0}
bls=${BLS_FCGI:-}
data_from=${BENCH_DATA_FROM:-}

usage() {
  cat <<EOF
Usage: bench/run.sh [options]
  -d, --duration S      seconds per wrk run (default $duration)
  -c, --connections N   wrk connections (default $connections)
  -t, --threads N       wrk threads (default $threads)
  -p, --port N          loopback port for nginx (default $port)
  -w, --workers N       bls-fcgi responder workers (default: bls-fcgi's own default)
  -n, --payments N      distinct signed payloads for the accept run (default 12000 x duration)
      --targets LIST    of nginx,ceiling,verify,bls (default $targets)
      --scenarios LIST  of health,accept,reject-sig,reject-paid (default $scenarios)
      --soak S          afterwards, run bls alone for S seconds of mixed load, printing RSS
      --access-log      keep nginx's access log on (to a file), as \`bls-fcgi run\` does by default
      --bls PATH        use this bls-fcgi binary instead of building one (also \$BLS_FCGI)
      --keep            keep the work directory (payloads, logs, events.db)
      --data-from PATH  start bls from a copy of this events.db (how accepts change with the
                        store's size; migrate it first: DATA_DIR=… bls-fcgi migrate)
Environment: BENCH_* equivalents of the options; BENCH_SCRATCH (swift --scratch-path, default
$scratch).
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    -d | --duration) duration=$2; shift 2 ;;
    -c | --connections) connections=$2; shift 2 ;;
    -t | --threads) threads=$2; shift 2 ;;
    -p | --port) port=$2; shift 2 ;;
    -w | --workers) workers=$2; shift 2 ;;
    -n | --payments) payments=$2; shift 2 ;;
    --data-from) data_from=$2; shift 2 ;;
    --targets) targets=$2; shift 2 ;;
    --scenarios) scenarios=$2; shift 2 ;;
    --soak) soak=$2; shift 2 ;;
    --access-log) access_log=on; shift ;;
    --bls) bls=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done
for number in "$duration" "$connections" "$threads" "$port" "$soak" ${workers:+"$workers"} ${payments:+"$payments"}; do
  case "$number" in '' | *[!0-9]*) echo "not a number: $number" >&2; exit 2 ;; esac
done
[ "$duration" -ge 1 ] && [ "$duration" -le 600 ] || { echo "--duration must be 1..600" >&2; exit 2; }
[ "$soak" -le 3600 ] || { echo "--soak must be at most 3600" >&2; exit 2; }
payments=${payments:-$((12000 * duration))}

has() { case ",$1," in *",$2,"*) return 0 ;; *) return 1 ;; esac; }

# --- Dependencies --------------------------------------------------------------------------
missing=()
for tool in wrk:wrk nginx:nginx-light gcc:gcc sqlite3:sqlite3 curl:curl python3:python3; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${tool%%:*}" ] || missing+=("${tool#*:}")
done
[ -f /usr/include/fcgiapp.h ] || missing+=(libfcgi-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing: ${missing[*]}" >&2
  echo "install with: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
have_perf=0
# The responder's system calls counted during the accept run (per accepted event in the report:
# a figure that, unlike req/s, does not depend on what else runs on the machine).
counted_syscalls="fsync fdatasync pwrite64 pread64 recvfrom sendto read write epoll_wait epoll_pwait epoll_ctl futex"
if command -v perf >/dev/null 2>&1 && perf stat -e 'syscalls:sys_enter_fdatasync' true >/dev/null 2>&1; then
  have_perf=1
fi

# --- Work directory and cleanup ------------------------------------------------------------
work=$(mktemp -d /tmp/bls-bench.XXXXXX)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "$keep" = 1 ]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '%s\n' "$*" >&2; }

# --- Build ---------------------------------------------------------------------------------
if [ -z "$bls" ]; then
  log "building bls-fcgi (release, --scratch-path $scratch) ..."
  (cd "$root" && swift build -c release --scratch-path "$scratch" --product bls-fcgi >"$work/build.log" 2>&1) \
    || { tail -30 "$work/build.log" >&2; exit 1; }
  bls="$root/$scratch/release/bls-fcgi"
fi
[ -x "$bls" ] || { echo "no bls-fcgi at $bls" >&2; exit 1; }
gcc -O2 -Wall -o "$work/ceiling" "$here/ceiling.c" -lfcgi -lpthread -lsecp256k1 -lcrypto

# --- Identities, payloads, configuration ---------------------------------------------------
node_key=$("$bls" keygen | sed -n 's/^NOSTR_SECRET_KEY=//p')
client_key=$("$bls" keygen | sed -n 's/^NOSTR_SECRET_KEY=//p')
export NODE_ID=bench NOSTR_SECRET_KEY="$node_key" ILP_ADDRESS=g.bench.node BLS_PORT="$port" \
  BLS_LISTEN_ADDRESS=127.0.0.1 DATA_DIR="$work/data" BLS_BASE_PRICE_PER_BYTE=10
unset BLS_KIND_OVERRIDES RELAY_KIND_OVERRIDES KIND_OVERRIDES OWNER_PUBKEY SPSP_MIN_PRICE \
  RELAY_BASE_PRICE_PER_BYTE BASE_PRICE_PER_BYTE BLS_MAX_EVENT_BYTES 2>/dev/null || true
mkdir -p "$work/data" "$work/rt"
if [ -n "$data_from" ]; then
  cp "$data_from" "$work/data/events.db"
  log "store starts from a copy of $data_from ($(sqlite3 "$work/data/events.db" 'SELECT count(*) FROM events') events)"
fi

content="A typical short note paid over Interledger, signed for the BLS benchmark"
if has "$scenarios" accept; then
  log "signing $payments distinct events ..."
  "$bls" payload --secret-key "$client_key" --count "$payments" --content "$content" \
    --tag t,bench --tag client,bls-bench --amount auto --price-per-byte 10 >"$work/accept.jsonl"
fi
if has "$scenarios" reject-paid; then
  "$bls" payload --secret-key "$client_key" --count 500 --content "$content (underpaid)" \
    --tag t,bench --amount 1 >"$work/reject-paid.jsonl"
fi
if has "$scenarios" reject-sig; then
  "$bls" payload --secret-key "$client_key" --count 500 --content "$content (bad signature)" \
    --tag t,bench --amount auto --price-per-byte 10 | python3 -c '
import base64, json, sys
for line in sys.stdin:
    body = json.loads(line)
    toon = base64.b64decode(body["data"]).decode()
    lines = []
    for row in toon.split("\n"):
        if row.startswith("sig: "):
            row = row[:-1] + ("1" if row[-1] == "0" else "0")  # still lowercase hex, now wrong
        lines.append(row)
    body["data"] = base64.b64encode("\n".join(lines).encode()).decode()
    print(json.dumps(body, separators=(",", ":")))
' >"$work/reject-sig.jsonl"
fi

# Started as root, bls-fcgi run gives nginx's workers an unprivileged user; the bench's own
# nginx (for the C ceilings, whose sockets are this user's, mode 0600) runs them as this user.
"$bls" run --runtime-dir "$work/rt" --no-access-log --print-nginx-config \
  | sed "s/^user .*;/user $(id -un);/" >"$work/nginx-fcgi.conf"
if [ "$access_log" = on ]; then
  sed -i "s|access_log off;|access_log $work/access.log bls;|" "$work/nginx-fcgi.conf"
fi
# (a): the same configuration, every request answered by nginx itself.
body_json='{"status":"healthy","nodeId":"ceiling","timestamp":1700000000}'
sed "s|^    location / {|    location / {\n      return 200 '$body_json';|" "$work/nginx-fcgi.conf" >"$work/nginx-return.conf"
grep -q "return 200 '{" "$work/nginx-return.conf" || { echo "could not derive the return-200 configuration" >&2; exit 1; }

if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
  echo "port $port is in use; pick another with --port" >&2
  exit 1
fi

# --- Process helpers -----------------------------------------------------------------------
start_bg() { # name command...: starts in the background, records the pid in $started
  local name=$1; shift
  "$@" >"$work/$name.log" 2>&1 &
  started=$!
  pids+=("$started")
}

stop_pid() { # pid [signal]: stops one process we started and waits for it (10 s, then KILL)
  local pid=$1 signal=${2:-TERM}
  kill "-$signal" "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

wait_http() { # waits until /health answers through nginx (15 s)
  for _ in $(seq 1 150); do
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/health" && return 0
    sleep 0.1
  done
  echo "nothing answers on port $port" >&2
  return 1
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
cpu_ticks() { # user+system clock ticks of a process and its threads
  awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}
nginx_worker_ticks() { # summed over nginx's workers (children of the master)
  local total=0 child
  for child in $(ps --ppid "$1" -o pid= 2>/dev/null); do total=$((total + $(cpu_ticks "$child"))); done
  echo "$total"
}
ticks_per_second=$(getconf CLK_TCK)

# --- One measurement -----------------------------------------------------------------------
results="$work/results.txt"
: >"$results"

# run_wrk target scenario responder_pid nginx_pid
run_wrk() {
  local target=$1 scenario=$2 responder=$3 nginx_master=$4
  local path=/handle-payment bodies="" mode=cycle
  case "$scenario" in
    health) path=/health ;;
    accept) bodies="$work/accept.jsonl"; mode=once ;;
    reject-sig) bodies="$work/reject-sig.jsonl" ;;
    reject-paid) bodies="$work/reject-paid.jsonl" ;;
  esac
  local sampler="" perf_pid="" rss_file="$work/rss-$target-$scenario.txt"
  if [ "$responder" != 0 ]; then
    (while kill -0 "$responder" 2>/dev/null; do rss_kb "$responder"; sleep 0.2; done) >"$rss_file" &
    sampler=$!
  fi
  local wal_sampler="" wal_file="$work/wal-$target-$scenario.txt"
  if [ "$target" = bls ] && [ "$scenario" = accept ]; then
    # The write-ahead log's size during the run: checkpoints must keep it bounded.
    (while kill -0 "$responder" 2>/dev/null; do stat -c %s "$work/data/events.db-wal" 2>/dev/null || echo 0; sleep 0.2; done) \
      >"$wal_file" &
    wal_sampler=$!
  fi
  if [ "$target" = bls ] && [ "$scenario" = accept ] && [ "$have_perf" = 1 ]; then
    perf stat -x, -e "$(printf 'syscalls:sys_enter_%s,' $counted_syscalls | sed 's/,$//')" -p "$responder" \
      -o "$work/perf-fsync.txt" >/dev/null 2>&1 &
    perf_pid=$!
    pids+=("$perf_pid")
  fi
  local responder_before=0 nginx_before wrk_out="$work/wrk-$target-$scenario.txt"
  [ "$responder" != 0 ] && responder_before=$(cpu_ticks "$responder")
  nginx_before=$(nginx_worker_ticks "$nginx_master")
  BENCH_BODIES="$bodies" BENCH_MODE="$mode" BENCH_THREADS="$threads" \
    timeout $((duration + 60)) wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 5s \
    -s "$here/wrk/bench.lua" "http://127.0.0.1:$port$path" >"$wrk_out" 2>&1 || true
  local responder_after=0 nginx_after
  [ "$responder" != 0 ] && responder_after=$(cpu_ticks "$responder")
  nginx_after=$(nginx_worker_ticks "$nginx_master")
  [ -n "$perf_pid" ] && { kill -INT "$perf_pid" 2>/dev/null || true; wait "$perf_pid" 2>/dev/null || true; }
  [ -n "$sampler" ] && { kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true; }
  if [ -n "$wal_sampler" ]; then
    kill "$wal_sampler" 2>/dev/null || true
    wait "$wal_sampler" 2>/dev/null || true
    echo "bls wal max_bytes=$(sort -n "$wal_file" | tail -1)" >>"$results"
  fi
  local line
  line=$(grep '^BENCH ' "$wrk_out" | tail -1 || true)
  if [ -z "$line" ]; then
    log "wrk failed for $target $scenario:"; tail -5 "$wrk_out" >&2
    line="BENCH requests=0 duration_us=1 rps=0 p50_us=0 p90_us=0 p99_us=0 max_us=0 status_errors=0 socket_errors=0 timeouts=0 sent=0 exhausted=0"
  fi
  local rss_max=0
  [ -s "$rss_file" ] && rss_max=$(sort -n "$rss_file" | tail -1)
  echo "$target $scenario ${line#BENCH } responder_cpu_ticks=$((responder_after - responder_before)) nginx_cpu_ticks=$((nginx_after - nginx_before)) rss_max_kb=$rss_max" >>"$results"
  log "  $target $scenario: $(field rps "$line") req/s, p50 $(field p50_us "$line") us, p99 $(field p99_us "$line") us"
  sleep 1
}

field() { # name line: the value of name=value in line
  local name=$1 line=$2
  sed -n "s/.*\<$name=\([^ ]*\).*/\1/p" <<<"$line" | head -1
}

each_scenario() { # target responder_pid nginx_pid
  local scenario
  for scenario in health accept reject-sig reject-paid; do
    if has "$scenarios" "$scenario"; then run_wrk "$1" "$scenario" "$2" "$3"; fi
  done
}

# --- (a) nginx alone -----------------------------------------------------------------------
if has "$targets" nginx; then
  log "(a) nginx alone (return 200)"
  start_bg nginx-return "$nginx_bin" -p "$work/rt/" -c "$work/nginx-return.conf" -e stderr
  nginx_pid=$started
  wait_http
  each_scenario nginx 0 "$nginx_pid"
  stop_pid "$nginx_pid" QUIT
fi

# --- (b) nginx + the C ceiling -------------------------------------------------------------
if has "$targets" ceiling; then
  log "(b) nginx + trivial C libfcgi responder (the ceiling)"
  start_bg ceiling "$work/ceiling" "$work/rt/bls.sock" 64
  ceiling_pid=$started
  for _ in $(seq 1 50); do [ -S "$work/rt/bls.sock" ] && break; sleep 0.1; done
  start_bg nginx-fcgi "$nginx_bin" -p "$work/rt/" -c "$work/nginx-fcgi.conf" -e stderr
  nginx_pid=$started
  wait_http
  echo "ceiling idle rss_kb=$(rss_kb "$ceiling_pid")" >>"$results"
  each_scenario ceiling "$ceiling_pid" "$nginx_pid"
  stop_pid "$nginx_pid" QUIT
  stop_pid "$ceiling_pid" TERM
  rm -f "$work/rt/bls.sock"
fi

# --- (b2) nginx + the verifying C ceiling -------------------------------------------------
# The same responder doing, per request, SHA-256 of the body and one BIP-340 verification:
# the cryptography no accept can skip. Accepted durable payments are reported against it.
if has "$targets" verify; then
  log "(b2) nginx + C libfcgi responder with SHA-256 + BIP-340 per request (the verifying ceiling)"
  start_bg verify "$work/ceiling" "$work/rt/bls.sock" 64 verify
  verify_pid=$started
  for _ in $(seq 1 50); do [ -S "$work/rt/bls.sock" ] && break; sleep 0.1; done
  start_bg nginx-fcgi "$nginx_bin" -p "$work/rt/" -c "$work/nginx-fcgi.conf" -e stderr
  nginx_pid=$started
  wait_http
  if has "$scenarios" accept; then run_wrk verify accept "$verify_pid" "$nginx_pid"; fi
  stop_pid "$nginx_pid" QUIT
  stop_pid "$verify_pid" TERM
  rm -f "$work/rt/bls.sock"
fi

# --- (c) the real stack --------------------------------------------------------------------
start_bls() {
  local args=(run)  # its own private runtime directory, reachable by nginx's workers
  [ "$access_log" = on ] || args+=(--no-access-log)
  [ -n "$workers" ] && args+=(--workers "$workers")
  start_bg bls "$bls" "${args[@]}"
  bls_pid=$started
  wait_http
  for _ in $(seq 1 50); do grep -q 'ready:' "$work/bls.log" && break; sleep 0.1; done
  responder_pid=$(sed -n 's/.*responder pid \([0-9]*\).*/\1/p' "$work/bls.log" | tail -1)
  bls_nginx_pid=$(sed -n 's/.*(nginx pid \([0-9]*\).*/\1/p' "$work/bls.log" | tail -1)
  [ -n "$responder_pid" ] && [ -n "$bls_nginx_pid" ] || { echo "cannot find the responder's pid in bls.log" >&2; exit 1; }
}

if has "$targets" bls; then
  log "(c) nginx + bls-fcgi (bls-fcgi run${workers:+ --workers $workers})"
  start_bls
  sleep 1
  echo "bls idle rss_kb=$(rss_kb "$responder_pid")" >>"$results"
  echo "bls threads=$(ls "/proc/$responder_pid/task" | wc -l) workers_line=$(grep -o 'with [0-9]* workers' "$work/bls.log" | head -1 | tr ' ' _)" >>"$results"
  each_scenario bls "$responder_pid" "$bls_nginx_pid"
  sleep 2
  echo "bls idle-after rss_kb=$(rss_kb "$responder_pid")" >>"$results"
  stop_pid "$bls_pid" TERM
  stored=$(sqlite3 "$work/data/events.db" 'SELECT count(*) FROM events' 2>/dev/null || echo "?")
  echo "bls stored events=$stored" >>"$results"
  grep -i 'commits=' "$work/bls.log" | tail -1 | sed 's/^/bls groupcommit /' >>"$results" || true
  if [ -s "$work/perf-fsync.txt" ]; then
    fsyncs=$(awk -F, '/syscalls:sys_enter_f/ { total += $1 } END { print total + 0 }' "$work/perf-fsync.txt")
    echo "bls fsyncs during_accept=$fsyncs" >>"$results"
    for call in $counted_syscalls; do
      echo "bls syscall $call=$(awk -F, -v e="syscalls:sys_enter_$call" '$3 == e { print $1 + 0 }' "$work/perf-fsync.txt")"
    done >>"$results"
  fi
fi

# --- Soak: RSS over a long mixed run -------------------------------------------------------
if [ "$soak" -gt 0 ] && has "$targets" bls; then
  log "soak: $soak s of mixed load on bls (RSS every window)"
  rm -f "$work/rt/bls.sock"
  start_bls
  window=30
  [ "$soak" -lt 90 ] && window=$(((soak + 2) / 3))
  elapsed=0 round=0
  echo "soak start rss_kb=$(rss_kb "$responder_pid")" >>"$results"
  while [ "$elapsed" -lt "$soak" ]; do
    case $((round % 3)) in
      0) soak_name=accept; scenario_path=/handle-payment; soak_bodies="$work/accept.jsonl" ;;
      1) soak_name=reject-sig; scenario_path=/handle-payment; soak_bodies="$work/reject-sig.jsonl" ;;
      2) soak_name=health; scenario_path=/health; soak_bodies="" ;;
    esac
    [ -n "$soak_bodies" ] && [ ! -s "$soak_bodies" ] && { round=$((round + 1)); continue; }
    BENCH_BODIES="$soak_bodies" BENCH_MODE=cycle BENCH_THREADS="$threads" \
      timeout $((window + 60)) wrk -t"$threads" -c"$connections" -d"${window}s" --timeout 5s \
      -s "$here/wrk/bench.lua" "http://127.0.0.1:$port$scenario_path" >"$work/soak-$round.txt" 2>&1 || true
    elapsed=$((elapsed + window))
    echo "soak t=${elapsed}s $soak_name $(grep '^BENCH ' "$work/soak-$round.txt" | sed 's/^BENCH //' | cut -d' ' -f3) rss_kb=$(rss_kb "$responder_pid")" >>"$results"
    round=$((round + 1))
  done
  sleep 2
  echo "soak end-idle rss_kb=$(rss_kb "$responder_pid")" >>"$results"
  stop_pid "$bls_pid" TERM
fi

# --- Report --------------------------------------------------------------------------------
value() { # target scenario field
  local line
  line=$(grep "^$1 $2 " "$results" | head -1)
  [ -n "$line" ] && field "$3" "$line" || echo ""
}
ratio() { # a b: a/b with two decimals
  awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'
}
ms() { awk -v us="$1" 'BEGIN { if (us == "") print "-"; else printf "%.2f", us / 1000 }'; }
per_request_us() { # ticks requests
  awk -v t="$1" -v n="$2" -v hz="$ticks_per_second" 'BEGIN { if (t == "" || n == "" || n + 0 == 0) print "-"; else printf "%.0f", t / hz * 1e6 / n }'
}

echo
echo "== BLS benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   wrk -t$threads -c$connections -d${duration}s on loopback; nginx $("$nginx_bin" -v 2>&1 | sed 's/.*nginx\///'), access log $access_log; bls-fcgi workers: ${workers:-default}"
echo
printf '%-12s %12s %12s %12s %8s %8s %16s %16s %10s\n' scenario "nginx req/s" "ceiling" "bls" "bls/ceil" "target" "ceiling p50/p99" "bls p50/p99 ms" "bls cpu/req"
for scenario in health accept reject-sig reject-paid; do
  has "$scenarios" "$scenario" || continue
  target_ratio=""
  case "$scenario" in health) target_ratio=0.90 ;; accept) target_ratio=0.40 ;; *) target_ratio=0.60 ;; esac
  printf '%-12s %12s %12s %12s %8s %8s %16s %16s %10s\n' "$scenario" \
    "$(value nginx "$scenario" rps)" "$(value ceiling "$scenario" rps)" "$(value bls "$scenario" rps)" \
    "$(ratio "$(value bls "$scenario" rps)" "$(value ceiling "$scenario" rps)")" "$target_ratio" \
    "$(ms "$(value ceiling "$scenario" p50_us)")/$(ms "$(value ceiling "$scenario" p99_us)")" \
    "$(ms "$(value bls "$scenario" p50_us)")/$(ms "$(value bls "$scenario" p99_us)")" \
    "$(per_request_us "$(value bls "$scenario" responder_cpu_ticks)" "$(value bls "$scenario" requests)")us"
done
verify_accept=$(value verify accept rps)
if [ -n "$verify_accept" ]; then
  echo "accepted durable payments vs the verifying ceiling ($verify_accept req/s, p99 $(ms "$(value verify accept p99_us)") ms): $(ratio "$(value bls accept rps)" "$verify_accept") (target >= 0.5), bls p99 $(ms "$(value bls accept p99_us)") ms (target <= 10)"
fi
health_ceiling=$(value ceiling health rps)
if [ -n "$health_ceiling" ]; then
  echo
  echo "ratios to the /health ceiling ($health_ceiling req/s): accept $(ratio "$(value bls accept rps)" "$health_ceiling"), reject-sig $(ratio "$(value bls reject-sig rps)" "$health_ceiling"), reject-paid $(ratio "$(value bls reject-paid rps)" "$health_ceiling")"
fi
if has "$targets" bls; then
  echo
  echo "responder RSS: idle $(($(grep '^bls idle ' "$results" | sed 's/.*rss_kb=//') / 1024)) MB," \
    "max under load $(($(grep '^bls ' "$results" | sed -n 's/.*rss_max_kb=\([0-9]*\).*/\1/p' | sort -n | tail -1) / 1024)) MB," \
    "idle after $(($(grep '^bls idle-after ' "$results" | sed 's/.*rss_kb=//') / 1024)) MB;" \
    "ceiling responder idle $(($(grep '^ceiling idle ' "$results" 2>/dev/null | sed 's/.*rss_kb=//' || echo 0) / 1024)) MB"
  if has "$scenarios" accept; then
    accepted=$(value bls accept requests)
    status_errors=$(value bls accept status_errors)
    sent=$(value bls accept sent)
    stored=$(grep '^bls stored ' "$results" | sed 's/.*events=//')
    echo "accept run: $sent distinct events sent, $accepted answered (non-2xx: $status_errors), $stored in events.db after stop" \
      "$( [ "$stored" != "?" ] && [ "$stored" -ge "$((accepted - 0))" ] 2>/dev/null && echo '(every answered event stored)' || echo '(CHECK: fewer stored than answered)')"
    if grep -q '^bls groupcommit ' "$results"; then
      echo "group commit (responder log): $(grep '^bls groupcommit ' "$results" | sed 's/^bls groupcommit //')"
    fi
    if grep -q '^bls wal ' "$results"; then
      echo "write-ahead log: at most $(($(grep '^bls wal ' "$results" | sed 's/.*=//') / 1024)) KiB during the accept run (checkpoints keep it bounded)"
    fi
    if grep -q '^bls fsyncs ' "$results"; then
      fsyncs=$(grep '^bls fsyncs ' "$results" | sed 's/.*=//')
      echo "group commit (perf, fsync+fdatasync calls by the responder during the accept run): $fsyncs," \
        "$(ratio "$sent" "$fsyncs") events per sync on average"
      per_event=""
      for call in $counted_syscalls; do
        count=$(grep "^bls syscall $call=" "$results" | sed 's/.*=//')
        [ -n "$count" ] && [ "$count" != 0 ] && per_event="$per_event $call $(awk -v c="$count" -v n="$sent" 'BEGIN { printf "%.2f", c / n }')"
      done
      [ -n "$per_event" ] && echo "system calls per accepted event (perf):$per_event"
    fi
  fi
  for scenario in reject-sig reject-paid; do
    has "$scenarios" "$scenario" || continue
    echo "$scenario: $(value bls "$scenario" requests) answered, $(value bls "$scenario" status_errors) with status >= 400 (expected: all)"
  done
fi
if grep -q '^soak ' "$results"; then
  echo
  echo "soak (RSS of the responder, kB):"
  grep '^soak ' "$results" | sed 's/^soak /  /'
fi
echo
echo "raw results:"
sed 's/^/  /' "$results"
