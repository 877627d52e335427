#!/bin/sh
# Regenerates the libfcgi-*.bin files: the bytes libfcgi's client code (Debian libfcgi-bin's
# cgi-fcgi) sends for three requests, captured by capture-peer.py on a Unix socket.
set -eu
cd "$(dirname "$0")"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
capture() { # name, body file, then the CGI environment
  name=$1 body=$2
  shift 2
  python3 capture-peer.py "$name" "$dir/s.sock" &
  while [ ! -S "$dir/s.sock" ]; do sleep 0.1; done
  env -i "$@" cgi-fcgi -bind -connect "$dir/s.sock" <"$body" >/dev/null
  wait
  rm -f "$dir/s.sock"
}
printf '{"amount":"1"}' >"$dir/small"
: >"$dir/empty"
python3 -c 'import sys; sys.stdout.write("b" * 70000)' >"$dir/large"
capture libfcgi-post.bin "$dir/small" REQUEST_METHOD=POST REQUEST_URI=/handle-payment \
  CONTENT_TYPE=application/json CONTENT_LENGTH=14
capture libfcgi-get.bin "$dir/empty" REQUEST_METHOD=GET REQUEST_URI=/health
capture libfcgi-large.bin "$dir/large" REQUEST_METHOD=POST REQUEST_URI=/handle-packet \
  CONTENT_LENGTH=70000 HTTP_X_LONG="$(python3 -c 'print("x" * 300)')"
