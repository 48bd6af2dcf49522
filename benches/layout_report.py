"""Markdown of benches/layout.sh's results: python3 layout_report.py RESULTS N DOCS INGESTS DUCKDB BIN"""
import datetime
import glob
import json
import os
import platform
import subprocess
import sys

results, n, docs, ingests, duckdb, binary = sys.argv[1:7]
docs, ingests = int(docs), int(ingests)


def hf(path):
    return {r["command"]: r for r in json.load(open(path))["results"]}


def cpu():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def mem_gib():
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal"):
            return int(line.split()[1]) / 1024 / 1024
    return 0


version = lambda cmd: subprocess.run(cmd, capture_output=True, text=True).stdout.strip()

print(f"# Store layout under many small ingests ({docs:,} documents)")
print()
print("Produced by `bash benches/layout.sh` (N=%s, INGESTS=%d). The corpus: `budsql gen --seed 42`, " % (n, ingests)
      + "seven years (2018–2024), half budgets and half finals, and %s %% of unit-years published as both "
      % os.environ.get("PAIRS", "0")
      + "(`--pairs`: the 决算 its 预算 as executed, the pairs of query 08). *one*: the corpus in one ingest; "
      + f"*many*: the same files in {ingests} ingests of about {docs // ingests} each, in file-name order "
      + "(unit by unit, so every ingest touches every year's partitions: the hardest order for compaction). "
      + "*DuckDB*: its CLI over a compacted copy of the same rows, one zstd file per view and year, "
      + "written by DuckDB itself. Whole processes, `hyperfine -N`, median.")
print()
print(f"- date: {datetime.date.today().isoformat()}")
print(f"- machine: {os.cpu_count()} cores ({cpu()}), {mem_gib():.0f} GiB, Linux {platform.release()}")
print(f"- budsql: {version([binary, '--version'])} (release build); DuckDB: {version([duckdb, '--version'])}")
print()
print("## Ingest and layout")
print()
secs, kb = open(os.path.join(results, "ingest-one.time")).read().split()[-2:]
many = [l.split() for l in open(os.path.join(results, "ingest-many.times")) if l.strip() and l[0].isdigit()]
many_secs = [float(s) for s, _ in many]
many_kb = max(int(k) for _, k in many)
one_bytes, many_bytes = (int(x) for x in open(os.path.join(results, "bytes.txt")).read().split())
print("| store | ingest wall s | peak RSS MB | store MB |")
print("| --- | ---: | ---: | ---: |")
print(f"| one ingest | {float(secs):.2f} | {int(kb) / 1024:.0f} | {one_bytes / 1e6:.1f} |")
print(f"| {ingests} ingests | {sum(many_secs):.2f} in all; each {min(many_secs):.2f}–{max(many_secs):.2f}, median {sorted(many_secs)[len(many_secs) // 2]:.2f} | {many_kb / 1024:.0f} | {many_bytes / 1e6:.1f} |")
print()
print("Parquet files per view (the manifest's):")
print()
print(f"| view | one ingest | {ingests} ingests |")
print("| --- | ---: | ---: |")
tot = [0, 0]
for line in open(os.path.join(results, "files.txt")):
    v, a, b = line.split()
    tot[0] += int(a)
    tot[1] += int(b)
    print(f"| `{v}` | {a} | {b} |")
print(f"| all | {tot[0]} | {tot[1]} |")
print()
dcopy = open(os.path.join(results, "duckdb-copy.time")).read().split()[-1]
dfiles = open(os.path.join(results, "duckdb-files.txt")).read().strip()
print(f"DuckDB wrote its compacted copy ({dfiles} files) in {float(dcopy):.2f} s.")
print()
print("## Canonical queries (`queries/*.sql`), median ms")
print()
print(f"| query | budsql, one ingest | budsql, {ingests} ingests | DuckDB, compacted copy | ratio one | ratio many | DuckDB, budsql's files | ratio same files |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
worst = 0
worst_same = 0
for p in sorted(glob.glob(os.path.join(results, "query-*.json"))):
    name = os.path.basename(p)[len("query-"):-len(".json")]
    r = hf(p)
    a, b = (r[k]["median"] * 1000 for k in ("one", "many"))
    if "duckdb" not in r:
        print(f"| `{name}` | {a:.0f} | {b:.0f} | (DuckDB cannot run it) | | | | |")
        continue
    d = r["duckdb"]["median"] * 1000
    worst = max(worst, a / d, b / d)
    same = ""
    if "same" in r:
        e = r["same"]["median"] * 1000
        worst_same = max(worst_same, a / e)
        same = f" {e:.0f} | {a / e:.2f} |"
    else:
        same = " | |"
    print(f"| `{name}` | {a:.0f} | {b:.0f} | {d:.0f} | {a / d:.2f} | {b / d:.2f} |{same}")
s = hf(os.path.join(results, "select1.json"))
a, b, d = (s[k]["median"] * 1000 for k in ("one", "many", "duckdb"))
print(f"| `SELECT 1` | {a:.1f} | {b:.1f} | {d:.1f} | {a / d:.2f} | {b / d:.2f} | | |")
print()
largest = f"the largest against the compacted copy: {worst:.2f}"
if worst_same:
    largest += f"; against DuckDB on budsql's files (one ingest): {worst_same:.2f}"
print(f"ratio = budsql / DuckDB (below 1: budsql is faster); {largest}.")
print()
print("DuckDB on budsql's files reads each view's files as they are, with the stored `unit_key`")
print("(budsql's views resolve the store's unit aliases in every query; DuckDB's work is the lighter).")
print()
print("DuckDB runs the research views (`execution`, `disclosure`, `panel`) by budsql's own SQL")
print("(`budsql -c '\\sv VIEW'`) over its copy, and `subjects` from `budsql export subjects`.")
