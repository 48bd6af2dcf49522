//! Parser throughput: one disclosure, bytes to a `Document` (decode, tables, narrative,
//! KPI targets, checks). `cargo bench -p budsql-benches --bench parse`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use budsql_extract::{Overrides, extract};
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
