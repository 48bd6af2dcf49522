//! The binary's interface: `-c`, `-f`, stdin, output formats, backslash commands, exit codes
//! and error messages (snapshots, so their wording is reviewed too).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::util::{SEED, budsql, csv, filters, repo_root, seeded, succeed, text};

/// Runs a command (feeding `stdin`) and renders exit code, stdout and stderr.
fn run(mut cmd: Command, stdin: Option<&str>) -> String {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    let (o, e) = text(&out);
    format!(
        "exit: {}\n--- stdout\n{o}--- stderr\n{e}",
        out.status.code().unwrap_or(-1)
    )
}

fn snap(store: &Path, name: &str, rendered: String) {
    filters(store).bind(|| insta::assert_snapshot!(name, rendered));
}

const SAMPLE: &str = "SELECT subject_code, subject_name, total, basic, project FROM budget_lines \
    WHERE table_name = 'expenditure' AND row_no IN (1, 3, 8) ORDER BY row_no";

#[test]
fn formats() {
    let store = seeded();
    for f in ["table", "csv", "json", "ndjson", "markdown"] {
        let mut c = budsql(store.path());
        c.args(["--format", f, "-c", SAMPLE]);
        snap(store.path(), &format!("format_{f}"), run(c, None));
    }
}

#[test]
fn several_statements_files_and_stdin() {
    let store = seeded();
    let s = store.path();
    let mut c = budsql(s);
    c.args([
        "-c",
        "SELECT 1 AS one; SELECT 'a' AS x",
        "-c",
        "SELECT year, doc_kind FROM units",
    ]);
    snap(s, "several_statements", run(c, None));

    let file = s.join("q.sql");
    std::fs::write(&file, "-- the views\n\\d\nSELECT count(*) AS n\n  FROM kpi_targets\n  WHERE level1 = '产出指标';\n\\d three_public\n").unwrap();
    let mut c = budsql(s);
    c.arg("-f").arg(&file);
    snap(s, "script_file", run(c, None));

    let c = budsql(s);
    snap(
        s,
        "stdin",
        run(
            c,
            Some("SELECT unit_name FROM units;\nSELECT count(*) AS checks FROM checks;\n"),
        ),
    );
}

#[test]
fn ingest_messages_and_partial_failure() {
    let store = tempfile::tempdir().unwrap();
    let s = store.path();
    let bad = s.join("bad.txt");
    std::fs::write(&bad, "某单位 2023 年单位预算公开\n没有表格\n").unwrap();
    let mut c = budsql(s);
    c.arg("ingest")
        .arg(SEED)
        .arg(&bad)
        .arg(s.join("missing-dir-entry.txt"));
    snap(s, "ingest_missing_path", run(c, None));

    let mut c = budsql(s);
    c.arg("ingest").arg(SEED).arg(&bad);
    snap(s, "ingest_partial_failure", run(c, None));
    // the good file of the batch is stored
    assert!(crate::util::csv(s, "SELECT count(*) FROM units").ends_with("\n1\n"));
    // the ingest report lists the failed file with its reason
    let bad_path = bad.canonicalize().unwrap().display().to_string();
    assert_eq!(
        crate::util::csv(
            s,
            "SELECT path, status, error FROM documents WHERE status = 'failed'"
        ),
        format!(
            "path,status,error\n{bad_path},failed,\"{bad_path}: no disclosure table recognised (expected titles such as `收支总表`, `支出总表` or `绩效目标表`)\"\n"
        )
    );
    // once the file is fixed, its failure is gone
    std::fs::copy(crate::util::repo_root().join(SEED), &bad).unwrap();
    let out = budsql(s).arg("ingest").arg(&bad).output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        crate::util::csv(
            s,
            "SELECT count(*) AS n FROM documents WHERE status = 'failed'"
        ),
        "n\n0\n"
    );
    std::fs::write(&bad, "某单位 2023 年单位预算公开\n没有表格\n").unwrap();

    // (the seed's content was stored from the fixed file: the seed's path takes its place)
    let mut c = budsql(s);
    c.arg("ingest").arg(SEED);
    snap(s, "ingest_again", run(c, None));
    // the same file again: passed over unread, the store as it was; `--force` reads it
    let manifest = |s: &Path| std::fs::read(s.join("_budsql/manifest.json")).unwrap();
    let before = manifest(s);
    let mut c = budsql(s);
    c.arg("ingest").arg(SEED);
    snap(s, "ingest_unchanged", run(c, None));
    assert!(
        manifest(s) == before,
        "an unchanged file was committed again"
    );
    let mut c = budsql(s);
    c.args(["ingest", "--force"]).arg(SEED);
    snap(s, "ingest_again_force", run(c, None));
    assert!(manifest(s) != before, "--force did not read the file again");

    // the same content twice in one batch: stored once, the copy named with the first
    let dup = tempfile::tempdir().unwrap();
    let copy = dup.path().join("copy.txt");
    std::fs::copy(crate::util::repo_root().join(SEED), &copy).unwrap();
    let mut c = budsql(dup.path());
    c.arg("ingest").arg(SEED).arg(&copy);
    snap(dup.path(), "ingest_duplicate", run(c, None));
    assert!(crate::util::csv(dup.path(), "SELECT count(*) FROM units").ends_with("\n1\n"));
}

#[test]
fn errors_and_exit_codes() {
    let store = seeded();
    let s = store.path();
    let cases: [(&str, &[&str]); 7] = [
        ("error_syntax", &["-c", "SELEC 1"]),
        ("error_unknown_table", &["-c", "SELECT * FROM budget_line"]),
        ("error_unknown_view_command", &["-c", "\\d budget_line"]),
        (
            "error_read_only_insert",
            &["-c", "INSERT INTO units (doc_id) VALUES ('x')"],
        ),
        (
            "error_read_only_copy",
            &["-c", "COPY (SELECT 1) TO '/tmp/budsql-copy-test.csv'"],
        ),
        (
            "error_stops_script",
            &["-c", "SELECT 1 AS first; SELECT nope; SELECT 3"],
        ),
        ("error_usage", &["--format", "xml", "-c", "SELECT 1"]),
    ];
    for (name, args) in cases {
        let mut c = budsql(s);
        c.args(args);
        snap(s, name, run(c, None));
    }
}

#[test]
fn empty_store_reads_as_empty() {
    let store = tempfile::tempdir().unwrap();
    let mut c = budsql(store.path());
    c.args([
        "-c",
        "SELECT count(*) AS n FROM budget_lines; SELECT count(*) AS n FROM units",
    ]);
    snap(store.path(), "empty_store", run(c, None));
    // a store directory that does not exist yet (a fresh machine) reads the same
    let missing = store.path().join("not-created-yet");
    let mut c = budsql(&missing);
    c.args([
        "-c",
        "SELECT count(*) AS n FROM budget_lines; SELECT count(*) AS n FROM units",
    ]);
    snap(store.path(), "empty_store", run(c, None));
    assert!(!missing.exists(), "a query creates nothing");
}

#[test]
fn identity_overrides_from_flags_and_manifest_csv() {
    let store = tempfile::tempdir().unwrap();
    let s = store.path();
    let mut c = budsql(s);
    c.args([
        "ingest",
        "--region",
        "河北省秦皇岛市",
        "--scope",
        "department",
        SEED,
    ]);
    assert!(c.output().unwrap().status.success());
    assert_eq!(
        crate::util::csv(s, "SELECT region, year, doc_kind, scope FROM units"),
        "region,year,doc_kind,scope\n河北省秦皇岛市,2023,budget,department\n"
    );
    // the manifest names the file relative to its own folder; its values win over flags
    let csv = s.join("identity.csv");
    let seed = crate::util::repo_root().join(SEED);
    std::fs::write(
        &csv,
        format!(
            "path,region,unit_name,year,doc_kind,scope\n{},秦皇岛经开区,政法委,2024,,unit\n",
            seed.display()
        ),
    )
    .unwrap();
    let mut c = budsql(s);
    c.args(["ingest", "--region", "ignored", "--manifest"])
        .arg(&csv)
        .arg(SEED);
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        crate::util::csv(
            s,
            "SELECT region, unit_name, year, doc_kind, scope FROM units ORDER BY year"
        ),
        "region,unit_name,year,doc_kind,scope\n秦皇岛经开区,政法委,2024,budget,unit\n"
    );

    std::fs::write(&csv, "path,doc_kind\nx.txt,决算\nother.txt,draft\n").unwrap();
    std::fs::write(s.join("x.txt"), "").unwrap();
    std::fs::write(s.join("other.txt"), "").unwrap();
    let mut c = budsql(s);
    c.args(["ingest", "--manifest"]).arg(&csv).arg(SEED);
    snap(s, "manifest_csv_error", run(c, None));
}

/// Queries run under a memory limit (default: half the machine's memory, at most 8G); a
/// query that cannot fit fails with the reason and a hint instead of being killed.
#[test]
fn memory_limit() {
    let store = seeded();
    let s = store.path();
    let q = "SELECT subject_name, count(*) AS n, sum(total) AS total FROM budget_lines \
             GROUP BY subject_name ORDER BY total DESC, subject_name LIMIT 2";
    let mut c = budsql(s);
    c.args(["--memory-limit", "1K", "-c", q]);
    let rendered = run(c, None);
    // the allocation sizes vary with the build; keep the sentence and the hint
    let rendered = rendered
        .lines()
        .map(|l| match l.split_once(": Failed to allocate") {
            Some((head, _)) => format!("{head}: Failed to allocate …"),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    snap(s, "memory_limit_exceeded", rendered);

    let mut c = budsql(s);
    c.args(["--memory-limit", "64M", "--format", "csv", "-c", q]);
    snap(s, "memory_limit_enough", run(c, None));

    let mut c = budsql(s);
    c.args(["--memory-limit", "lots", "-c", "SELECT 1"]);
    snap(s, "memory_limit_bad_size", run(c, None));
}

/// `compact` on a store laid out file by file (as commits wrote it before they merged
/// small files: here two stores' files under one manifest) merges each view's files per
/// partition into one, atomically, with the same rows; a compact store is left as it is.
#[test]
fn compact_merges_a_store_written_file_by_file() {
    use budsql_store::Manifest;
    let x = seeded();
    let y = tempfile::tempdir().unwrap();
    let seed = std::fs::read_to_string(crate::util::repo_root().join(SEED)).unwrap();
    let other = y.path().join("other.txt");
    std::fs::write(&other, crate::fixtures::other_unit(&seed, true)).unwrap();
    let o = budsql(y.path()).arg("ingest").arg(&other).output().unwrap();
    assert!(o.status.success(), "{}", text(&o).1);

    let z = tempfile::tempdir().unwrap();
    let mut m = Manifest::load(x.path()).unwrap();
    let my = Manifest::load(y.path()).unwrap();
    let copy = |from: &Path, rel: &str, to: &str| {
        let dest = z.path().join(to);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(from.join(rel), dest).unwrap();
    };
    for f in &m.files {
        copy(x.path(), &f.path, &f.path);
    }
    for f in my.files {
        let renamed = f.path.replace("part-00000001-", "part-00000001-9");
        copy(y.path(), &f.path, &renamed);
        m.files.push(budsql_store::FileEntry { path: renamed, ..f });
    }
    m.files.sort_by(|a, b| a.path.cmp(&b.path));
    m.documents.extend(my.documents);
    std::fs::create_dir_all(z.path().join("_budsql")).unwrap();
    m.publish(z.path()).unwrap();
    let files = m.files.len();

    let counts = "SELECT (SELECT count(*) FROM budget_lines) AS lines, \
        (SELECT sum(total) FROM budget_lines WHERE table_name = 'expenditure') AS spent, \
        (SELECT count(*) FROM checks) AS checks, (SELECT count(*) FROM units) AS units";
    let before = crate::util::csv(z.path(), counts);
    assert!(before.ends_with(",2\n"), "{before}");
    let mut c = budsql(z.path());
    c.arg("compact");
    let out = run(c, None);
    assert!(
        out.contains(&format!(
            "compact: {} file(s) merged into 8; the store holds 9 file(s) (version 2)",
            files - 1
        )),
        "{out}"
    );
    let after = Manifest::load(z.path()).unwrap();
    assert_eq!(after.version, m.version + 1);
    let mut dirs: Vec<&str> = after
        .files
        .iter()
        .map(|f| f.path.rsplit_once('/').unwrap().0)
        .collect();
    let n = dirs.len();
    dirs.dedup();
    assert_eq!(n, dirs.len(), "one file per view and partition");
    assert!(n < files, "{n} of {files}");
    assert_eq!(crate::util::csv(z.path(), counts), before);
    let v = budsql(z.path()).arg("verify").output().unwrap();
    let (so, _) = text(&v);
    assert!(v.status.success() && !so.contains("unreferenced"), "{so}");
    let mut c = budsql(z.path());
    c.arg("compact");
    snap(z.path(), "compact_nothing", run(c, None));
}

/// A large ingest whose writers must flush early (here a 1 MB buffer) still ends with full
/// row groups: its commit rewrites its own sparse files, so `compact` has nothing left to do;
/// the rows are those of an ingest with the default buffer. (With 1 MB, an open file is also
/// closed at two row groups and the view's next rows go to a new one, as on 100,000
/// documents with the default buffer: `budget_lines` is written as three files here, merged
/// by the commit.)
#[test]
fn a_large_ingest_ends_with_full_row_groups() {
    use datafusion::parquet::file::reader::{FileReader, SerializedFileReader};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = budsql(d)
        .args([
            "gen",
            "--seed",
            "61",
            "--units",
            "260",
            "--years",
            "2024",
            "--finals",
            "0",
            "--departments",
            "0",
            "--out",
        ])
        .arg(d.join("gen"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o).1);
    let (small, default) = (d.join("small"), d.join("default"));
    for (store, buffer) in [(&small, Some("1")), (&default, None)] {
        let mut c = budsql(store);
        c.arg("ingest").arg(d.join("gen/docs"));
        if let Some(mb) = buffer {
            c.env("BUDSQL_INGEST_BUFFER_MB", mb);
        }
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", text(&o).1);
    }
    let m = budsql_store::Manifest::load(&small).unwrap();
    let mut full = 0;
    for f in m.files.iter().filter(|f| f.rows >= 16_384) {
        let file = std::fs::File::open(small.join(&f.path)).unwrap();
        let meta = SerializedFileReader::new(file).unwrap().metadata().clone();
        let groups = meta.num_row_groups() as u64;
        assert!(
            f.rows / groups >= 16_384 / 4,
            "{}: {} rows in {groups} row groups",
            f.path,
            f.rows
        );
        full += 1;
    }
    assert!(full >= 1, "no file of a full row group: {:?}", m.files);
    let counts = "SELECT (SELECT count(*) FROM budget_lines) AS lines, \
        (SELECT sum(total) FROM budget_lines) AS total, \
        (SELECT count(*) FROM summary_lines) AS summary, (SELECT count(*) FROM units) AS units";
    assert_eq!(
        crate::util::csv(&small, counts),
        crate::util::csv(&default, counts)
    );
    let mut c = budsql(&small);
    c.arg("compact");
    assert!(run(c, None).contains("compact: nothing to merge"));
}

/// `verify` checks every committed file and names what is wrong; `vacuum` removes files no
/// commit references (an interrupted ingest's), and only those.
#[test]
fn verify_and_vacuum() {
    let store = seeded();
    let s = store.path();
    let mut c = budsql(s);
    c.arg("verify");
    snap(s, "verify_intact", run(c, None));

    // leftovers of an interrupted ingest
    let orphan = s.join("budget_lines/year=2023/doc_kind=budget/part-99999999-0001.parquet");
    std::fs::write(&orphan, b"partial").unwrap();
    std::fs::write(s.join("_budsql/manifest.json.4242.tmp"), b"{").unwrap();
    let mut c = budsql(s);
    c.arg("verify");
    snap(s, "verify_orphans", run(c, None));
    let mut c = budsql(s);
    c.arg("vacuum");
    snap(s, "vacuum", run(c, None));
    assert!(!orphan.exists());
    assert_eq!(
        crate::util::csv(s, "SELECT count(*) AS n FROM budget_lines"),
        "n\n101\n"
    );

    // a committed file damaged on disk
    let units = std::fs::read_dir(s.join("units/year=2023/doc_kind=budget"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(&units, b"PAR1 truncated").unwrap();
    let mut c = budsql(s);
    c.arg("verify");
    // (the size a file had depends on the Parquet writer's version: not part of the message)
    let rendered = run(c, None);
    let rendered = rendered
        .lines()
        .map(
            |l| match l.split_once(": 14 bytes on disk, the manifest says ") {
                Some((head, _)) => format!("{head}: 14 bytes on disk, the manifest says [SIZE]"),
                None => l.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join("\n");
    snap(s, "verify_damaged", rendered);
}

/// The manifest keeps each file's statistics (those DataFusion reads from its footer): a
/// query whose filter no file's ranges admit opens no file, and `verify` compares them with
/// the footers.
#[test]
fn statistics_in_the_manifest_spare_the_footers() {
    use budsql_store::Manifest;
    let corpus = tempfile::tempdir().unwrap();
    let args = [
        "gen",
        "--seed",
        "7",
        "--units",
        "3",
        "--years",
        "2022,2023",
        "--out",
    ];
    crate::util::succeed(budsql(corpus.path()).args(args).arg(corpus.path()));
    let store = tempfile::tempdir().unwrap();
    let s = store.path();
    crate::util::succeed(budsql(s).arg("ingest").arg(corpus.path().join("docs")));
    let m = Manifest::load(s).unwrap();
    assert!(m.files.len() > 10);
    for f in &m.files {
        let stats = f
            .stats
            .as_ref()
            .unwrap_or_else(|| panic!("{}: no statistics", f.path));
        assert!(!stats.columns.is_empty(), "{}", f.path);
    }
    // a file of unit 100000's budget lines (its unit codes range over that one code)
    let budget = m
        .files_of("budget_lines")
        .find(|f| f.path.contains("year=2023/doc_kind=budget"))
        .expect("a budget_lines file of 2023's budgets")
        .path
        .clone();

    // a committed file's footer damaged, its size kept: a filter that its statistics exclude
    // does not open it; one that needs it names it
    let path = s.join(&budget);
    let mut bytes = std::fs::read(&path).unwrap();
    let n = bytes.len();
    for b in bytes.iter_mut().skip(n - 200).take(190) {
        *b = b'#';
    }
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(
        crate::util::csv(
            s,
            "SELECT count(*) AS n FROM budget_lines WHERE unit_code = '999999' AND year = 2023"
        ),
        "n\n0\n"
    );
    let out = budsql(s)
        .args(["-c", "SELECT count(*) FROM budget_lines WHERE total > 0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("budget_lines/year="),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // statistics that disagree with a file's footer are a problem `verify` names
    let store = seeded();
    let s = store.path();
    let mut m = Manifest::load(s).unwrap();
    let f = m.files.iter_mut().find(|f| f.table == "units").unwrap();
    let stats = f.stats.as_mut().unwrap();
    stats.columns[0] = budsql_store::stats::ColumnStats::default();
    let units = f.path.clone();
    m.publish(s).unwrap();
    let v = budsql(s).arg("verify").output().unwrap();
    let report =
        String::from_utf8_lossy(&v.stdout).into_owned() + &String::from_utf8_lossy(&v.stderr);
    assert!(
        report.contains(&format!(
            "{units}: the manifest's statistics differ from the file's footer"
        )),
        "{report}"
    );
}

/// SQL never writes the store: INSERT is refused, COPY is refused unless exports are asked
/// for (`--allow-export`), and even then not into the store directory.
#[test]
fn exports_only_outside_the_store() {
    let store = seeded();
    let s = store.path();
    let out_dir = tempfile::tempdir().unwrap();
    let target = out_dir.path().join("export.csv");
    let copy = format!(
        "COPY (SELECT unit_code, year FROM units) TO '{}'",
        target.display()
    );
    let mut c = budsql(s);
    c.args(["-c", &copy]);
    let mut settings = crate::util::filters(s);
    settings.add_filter(&out_dir.path().display().to_string(), "[OUT]");
    let _bound = settings.bind_to_scope();
    snap(s, "copy_refused", run(c, None));
    assert!(!target.exists());

    let mut c = budsql(s);
    c.args(["--allow-export", "--format", "csv", "-c", &copy]);
    snap(s, "copy_exported", run(c, None));
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "unit_code,year\n216001,2023\n"
    );

    let inside = format!(
        "COPY (SELECT 1) TO '{}'",
        s.join("budget_lines/x.csv").display()
    );
    let mut c = budsql(s);
    c.args(["--allow-export", "-c", &inside]);
    snap(s, "copy_into_store_refused", run(c, None));
    let mut c = budsql(s);
    c.args([
        "--allow-export",
        "-c",
        "INSERT INTO units (doc_id) VALUES ('x')",
    ]);
    snap(s, "insert_refused_with_exports", run(c, None));
    let v = budsql(s).arg("verify").output().unwrap();
    assert!(v.status.success() && !text(&v).0.contains("unreferenced"));
}

/// `budsql export`: the panel and any view to CSV or Parquet outside the store, rows in a
/// stable order; the store is not written; mistakes are refused with the reason.
#[test]
fn export_panel_and_views() {
    let store = crate::util::two_units_and_a_final();
    let s = store.path();
    let manifest = || std::fs::read(s.join("_budsql/manifest.json")).unwrap();
    let before = manifest();
    let out = tempfile::tempdir().unwrap();

    let csv_file = out.path().join("panel.csv");
    let mut c = budsql(s);
    c.args(["export", "panel", "--out"]).arg(&csv_file);
    let shown = run(c, None).replace(&out.path().display().to_string(), "[OUT]");
    snap(s, "export_panel", shown);
    snap(
        s,
        "export_panel_csv",
        std::fs::read_to_string(&csv_file).unwrap(),
    );
    // the same rows give the same file
    let again = out.path().join("again.csv");
    let mut c = budsql(s);
    c.args(["export", "panel", "--out"]).arg(&again);
    assert!(c.output().unwrap().status.success());
    assert_eq!(
        std::fs::read(&csv_file).unwrap(),
        std::fs::read(&again).unwrap()
    );

    // a view to Parquet: every row, amounts still exact decimals
    let pq = out.path().join("budget_lines.parquet");
    let mut c = budsql(s);
    c.args(["export", "budget_lines", "--out"]).arg(&pq);
    assert!(c.output().unwrap().status.success());
    let reader =
        datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
            std::fs::File::open(&pq).unwrap(),
        )
        .unwrap();
    let schema = reader.schema().clone();
    let rows: usize = reader.build().unwrap().map(|b| b.unwrap().num_rows()).sum();
    let stored = crate::util::csv(s, "SELECT count(*) AS n FROM budget_lines");
    assert_eq!(stored.lines().nth(1).unwrap(), rows.to_string());
    assert_eq!(
        schema
            .field_with_name("total")
            .unwrap()
            .data_type()
            .to_string(),
        "Decimal128(20, 6)"
    );
    assert!(schema.field_with_name("unit_key").is_ok());

    // refused: an unknown view, a file in the store, an unknown format
    for (name, args) in [
        (
            "export_unknown_view",
            vec!["export", "panl", "--out", "x.csv"],
        ),
        (
            "export_bad_format",
            vec!["export", "panel", "--out", "x.xlsx"],
        ),
    ] {
        let mut c = budsql(s);
        c.args(args);
        snap(s, name, run(c, None));
    }
    let mut c = budsql(s);
    c.args(["export", "panel", "--out"])
        .arg(s.join("panel.csv"));
    snap(s, "export_into_store", run(c, None));
    assert!(!s.join("panel.csv").exists());
    assert_eq!(manifest(), before, "an export never writes into the store");
}

/// A unit whose code some documents print and others not has one `unit_key`: the documents
/// without a code take the code key of those of their region and normalised name that
/// print one, whichever was ingested first; a name printed with two codes keeps its own
/// key (which unit is meant is not known), and query 09 reports it.
#[test]
fn a_unit_is_one_key_whether_or_not_a_document_prints_its_code() {
    let seed = std::fs::read_to_string(repo_root().join(SEED)).unwrap();
    let keys = |store: &Path| {
        csv(
            store,
            "SELECT year, unit_code, unit_key, count(*) AS lines FROM budget_lines \
             GROUP BY ALL ORDER BY year, unit_code",
        )
    };
    let one_key = "year,unit_code,unit_key,lines\n\
                   2021,,秦皇岛经济技术开发区:216001,101\n\
                   2022,,秦皇岛经济技术开发区:216001,101\n\
                   2023,216001,秦皇岛经济技术开发区:216001,101\n";
    // the documents without a code first, in ingests of their own, then the one with it
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path();
    for year in [2021, 2022] {
        let path = s.join(format!("nocode_{year}.txt"));
        std::fs::write(&path, crate::fixtures::seed_without_code(&seed, year)).unwrap();
        succeed(budsql(s).arg("ingest").arg(&path));
    }
    assert_eq!(
        keys(s),
        "year,unit_code,unit_key,lines\n\
         2021,,秦皇岛经济技术开发区:name:工委政法委员会,101\n\
         2022,,秦皇岛经济技术开发区:name:工委政法委员会,101\n"
    );
    succeed(budsql(s).arg("ingest").arg(repo_root().join(SEED)));
    assert_eq!(keys(s), one_key);
    assert_eq!(
        csv(s, "SELECT count(DISTINCT unit_key) AS keys FROM units"),
        "keys\n1\n"
    );
    let splits =
        std::fs::read_to_string(repo_root().join("queries/09_unit_key_splits.sql")).unwrap();
    assert_eq!(csv(s, &splits).lines().count(), 1, "no split");
    // the same, the document with the code ingested first
    let other = tempfile::tempdir().unwrap();
    let o = other.path();
    succeed(budsql(o).arg("ingest").arg(repo_root().join(SEED)));
    for year in [2021, 2022] {
        let path = o.join(format!("nocode_{year}.txt"));
        std::fs::write(&path, crate::fixtures::seed_without_code(&seed, year)).unwrap();
        succeed(budsql(o).arg("ingest").arg(&path));
    }
    assert_eq!(keys(o), one_key);
    // a second code printed with the same name: which is meant is not known
    let path = s.join("second_code.txt");
    std::fs::write(
        &path,
        seed.replace(
            "216001 中共秦皇岛经济技术开发区工委政法委员会(本级)",
            "216009 中共秦皇岛经济技术开发区工委政法委员会(本级)",
        )
        .replacen("2023 年单位预算公开", "2024 年单位预算公开", 1),
    )
    .unwrap();
    succeed(budsql(s).arg("ingest").arg(&path));
    assert_eq!(
        keys(s),
        "year,unit_code,unit_key,lines\n\
         2021,,秦皇岛经济技术开发区:name:工委政法委员会,101\n\
         2022,,秦皇岛经济技术开发区:name:工委政法委员会,101\n\
         2023,216001,秦皇岛经济技术开发区:216001,101\n\
         2024,216009,秦皇岛经济技术开发区:216009,101\n"
    );
    assert_eq!(csv(s, &splits).lines().count(), 2, "one name, three keys");
}
