//! Extracts every file of a folder on one thread and prints the time and throughput: the
//! parser alone, for profiling (`valgrind --tool=callgrind`) and quick comparisons.
//! `cargo run --release -p budsql-benches --example extract_files -- DIR [LIMIT]`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("a folder of documents");
    let limit: usize = args
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.truncate(limit);
    let docs: Vec<Vec<u8>> = files.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let bytes: usize = docs.iter().map(Vec::len).sum();
    let t = std::time::Instant::now();
    let mut rows = 0;
    for d in &docs {
        if let Ok(doc) = budsql_extract::extract(d, Path::new("f.txt"), &Default::default()) {
            rows += doc.row_count();
        }
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "{} documents, {:.1} MB, {rows} rows: {s:.3} s, {:.1} MB/s, {:.3} ms/document",
        docs.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / s,
        s * 1e3 / docs.len() as f64
    );
}
