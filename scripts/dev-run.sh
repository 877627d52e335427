#!/usr/bin/env bash
# Starts `bls-fcgi run` for local use (the `make run` target).
# Honours every variable of the README that is set. Only when NODE_ID, NOSTR_SECRET_KEY
# (or NOSTR_SECRET_KEY_FILE) and ILP_ADDRESS are all unset does it create a development
# identity once under ./.data/ and say so loudly.
set -euo pipefail
bin=${1:?usage: dev-run.sh PATH-TO-bls-fcgi}
root=$(cd "$(dirname "$0")/.." && pwd)
export BLS_PORT=${BLS_PORT:-3100}
export DATA_DIR=${DATA_DIR:-$root/.data}
mkdir -p "$DATA_DIR"

if [ -z "${NODE_ID:-}${NOSTR_SECRET_KEY:-}${NOSTR_SECRET_KEY_FILE:-}${ILP_ADDRESS:-}" ]; then
  identity=$root/.data/dev-identity.env
  if [ ! -f "$identity" ]; then
    mkdir -p "$root/.data"
    umask 077
    secret=$("$bin" keygen | sed -n 's/^NOSTR_SECRET_KEY=//p')
    {
      echo "NODE_ID=bls-dev-$(hostname -s 2>/dev/null || echo local)"
      echo "NOSTR_SECRET_KEY=$secret"
      echo "ILP_ADDRESS=g.bls.dev"
    } >"$identity"
    created=yes
  fi
  set -a
  # shellcheck disable=SC1090
  . "$identity"
  set +a
  echo "############################################################################" >&2
  if [ "${created:-}" = yes ]; then
    echo "# DEVELOPMENT IDENTITY CREATED: $identity" >&2
  else
    echo "# USING DEVELOPMENT IDENTITY: $identity" >&2
  fi
  echo "# NODE_ID=$NODE_ID ILP_ADDRESS=$ILP_ADDRESS — not for production." >&2
  echo "# Set NODE_ID, NOSTR_SECRET_KEY and ILP_ADDRESS to use your own." >&2
  echo "############################################################################" >&2
fi
# Local use: nginx listens on loopback only unless BLS_LISTEN_ADDRESS says otherwise (BLS trusts
# the caller's amount, so only the connector may reach it).
export BLS_LISTEN_ADDRESS=${BLS_LISTEN_ADDRESS:-127.0.0.1}
exec "$bin" run
