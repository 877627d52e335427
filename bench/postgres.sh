#!/usr/bin/env bash
# Durable accepts on PostgreSQL beside SQLite, in one run on one machine (issue 15's figures):
#   sqlite   one `bls-fcgi serve` on DATA_DIR (the embedded default), behind nginx;
#   pg-1     one `bls-fcgi serve` with DATABASE_URL, behind the same nginx;
#   pg-2     two `bls-fcgi serve` nodes on the same database, nginx balancing between them.
# PostgreSQL is a throw-away cluster started here (initdb/pg_ctl in the work directory, as the
# `postgres` user when run as root) with its durability defaults (fsync=on,
# synchronous_commit=on), so an accept means the same thing in every mode: the event's COMMIT
# has been flushed. Every mode gets the same distinct signed events and a fresh store; after
# each run the rows are counted against the answers.
#
# Usage: bench/postgres.sh [-d SECONDS] [-c CONNECTIONS] [-n PAYMENTS] [--bls PATH] [--modes LIST]
# Prints req/s, p50/p99 and each mode's ratio to sqlite. Timing thresholds are never asserted.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
duration=10
connections=32
threads=2
payments=""
bls=${BLS_FCGI:-}
modes=sqlite,pg-1,pg-2
port=${BENCH_PORT:-39175}
scratch=${BENCH_SCRATCH:-.build-bench}

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
}
while [ $# -gt 0 ]; do
  case "$1" in
    -d | --duration) duration=$2; shift 2 ;;
    -c | --connections) connections=$2; shift 2 ;;
    -n | --payments) payments=$2; shift 2 ;;
    --bls) bls=$2; shift 2 ;;
    --modes) modes=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
for value in "$duration" "$connections"; do
  case "$value" in '' | *[!0-9]*) echo "-d and -c take whole numbers" >&2; exit 2 ;; esac
done
payments=${payments:-$((15000 * duration))}
has() { [[ ",$1," == *",$2,"* ]]; }
log() { printf '%s\n' "$*" >&2; }

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pg_bin/initdb" ] || { echo "PostgreSQL server binaries are missing: apt-get install postgresql" >&2; exit 1; }
for tool in wrk nginx psql sqlite3 curl; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (see BENCHMARKS.md)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/bls-bench-pg.XXXXXX)
chmod 0755 "$work"
pids=()
owner=()
[ "$(id -u)" = 0 ] && owner=(runuser -u postgres --)
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  [ -d "$work/pg/data" ] && "${owner[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "$bls" ]; then
  log "building bls-fcgi (release, --scratch-path $scratch) ..."
  (cd "$root" && swift build -c release --scratch-path "$scratch" --product bls-fcgi >"$work/build.log" 2>&1) \
    || { tail -30 "$work/build.log" >&2; exit 1; }
  bls="$root/$scratch/release/bls-fcgi"
fi
[ -x "$bls" ] || { echo "no bls-fcgi at $bls" >&2; exit 1; }

# --- PostgreSQL: a throw-away cluster with durable commits -----------------------------------
pg_port=$((port + 1))
mkdir -p "$work/pg"
[ "$(id -u)" = 0 ] && chown postgres: "$work/pg"
"${owner[@]}" "$pg_bin/initdb" -D "$work/pg/data" -E UTF8 --locale=C -A trust -U bls >"$work/initdb.log" 2>&1 \
  || { tail -5 "$work/initdb.log" >&2; exit 1; }
"${owner[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w \
  -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=50" \
  start >/dev/null || { tail -5 "$work/pg/server.log" >&2; exit 1; }
log "PostgreSQL $("$pg_bin/postgres" --version | awk '{ print $3 }') on 127.0.0.1:$pg_port (fsync=on, synchronous_commit=on)"
psql_run() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -t -A -h 127.0.0.1 -p "$pg_port" -U bls "$@"; }

# --- Identities, payloads, nginx --------------------------------------------------------------
node_key=$("$bls" keygen | sed -n 's/^NOSTR_SECRET_KEY=//p')
client_key=$("$bls" keygen | sed -n 's/^NOSTR_SECRET_KEY=//p')
export NODE_ID=bench NOSTR_SECRET_KEY="$node_key" ILP_ADDRESS=g.bench.node BLS_PORT="$port" \
  BLS_LISTEN_ADDRESS=127.0.0.1 BLS_BASE_PRICE_PER_BYTE=10
unset DATABASE_URL DATABASE_URL_FILE DATA_DIR BLS_KIND_OVERRIDES 2>/dev/null || true
log "signing $payments distinct events ..."
"$bls" payload --secret-key "$client_key" --count "$payments" \
  --content "A typical short note paid over Interledger, signed for the BLS benchmark" \
  --tag t,bench --tag client,bls-bench --amount auto --price-per-byte 10 >"$work/accept.jsonl"

mkdir -p "$work/rt"
"$bls" run --runtime-dir "$work/rt" --no-access-log --print-nginx-config \
  | sed "s/^user .*;/user $(id -un);/" >"$work/nginx-1.conf"
grep -q "server unix:$work/rt/bls.sock;" "$work/nginx-1.conf" \
  || { echo "could not find the responder's upstream in the nginx configuration" >&2; exit 1; }
sed "s|server unix:$work/rt/bls.sock;|&\n    server unix:$work/rt/bls2.sock;|" "$work/nginx-1.conf" >"$work/nginx-2.conf"

wait_health() { # the /health of whatever nginx fronts (30 s)
  for _ in $(seq 1 300); do
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/health" && return 0
    sleep 0.1
  done
  echo "nothing answers on port $port" >&2
  return 1
}
field() { sed -n "s/.*\<$1=\([^ ]*\).*/\1/p" <<<"$2" | head -1; }
# CPU time (user + system, in clock ticks) the given processes have used so far.
ticks() {
  local total=0 pid rest fields
  for pid in "$@"; do
    rest=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null) || continue
    read -r -a fields <<<"$rest"
    total=$((total + fields[11] + fields[12]))
  done
  echo "$total"
}
# The PostgreSQL server's processes now: the postmaster and its children (backends, WAL writer…).
pg_pids() {
  local postmaster
  postmaster=$(head -1 "$work/pg/data/postmaster.pid" 2>/dev/null) || return 0
  echo "$postmaster" $(pgrep -P "$postmaster")
}

# run_mode NAME NODES STORE: STORE is "sqlite" or "pg"
results="$work/results.txt"
: >"$results"
run_mode() {
  local name=$1 nodes=$2 store=$3 serve_pids=() node socket
  rm -f "$work/rt/"*.sock
  local env_store=()
  if [ "$store" = pg ]; then
    psql_run -d postgres -c "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench"
    env_store=(env -u DATA_DIR "DATABASE_URL=postgresql://bls@127.0.0.1:$pg_port/bench")
  else
    rm -rf "$work/data" && mkdir -p "$work/data"
    env_store=(env -u DATABASE_URL "DATA_DIR=$work/data")
  fi
  for node in $(seq 1 "$nodes"); do
    socket="$work/rt/bls.sock"
    [ "$node" = 2 ] && socket="$work/rt/bls2.sock"
    "${env_store[@]}" "$bls" serve --socket "$socket" --socket-mode 0600 >"$work/$name-node$node.log" 2>&1 &
    serve_pids+=($!)
    pids+=($!)
    # One node at a time: two nodes opening a new database migrate it once either way, but
    # the first must be listening before nginx starts.
    for _ in $(seq 1 300); do [ -S "$socket" ] && break; sleep 0.1; done
    [ -S "$socket" ] || { tail -5 "$work/$name-node$node.log" >&2; exit 1; }
  done
  nginx -p "$work/rt/" -c "$work/nginx-$nodes.conf" -e stderr >"$work/$name-nginx.log" 2>&1 &
  local nginx_pid=$!
  pids+=("$nginx_pid")
  wait_health
  # CPU by process group over the run: what PostgreSQL costs beside the responders and nginx.
  local bls_group=("${serve_pids[@]}") pg_group=() nginx_group=("$nginx_pid" $(pgrep -P "$nginx_pid"))
  [ "$store" = pg ] && pg_group=($(pg_pids))
  local bls_t0 pg_t0 nginx_t0
  bls_t0=$(ticks "${bls_group[@]}") pg_t0=$(ticks "${pg_group[@]}") nginx_t0=$(ticks "${nginx_group[@]}")
  BENCH_BODIES="$work/accept.jsonl" BENCH_MODE=once BENCH_THREADS="$threads" \
    timeout $((duration + 60)) wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 5s \
    -s "$here/wrk/bench.lua" "http://127.0.0.1:$port/handle-payment" >"$work/$name-wrk.txt" 2>&1 || true
  local line
  line=$(grep '^BENCH ' "$work/$name-wrk.txt" | tail -1 || echo "BENCH requests=0 rps=0 p50_us=0 p99_us=0 status_errors=0")
  local answered hz cpu=""
  answered=$(field requests "$line")
  hz=$(getconf CLK_TCK)
  for group in bls pg nginx; do
    local -n members="${group}_group" start="${group}_t0"
    cpu+=" ${group}_cpu_us=$(awk -v t="$(($(ticks "${members[@]}") - start))" -v hz="$hz" -v n="$answered" \
      'BEGIN { if (n > 0) printf "%.0f", t * 1000000 / hz / n; else print 0 }')"
    unset -n members start
  done
  line+="$cpu"
  kill -QUIT "$nginx_pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
  for node in "${serve_pids[@]}"; do kill -TERM "$node" 2>/dev/null || true; done
  for node in "${serve_pids[@]}"; do wait "$node" 2>/dev/null || true; done
  local stored
  if [ "$store" = pg ]; then
    stored=$(psql_run -d bench -c "SELECT count(*) FROM events")
  else
    stored=$(sqlite3 "$work/data/events.db" "SELECT count(*) FROM events")
  fi
  echo "$name ${line#BENCH } stored=$stored" >>"$results"
  log "  $name: $(field rps "$line") req/s, p50 $(field p50_us "$line") us, p99 $(field p99_us "$line") us, $(field requests "$line") answered, $stored stored"
  sleep 1
}

log "accept runs: wrk -t$threads -c$connections -d${duration}s, each mode on a fresh store"
has "$modes" sqlite && run_mode sqlite 1 sqlite
has "$modes" pg-1 && run_mode pg-1 1 pg
has "$modes" pg-2 && run_mode pg-2 2 pg

# --- Report --------------------------------------------------------------------------------
value() { field "$2" "$(grep "^$1 " "$results")"; }
base=$(value sqlite rps 2>/dev/null || true)
echo
echo "== BLS on PostgreSQL vs SQLite: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   wrk -t$threads -c$connections -d${duration}s on loopback, POST /handle-payment, distinct valid events"
echo "   PostgreSQL $("$pg_bin/postgres" --version | awk '{ print $3 }') on the same cores (fsync=on, synchronous_commit=on)"
echo
printf '%-8s %10s %9s %9s %10s %10s %10s   %s\n' mode "req/s" "p50 ms" "p99 ms" "vs sqlite" answered stored \
  "CPU us per accept: bls / postgres / nginx"
while read -r name rest; do
  line="$rest"
  rps=$(field rps "$line")
  ratio="-"
  [ -n "$base" ] && [ "$name" != sqlite ] && ratio=$(awk -v a="$rps" -v b="$base" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
  printf '%-8s %10s %9.2f %9.2f %10s %10s %10s   %s / %s / %s\n' "$name" "$rps" \
    "$(awk -v v="$(field p50_us "$line")" 'BEGIN { print v / 1000 }')" \
    "$(awk -v v="$(field p99_us "$line")" 'BEGIN { print v / 1000 }')" \
    "$ratio" "$(field requests "$line")" "$(field stored "$line")" \
    "$(field bls_cpu_us "$line")" "$(field pg_cpu_us "$line")" "$(field nginx_cpu_us "$line")"
done <"$results"
echo
echo "raw results:"
sed 's/^/  /' "$results"
