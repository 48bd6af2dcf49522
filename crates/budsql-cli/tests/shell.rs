//! The shell's commands and output forms, run as scripts through the real binary
//! (snapshots of each command's output), and the xlsx workbook read back with a reader.

use std::path::Path;
use std::process::Command;

use crate::util::{budsql, filters, seeded, text};

/// Runs the binary and renders exit code, stdout and stderr.
fn run(mut cmd: Command) -> String {
    let out = cmd.output().unwrap();
    let (o, e) = text(&out);
    format!(
        "exit: {}\n--- stdout\n{o}--- stderr\n{e}",
        out.status.code().unwrap_or(-1)
    )
}

fn snap(store: &Path, name: &str, rendered: String) {
    let mut s = filters(store);
    // (a statement's time differs from run to run)
    s.add_filter(r"Time: [0-9]+\.[0-9]{3} ms", "Time: [T] ms");
    s.bind(|| insta::assert_snapshot!(name, rendered));
}

/// A script through `-f` (commands are lines of their own, as in the shell).
fn script(store: &Path, name: &str, body: &str) {
    let file = store.join(format!("{name}.sql"));
    std::fs::write(&file, body).unwrap();
    let mut c = budsql(store);
    c.arg("-f").arg(&file);
    snap(store, name, run(c));
}

#[test]
fn each_command_and_its_output() {
    let store = seeded();
    let s = store.path();
    script(s, "cmd_help", "\\?\n");
    script(
        s,
        "cmd_expanded",
        "\\x\nSELECT subject_code, subject_name, total, basic FROM budget_lines \
         WHERE table_name = 'expenditure' AND row_no IN (1, 3) ORDER BY row_no;\n\\x off\n",
    );
    // fixed decimals per column, thousands separators, a visible NULL, a row limit
    script(
        s,
        "cmd_pset",
        "\\pset thousands on\n\\pset null ∅\n\\pset max_rows 3\n\
         SELECT subject_name, total * 1000 AS total_yuan, basic, \
         CAST(total / 8 AS DECIMAL(20, 6)) AS eighth FROM budget_lines \
         WHERE table_name = 'expenditure' AND row_no IN (1, 3, 8, 10) ORDER BY row_no;\n\\pset\n",
    );
    script(
        s,
        "cmd_set",
        "\\set kind expenditure\n\\set rows 3\n\\set\n\
         SELECT count(*) AS n FROM budget_lines WHERE table_name = :'kind' AND row_no <= :rows;\n\
         \\unset rows\nSELECT :rows;\n",
    );
    script(s, "cmd_timing", "\\timing on\nSELECT 1 AS one;\n\\timing\n");
    script(
        s,
        "cmd_format",
        "\\format csv\nSELECT 1 AS one, '合计' AS name;\n\\format\n\\format yaml\n",
    );
    script(
        s,
        "cmd_units",
        "\\units 政法\n\\units 没有这个单位\n\\regions\n",
    );
    script(s, "cmd_describe", "\\d three_public\n");
    script(
        s,
        "cmd_show_view",
        "\\sv three_public\n\\sv subjects\n\\sv pannel\n",
    );
    script(s, "cmd_unknown", "\\frobnicate\n");
}

/// What `\\sv` prints is the definition: run as a statement of its own, each research
/// view's SQL gives the view's rows.
#[test]
fn a_view_shown_is_the_view() {
    let store = crate::util::two_units_and_a_final();
    let s = store.path();
    for view in ["execution", "disclosure", "panel"] {
        let out = crate::util::succeed(budsql(s).arg("-c").arg(format!("\\sv {view}")));
        let (sql, _) = text(&out);
        let prefix = format!("CREATE VIEW {view} AS");
        let body = sql
            .trim()
            .strip_prefix(&prefix)
            .and_then(|b| b.trim_start().strip_suffix(';'))
            .unwrap_or_else(|| panic!("{view}: {sql}"));
        assert!(body.lines().count() > 10, "{view}: one clause a line");
        let of_view = crate::util::csv(s, &format!("SELECT * FROM {view}"));
        let of_sql = crate::util::csv(s, &format!("SELECT * FROM ({body}) AS shown"));
        let sorted = |t: &str| {
            let mut v: Vec<&str> = t.lines().collect();
            v.sort_unstable();
            v.join("\n")
        };
        assert!(of_view.lines().count() > 1, "{view} has rows");
        assert_eq!(sorted(&of_view), sorted(&of_sql), "{view}");
    }
}

#[test]
fn output_to_a_file_and_included_scripts() {
    let store = seeded();
    let s = store.path();
    let out = s.join("result.csv");
    let inc = s.join("included.sql");
    std::fs::write(&inc, "SELECT 'from the included file' AS said;\n").unwrap();
    let body = format!(
        "\\format csv\n\\o {}\nSELECT subject_code, total FROM budget_lines \
         WHERE table_name = 'expenditure' AND row_no <= 2 ORDER BY row_no;\n\\o\n\
         SELECT 'back on the terminal' AS said;\n\\i {}\n",
        out.display(),
        inc.display()
    );
    script(s, "cmd_output_include", &body);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "subject_code,total\n,1220.18\n201,930.83\n"
    );
    // a script including itself stops with a clear error, not a stack overflow
    let me = s.join("me.sql");
    std::fs::write(&me, format!("\\i {}\n", me.display())).unwrap();
    let mut c = budsql(s);
    c.arg("-f").arg(&me);
    let r = run(c);
    assert!(
        r.contains("scripts include each other more than 16 deep"),
        "{r}"
    );
}

#[test]
fn variables_from_the_command_line() {
    let store = seeded();
    let mut c = budsql(store.path());
    c.args([
        "-v",
        "kind=expenditure",
        "--format",
        "csv",
        "-c",
        "SELECT count(*) AS n FROM budget_lines WHERE table_name = :'kind'",
    ]);
    snap(store.path(), "vars_flag", run(c));
    let mut c = budsql(store.path());
    c.args(["-v", "1bad=x", "-c", "SELECT 1"]);
    snap(store.path(), "vars_flag_bad", run(c));
}

#[test]
fn errors_point_at_the_statement() {
    let store = seeded();
    let s = store.path();
    let mut c = budsql(s);
    c.args(["-c", "SELECT unit_name,\n       totl\nFROM budget_lines"]);
    snap(s, "error_unknown_column", run(c));
    let mut c = budsql(s);
    c.args(["-c", "SELECT 合计 FROM units WHER year = 2023"]);
    snap(s, "error_syntax_caret_cjk", run(c));
}

#[test]
fn explain_shows_the_plan() {
    let store = seeded();
    let mut c = budsql(store.path());
    c.args([
        "--format",
        "csv",
        "-c",
        "\\explain SELECT count(*) FROM units",
    ]);
    let r = run(c);
    assert!(r.starts_with("exit: 0"), "{r}");
    assert!(r.contains("logical_plan"), "{r}");
    assert!(r.contains("physical_plan"), "{r}");
}

#[test]
fn xlsx_workbook_with_typed_cells() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let store = seeded();
    let s = store.path();
    let file = s.join("out.xlsx");
    let mut c = budsql(s);
    c.args(["--format", "xlsx", "--out"]).arg(&file).args([
        "-c",
        "SELECT subject_code, subject_name AS 科目名称, total, basic, row_no \
             FROM budget_lines WHERE table_name = 'expenditure' AND row_no IN (1, 3, 8) \
             ORDER BY row_no; SELECT count(*) AS documents FROM units",
    ]);
    let r = run(c);
    assert!(r.starts_with("exit: 0"), "{r}");
    let mut wb: Xlsx<_> = open_workbook(&file).unwrap();
    assert_eq!(wb.sheet_names(), vec!["result 1", "result 2"]);
    let range = wb.worksheet_range("result 1").unwrap();
    let row = |r: usize| -> Vec<Data> { range.rows().nth(r).unwrap().to_vec() };
    assert_eq!(
        row(0),
        vec![
            Data::String("subject_code".into()),
            Data::String("科目名称".into()),
            Data::String("total".into()),
            Data::String("basic".into()),
            Data::String("row_no".into()),
        ]
    );
    // the 合计 row: no code (an empty cell), amounts as numbers
    assert_eq!(
        row(1),
        vec![
            Data::Empty,
            Data::String("合计".into()),
            Data::Float(1220.18),
            Data::Float(985.67),
            Data::Float(1.0),
        ]
    );
    // a NULL amount is an empty cell, not 0
    assert_eq!(row(3).get(3), Some(&Data::Empty));
    assert_eq!(row(3).get(2), Some(&Data::Float(35.33)));
    let docs = wb.worksheet_range("result 2").unwrap();
    assert_eq!(docs.get((1, 0)), Some(&Data::Float(1.0)));

    // without a file to write, a clear error
    let mut c = budsql(s);
    c.args(["--format", "xlsx", "-c", "SELECT 1"]);
    snap(s, "xlsx_needs_out", run(c));
}

/// Without a terminal, a large batch says how far it has come in plain lines.
#[test]
fn ingest_progress_in_plain_lines() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("gen");
    let out = budsql(dir.path())
        .args(["gen", "--seed", "3", "--units", "30", "--out"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = budsql(dir.path())
        .arg("ingest")
        .arg(corpus.join("docs"))
        .output()
        .unwrap();
    let (o, e) = text(&out);
    assert!(out.status.success(), "{o}{e}");
    let lines: Vec<&str> = e.lines().filter(|l| l.contains("documents read")).collect();
    assert_eq!(lines.len(), 10, "{e}");
    assert!(
        lines
            .last()
            .is_some_and(|l| l.starts_with("budsql: 60 of 60 documents read (")),
        "{e}"
    );
}

/// `\d VIEW` says what every column of every view holds (the ingest report's own columns
/// too: they had none).
#[test]
fn every_column_of_every_view_has_a_meaning() {
    let store = crate::util::seeded();
    let s = store.path();
    let list = crate::util::succeed(budsql(s).args(["--format", "csv", "-c", "\\d"]));
    let (list, _) = text(&list);
    let mut r = ::csv::Reader::from_reader(list.as_bytes());
    let views: Vec<String> = r.records().map(|v| v.unwrap()[0].to_string()).collect();
    assert!(
        views.len() >= 16 && views.contains(&"documents".to_string()),
        "{views:?}"
    );
    for view in &views {
        let out = crate::util::succeed(
            budsql(s)
                .args(["--format", "csv", "-c"])
                .arg(format!("\\d {view}")),
        );
        let (cols, _) = text(&out);
        let mut r = ::csv::Reader::from_reader(cols.as_bytes());
        let blank: Vec<String> = r
            .records()
            .map(Result::unwrap)
            .filter(|c| c[4].trim().is_empty())
            .map(|c| c[0].to_string())
            .collect();
        assert!(blank.is_empty(), "{view}: {blank:?}");
    }
}
