//! Shared inputs of the benchmarks.

/// The bundled sample disclosure, as bytes.
pub fn sample() -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../datasets/sample/qhd_zhengfawei_2023_unit_budget.txt");
    std::fs::read(path).unwrap_or_default()
}

/// Generated documents of one form (`tab` or `layout`), drawn from a fixed seed.
pub fn generated(layout: bool, n: usize) -> Vec<Vec<u8>> {
    let config = budsql_gen::Config {
        seed: 42,
        units: n,
        years: vec![2024],
        finals: 25,
        pairs: 0,
        departments: 20,
        layout: if layout { 100 } else { 0 },
        variants: budsql_gen::Variants::all(),
    };
    let mut truth = budsql_gen::truth::Truth::default();
    (0..n)
        .map(|i| budsql_gen::document(&config, i, &mut truth).1)
        .collect()
}

fn corpus_files(sub: &str, ext: &str) -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../datasets")
        .join(sub);
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == ext))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// The layout texts of the national corpus (32 real documents of 10 regions), with their
/// paths (one states its year only in its file name).
pub fn national_texts() -> Vec<(std::path::PathBuf, Vec<u8>)> {
    corpus_files("corpus-national/text", "txt")
        .into_iter()
        .filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b)))
        .collect()
}

/// The national corpus's PDFs as the reader gets them: `pdftotext -layout` text and
/// `-bbox-layout` word boxes (poppler is run here, outside the timed part); empty when
/// `pdftotext` is not installed.
pub fn national_pdfs() -> Vec<(std::path::PathBuf, Vec<u8>, String)> {
    let run = |args: &[&str], path: &std::path::Path| {
        std::process::Command::new("pdftotext")
            .args(args)
            .arg(path)
            .arg("-")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| o.stdout)
    };
    corpus_files("corpus-national/pdf", "pdf")
        .into_iter()
        .filter_map(|p| {
            let text = run(&["-layout", "-enc", "UTF-8"], &p)?;
            let boxes = run(&["-bbox-layout", "-enc", "UTF-8"], &p)?;
            Some((p, text, String::from_utf8(boxes).ok()?))
        })
        .collect()
}
