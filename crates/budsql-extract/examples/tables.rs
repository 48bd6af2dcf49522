//! Prints the tables `extract` reads from a file, compactly, for development:
//! `cargo run -p budsql-extract --example tables -- FILE[.pdf|.txt] [TABLE]`. A PDF is read
//! with poppler's `pdftotext -layout` and `-bbox-layout`, as `budsql ingest` does.
use std::process::Command;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: tables FILE [TABLE]");
        std::process::exit(2);
    };
    let only = args.next();
    let p = std::path::Path::new(&path);
    let read = if path.ends_with(".pdf") {
        let run = |mode: &str| {
            Command::new("pdftotext")
                .args([mode, "-enc", "UTF-8", &path, "-"])
                .output()
                .map(|o| o.stdout)
                .unwrap_or_default()
        };
        let text = run("-layout");
        let boxes = String::from_utf8(run("-bbox-layout")).unwrap_or_default();
        budsql_extract::extract_pdf(&text, &boxes, p, &Default::default())
    } else {
        let bytes = std::fs::read(&path).unwrap_or_default();
        budsql_extract::extract(&bytes, p, &Default::default())
    };
    let doc = match read {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    println!("{:?}", doc.identity);
    for t in &doc.tables {
        println!(
            "table {} line {} rows {} `{}`",
            t.table.as_str(),
            t.line_no,
            t.rows,
            t.title
        );
    }
    let want = |t: &str| only.as_deref().is_none_or(|o| o == t);
    for l in &doc.budget_lines {
        if !want(l.table.as_str()) {
            continue;
        }
        let amounts: Vec<String> = budsql_schema::AmountCol::ALL
            .iter()
            .filter_map(|c| {
                l.amounts
                    .get(*c)
                    .map(|v| format!("{}={}", c.as_str(), v.normalize()))
            })
            .collect();
        println!(
            "{} {:>3} L{:<5} {:<8} {:?} {} | {}",
            l.table.as_str(),
            l.row_no,
            l.line_no,
            l.subject_code.as_deref().unwrap_or("-"),
            l.subject_level,
            l.subject_name,
            amounts.join(" ")
        );
    }
    for l in &doc.summary_lines {
        if want(l.table.as_str()) {
            println!(
                "{} {:?} {} L{} {} = {:?} gpb={:?} lv={}",
                l.table.as_str(),
                l.side,
                l.row_no,
                l.line_no,
                l.item_name,
                l.amount,
                l.gpb,
                l.item_level
            );
        }
    }
    if want("three_public") {
        println!("{:?}", doc.three_public);
    }
    for w in &doc.warnings {
        if w.table_name.as_deref().is_none_or(&want) {
            println!(
                "W L{} {} {:?}: {}",
                w.line_no, w.code, w.table_name, w.message
            );
        }
    }
    for c in &doc.checks {
        if want(&c.table_name) {
            println!(
                "C {} {} {:?} {}",
                c.table_name, c.rule, c.severity, c.message
            );
        }
    }
}
