#!/usr/bin/env bash
# Container test: builds the BLS image and checks, with plain `docker` commands, everything
# the image promises (docs/container.md): size, metadata, user, health, a real payment that
# survives a new container on the same volume, a hardened read-only run, fail-fast on bad
# configuration, graceful stop, supervision, secrets through *_FILE, and the deployment
# examples: examples/docker-compose.yml, examples/k8s/ and examples/k8s-postgres/ checked
# structurally (no cluster), examples/compose-postgres.yml run for real
# (scripts/container-test-compose.sh).
#
# Needs: a Docker engine (DOCKER_HOST or the default socket), curl, python3 (+ PyYAML for
# the examples), docker compose or Debian's docker-compose (the PostgreSQL example). On this project's CI machines get an engine first:
#   eval "$(../shared/container/engine.sh start)"; ../shared/container/base-images.sh
#
# Environment:
#   IMAGE=bls            tag to build and test
#   SKIP_BUILD=1         test an existing IMAGE without building it
#   DOCKER_BUILD="docker build"   build command (e.g. "env DOCKER_BUILDKIT=1 /usr/bin/docker build")
#   KEEP=1               keep containers and volumes for inspection
#
# Prints one line per check and `N passed, N failed` last; exits 1 if any check failed.
set -uo pipefail
cd "$(dirname "$0")/.."

IMAGE=${IMAGE:-bls}
DOCKER_BUILD=${DOCKER_BUILD:-docker build}
PREFIX="bls-ct-$$"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bls-container-test.XXXXXX")
PASSED=0
FAILED=0
CONTAINERS=()
VOLUMES=()

# ---------------------------------------------------------------------------------------
# Helpers

pass() { PASSED=$((PASSED + 1)); echo "ok     $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAILED $*"; }
info() { echo "       $*"; }
# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() { local what=$1; shift; if "$@" >/dev/null 2>&1; then pass "$what"; else fail "$what"; fi; }
# same VALUE EXPECTED DESCRIPTION
same() { if [ "$1" = "$2" ]; then pass "$3"; else fail "$3 (got '$1', want '$2')"; fi; }

finish() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
  exit $?
}

cleanup() {
  declare -F compose_cleanup >/dev/null && compose_cleanup
  if [ -z "${KEEP:-}" ]; then
    for c in "${CONTAINERS[@]}"; do docker rm -fv "$c" >/dev/null 2>&1; done
    for v in "${VOLUMES[@]}"; do docker volume rm -f "$v" >/dev/null 2>&1; done
    rm -rf "$TMP"
  else
    echo "KEEP=1: containers ${CONTAINERS[*]}, volumes ${VOLUMES[*]}, files $TMP" >&2
  fi
}
trap cleanup EXIT

now_ms() { echo $(($(date +%s%N) / 1000000)); }
inspect() { docker inspect -f "$2" "$1" 2>/dev/null; }
# json EXPR: evaluates EXPR over the JSON document on stdin (as d); one line even on error.
json() {
  python3 -c '
import json, sys
text = sys.stdin.read()
try:
    print(eval(sys.argv[1], {"d": json.loads(text)}))
except Exception as error:
    print("not the expected JSON (%s): %r" % (type(error).__name__, text[:160]))
' "$1"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_healthy NAME SECONDS: 0 once Docker says healthy; 1 if it stops or time runs out.
wait_healthy() {
  local deadline=$(($(now_ms) + $2 * 1000)) status
  while [ "$(now_ms)" -lt "$deadline" ]; do
    status=$(inspect "$1" '{{if .State.Health}}{{.State.Health.Status}}{{end}}')
    [ "$status" = healthy ] && return 0
    [ "$(inspect "$1" '{{.State.Running}}')" = true ] || return 1
    sleep 0.1
  done
  return 1
}

# wait_exit NAME SECONDS: 0 once the container has stopped.
wait_exit() {
  local deadline=$(($(now_ms) + $2 * 1000))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    [ "$(inspect "$1" '{{.State.Running}}')" = false ] && return 0
    sleep 0.1
  done
  return 1
}

# host_port NAME: the loopback port published for 3100.
host_port() { docker port "$1" 3100/tcp | sed -n 's/^127\.0\.0\.1://p' | head -n1; }

# post_payment PORT BODYFILE: prints the response body.
post_payment() {
  curl -sS --max-time 10 -H 'Content-Type: application/json' --data-binary "@$2" \
    "http://127.0.0.1:$1/handle-payment"
}

# new_volume NAME: creates the volume $PREFIX-NAME (not in a subshell: the list is for cleanup).
new_volume() { docker volume create "$PREFIX-$1" >/dev/null && VOLUMES+=("$PREFIX-$1"); }

show_logs() { docker logs "$1" 2>&1 | tail -n 15 | sed 's/^/       | /'; }

# The three required variables for a container; the secret comes from $SECRET.
identity_env() { echo "-e NODE_ID=container-test -e ILP_ADDRESS=g.bls.container-test"; }

# ---------------------------------------------------------------------------------------
echo "== docker engine"
if ! docker version --format 'server {{.Server.Version}}, client {{.Client.Version}}' 2>"$TMP/engine.err"; then
  fail "a Docker engine answers (DOCKER_HOST=${DOCKER_HOST:-default}): $(head -n1 "$TMP/engine.err")"
  finish
fi

echo "== build"
if [ -z "${SKIP_BUILD:-}" ]; then
  start=$(now_ms)
  # shellcheck disable=SC2086
  revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
  if $DOCKER_BUILD -t "$IMAGE" --build-arg REVISION="$revision" \
    --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" . >"$TMP/build.log" 2>&1; then
    pass "docker build -t $IMAGE . ($(( ($(now_ms) - start) / 1000 )) s)"
  else
    fail "docker build -t $IMAGE . (last lines of the log follow)"
    tail -n 30 "$TMP/build.log" | sed 's/^/       | /'
    finish
  fi
else
  info "SKIP_BUILD: testing the existing image $IMAGE"
fi
if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
  fail "image $IMAGE exists"
  finish
fi

echo "== image metadata"
size=$(docker image inspect -f '{{.Size}}' "$IMAGE")
info "image size: $size bytes ($(awk -v s="$size" 'BEGIN { printf "%.1f MB", s / 1e6 }'))"
check "image size < 150 MB (the seed's limit)" test "$size" -lt 150000000
check "image size < 90 MB (the architecture's goal)" test "$size" -lt 90000000
if [ "$size" -le 40000000 ]; then info "within the 40 MB target"; else info "above the 40 MB target"; fi
same "$(docker image inspect -f '{{json .Config.ExposedPorts}}' "$IMAGE")" '{"3100/tcp":{}}' "EXPOSE 3100 and nothing else"
same "$(docker image inspect -f '{{json .Config.Volumes}}' "$IMAGE")" '{"/data":{}}' "VOLUME /data"
envs=$(docker image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$IMAGE")
check "ENV DATA_DIR=/data" grep -qx 'DATA_DIR=/data' <<<"$envs"
check "ENV BLS_PORT=3100" grep -qx 'BLS_PORT=3100' <<<"$envs"
same "$(docker image inspect -f '{{json .Config.Healthcheck.Test}}' "$IMAGE")" \
  '["CMD","/usr/local/bin/bls-fcgi","healthcheck"]' "HEALTHCHECK runs bls-fcgi healthcheck (exec form, no shell)"
same "$(docker image inspect -f '{{.Config.Healthcheck.Interval}} {{.Config.Healthcheck.Timeout}} {{.Config.Healthcheck.StartPeriod}} {{.Config.Healthcheck.Retries}}' "$IMAGE")" \
  "30s 5s 10s 3" "HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3"
user=$(docker image inspect -f '{{.Config.User}}' "$IMAGE")
check "USER is numeric and not root ($user)" bash -c '[[ $1 =~ ^[1-9][0-9]*(:[0-9]+)?$ ]]' _ "$user"
uid=${user%%:*}
same "$(docker image inspect -f '{{json .Config.Entrypoint}} {{json .Config.Cmd}}' "$IMAGE")" \
  '["/usr/local/bin/bls-fcgi"] ["run"]' "the entry point is bls-fcgi run"
same "$(docker image inspect -f '{{.Config.StopSignal}}' "$IMAGE")" SIGTERM "STOPSIGNAL SIGTERM"
labels=$(docker image inspect -f '{{range $k, $v := .Config.Labels}}{{println $k}}{{end}}' "$IMAGE")
for label in title description source licenses version revision created; do
  check "OCI label org.opencontainers.image.$label" grep -qx "org.opencontainers.image.$label" <<<"$labels"
done

echo "== image contents"
probe="$PREFIX-contents"
docker create --name "$probe" "$IMAGE" >/dev/null && CONTAINERS+=("$probe")
docker export "$probe" | tar -tv --numeric-owner >"$TMP/contents.txt" 2>/dev/null
awk '{ print $NF }' "$TMP/contents.txt" >"$TMP/paths.txt"
docker rm -v "$probe" >/dev/null
check "the runtime has bls-fcgi and nginx" bash -c 'grep -qx usr/local/bin/bls-fcgi "$1" && grep -qx usr/sbin/nginx "$1"' _ "$TMP/paths.txt"
check "no shell (sh, bash, dash)" bash -c '! grep -Eq "^(usr/)?bin/(sh|bash|dash)$" "$1"' _ "$TMP/paths.txt"
check "no package manager (apt, dpkg binaries)" bash -c '! grep -Eq "^(usr/)?s?bin/(apt|apt-get|dpkg)$" "$1"' _ "$TMP/paths.txt"
check "no compiler or Swift toolchain" bash -c '! grep -Eq "(^|/)(swift|swiftc|clang|gcc|cc|ld)$|usr/lib/swift/" "$1"' _ "$TMP/paths.txt"
check "no sources or package caches" bash -c '! grep -Eq "\.swift$|^src/|^var/cache/apt/.|^var/lib/apt/lists/." "$1"' _ "$TMP/paths.txt"
check "no ICU libraries" bash -c '! grep -q libicu "$1"' _ "$TMP/paths.txt"
for pkg in libc6 libsecp256k1-1 libsqlite3-0 libssl3 libpq5 nginx base-files; do
  check "dpkg metadata for $pkg in /var/lib/dpkg/status.d" grep -qx "var/lib/dpkg/status.d/$pkg" "$TMP/paths.txt"
done
check "/etc/os-release present (scanners pick Debian 12 advisories)" grep -Eqx 'etc/os-release|usr/lib/os-release' "$TMP/paths.txt"
data_line=$(grep -E ' data/?$' "$TMP/contents.txt" | head -n1)
check "/data is owned by $uid and not world-accessible" bash -c '[[ $1 == d???????-?\ $2/* ]]' _ "$data_line" "$uid"
binary_size=$(awk '$NF == "usr/local/bin/bls-fcgi" { print $3 }' "$TMP/contents.txt")
info "bls-fcgi binary: $binary_size bytes"

# ---------------------------------------------------------------------------------------
echo "== identity"
docker run --rm "$IMAGE" keygen >"$TMP/keygen.txt" 2>"$TMP/keygen.err"
SECRET=$(sed -n 's/^NOSTR_SECRET_KEY=//p' "$TMP/keygen.txt")
PUBKEY=$(sed -n 's/^PUBKEY=//p' "$TMP/keygen.txt")
if [[ $SECRET =~ ^[0-9a-f]{64}$ && $PUBKEY =~ ^[0-9a-f]{64}$ ]]; then
  pass "docker run $IMAGE keygen prints a key pair"
else
  fail "docker run $IMAGE keygen prints a key pair: $(cat "$TMP/keygen.txt" "$TMP/keygen.err" | head -n3)"
  finish
fi

# ---------------------------------------------------------------------------------------
echo "== bad configuration fails fast"
# bad_config DESCRIPTION EXPECTED-PREFIX docker-run-args...
bad_config() {
  local what=$1 expect=$2 name="$PREFIX-bad-$RANDOM"; shift 2
  CONTAINERS+=("$name")
  local start; start=$(now_ms)
  docker run --name "$name" "$@" "$IMAGE" >"$TMP/bad.out" 2>"$TMP/bad.err" &
  local runner=$!
  if ! wait_exit_pid "$runner" 15; then
    fail "$what: still running after 15 s"
    docker rm -fv "$name" >/dev/null 2>&1
    return
  fi
  local code elapsed lines
  code=$(inspect "$name" '{{.State.ExitCode}}')
  elapsed=$(($(now_ms) - start))
  # Besides the one-line advice a key given by value earns (docs/deploy.md), one line.
  grep -v 'NOSTR_SECRET_KEY is given by value' "$TMP/bad.err" >"$TMP/bad.err.only" || true
  lines=$(cat "$TMP/bad.out" "$TMP/bad.err.only" | grep -c .)
  if [ "$code" = 1 ] && [ "$lines" = 1 ] && grep -q "^$expect" "$TMP/bad.err.only"; then
    pass "$what: exit 1 in $elapsed ms with one line: $(cat "$TMP/bad.err.only")"
  else
    fail "$what: exit $code, $lines lines, want exit 1 and one line starting '$expect':"
    cat "$TMP/bad.out" "$TMP/bad.err" | head -n 5 | sed 's/^/       | /'
  fi
  docker rm -v "$name" >/dev/null 2>&1
}
wait_exit_pid() {
  local deadline=$(($(now_ms) + $2 * 1000))
  while kill -0 "$1" 2>/dev/null; do
    [ "$(now_ms)" -lt "$deadline" ] || { kill "$1" 2>/dev/null; return 1; }
    sleep 0.05
  done
  wait "$1" 2>/dev/null
  return 0
}
# shellcheck disable=SC2046
bad_config "missing NODE_ID" "ERROR: NODE_ID" \
  -e ILP_ADDRESS=g.bls.container-test -e NOSTR_SECRET_KEY="$SECRET"
# shellcheck disable=SC2046
bad_config "short NOSTR_SECRET_KEY" "ERROR: NOSTR_SECRET_KEY" $(identity_env) -e NOSTR_SECRET_KEY=abc123
# shellcheck disable=SC2046
bad_config "ILP_ADDRESS without g." "ERROR: ILP_ADDRESS" $(identity_env) -e ILP_ADDRESS=test.bls \
  -e NOSTR_SECRET_KEY="$SECRET"
# shellcheck disable=SC2046
bad_config "BLS_PORT out of range" "ERROR: BLS_PORT" $(identity_env) -e BLS_PORT=70000 \
  -e NOSTR_SECRET_KEY="$SECRET"
# shellcheck disable=SC2046
bad_config "NOSTR_SECRET_KEY_FILE that does not exist" "ERROR: NOSTR_SECRET_KEY_FILE" $(identity_env) \
  -e NOSTR_SECRET_KEY_FILE=/run/secrets/missing
# shellcheck disable=SC2046
bad_config "DATA_DIR not writable by the server's user (fail closed)" "ERROR: DATA_DIR" $(identity_env) \
  -e NOSTR_SECRET_KEY="$SECRET" -e DATA_DIR=/etc

# ---------------------------------------------------------------------------------------
echo "== start, health, user, payment"
new_volume data; VOL="$PREFIX-data"
PORT=$(free_port)
A="$PREFIX-a"
# shellcheck disable=SC2046
docker create --name "$A" -p "127.0.0.1:$PORT:3100" -v "$VOL:/data" --health-interval 1s \
  $(identity_env) -e NOSTR_SECRET_KEY="$SECRET" "$IMAGE" >/dev/null && CONTAINERS+=("$A")
# first_200 NAME PORT: starts the container and prints the ms until /health answers 200
# (nothing if it never does). Cold: every process of the container starts from scratch.
first_200() {
  local begin; begin=$(now_ms)
  docker start "$1" >/dev/null
  while [ $(($(now_ms) - begin)) -lt 20000 ]; do
    if curl -fsS --max-time 1 -o "$TMP/health.json" "http://127.0.0.1:$2/health" 2>/dev/null; then
      echo $(($(now_ms) - begin)); return
    fi
    [ "$(inspect "$1" '{{.State.Running}}')" = true ] || return
    sleep 0.02
  done
}
# Timings on a shared machine: up to three starts, the best counts (all are reported).
start=$(now_ms)
first_ok=$(first_200 "$A" "$PORT")
if [ -n "$first_ok" ]; then
  tries=$first_ok
  for _ in 1 2; do
    [ "$first_ok" -lt 1000 ] && break
    docker stop -t 10 "$A" >/dev/null
    start=$(now_ms)
    again=$(first_200 "$A" "$PORT")
    tries="$tries, ${again:-none}"
    [ -n "$again" ] && [ "$again" -lt "$first_ok" ] && first_ok=$again
  done
  info "cold start: docker start → first 200 from /health in $tries ms"
  check "cold start to a healthy answer < 1 s ($first_ok ms)" test "$first_ok" -lt 1000
else
  fail "the container answers /health"
  show_logs "$A"
fi
if wait_healthy "$A" 30; then
  healthy_ms=$(($(now_ms) - start))
  pass "Docker reports healthy (with --health-interval 1s: $healthy_ms ms after docker start)"
else
  fail "Docker reports healthy: $(inspect "$A" '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}')"
  show_logs "$A"
fi
same "$(inspect "$A" '{{json .State.Health.Log}}' | json 'd[-1]["ExitCode"]' 2>&1)" 0 "the HEALTHCHECK command exits 0 (latest check)"
health=$(cat "$TMP/health.json" 2>/dev/null)
same "$(json 'd["status"], d["nodeId"], d["ilpAddress"], d["pubkey"]' <<<"$health" 2>&1)" \
  "('healthy', 'container-test', 'g.bls.container-test', '$PUBKEY')" "/health answers the configured identity (from the Swift process, through nginx)"
if docker exec -e BLS_PORT=9 "$A" /usr/local/bin/bls-fcgi healthcheck >/dev/null 2>&1; then
  fail "bls-fcgi healthcheck fails when nothing answers (port 9)"
else
  pass "bls-fcgi healthcheck fails when nothing answers (port 9)"
fi
same "$(inspect "$A" '{{.Config.User}}')" "$user" "docker inspect shows the numeric user"
docker top "$A" -eo uid,pid,args >"$TMP/top.txt" 2>&1
info "docker top: $(tail -n +2 "$TMP/top.txt" | awk '{ $2 = ""; print }' | tr -s ' ' | paste -sd '|')"
check "every process runs as uid $uid (docker top)" \
  awk -v u="$uid" 'NR > 1 && $1 != u { bad = 1 } END { exit bad || NR < 4 }' "$TMP/top.txt"
pid1=$(inspect "$A" '{{.State.Pid}}')
check "PID 1 is bls-fcgi run (docker inspect .State.Pid = its pid in docker top)" \
  awk -v p="$pid1" 'NR > 1 && $2 == p && $0 ~ /bls-fcgi run$/ { found = 1 } END { exit !found }' "$TMP/top.txt"
check "PID 1's children: nginx and the bls-fcgi responder (docker top)" \
  bash -c 'grep -q "nginx: master" "$1" && grep -q "nginx: worker" "$1" && [ "$(grep -c "bls-fcgi" "$1")" -ge 2 ]' _ "$TMP/top.txt"

docker run --rm "$IMAGE" payload --secret-key "$SECRET" --amount auto --content "container test $$" \
  >"$TMP/payload.json" 2>"$TMP/payload.err"
EVENT_ID=$(json 'd["data"]' <"$TMP/payload.json" | base64 -d | docker run --rm -i "$IMAGE" toon decode | json 'd["id"]')
if [[ $EVENT_ID =~ ^[0-9a-f]{64}$ ]]; then
  pass "payload + toon decode in the image give a signed event ($EVENT_ID)"
else
  fail "payload + toon decode in the image give a signed event: $(head -c 300 "$TMP/payload.json" "$TMP/payload.err")"
fi
answer=$(post_payment "$PORT" "$TMP/payload.json" 2>&1)
same "$(json 'd["accept"]' <<<"$answer" 2>&1)" True "POST /handle-payment with the exact price is accepted ($answer)"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["amount"]="1"; json.dump(d, open(sys.argv[2],"w"))' \
  "$TMP/payload.json" "$TMP/underpaid.json"
answer=$(post_payment "$PORT" "$TMP/underpaid.json" 2>&1)
same "$(json 'd["accept"]' <<<"$answer" 2>&1)" False "an underpaid payment is rejected ($answer)"

echo "== graceful stop"
start=$(now_ms)
docker stop -t 10 "$A" >/dev/null
stop_ms=$(($(now_ms) - start))
info "docker stop took $stop_ms ms"
same "$(inspect "$A" '{{.State.ExitCode}}')" 0 "docker stop (SIGTERM): exit code 0"
check "docker stop: well under 10 s ($stop_ms ms < 5000)" test "$stop_ms" -lt 5000
docker logs "$A" >"$TMP/logs-a.txt" 2>&1
# The supervisor's own stop time, from Docker's log timestamps: the first line after SIGTERM
# to the last line (docker stop adds the engine's own work).
inside=$(docker logs -t "$A" 2>&1 | python3 -c '
import sys, datetime
def t(line):
    stamp = line.split(" ", 1)[0].rstrip("Z")
    main, _, frac = stamp.partition(".")
    return datetime.datetime.fromisoformat(main).timestamp() + float("0." + (frac or "0"))
lines = [l for l in sys.stdin if l[:2].isdigit()]
start = next((t(l) for l in lines if "SIGTERM" in l), None)
print("%d ms" % round((t(lines[-1]) - start) * 1000) if start is not None else "unknown")' 2>/dev/null)
info "from SIGTERM to the supervisor's last log line: ${inside:-unknown}"
check "the logs never show the secret key" bash -c '! grep -q "$1" "$2"' _ "$SECRET" "$TMP/logs-a.txt"
check "the logs show the public key" grep -q "$PUBKEY" "$TMP/logs-a.txt"
docker rm -v "$A" >/dev/null

echo "== the event outlives the container"
B="$PREFIX-b"
PORT=$(free_port)
# A short health interval shows Docker's own start → healthy time (the first check runs one
# interval after the start). Up to three starts; the best counts.
# shellcheck disable=SC2046
docker create --name "$B" -p "127.0.0.1:$PORT:3100" -v "$VOL:/data" --health-interval 100ms \
  $(identity_env) -e NOSTR_SECRET_KEY="$SECRET" "$IMAGE" >/dev/null && CONTAINERS+=("$B")
best="" tries=""
for attempt in 1 2 3; do
  [ "$attempt" = 1 ] || docker stop -t 10 "$B" >/dev/null
  start=$(now_ms)
  docker start "$B" >/dev/null
  if ! wait_healthy "$B" 30; then best=""; break; fi
  ms=$(($(now_ms) - start))
  tries="${tries:+$tries, }$ms"
  { [ -z "$best" ] || [ "$ms" -lt "$best" ]; } && best=$ms
  [ "$best" -lt 1000 ] && break
done
if [ -n "$best" ]; then
  pass "a new container on the same volume becomes healthy"
  info "docker start → Docker says healthy (--health-interval 100ms): $tries ms"
  check "cold start to Docker's healthy < 1 s ($best ms)" test "$best" -lt 1000
else
  fail "a new container on the same volume becomes healthy"; show_logs "$B"
fi
docker stop -t 10 "$B" >/dev/null
mkdir -p "$TMP/copy"
docker cp "$B:/data/." "$TMP/copy/" >/dev/null 2>&1
stored=$(python3 - "$TMP/copy/events.db" "$EVENT_ID" <<'EOF' 2>&1
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
print(db.execute("SELECT count(*) FROM events WHERE id = ?", (sys.argv[2],)).fetchone()[0])
EOF
)
same "$stored" 1 "the accepted event is in /data/events.db after the first container was removed"
docker rm -v "$B" >/dev/null

# ---------------------------------------------------------------------------------------
echo "== hardened: read-only root, no capabilities, no-new-privileges, secret file"
mkdir -p "$TMP/secrets"
printf '%s\n' "$SECRET" >"$TMP/secrets/nostr_secret_key"
chmod 0400 "$TMP/secrets/nostr_secret_key"
chown "$uid" "$TMP/secrets/nostr_secret_key" 2>/dev/null || chmod 0444 "$TMP/secrets/nostr_secret_key"
new_volume hardened; VOL2="$PREFIX-hardened"
C="$PREFIX-c"
PORT=$(free_port)
docker run -d --name "$C" -p "127.0.0.1:$PORT:3100" -v "$VOL2:/data" --health-interval 1s \
  --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges \
  -v "$TMP/secrets/nostr_secret_key:/run/secrets/nostr_secret_key:ro" \
  -e NODE_ID=hardened -e ILP_ADDRESS=g.bls.hardened \
  -e NOSTR_SECRET_KEY_FILE=/run/secrets/nostr_secret_key "$IMAGE" >/dev/null && CONTAINERS+=("$C")
if wait_healthy "$C" 30; then pass "healthy with --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges"; else
  fail "healthy with --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges"; show_logs "$C"; fi
same "$(inspect "$C" '{{.HostConfig.ReadonlyRootfs}} {{json .HostConfig.CapDrop}}')" 'true ["ALL"]' \
  "the container really runs read-only without capabilities"
health=$(curl -sS --max-time 5 "http://127.0.0.1:$PORT/health" 2>&1)
same "$(json 'd["pubkey"]' <<<"$health" 2>&1)" "$PUBKEY" "NOSTR_SECRET_KEY_FILE=/run/secrets/… gives the key's public key"
docker run --rm "$IMAGE" payload --secret-key "$SECRET" --amount auto --content "hardened $$" >"$TMP/payload2.json"
answer=$(post_payment "$PORT" "$TMP/payload2.json" 2>&1)
same "$(json 'd["accept"]' <<<"$answer" 2>&1)" True "a payment is accepted and stored on the read-only root ($answer)"

echo "== supervision: a dead child stops the container with a non-zero code"
# kill_child NAME PATTERN: SIGKILLs, from the host, the container's process whose command
# line matches. Returns 2 when the engine's pids are not this host's (Docker Desktop, a
# remote engine): the host process with that number is then checked, never killed.
kill_child() {
  local pid
  pid=$(docker top "$1" -eo pid,args | awk -v p="$2" 'NR > 1 && $0 ~ p { print $1; exit }')
  [ -n "$pid" ] || { echo "no process matching $2"; return 1; }
  if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$2"; then
    echo "pid $pid is not visible on this host (engine in a VM or remote)"; return 2
  fi
  kill -9 "$pid" 2>/dev/null || { echo "cannot signal pid $pid"; return 1; }
}
# expect_dead_exit NAME WHAT: the container stops within 10 s with a non-zero code.
expect_dead_exit() {
  if wait_exit "$1" 10; then
    code=$(inspect "$1" '{{.State.ExitCode}}')
    check "$2 → the container exits non-zero (exit $code)" test "$code" -ne 0
  else
    fail "$2 → the container exits (still running after 10 s)"
  fi
}
out=$(kill_child "$C" "nginx: master"); rc=$?
if [ $rc = 0 ]; then
  expect_dead_exit "$C" "nginx killed (SIGKILL)"
elif [ $rc = 2 ]; then
  # Portable fallback: nginx told to stop through its own pid file.
  info "$out: stopping nginx with docker exec … nginx -s stop instead"
  # The runtime directory is a fresh /tmp/bls-XXXXXX: read it off nginx's command line.
  rt=$(docker top "$C" -eo args | sed -n 's/.*nginx.* -p \(\/tmp\/bls-[^ ]*\/\).*/\1/p' | head -n1)
  docker exec "$C" /usr/sbin/nginx -p "$rt" -c "${rt}nginx.conf" -e stderr -s stop >/dev/null 2>&1
  expect_dead_exit "$C" "nginx stopped behind the supervisor's back"
else
  fail "kill nginx from the host: $out"
fi
docker rm -fv "$C" >/dev/null
D="$PREFIX-d"
# shellcheck disable=SC2046
docker run -d --name "$D" -v "$VOL2:/data" --health-interval 1s $(identity_env) \
  -e NOSTR_SECRET_KEY="$SECRET" "$IMAGE" >/dev/null && CONTAINERS+=("$D")
wait_healthy "$D" 30 >/dev/null
out=$(kill_child "$D" "bls-fcgi serve"); rc=$?
if [ $rc = 0 ]; then
  expect_dead_exit "$D" "responder killed (SIGKILL)"
elif [ $rc = 2 ]; then
  info "SKIPPED responder kill: $out"
else
  fail "kill the responder from the host: $out"
fi
docker rm -fv "$D" >/dev/null

# ---------------------------------------------------------------------------------------
echo "== examples"
compose=examples/docker-compose.yml
if docker compose version >/dev/null 2>&1; then
  check "docker compose config accepts $compose" docker compose -f "$compose" config -q
elif command -v docker-compose >/dev/null 2>&1; then
  check "docker-compose config accepts $compose" docker-compose -f "$compose" config -q
else
  info "no docker compose / docker-compose: structural checks only"
fi
if python3 -c 'import yaml' 2>/dev/null; then
  python3 - "$uid" >"$TMP/examples.txt" 2>&1 <<'EOF'
# Structural checks of the deployment examples: every reference resolves (names, ports,
# paths), and the hardening the image relies on is there.
import glob, sys, yaml

uid = int(sys.argv[1]) if sys.argv[1].isdigit() else 10001
def check(ok, what):
    print(("ok: " if ok else "FAILED: ") + what)

def dig(d, *keys, default=None):
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return default
        d = d[k]
    return d

# --- docker compose
with open("examples/docker-compose.yml") as f:
    compose = yaml.safe_load(f)
svc = dig(compose, "services", "bls", default={})
check(bool(svc.get("image") or svc.get("build")), "compose: service bls has an image or a build")
check(any(str(p).endswith(":3100") for p in svc.get("ports", [])), "compose: publishes port 3100")
vols = [str(v).split(":") for v in svc.get("volumes", [])]
named = [v[0] for v in vols if len(v) >= 2 and v[1] == "/data"]
check(bool(named) and named[0] in (compose.get("volumes") or {}), "compose: a named volume is mounted at /data")
secrets = svc.get("secrets", [])
names = [s if isinstance(s, str) else s.get("source") for s in secrets]
env = svc.get("environment", {})
env = env if isinstance(env, dict) else dict(e.split("=", 1) for e in env)
key_file = env.get("NOSTR_SECRET_KEY_FILE", "")
check(bool(names) and all(n in (compose.get("secrets") or {}) for n in names)
      and key_file in ["/run/secrets/" + n for n in names] and "NOSTR_SECRET_KEY" not in env,
      "compose: the secret key comes from a declared secret through NOSTR_SECRET_KEY_FILE")
check(all(k in env for k in ("NODE_ID", "ILP_ADDRESS")), "compose: NODE_ID and ILP_ADDRESS are set")
check(svc.get("read_only") is True and "/tmp" in [str(t).split(":")[0] for t in svc.get("tmpfs", [])]
      and "ALL" in svc.get("cap_drop", []), "compose: read-only root, tmpfs /tmp, cap_drop ALL")

# --- kubernetes
docs = []
for path in sorted(glob.glob("examples/k8s/*.yaml")):
    with open(path) as f:
        docs += [(path, d) for d in yaml.safe_load_all(f) if d]
by_kind = {}
for path, d in docs:
    if "kind" in d and d["kind"] != "Kustomization":
        check(bool(d.get("apiVersion")) and bool(dig(d, "metadata", "name")), f"k8s: {path}: {d['kind']} has apiVersion and metadata.name")
        by_kind.setdefault(d["kind"], []).append(d)
for kind in ("Deployment", "Service", "PersistentVolumeClaim", "Secret"):
    check(len(by_kind.get(kind, [])) == 1, f"k8s: exactly one {kind}")
dep = (by_kind.get("Deployment") or [{}])[0]
svc = (by_kind.get("Service") or [{}])[0]
pvc = (by_kind.get("PersistentVolumeClaim") or [{}])[0]
sec = (by_kind.get("Secret") or [{}])[0]
check(dep.get("apiVersion") == "apps/v1" and dig(dep, "spec", "replicas", default=1) == 1
      and dig(dep, "spec", "strategy", "type") == "Recreate", "k8s: apps/v1 Deployment, one replica, Recreate (one SQLite writer)")
labels = dig(dep, "spec", "template", "metadata", "labels", default={})
selector = dig(dep, "spec", "selector", "matchLabels", default={})
check(bool(selector) and all(labels.get(k) == v for k, v in selector.items()), "k8s: the Deployment's selector matches its pod labels")
pod = dig(dep, "spec", "template", "spec", default={})
containers = pod.get("containers", [])
c = containers[0] if containers else {}
psc, csc = pod.get("securityContext", {}), c.get("securityContext", {})
check(psc.get("runAsNonRoot") is True or csc.get("runAsNonRoot") is True, "k8s: runAsNonRoot")
check(psc.get("runAsUser", csc.get("runAsUser")) == uid and psc.get("fsGroup") == uid, f"k8s: runAsUser and fsGroup are the image's uid {uid}")
check(csc.get("readOnlyRootFilesystem") is True, "k8s: readOnlyRootFilesystem")
check(csc.get("allowPrivilegeEscalation") is False and "ALL" in dig(csc, "capabilities", "drop", default=[]),
      "k8s: no privilege escalation, all capabilities dropped")
ports = {p.get("name"): p.get("containerPort") for p in c.get("ports", [])}
check(list(ports.values()) == [3100], "k8s: the container exposes 3100 only")
def port_of(ref):
    return ports.get(ref) if isinstance(ref, str) else ref
for probe in ("livenessProbe", "readinessProbe"):
    get = dig(c, probe, "httpGet", default={})
    check(get.get("path") == "/health" and port_of(get.get("port")) == 3100, f"k8s: {probe} GETs /health on 3100")
mounts = {m.get("mountPath"): m.get("name") for m in c.get("volumeMounts", [])}
volumes = {v.get("name"): v for v in pod.get("volumes", [])}
data = volumes.get(mounts.get("/data"), {})
check(dig(data, "persistentVolumeClaim", "claimName") == dig(pvc, "metadata", "name"), "k8s: /data is the PersistentVolumeClaim")
check("ReadWriteOnce" in dig(pvc, "spec", "accessModes", default=[]) and bool(dig(pvc, "spec", "resources", "requests", "storage")),
      "k8s: the PVC is ReadWriteOnce with a size")
check("emptyDir" in volumes.get(mounts.get("/tmp"), {}), "k8s: /tmp is an emptyDir (writable with a read-only root)")
env = {e.get("name"): e for e in c.get("env", [])}
key_file = dig(env, "NOSTR_SECRET_KEY_FILE", "value", default="")
secret_ok = False
for path, name in mounts.items():
    vol = volumes.get(name, {})
    if "secret" in vol and key_file.startswith(path.rstrip("/") + "/"):
        key = key_file[len(path.rstrip("/")) + 1:]
        secret_ok = (dig(vol, "secret", "secretName") == dig(sec, "metadata", "name")
                     and key in {**(sec.get("data") or {}), **(sec.get("stringData") or {})}
                     and "NOSTR_SECRET_KEY" not in env)
check(secret_ok, "k8s: NOSTR_SECRET_KEY_FILE names a key of the Secret, mounted as a volume")
check(all(k in env for k in ("NODE_ID", "ILP_ADDRESS")), "k8s: NODE_ID and ILP_ADDRESS are set")
sp = (dig(svc, "spec", "ports", default=[{}]) or [{}])[0]
check(sp.get("port") == 3100 and port_of(sp.get("targetPort")) == 3100, "k8s: the Service maps 3100 to the container's 3100")
check(all(labels.get(k) == v for k, v in dig(svc, "spec", "selector", default={"": None}).items()), "k8s: the Service selects the pod")
kust = [d for _, d in docs if d.get("kind") == "Kustomization"]
if kust:
    listed = set(kust[0].get("resources", []))
    files = {p.split("/")[-1] for p, d in docs if d.get("kind") != "Kustomization"}
    check(listed == files, "k8s: kustomization.yaml lists every manifest")
EOF
  while IFS= read -r line; do
    case $line in ok:*) pass "${line#ok: }" ;; FAILED:*) fail "${line#FAILED: }" ;; *) fail "examples check: $line" ;; esac
  done <"$TMP/examples.txt"
  examples_begin=$(now_ms)
  python3 scripts/check-k8s-postgres.py "$IMAGE" "$uid" >"$TMP/k8s-postgres.txt" 2>&1
  while IFS= read -r line; do
    case $line in ok:*) pass "${line#ok: }" ;; FAILED:*) fail "${line#FAILED: }" ;; *) fail "k8s-postgres check: $line" ;; esac
  done <"$TMP/k8s-postgres.txt"
  info "examples/k8s-postgres checked in $(( $(now_ms) - examples_begin )) ms"
else
  fail "PyYAML is installed (python3 -c 'import yaml') to check the examples"
fi

# ---------------------------------------------------------------------------------------
# shellcheck source=scripts/container-test-compose.sh
source scripts/container-test-compose.sh

finish
