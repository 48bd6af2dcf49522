//! PDFs through poppler's `pdftotext -layout`: the corpus PDFs read exactly as their text,
//! a missing program is named, and pages without a (trustworthy) text layer are reported.

use std::path::Path;

use crate::util::{SEED, budsql, csv, filters, repo_root, text};

fn corpus(sub: &str) -> std::path::PathBuf {
    repo_root().join("datasets/corpus-shanghai").join(sub)
}

/// Every row of the views that do not name the source file, in a stable order.
fn all_rows(store: &Path) -> String {
    [
        "SELECT * FROM budget_lines ORDER BY doc_id, table_name, row_no",
        "SELECT * FROM summary_lines ORDER BY doc_id, table_name, side, row_no",
        "SELECT * FROM three_public ORDER BY doc_id",
        "SELECT * FROM checks ORDER BY doc_id, rule, table_name, row_no, column_name, line_no, message",
        "SELECT doc_id, region, unit_name, year, doc_kind, scope, tables, tables_missing, rows, \
         check_findings FROM units ORDER BY doc_id",
    ]
    .iter()
    .map(|q| csv(store, q))
    .collect()
}

#[test]
fn corpus_pdfs_read_exactly_as_their_text() {
    let pdfs = tempfile::tempdir().unwrap();
    let out = budsql(pdfs.path())
        .arg("ingest")
        .arg(corpus("pdf"))
        .output()
        .unwrap();
    let (o, e) = text(&out);
    assert!(out.status.success(), "{o}{e}");
    assert!(
        o.contains("ingested 13 document(s) (13 new, 0 replaced)"),
        "{o}"
    );

    let texts = tempfile::tempdir().unwrap();
    let mut c = budsql(texts.path());
    c.arg("ingest");
    for entry in std::fs::read_dir(corpus("text")).unwrap() {
        let p = entry.unwrap().path();
        if !p.to_string_lossy().contains("ALT_tabbed") {
            c.arg(p);
        }
    }
    assert!(c.output().unwrap().status.success());

    let a = all_rows(pdfs.path());
    assert_eq!(a, all_rows(texts.path()));
    assert!(a.lines().count() > 2000, "{}", a.lines().count());
    assert_eq!(
        csv(
            pdfs.path(),
            "SELECT encoding, layout, count(*) FROM units GROUP BY 1, 2"
        ),
        "encoding,layout,count(*)\nPDF,layout,13\n"
    );
    // a PDF and its text are one document: ingesting the text again replaces, not adds
    let out = budsql(pdfs.path())
        .arg("ingest")
        .arg(corpus("text").join("sh_putuo_sifaju_2026_unit_budget.txt"))
        .output()
        .unwrap();
    assert!(
        text(&out).0.contains("(0 new, 1 replaced)"),
        "{}",
        text(&out).0
    );
    assert_eq!(
        csv(pdfs.path(), "SELECT count(*) FROM units"),
        "count(*)\n13\n"
    );
}

#[test]
fn a_missing_pdftotext_is_named_and_the_rest_is_stored() {
    let store = tempfile::tempdir().unwrap();
    let s = store.path();
    let out = budsql(s)
        .env("BUDSQL_PDFTOTEXT", "/nonexistent/bin/pdftotext")
        .arg("ingest")
        .arg(SEED)
        .arg(corpus("pdf").join("sh_putuo_sifaju_2026_unit_budget.pdf"))
        .output()
        .unwrap();
    let (o, e) = text(&out);
    assert_eq!(out.status.code(), Some(3), "{o}{e}");
    let mut settings = filters(s);
    settings.add_filter(r"\[REPO\]/datasets/corpus-shanghai", "[CORPUS]");
    settings.bind(|| insta::assert_snapshot!("pdf_missing_program", e));
    assert_eq!(csv(s, "SELECT count(*) FROM units"), "count(*)\n1\n");
}

/// Stand-ins for poppler's programs: `pdftotext` prints a prepared text, `pdfimages -list`
/// says page 2 holds an image.
#[cfg(unix)]
fn fake_poppler(dir: &Path, text: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(dir.join("layout.txt"), text).unwrap();
    let scripts = [
        (
            "pdftotext",
            format!("#!/bin/sh\ncat '{}'\n", dir.join("layout.txt").display()),
        ),
        (
            "pdfimages",
            "#!/bin/sh\necho 'page   num  type   width height color comp bpc  enc interp  object ID x-ppi y-ppi size ratio'\necho '-----------------------------------------------------------------------'\necho '   2     0 image    1240  1754  gray    1   8  jpeg   no        12  0   150   150  120K 5.6%'\n".to_string(),
        ),
    ];
    for (name, body) in scripts {
        let p = bin.join(name);
        std::fs::write(&p, body).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    bin.join("pdftotext")
}

#[cfg(unix)]
#[test]
fn scanned_and_garbled_pages_are_reported_and_not_read() {
    let store = tempfile::tempdir().unwrap();
    let s = store.path();
    let seed = std::fs::read_to_string(repo_root().join(SEED)).unwrap();
    let lines_before = seed.trim_end().lines().count();
    // page 1: the seed; page 2: a scan (no text); page 3: a font without a Unicode map
    let garbled =
        "\u{e011}\u{e012}\u{e013}\u{e014}  \u{e015}\u{e016}\n合计   \u{e017}\u{e018}   1,234.00\n";
    let pages = format!("{}\n\u{c}\u{c}{garbled}\u{c}", seed.trim_end());
    let program = fake_poppler(s, &pages);
    let pdf = s.join("scan.pdf");
    std::fs::write(&pdf, b"%PDF-1.4 stand-in").unwrap();
    let out = budsql(s)
        .env("BUDSQL_PDFTOTEXT", &program)
        .arg("ingest")
        .arg(&pdf)
        .output()
        .unwrap();
    let (o, e) = text(&out);
    assert!(out.status.success(), "{o}{e}");
    let w = csv(
        s,
        "SELECT line_no, code, message FROM warnings WHERE code IN ('image_page', 'garbled_page') ORDER BY line_no, code",
    );
    assert_eq!(
        w,
        format!(
            "line_no,code,message\n{p2},garbled_page,\"page 3 (lines {p2}-{p3end}): the text layer is garbled (8 of 18 characters are private-use, control or undecodable); nothing on this page is read\"\n{p2},image_page,page 2 is an image without a text layer (a scan?); nothing on it is read\n",
            p2 = lines_before + 1,
            p3end = lines_before + 2,
        )
    );
    // the seed's page is read as ever; nothing of page 3 is stored
    assert_eq!(
        csv(s, "SELECT count(*) FROM budget_lines"),
        "count(*)\n101\n"
    );
    assert_eq!(csv(s, "SELECT encoding FROM units"), "encoding\nPDF\n");
}
