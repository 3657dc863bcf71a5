#!/usr/bin/env bash
# Measures kefu's start-up time to /readyz, idle memory, and sign-in latency
# through the API, on a demo workspace in a temporary directory.
# Usage: scripts/measure-startup.sh [bin/kefu] [runs]
set -euo pipefail
bin=${1:-bin/kefu}
runs=${2:-10}
port=18391
data=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$data"' EXIT

now_ms() { date +%s%3N; }
wait_ready() { until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.005; done; }

# First start creates the keys and the demo; later starts open an existing workspace.
KEFU_DATA_DIR=$data KEFU_ADDR=127.0.0.1:$port KEFU_LOG_LEVEL=warn "$bin" serve --demo >"$data/first.log" 2>&1 &
pid=$!
wait_ready
password=$(awk '/password:/ {print $2}' "$data/first.log")
kill $pid; wait $pid 2>/dev/null || true

total=0
for i in $(seq 1 "$runs"); do
  start=$(now_ms)
  KEFU_DATA_DIR=$data KEFU_ADDR=127.0.0.1:$port KEFU_LOG_LEVEL=warn "$bin" serve >/dev/null 2>&1 &
  pid=$!
  wait_ready
  ms=$(( $(now_ms) - start ))
  total=$(( total + ms ))
  [ "$i" -lt "$runs" ] && { kill $pid; wait $pid 2>/dev/null || true; }
done
echo "start-up to ready: mean $(( total / runs )) ms over $runs starts (existing workspace)"

sleep 10
echo "idle RSS after 10 s: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"

body="{\"email\":\"admin@kefu.local\",\"password\":\"$password\"}"
times=()
for i in $(seq 1 20); do
  t=$(curl -s -o /dev/null -w '%{time_total}' -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/api/v1/auth/login")
  times+=("$t")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "sign-in through the API (20 requests): median %.0f ms, max %.0f ms\n", a[int((NR+1)/2)]*1000, a[NR]*1000}'
echo "RSS after the sign-ins: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
