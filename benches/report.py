"""Writes docs/benchmarks.md from the results benches/run.sh leaves in datasets/generated/bench/results."""

import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

results, sizes, duckdb, budsql = sys.argv[1], sys.argv[2].split(), sys.argv[3], sys.argv[4]


def cpu():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def mem_gb():
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0


def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except Exception:
        return "unknown"


def hf(path):
    data = json.load(open(path))["results"]
    return {r["command"]: r for r in data}


print("# Benchmarks")
print()
print("Produced by `bash benches/run.sh` (it builds the release binary, generates the corpora with")
print("`budsql gen --seed 42`, runs every measurement and rewrites this file). Whole processes are")
print("timed: ingest with `/usr/bin/time` (median of 3 runs into an empty store), queries and")
print("`SELECT 1` with `hyperfine -N` (median); DuckDB is its own CLI binary reading the same")
print("Parquet store through views of the same names (`read_parquet(…, hive_partitioning = true)`),")
print("and budsql's research views (`execution`, `disclosure`, `panel`) by their own SQL (`\\sv`).")
print()
print(f"- date: {datetime.date.today().isoformat()}")
print(f"- machine: {os.cpu_count()} cores ({cpu()}), {mem_gb():.0f} GiB, {platform.system()} {platform.release()}")
print(f"- budsql: {version([budsql, '--version'])} (release build); DuckDB: {version([duckdb, '--version'])}")
print()
print("## Ingest (parse, write Parquet, commit), cold process")
print()
print("| documents | text MB | wall s | documents/s | MB/s | peak RSS MB | store MB | Parquet files |")
print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for n in sizes + ["20000"]:
    if n == "20000" and not os.path.exists(os.path.join(results, "ingest-20000.size")):
        continue
    runs = []
    for r in (1, 2, 3):
        p = os.path.join(results, f"ingest-{n}-{r}.time")
        if os.path.exists(p):
            secs, kb = open(p).read().split()[-2:]
            runs.append((float(secs), int(kb)))
    if not runs:
        continue
    wall = statistics.median(r[0] for r in runs)
    peak = max(r[1] for r in runs) / 1024
    text, store, files = (int(x) for x in open(os.path.join(results, f"ingest-{n}.size")).read().split())
    label = f"{int(n):,}" + (" (1 run, memory point)" if len(runs) == 1 else "")
    print(f"| {label} | {text / 1e6:.0f} | {wall:.2f} | {int(n) / wall:,.0f} | {text / 1e6 / wall:.0f} | {peak:.0f} | {store / 1e6:.1f} | {files} |")
print()
print("## Canonical queries (`queries/*.sql`), whole process, median ms")
print()
head = "| query |" + "".join(f" budsql {n} | DuckDB {n} | ratio {n} |" for n in sizes)
print(head)
print("| --- |" + " ---: | ---: | ---: |" * len(sizes))
names = sorted({f.split("-", 2)[2][:-5] for f in os.listdir(results) if f.startswith("query-")})
for name in names:
    row = f"| `{name}` |"
    for n in sizes:
        p = os.path.join(results, f"query-{n}-{name}.json")
        if not os.path.exists(p):
            row += " | | |"
            continue
        r = hf(p)
        b, d = r["budsql"]["median"] * 1000, r["duckdb"]["median"] * 1000
        row += f" {b:.0f} | {d:.0f} | {b / d:.2f} |"
    print(row)
print()
print("ratio = budsql / DuckDB (below 1: budsql is faster).")
print()
s = hf(os.path.join(results, "select1.json"))
print("## Start-up")
print()
print(f"`budsql -c \"SELECT 1\"`: {s['budsql']['median'] * 1000:.1f} ms median; `duckdb -c \"SELECT 1\"`: {s['duckdb']['median'] * 1000:.1f} ms.")
print()
print("## Memory limit")
print()
for label, f in (("default limit", "sort-default.time"), ("`--memory-limit 64M`", "sort-64M.time")):
    p = os.path.join(results, f)
    if os.path.exists(p):
        secs, kb = open(p).read().split()[-2:]
        print(f"- sort of every `budget_lines` row of the largest store, {label}: {float(secs):.2f} s, peak RSS {int(kb) / 1024:.0f} MB")
p = os.path.join(results, "sort-64M.spill")
if os.path.exists(p):
    print(f"- with 64M: {', '.join(open(p).read().split(chr(10))).strip(', ')}")
print()
print("## Parser micro-benchmarks (`cargo bench -p budsql-benches --bench parse`)")
print()
print("```")
print(open(os.path.join(results, "parse.txt")).read().strip())
print("```")
print()
print("Readers compared before and after a change, in one sitting: `docs/parser-history.md`.")
print()
print("The store's layout under many small ingests, against DuckDB on a compacted copy: `docs/benchmarks-layout-10000.md` (`bash benches/layout.sh`).")
