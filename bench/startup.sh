#!/usr/bin/env bash
# bench/startup.sh: how long callbacklab takes from process start to its first 200, and how
# much memory it holds once started. Run from the repository root (make bench does).
set -euo pipefail
bin=$(mktemp -d)/callbacklab
go build -o "$bin" .
port=${PORT:-18480}
runs=${RUNS:-5}

for i in $(seq "$runs"); do
  start=$(date +%s%N)
  "$bin" serve --addr "127.0.0.1:$port" >/dev/null 2>&1 &
  pid=$!
  # Poll until the home page answers; the loop is bounded to 10 seconds.
  for _ in $(seq 2000); do
    if curl -fs -o /dev/null "http://127.0.0.1:$port/"; then break; fi
    sleep 0.005
  done
  end=$(date +%s%N)
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "run $i: first 200 after $(( (end - start) / 1000000 )) ms, resident memory ${rss} KiB"
done
rm -f "$bin"
