#!/usr/bin/env bash
# Ingest of real documents at their real size: the real texts bundled in datasets/
# (corpus-shanghai and corpus-national, 46 documents of 10 regions, 14–170 KB) copied into
# N documents, each copy with a line of its own appended (so that it is a document of its
# own, not a copy the ingest stores once), then ingested into an empty store, RUNS times.
# The generated corpora of run.sh and layout.sh print 18–19 KB a document; real ones print
# more, and per byte they read differently.
#
#   bash benches/replicas.sh            # 10,000 documents, 3 runs
#   N=2000 RUNS=1 bash benches/replicas.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-10000}
RUNS=${RUNS:-3}
WORK=${WORK:-datasets/generated/bench/replicas-$N}
BIN=${BIN:-target/release/budsql}
[ -x "$BIN" ] || cargo build --release -q -p budsql-cli
if [ ! -d "$WORK/docs" ]; then
    mkdir -p "$WORK/docs"
    python3 - "$N" "$WORK/docs" <<'PY'
import glob, os, sys
n, out = int(sys.argv[1]), sys.argv[2]
srcs = sorted(glob.glob("datasets/corpus-shanghai/text/*.txt")) + sorted(
    glob.glob("datasets/corpus-national/text/*.txt"))
for i in range(n):
    src = srcs[i % len(srcs)]
    with open(src, "rb") as f:
        body = f.read()
    with open(os.path.join(out, "%06d_%s" % (i, os.path.basename(src))), "wb") as f:
        f.write(body + ("\n附注：第 %d 份。\n" % i).encode())
PY
fi
BYTES=$(du -sb "$WORK/docs" | cut -f1)
echo "== $N documents, $((BYTES / 1000000)) MB ($((BYTES / N / 1000)) KB a document), $RUNS runs into an empty store"
for run in $(seq "$RUNS"); do
    rm -rf "$WORK/store"
    sync
    /usr/bin/time -f "%e s wall, %U s user, %S s system, %M KB peak RSS" \
        "$BIN" --store "$WORK/store" ingest "$WORK/docs" 2>&1 >/dev/null | tail -1
done
