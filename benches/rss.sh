#!/usr/bin/env bash
# Runs a command and samples it every 0.5 s: seconds since start, CPU seconds used (all
# threads, user + system) and resident memory in MB, one line each, to OUT. How
# docs/benchmarks.md follows an ingest's memory through a large batch:
#
#   benches/rss.sh /tmp/rss.txt target/release/budsql --store S ingest DOCS
#   sort -k3 -n /tmp/rss.txt | tail -1    # the peak
set -euo pipefail
out=$1
shift
"$@" >/dev/null &
pid=$!
tck=$(getconf CLK_TCK)
start=$(date +%s.%N)
while kill -0 "$pid" 2>/dev/null; do
  cpu=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null) || break
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null) || break
  now=$(date +%s.%N)
  echo "$now $start $cpu $tck ${rss:-0}" | awk '{printf "%.1f %.1f %d\n", $1 - $2, $3 / $4, $5 / 1024}'
  sleep 0.5
done >"$out"
wait "$pid"
