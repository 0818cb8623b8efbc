#!/usr/bin/env bash
# Foundation figures: release binary size, cold start of `polku serve` to /readyz 200
# (embedded database, existing data directory), idle RSS of the server and its PostgreSQL.
# Usage: bench/startup.sh [runs]   (default 5 runs; prints one line per figure)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
cd "$root"
cargo build --release --locked --bin polku >/dev/null 2>&1
bin="$root/target/release/polku"
work=$(mktemp -d /tmp/polku-bench-XXXXXX)
chmod 755 "$work"  # the embedded cluster runs as `postgres` when we are root: it must reach the data directory
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export POLKU_DATA_DIR="$work/data" POLKU_LISTEN="127.0.0.1:$port" POLKU_LOG=warn POLKU_FRONTEND_DIR="$root/frontend/dist"
trap 'rm -rf "$work"' EXIT

wait_ready() {
  until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "polku serve exited before it was ready; see $work/serve.log" >&2; cat "$work/serve.log" >&2; exit 1; fi
    sleep 0.005
  done
}
ms_now() { date +%s%3N; }

echo "binary_size_bytes $(stat -c %s "$bin")"

# First run initialises the cluster (initdb) — reported separately.
t0=$(ms_now); "$bin" serve >"$work/serve.log" 2>&1 & pid=$!; wait_ready; t1=$(ms_now)
echo "first_start_with_initdb_ms $((t1 - t0))"
kill -TERM $pid; wait $pid

times=()
for _ in $(seq 1 "$runs"); do
  t0=$(ms_now); "$bin" serve >"$work/serve.log" 2>&1 & pid=$!; wait_ready; t1=$(ms_now)
  times+=($((t1 - t0)))
  if [ ${#times[@]} -lt "$runs" ]; then kill -TERM $pid; wait $pid; fi
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
echo "cold_start_existing_data_ms runs=$runs sorted=[ $sorted] median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")"

sleep 2  # idle
rss_server=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
pg=$(head -1 "$POLKU_DATA_DIR/postgres/postmaster.pid")
rss_pg=0
for p in $pg $(pgrep -P "$pg"); do rss_pg=$((rss_pg + $(awk '/VmRSS/ {print $2}' /proc/$p/status))); done
echo "idle_rss_polku_kib $rss_server"
echo "idle_rss_postgres_all_processes_kib $rss_pg"
kill -TERM $pid; wait $pid
