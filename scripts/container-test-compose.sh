# shellcheck shell=bash
# Part of scripts/container-test.sh (sourced by it: uses its helpers pass, fail, info, check,
# same, json, inspect, wait_healthy, wait_exit, free_port, now_ms, and IMAGE, SECRET, PUBKEY,
# TMP, PREFIX). Runs examples/compose-postgres.yml for real: PostgreSQL, two BLS nodes and
# the nginx balancer; both nodes healthy, a payment through the balancer stored exactly once
# (counted with psql), one node stopped and the other still serving, the database stopped
# and /health turning 503 (what takes a node out of a load balancer or a Kubernetes
# Service), then `down -v`.
#
# Where `postgres:15` and `nginx:stable` cannot be pulled (no registry), stand-ins are built
# from the local debian:bookworm-slim (scripts/compose-stand-ins/README.md); the example
# runs unmodified but for an override file naming those images, the image under test and
# 1 s health-check intervals (the example's are 30 s and 5 s: only slower).

echo "== compose with PostgreSQL (examples/compose-postgres.yml)"
compose_begin=$(now_ms)
if docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  COMPOSE=(docker-compose)
else
  COMPOSE=()
  fail "a compose command (docker compose, or Debian's docker-compose) to run examples/compose-postgres.yml"
fi

# compose_image OFFICIAL STAND-IN DIR: the official image if the engine has it, else the
# stand-in built from scripts/compose-stand-ins/DIR. Prints the image to use; empty on failure.
compose_image() {
  if docker image inspect "$1" >/dev/null 2>&1; then echo "$1"; return; fi
  local begin; begin=$(now_ms)
  if docker build -t "$2" "scripts/compose-stand-ins/$3" >"$TMP/stand-in-$3.log" 2>&1; then
    info "no $1 here (no registry): built the stand-in $2 in $(( ($(now_ms) - begin) / 1000 )) s (scripts/compose-stand-ins/$3)" >&2
    echo "$2"
  else
    tail -n 15 "$TMP/stand-in-$3.log" | sed 's/^/       | /' >&2
  fi
}

# compose_cleanup: called by container-test.sh's cleanup (and below): takes the project down.
CPROJECT=""
compose_cleanup() {
  [ -n "$CPROJECT" ] && [ -z "${KEEP:-}" ] && pgc down -v --remove-orphans >/dev/null 2>&1
  CPROJECT=""
}
pgc() {
  BLS_BALANCER_PORT=$CPORT "${COMPOSE[@]}" -p "$CPROJECT" \
    -f "$CDIR/compose-postgres.yml" -f "$CDIR/override.yml" "$@"
}
# balancer PATH [CURL-ARGS...]: the body, then the HTTP status on a line of its own.
balancer() {
  local path=$1; shift
  curl -sS --max-time 8 -w '\n%{http_code}' "$@" "http://127.0.0.1:$CPORT$path" 2>&1
}
# compose_payment CONTENT FILE: a signed payment built by the image; prints its event id.
compose_payment() {
  docker run --rm "$IMAGE" payload --secret-key "$SECRET" --amount auto --content "$1" >"$2" 2>/dev/null
  json 'd["data"]' <"$2" | base64 -d | docker run --rm -i "$IMAGE" toon decode | json 'd["id"]'
}
psql_count() { # WHERE-CLAUSE: count(*) of events, read in the database with psql
  docker exec "$PG" psql -U bls -d bls -tAc "SELECT count(*) FROM events $1" 2>&1
}

if [ ${#COMPOSE[@]} -gt 0 ]; then
  PG_IMAGE=$(compose_image postgres:15 bls-stand-in/postgres:15 postgres)
  LB_IMAGE=$(compose_image nginx:stable bls-stand-in/nginx:stable nginx)
  if [ -z "$PG_IMAGE" ] || [ -z "$LB_IMAGE" ]; then
    fail "images for the compose example (postgres:15 / nginx:stable or their stand-ins)"
  else
    info "images: $PG_IMAGE, $LB_IMAGE, $IMAGE (compose: ${COMPOSE[*]})"
    CDIR="$TMP/compose-pg"
    mkdir -p "$CDIR"
    cp examples/compose-postgres.yml examples/compose-postgres.nginx.conf "$CDIR/"
    # The secrets, as the example's header says (the nodes' files readable by uid 10001).
    printf '%s\n' "$SECRET" >"$CDIR/nostr_secret_key"
    python3 -c 'import secrets; print(secrets.token_hex(16))' >"$CDIR/postgres_password"
    echo "postgresql://bls:$(cat "$CDIR/postgres_password")@postgres:5432/bls" >"$CDIR/database_url"
    chown "$uid" "$CDIR/nostr_secret_key" "$CDIR/database_url" 2>/dev/null \
      && chmod 0400 "$CDIR/nostr_secret_key" "$CDIR/database_url" \
      || chmod 0444 "$CDIR/nostr_secret_key" "$CDIR/database_url"
    cat >"$CDIR/override.yml" <<EOF
services:
  postgres:
    image: $PG_IMAGE
    healthcheck:
      interval: 1s
  bls-1:
    image: $IMAGE
    healthcheck:
      interval: 1s
  bls-2:
    image: $IMAGE
    healthcheck:
      interval: 1s
  balancer:
    image: $LB_IMAGE
EOF
    # The example's port, 3100, unless something here already listens on it.
    if python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 3100))' 2>/dev/null; then CPORT=3100; else
      CPORT=$(free_port); info "127.0.0.1:3100 is taken here: BLS_BALANCER_PORT=$CPORT"; fi
    CPROJECT="$PREFIX-pg"

    begin=$(now_ms)
    if pgc up -d --no-build >"$TMP/compose-up.log" 2>&1; then
      pass "compose up -d: postgres, bls-1, bls-2, balancer ($(( $(now_ms) - begin )) ms; postgres healthy first)"
    else
      fail "compose up -d"; tail -n 20 "$TMP/compose-up.log" | sed 's/^/       | /'
    fi
    PG=$(pgc ps -q postgres 2>/dev/null)
    N1=$(pgc ps -q bls-1 2>/dev/null)
    N2=$(pgc ps -q bls-2 2>/dev/null)
    if [ -n "$N1" ] && [ -n "$N2" ] && wait_healthy "$N1" 60 && wait_healthy "$N2" 60; then
      pass "both BLS nodes healthy on PostgreSQL ($(( $(now_ms) - begin )) ms after up)"
    else
      fail "both BLS nodes healthy on PostgreSQL"
      pgc logs --tail 10 2>&1 | sed 's/^/       | /'
    fi
    check "the nodes log that events go to PostgreSQL and DATA_DIR is not used" \
      bash -c 'docker logs "$1" 2>&1 | grep -q "DATABASE_URL is set: events go to PostgreSQL"' _ "$N1"
    check "the nodes' logs never show the database password" \
      bash -c '! { docker logs "$1"; docker logs "$2"; } 2>&1 | grep -qF "$3"' _ "$N1" "$N2" "$(cat "$CDIR/postgres_password")"

    # The balancer spreads requests over both nodes: both names show up in /health.
    for _ in $(seq 1 50); do [ "$(balancer /health | tail -n1)" = 200 ] && break; sleep 0.1; done
    seen=""
    for _ in 1 2 3 4 5 6; do
      answer=$(balancer /health)
      seen="$seen $(head -n -1 <<<"$answer" | json 'd["nodeId"] + "|" + d["storage"] + "|" + d["pubkey"]' 2>&1):$(tail -n1 <<<"$answer")"
    done
    ok_answers=0
    for node in bls-node-1 bls-node-2; do
      grep -qF " $node|postgresql://postgres:5432/bls|$PUBKEY:200" <<<"$seen" && ok_answers=$((ok_answers + 1))
    done
    [ "$(tr ' ' '\n' <<<"$seen" | grep -c ':200$')" = 6 ] || ok_answers=0
    same "$ok_answers" 2 \
      "/health through the balancer on $CPORT: 200 six times, from both nodes, storage postgresql://postgres:5432/bls, the shared key"

    # A payment through the balancer, then the same payment again (a duplicate is accepted,
    # not stored twice): one row in PostgreSQL.
    EVENT1=$(compose_payment "compose one $$" "$TMP/compose-pay1.json")
    answer=$(balancer /handle-payment -H 'Content-Type: application/json' --data-binary "@$TMP/compose-pay1.json")
    same "$(head -n -1 <<<"$answer" | json 'd["accept"], d["metadata"]["eventId"]' 2>&1) $(tail -n1 <<<"$answer")" \
      "(True, '$EVENT1') 200" "a signed payment through the balancer is accepted"
    answer=$(balancer /handle-payment -H 'Content-Type: application/json' --data-binary "@$TMP/compose-pay1.json")
    same "$(head -n -1 <<<"$answer" | json 'd["accept"]' 2>&1) $(tail -n1 <<<"$answer")" "True 200" \
      "the same payment again (the balancer's next node) is accepted as a duplicate"
    same "$(psql_count "WHERE id = '$EVENT1'") $(psql_count "")" "1 1" \
      "psql: the event is in PostgreSQL exactly once (and is the only row)"

    # One node stopped: the other serves everything through the balancer.
    begin=$(now_ms)
    pgc stop bls-1 >/dev/null 2>&1
    same "$(inspect "$N1" '{{.State.Running}} {{.State.ExitCode}}')" "false 0" \
      "compose stop bls-1: stopped, exit 0 ($(( $(now_ms) - begin )) ms)"
    seen="" slowest=0
    for _ in 1 2 3 4; do
      begin=$(now_ms)
      answer=$(balancer /health)
      elapsed=$(( $(now_ms) - begin )); [ "$elapsed" -gt "$slowest" ] && slowest=$elapsed
      seen="$seen $(head -n -1 <<<"$answer" | json 'd["nodeId"]' 2>&1):$(tail -n1 <<<"$answer")"
    done
    same "$seen" " bls-node-2:200 bls-node-2:200 bls-node-2:200 bls-node-2:200" \
      "bls-1 stopped: /health through the balancer answers 200 from bls-2, 4 times out of 4 (slowest $slowest ms)"
    EVENT2=$(compose_payment "compose two $$" "$TMP/compose-pay2.json")
    answer=$(balancer /handle-payment -H 'Content-Type: application/json' --data-binary "@$TMP/compose-pay2.json")
    same "$(head -n -1 <<<"$answer" | json 'd["accept"]' 2>&1) $(tail -n1 <<<"$answer") $(psql_count "WHERE id = '$EVENT2'")" \
      "True 200 1" "bls-1 stopped: a payment through the balancer is accepted and stored once"

    # The database stopped: /health is 503 JSON (readiness takes the node out), payments get
    # T00; the node is back by itself once the database is.
    pgc stop postgres >/dev/null 2>&1
    answer="" deadline=$(( $(now_ms) + 15000 ))
    while [ "$(now_ms)" -lt "$deadline" ]; do
      answer=$(balancer /health)
      [ "$(tail -n1 <<<"$answer")" = 503 ] && break
      sleep 0.2
    done
    same "$(head -n -1 <<<"$answer" | json 'd["status"], d["nodeId"]' 2>&1) $(tail -n1 <<<"$answer")" \
      "('unavailable', 'bls-node-2') 503" "postgres stopped: /health answers 503 JSON with status unavailable"
    EVENT3=$(compose_payment "compose three $$" "$TMP/compose-pay3.json")
    answer=$(balancer /handle-payment -H 'Content-Type: application/json' --data-binary "@$TMP/compose-pay3.json")
    same "$(head -n -1 <<<"$answer" | json 'd["accept"], d.get("code")' 2>&1) $(tail -n1 <<<"$answer")" \
      "(False, 'T00') 500" "postgres stopped: a payment is refused with T00, not acknowledged"
    pgc start postgres >/dev/null 2>&1
    begin=$(now_ms) deadline=$(( $(now_ms) + 20000 ))
    while [ "$(now_ms)" -lt "$deadline" ]; do
      answer=$(balancer /health)
      [ "$(tail -n1 <<<"$answer")" = 200 ] && break
      sleep 0.2
    done
    same "$(tail -n1 <<<"$answer")" 200 "postgres back: /health answers 200 again ($(( $(now_ms) - begin )) ms after compose start postgres)"
    same "$(psql_count "WHERE id = '$EVENT3'")" 0 "the payment refused while the database was down is not stored"

    begin=$(now_ms)
    if pgc down -v >"$TMP/compose-down.log" 2>&1; then
      left=$(docker ps -aq --filter "label=com.docker.compose.project=$CPROJECT"; docker volume ls -q --filter "label=com.docker.compose.project=$CPROJECT")
      same "$left" "" "compose down -v removes the containers and the database volume ($(( $(now_ms) - begin )) ms)"
      CPROJECT=""
    else
      fail "compose down -v"; tail -n 10 "$TMP/compose-down.log" | sed 's/^/       | /'
    fi
  fi
fi
info "compose with PostgreSQL: $(( ($(now_ms) - compose_begin) / 1000 )) s in all"
