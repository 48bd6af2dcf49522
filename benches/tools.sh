# Sourced by benches/run.sh and benches/layout.sh: hyperfine and DuckDB's CLI (installed when
# missing; DuckDB's real binary is timed, not the Python wrapper pip puts on PATH), and the
# release build of budsql. Sets DUCKDB and BIN.
command -v hyperfine >/dev/null || apt-get install -y -q hyperfine >/dev/null
duckdb_path() {
    python3 -c "import duckdb_cli, os; print(os.path.join(os.path.dirname(duckdb_cli.__file__), 'duckdb'))" 2>/dev/null
}
DUCKDB=$(duckdb_path || true)
if [ -z "$DUCKDB" ] || [ ! -x "$DUCKDB" ]; then
    pip install -q duckdb-cli
    DUCKDB=$(duckdb_path)
fi

echo "== build (release)"
cargo build --release -q -p budsql-cli
BIN="$CARGO_TARGET_DIR/release/budsql"

# unit_aliases STORE CSV: the store's unit aliases (its manifest head's `unit_aliases`, name
# key → code key) as a CSV with a header, for DuckDB to give the unit_key budsql's views give.
unit_aliases() {
    python3 - "$1/_budsql/manifest.json" "$2" <<'EOF'
import csv, json, sys
head = json.loads(open(sys.argv[1], encoding="utf-8").readline())
with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["name_key", "code_key"])
    for k, v in sorted(head.get("unit_aliases", {}).items()):
        w.writerow([k, v])
EOF
}
