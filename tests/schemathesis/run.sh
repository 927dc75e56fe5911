#!/usr/bin/env bash
# Fuzzes the API with schemathesis against the committed openapi.yaml: starts
# the local stack in memory on free ports, logs in, runs every phase
# (examples, coverage, fuzzing, stateful) with every check and a fixed seed,
# stops the stack, and exits non-zero on any failure. Prints the number of
# requests sent and the time taken.
#
#   bash tests/schemathesis/run.sh
#
# schemathesis comes from PyPI, pinned, in a virtualenv kept between runs
# (like CI's cfn-lint one). Settings: schemathesis.toml beside this file; the
# hook that skips what no schema can say: hooks.py.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="4.32.5"
seed="${SCHEMATHESIS_SEED:-20261202}"
# Per operation and phase; 26 operations x 4 phases give well over 2,000
# requests (the run fails below if they do not).
max_examples="${SCHEMATHESIS_MAX_EXAMPLES:-40}"
min_requests=2000

venv="${TMPDIR:-/tmp}/onboarding-schemathesis-$version"
if [ ! -x "$venv/bin/st" ]; then
  echo "== schemathesis $version (PyPI, into $venv)"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
echo "== building the local stack"
cargo build --quiet --locked -p infra --bin local-stack --manifest-path "$root/Cargo.toml"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
port="$(free_port)"
dynamodb_port="$(free_port)"
s3_port="$(free_port)"
api="http://127.0.0.1:$port"

work="$(mktemp -d "${TMPDIR:-/tmp}/onboarding-schemathesis.XXXXXX")"
stack_pid=""
cleanup() {
  if [ -n "$stack_pid" ] && kill -0 "$stack_pid" 2>/dev/null; then
    kill -TERM "$stack_pid" 2>/dev/null || true
    wait "$stack_pid" 2>/dev/null || true
  fi
  cp "$work/stack.log" "${TMPDIR:-/tmp}/onboarding-schemathesis-stack.log" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== local stack at $api (in memory; log: $work/stack.log)"
# The voice and speech models are fetched by the stack itself when missing.
"$CARGO_TARGET_DIR/debug/local-stack" --in-memory --port "$port" \
  --dynamodb-port "$dynamodb_port" --s3-port "$s3_port" >"$work/stack.log" 2>&1 &
stack_pid=$!

login() {
  curl -sS -f -X POST "$api/api/v2/auth/login/" -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$2\"}" 2>/dev/null
}
body=""
for _ in $(seq 1 240); do
  if ! kill -0 "$stack_pid" 2>/dev/null; then
    echo "the local stack exited:" >&2
    tail -n 30 "$work/stack.log" >&2
    exit 1
  fi
  if body="$(login admin admin-pass-1)"; then
    break
  fi
  sleep 0.5
done
if [ -z "$body" ]; then
  echo "the local stack did not answer within 120 s:" >&2
  tail -n 30 "$work/stack.log" >&2
  exit 1
fi
token="$(printf '%s' "$body" | python3 -c 'import json, sys; print(json.load(sys.stdin)["access"])')"

echo "== schemathesis $version: seed $seed, at most $max_examples examples per operation and phase"
start=$(date +%s)
status=0
(
  cd "$here"
  SCHEMATHESIS_HOOKS=hooks "$venv/bin/st" --config-file "$here/schemathesis.toml" run \
    "$root/openapi.yaml" --url "$api" \
    -H "Authorization: Bearer $token" \
    --seed "$seed" --max-examples "$max_examples" \
    --report ndjson --report-ndjson-path "$work/events.ndjson"
) || status=$?
elapsed=$(($(date +%s) - start))

# The gateway logs one line per request it answers (a route or not).
requests="$(grep -cE ' INFO (infra::gateway: )?(request|no route|refused by the platform) ' "$work/stack.log" || true)"
echo "schemathesis: $requests requests in ${elapsed} s (exit $status)"
if [ "$status" -ne 0 ]; then
  exit "$status"
fi
if [ "$requests" -lt "$min_requests" ]; then
  echo "schemathesis sent $requests requests, fewer than $min_requests" >&2
  exit 1
fi
