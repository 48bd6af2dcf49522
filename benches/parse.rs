//! Parser throughput: disclosures, bytes to a `Document` (decode, tables, narrative, KPI
//! targets, checks), on one core. `cargo bench -p budsql-benches --bench parse`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use budsql_extract::{Overrides, extract, extract_pdf};
use divan::counter::BytesCount;

fn main() {
    divan::main();
}

#[divan::bench]
fn extract_sample(bencher: divan::Bencher) {
    let bytes = budsql_benches::sample();
    assert!(!bytes.is_empty());
    bencher.counter(BytesCount::of_slice(&bytes)).bench(|| {
        extract(
            divan::black_box(&bytes),
            Path::new("sample.txt"),
            &Overrides::default(),
        )
        .unwrap()
    });
}

fn extract_all(bencher: divan::Bencher, docs: &[Vec<u8>]) {
    let total: usize = docs.iter().map(Vec::len).sum();
    bencher.counter(BytesCount::new(total)).bench(|| {
        for d in docs {
            extract(
                divan::black_box(d),
                Path::new("g.txt"),
                &Overrides::default(),
            )
            .unwrap();
        }
    });
}

/// 20 generated documents in the tab form, every kind of noise on.
#[divan::bench]
fn extract_generated_tab(bencher: divan::Bencher) {
    extract_all(bencher, &budsql_benches::generated(false, 20));
}

/// 20 generated documents in the layout form (元 and 万元, wrapped names, shifted pages).
#[divan::bench]
fn extract_generated_layout(bencher: divan::Bencher) {
    extract_all(bencher, &budsql_benches::generated(true, 20));
}

/// The national corpus's 32 layout texts (real documents of 10 regions' templates).
#[divan::bench]
fn extract_national_text(bencher: divan::Bencher) {
    let docs = budsql_benches::national_texts();
    let total: usize = docs.iter().map(|(_, t)| t.len()).sum();
    bencher.counter(BytesCount::new(total)).bench(|| {
        for (path, text) in &docs {
            extract(divan::black_box(text), path, &Overrides::default()).unwrap();
        }
    });
}

/// The national corpus's 32 PDFs, read by their word boxes (poppler's time not included:
/// its text and boxes are prepared before timing).
#[divan::bench]
fn extract_national_pdf(bencher: divan::Bencher) {
    let docs = budsql_benches::national_pdfs();
    let total: usize = docs.iter().map(|(_, t, _)| t.len()).sum();
    bencher.counter(BytesCount::new(total)).bench(|| {
        for (path, text, boxes) in &docs {
            extract_pdf(divan::black_box(text), boxes, path, &Overrides::default()).unwrap();
        }
    });
}
