#!/usr/bin/env bash
# The store's layout as documents accumulate: a multi-year corpus ingested once, and the same
# corpus added in many small ingests; every canonical query on both stores against DuckDB's
# CLI over a compacted copy of the same rows (one zstd file per view and year, written by
# DuckDB). Writes docs/benchmarks-layout.md.
#
#   bash benches/layout.sh                      # 10,000 documents, 7 years, 100 ingests
#   N=2000 INGESTS=100 bash benches/layout.sh   # the issue's 100 ingests of 20
#   QUICK=1 bash benches/layout.sh              # 1,000 documents, 20 ingests, 3 runs
#   INGESTS=1000 bash benches/layout.sh         # 1,000 ingests of 10 (writes …-10000x1000.md)
#   N=100000 RUNS=5 bash benches/layout.sh      # 100,000 documents
#
# Needs what benches/run.sh needs (hyperfine, DuckDB's CLI; installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${HOME:-/tmp}/.cache/budsql-target}"
export CARGO_TERM_COLOR=never

if [ "${QUICK:-0}" = 1 ]; then N=${N:-1000}; INGESTS=${INGESTS:-20}; RUNS=3; else N=${N:-10000}; INGESTS=${INGESTS:-100}; RUNS=${RUNS:-10}; fi
YEARS=2018,2019,2020,2021,2022,2023,2024
# PAIRS percent of unit-years publish both a 预算 and a 决算 (query 08's pairs); the units are
# as many as make about N documents with them
export PAIRS=${PAIRS:-30}
UNITS=$(( (N * 100 / (100 + PAIRS) + 6) / 7 ))
WORK="$ROOT/datasets/generated/bench"
# the default of 100 ingests keeps the file names of earlier runs
TAG=$N; [ "$INGESTS" = 100 ] || TAG="${N}x$INGESTS"
RESULTS="$WORK/layout-$TAG"
mkdir -p "$RESULTS"

source benches/tools.sh

CORPUS="$WORK/corpus-multi-$N"; [ "$PAIRS" = 0 ] || CORPUS="$CORPUS-pairs$PAIRS"
if [ ! -f "$CORPUS/truth/units.csv" ]; then
    echo "== generate about $N documents, $UNITS units over 7 years, $PAIRS % of unit-years in pairs (seed 42)"
    rm -rf "$CORPUS"
    "$BIN" gen --out "$CORPUS" --seed 42 --units "$UNITS" --years "$YEARS" --finals 50 --pairs "$PAIRS" >/dev/null
fi
DOCS=$(find "$CORPUS/docs" -type f | wc -l)

views="units budget_lines summary_lines three_public kpi_targets assets checks narrative narrative_items warnings"
# budsql's research views over the stored ones, as DuckDB runs them: their own SQL (`\sv`)
research="execution disclosure panel"
files_of() { # store view -> number of Parquet files the manifest lists for the view
    python3 - "$1" "$2" <<'EOF'
import json, sys
head = open(sys.argv[1] + "/_budsql/manifest.json", "rb").readline()
print(sum(1 for f in json.loads(head)["files"] if f["table"] == sys.argv[2]))
EOF
}

ONE="$WORK/layout-store-one-$N"
MANY="$WORK/layout-store-many-$TAG"
if [ "${REUSE:-0}" = 1 ] && [ -f "$RESULTS/files.txt" ]; then
    echo "== stores kept from the last run (REUSE=1)"
else
echo "== one ingest of $DOCS documents"
rm -rf "$ONE"; sync
/usr/bin/time -f "%e %M" -o "$RESULTS/ingest-one.time" "$BIN" --store "$ONE" ingest "$CORPUS/docs" >/dev/null 2>"$RESULTS/ingest-one.log"

echo "== the same documents in $INGESTS ingests (in file-name order: unit by unit, each touching every year)"
rm -rf "$MANY" "$RESULTS/lists"; mkdir -p "$RESULTS/lists"
find "$CORPUS/docs" -type f | sort >"$RESULTS/all.txt"
split -n "l/$INGESTS" -d -a 4 "$RESULTS/all.txt" "$RESULTS/lists/batch-"
start=$(date +%s.%N)
: >"$RESULTS/ingest-many.times"
for list in "$RESULTS"/lists/batch-*; do
    /usr/bin/time -f "%e %M" -a -o "$RESULTS/ingest-many.times" "$BIN" --store "$MANY" ingest $(cat "$list") >/dev/null 2>>"$RESULTS/ingest-many.log"
done
end=$(date +%s.%N)
echo "$start $end" >"$RESULTS/ingest-many.wall"
for v in $views; do echo "$v $(files_of "$ONE" "$v") $(files_of "$MANY" "$v")"; done >"$RESULTS/files.txt"
du -sb "$ONE" "$MANY" | cut -f1 >"$RESULTS/bytes.txt"
fi

echo "== DuckDB's compacted copy: one zstd file per view and year"
COMPACT="$WORK/layout-duckdb-$N"
rm -rf "$COMPACT"; mkdir -p "$COMPACT"
PRELUDE="$RESULTS/duckdb-prelude.sql"
: >"$PRELUDE"
COPYSQL="$RESULTS/duckdb-copy.sql"
: >"$COPYSQL"
# the store's unit aliases (manifest head): the copy carries the unit_key budsql's views
# give, so both engines answer over the same rows
ALIASES="$COMPACT/unit_aliases.csv"
unit_aliases "$ONE" "$ALIASES"
for v in $views; do
    if [ -d "$ONE/$v" ]; then
        echo "COPY (SELECT t.* REPLACE (coalesce(a.code_key, t.unit_key) AS unit_key) FROM read_parquet('$ONE/$v/**/*.parquet', hive_partitioning = true) t LEFT JOIN read_csv('$ALIASES', header = true, all_varchar = true) a ON t.unit_key = a.name_key) TO '$COMPACT/$v' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year));" >>"$COPYSQL"
        echo "CREATE VIEW $v AS SELECT * FROM read_parquet('$COMPACT/$v/**/*.parquet', hive_partitioning = true);" >>"$PRELUDE"
    else
        # a view with no rows has no files: its columns from an empty export
        "$BIN" --store "$ONE" export "$v" --out "$COMPACT/empty-$v.parquet" >/dev/null
        echo "CREATE VIEW $v AS SELECT * FROM '$COMPACT/empty-$v.parquet';" >>"$PRELUDE"
    fi
done
/usr/bin/time -f "%e" -o "$RESULTS/duckdb-copy.time" "$DUCKDB" -c ".read $COPYSQL" >/dev/null
"$BIN" --store "$ONE" export subjects --out "$COMPACT/subjects.parquet" >/dev/null
echo "CREATE VIEW subjects AS SELECT * FROM '$COMPACT/subjects.parquet';" >>"$PRELUDE"
for v in $research; do "$BIN" --store "$ONE" -c "\\sv $v" >>"$PRELUDE"; done
find "$COMPACT" -name '*.parquet' | wc -l >"$RESULTS/duckdb-files.txt"
# DuckDB over budsql's own files (the one-ingest store), as they are: it reads the stored
# unit_key where budsql's views resolve the unit aliases per query (DuckDB's work is the
# lighter)
SAME="$RESULTS/duckdb-same-prelude.sql"
: >"$SAME"
for v in $views; do
    if [ -d "$ONE/$v" ]; then
        echo "CREATE VIEW $v AS SELECT * FROM read_parquet('$ONE/$v/**/*.parquet', hive_partitioning = true);" >>"$SAME"
    else
        echo "CREATE VIEW $v AS SELECT * FROM '$COMPACT/empty-$v.parquet';" >>"$SAME"
    fi
done
echo "CREATE VIEW subjects AS SELECT * FROM '$COMPACT/subjects.parquet';" >>"$SAME"
for v in $research; do "$BIN" --store "$ONE" -c "\\sv $v" >>"$SAME"; done

echo "== queries: budsql (one ingest), budsql ($INGESTS ingests), DuckDB (compacted copy, and budsql's files); $RUNS runs"
rm -f "$RESULTS"/query-*.json
for q in queries/[0-9]*.sql; do
    name=$(basename "$q" .sql)
    # (a query DuckDB cannot run is timed on budsql alone; the report says so)
    if "$DUCKDB" -csv -init "$PRELUDE" -c ".read $q" >/dev/null 2>&1; then
        hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$RESULTS/query-$name.json" \
            -n one "$BIN --store $ONE --format csv -f $q" \
            -n many "$BIN --store $MANY --format csv -f $q" \
            -n duckdb "$DUCKDB -csv -init $PRELUDE -c \".read $q\"" \
            -n same "$DUCKDB -csv -init $SAME -c \".read $q\"" >/dev/null
    else
        hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$RESULTS/query-$name.json" \
            -n one "$BIN --store $ONE --format csv -f $q" \
            -n many "$BIN --store $MANY --format csv -f $q" >/dev/null
    fi
done
hyperfine -N --warmup 3 --runs 30 --export-json "$RESULTS/select1.json" \
    -n one "$BIN --store $ONE -c 'SELECT 1'" \
    -n many "$BIN --store $MANY -c 'SELECT 1'" \
    -n duckdb "$DUCKDB -c 'SELECT 1'" >/dev/null

python3 benches/layout_report.py "$RESULTS" "$N" "$DOCS" "$INGESTS" "$DUCKDB" "$BIN" >"docs/benchmarks-layout-$TAG.md"
echo "== wrote docs/benchmarks-layout-$TAG.md"
