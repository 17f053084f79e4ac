#!/usr/bin/env bash
# Schemathesis against the real server: the OpenAPI document it serves, positive and negative
# test cases, every response checked against the document (status, content type, schema) and for
# 5xx. Bounded in time (SCHEMATHESIS_MAX_TIME seconds of testing, default 120). The server runs as
# `npm start` does (node dist/src/main.js) on the embedded database (mongo-java-server with H2)
# in a temporary DATA_DIR, with a throw-away bootstrap key, and is stopped at the end.
#
#   bash tools/schemathesis/run.sh            # prints Schemathesis' summary; exit 0 = no failure
#
# Schemathesis is pinned and installed with pip into .cache/schemathesis-venv on first use.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
version=4.32.5
venv=$root/.cache/schemathesis-venv
max_time=${SCHEMATHESIS_MAX_TIME:-120}

if [ "$("$venv/bin/schemathesis" --version 2>/dev/null)" != "schemathesis, version $version" ]; then
  echo "schemathesis: installing $version into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$version"
fi
[ -f dist/src/main.js ] || npm run build --silent

work=$(mktemp -d)
key="st-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    # The server stops its database child on SIGTERM; wait for both, then make sure.
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

env -i PATH="$PATH" HOME="${HOME:-/tmp}" \
  DB_ENGINE=java-server DATA_DIR="$work/data" PORT=0 HOST=127.0.0.1 LOG_LEVEL=info \
  ADMIN_API_KEY="$key" FLOWS_BUILT_IN=false \
  node dist/src/main.js >"$work/server.log" 2>&1 &
server_pid=$!

port=
for _ in $(seq 1 1200); do
  port=$(sed -n 's/.*"port":\([0-9]*\).*listening on.*/\1/p' "$work/server.log" | head -1)
  [ -n "$port" ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "schemathesis: the server exited before listening:"; cat "$work/server.log"; exit 1
  fi
  sleep 0.1
done
[ -n "$port" ] || { echo "schemathesis: the server did not listen within 120 s"; cat "$work/server.log"; exit 1; }
base="http://127.0.0.1:$port"
echo "schemathesis: server on $base (embedded database in $work/data), testing for ${max_time} s"

# The settings, plus real records to test with (seed.mjs prints where their ids go).
cp tools/schemathesis/schemathesis.toml "$work/schemathesis.toml"
node tools/schemathesis/seed.mjs "$base" "$key" >>"$work/schemathesis.toml"

status=0
# From the temporary folder: Schemathesis keeps its cache (.schemathesis/) in the working
# directory, and every run starts fresh (the seed makes it repeatable).
(cd "$work" && "$venv/bin/schemathesis" --config-file "$work/schemathesis.toml" \
  run "$base/api/v1/openapi.json" \
  --url "$base/api/v1" \
  --header "Authorization: Bearer $key" \
  --checks all \
  --mode all \
  --phases examples,coverage,fuzzing \
  --max-time "$max_time" \
  --workers 1 \
  --request-timeout 20 \
  --seed "${SCHEMATHESIS_SEED:-1}" \
  --no-color \
  --report junit --report-dir "${SCHEMATHESIS_REPORT_DIR:-$root/.cache/schemathesis-report}") \
  || status=$?

# Any 5xx is also in the server's log with its cause.
if grep -q '"msg":"http: request failed"' "$work/server.log"; then
  echo "schemathesis: the server logged failed requests:"
  grep '"msg":"http: request failed"' "$work/server.log" | head -20
  status=1
fi
exit "$status"
