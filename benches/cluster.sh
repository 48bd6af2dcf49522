#!/usr/bin/env bash
# Every canonical query on a Ballista cluster (one scheduler, two executors on the loopback)
# and in process, over one store: same rows (sorted) and each run's whole-process time.
#   bash benches/cluster.sh STORE [PORT]     (PROFILE=release for a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
STORE=$1
P=${2:-50600}
PROFILE=${PROFILE:-debug}
export CARGO_TARGET_DIR="${CLUSTER_TARGET_DIR:-${HOME:-/tmp}/.cache/budsql-cluster-target}"
flag=""; [ "$PROFILE" = release ] && flag="--release"
cargo build -q $flag --manifest-path crates/budsql-cluster/Cargo.toml
B="$CARGO_TARGET_DIR/$PROFILE/budsql-cluster"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
"$B" scheduler --bind "127.0.0.1:$P" --store "$STORE" >"$work/scheduler.log" 2>&1 &
for k in 1 2; do
    mkdir -p "$work/x$k"
    "$B" executor --bind "127.0.0.1:$((P + k))" --grpc-port "$((P + 10 + k))" \
        --scheduler "127.0.0.1:$P" --store "$STORE" --work-dir "$work/x$k" >"$work/x$k.log" 2>&1 &
done
start=$(date +%s.%N)
until "$B" query --store "$STORE" --cluster "df://127.0.0.1:$P" -c "SELECT 1" >/dev/null 2>&1; do
    sleep 0.1
done
echo "cluster answered $(echo "$(date +%s.%N) - $start" | bc) s after start"
for q in queries/*.sql; do
    n=$(basename "$q" .sql)
    t0=$(date +%s.%N); "$B" query --store "$STORE" -f "$q" | sort >"$work/a"; t1=$(date +%s.%N)
    timeout 300 "$B" query --store "$STORE" --cluster "df://127.0.0.1:$P" -f "$q" | sort >"$work/b" || true
    t2=$(date +%s.%N)
    if cmp -s "$work/a" "$work/b"; then r=same; else r=DIFFERENT; fi
    printf '%-24s %7d lines  %-9s  in process %6.2f s  cluster %6.2f s\n' "$n" "$(wc -l <"$work/a")" "$r" \
        "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)"
done
