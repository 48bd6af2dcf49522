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
