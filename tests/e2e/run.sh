#!/usr/bin/env bash
# Starts a real `polku serve --demo` (embedded PostgreSQL, built SPA, the demo organisation
# with one user per role) on a free port, runs the browser tests against it, and stops it —
# also when the tests fail. The tests read the demo logins from the data directory.
set -euo pipefail
polku=$(realpath "${1:?usage: run.sh path/to/polku}")
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/polku-e2e-XXXXXX)
# mktemp makes it 0700; run as root, the embedded PostgreSQL runs as `postgres` and must traverse it.
chmod 0755 "$work"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"

POLKU_DATA_DIR="$work/data" POLKU_LISTEN="127.0.0.1:$port" POLKU_FRONTEND_DIR="$root/frontend/dist" \
  POLKU_LOG=warn "$polku" serve --demo >"$work/server.log" 2>&1 &
server=$!
cleanup() {
  kill -TERM "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for _ in $(seq 1 300); do
  if curl -fsS "$base/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then
    echo "polku serve exited during start-up:"; cat "$work/server.log"; exit 1
  fi
  sleep 0.2
done
curl -fsS "$base/readyz" >/dev/null || { echo "polku did not become ready:"; cat "$work/server.log"; exit 1; }

cd "$root/tests/e2e"
POLKU_E2E_BASE_URL="$base" POLKU_E2E_DEMO_LOGINS="$work/data/demo-logins.txt" npm test
