//! The pipeline as a library, on real files and a real store on disk: what is collected,
//! what the observer is told, in which order, and what the store holds after the commit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;

use datafusion::arrow::array::Array;
use std::path::{Path, PathBuf};

use budsql_ingest::{Failure, Identity, Observer, Quiet, collect, ingest, ingest_with};
use budsql_schema::Document;
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Records what it is told.
#[derive(Default)]
struct Log(Vec<String>);

impl Observer for Log {
    fn read(&mut self, path: &Path, result: Result<&Document, &Failure>) -> std::io::Result<()> {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        self.0.push(match result {
            Ok(d) => format!("read {name}: {} {}", d.identity.year, d.budget_lines.len()),
            Err(f) => format!("failed {name}: {}", f.message.contains("no budget year")),
        });
        Ok(())
    }

    fn duplicate(&mut self, path: &Path, first: &Path, _: &str) -> std::io::Result<()> {
        self.0.push(format!(
            "duplicate {} of {}",
            path.file_name().unwrap().to_string_lossy(),
            first.file_name().unwrap().to_string_lossy()
        ));
        Ok(())
    }

    fn unchanged(&mut self, path: &Path) -> std::io::Result<()> {
        self.0.push(format!(
            "unchanged {}",
            path.file_name().unwrap().to_string_lossy()
        ));
        Ok(())
    }
}

#[test]
fn files_are_collected_sorted_with_hidden_entries_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("b/.hidden")).unwrap();
    for f in [
        "b/2.txt",
        "a.TXT",
        "b/.hidden/x.txt",
        "b/.y.txt",
        "c.csv",
        "b/1.pdf",
    ] {
        std::fs::write(d.join(f), "x").unwrap();
    }
    let got: Vec<String> = collect(&[d.to_path_buf()])
        .unwrap()
        .iter()
        .map(|p| p.strip_prefix(d).unwrap().display().to_string())
        .collect();
    assert_eq!(got, ["a.TXT", "b/1.pdf", "b/2.txt"]);
    assert!(collect(&[d.join("missing")]).is_err());
}

#[test]
fn one_commit_with_failures_and_duplicates_reported() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("in");
    std::fs::create_dir_all(&files).unwrap();
    let seed = repo().join("datasets/sample/qhd_zhengfawei_2023_unit_budget.txt");
    std::fs::copy(&seed, files.join("a.txt")).unwrap();
    std::fs::copy(&seed, files.join("b.txt")).unwrap();
    std::fs::write(files.join("c.txt"), "收支总表\n合计\t1.00\n").unwrap();
    let store = dir.path().join("store");
    let all = collect(&[files]).unwrap();
    let mut log = Log::default();
    let report = ingest(&store, &all, &Identity::default(), &mut log).unwrap();
    assert_eq!(
        log.0,
        [
            "read a.txt: 2023 101",
            "duplicate b.txt of a.txt",
            "failed c.txt: true",
        ]
    );
    assert_eq!(
        (
            report.documents,
            report.added,
            report.duplicates,
            report.failures.len()
        ),
        (1, 1, 1, 1)
    );
    assert!(report.rows > 100, "{}", report.rows);
    let manifest = || std::fs::read(store.join("_budsql/manifest.json")).unwrap();
    let committed = manifest();
    // the same files again: the stored file is not read, its copy is still a copy, and
    // nothing is committed
    let mut log = Log::default();
    let again = ingest(&store, &all[..2], &Identity::default(), &mut log).unwrap();
    assert_eq!(log.0, ["unchanged a.txt", "duplicate b.txt of a.txt"]);
    assert_eq!(
        (again.documents, again.unchanged, again.duplicates),
        (0, 1, 1)
    );
    assert!(manifest() == committed, "nothing new was committed");
    // the failed file is read again
    let mut log = Log::default();
    ingest(&store, &all, &Identity::default(), &mut log).unwrap();
    assert_eq!(log.0[2], "failed c.txt: true");
    // stated identity is part of what was read: another year reads the file again
    let stated = Identity {
        all: budsql_extract::Overrides {
            year: Some(2024),
            ..Default::default()
        },
        ..Default::default()
    };
    let again = ingest(&store, &all[..1], &stated, &mut Quiet).unwrap();
    assert_eq!((again.added, again.replaced, again.unchanged), (0, 1, 0));
    let again = ingest(&store, &all[..1], &stated, &mut Quiet).unwrap();
    assert_eq!((again.documents, again.unchanged), (0, 1));
    // forced: read again and replaced, not duplicated
    let options = budsql_ingest::Options { force: true };
    let again = ingest_with(&store, &all[..1], &stated, &mut Quiet, options).unwrap();
    assert_eq!((again.added, again.replaced, again.unchanged), (0, 1, 0));
}

/// A fingerprint covers the bytes and the stated identity.
#[test]
fn fingerprints() {
    let none = budsql_extract::Overrides::default();
    let year = budsql_extract::Overrides {
        year: Some(2024),
        ..Default::default()
    };
    let a = budsql_ingest::fingerprint(b"abc", &none);
    assert_eq!(a.len(), 16);
    assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(a, budsql_ingest::fingerprint(b"abc", &none));
    assert_ne!(a, budsql_ingest::fingerprint(b"abd", &none));
    assert_ne!(a, budsql_ingest::fingerprint(b"abc", &year));
}

/// Every row of a store's files, per view and partition, as sorted text lines.
fn contents(store: &Path) -> BTreeMap<(String, String), Vec<String>> {
    use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
    let m = budsql_store::Store::open_existing(store)
        .unwrap()
        .manifest()
        .unwrap();
    let mut out: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for f in &m.files {
        let part = f.path.rsplit_once('/').unwrap().0.to_string();
        let file = std::fs::File::open(store.join(&f.path)).unwrap();
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .build()
            .unwrap();
        let lines = out.entry((f.table.clone(), part)).or_default();
        for batch in reader {
            let batch = batch.unwrap();
            let opts = FormatOptions::default().with_null("NULL");
            let cols: Vec<ArrayFormatter> = batch
                .columns()
                .iter()
                .map(|c| ArrayFormatter::try_new(c.as_ref(), &opts).unwrap())
                .collect();
            for i in 0..batch.num_rows() {
                let cells: Vec<String> = cols.iter().map(|c| c.value(i).to_string()).collect();
                lines.push(cells.join("|"));
            }
        }
        lines.sort();
    }
    out
}

/// Files per view and partition.
fn layout(store: &Path) -> BTreeMap<String, usize> {
    let m = budsql_store::Store::open_existing(store)
        .unwrap()
        .manifest()
        .unwrap();
    let mut n = BTreeMap::new();
    for f in &m.files {
        *n.entry(f.path.rsplit_once('/').unwrap().0.to_string())
            .or_default() += 1;
    }
    n
}

/// A store built by one ingest per document holds the rows of one built by a single
/// ingest, in at most two files per view and partition (the base and the newer rows); after
/// `compact`, in one, as the single ingest; every row group of its `budget_lines` files
/// holds one table.
#[test]
fn many_small_ingests_end_as_compact_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let gen_dir = dir.path().join("gen");
    let config = budsql_gen::Config {
        seed: 7,
        units: 12,
        years: vec![2023, 2024],
        finals: 20,
        ..budsql_gen::Config::default()
    };
    budsql_gen::generate(&config, &gen_dir).unwrap();
    let docs = collect(&[gen_dir.join("docs")]).unwrap();
    assert_eq!(docs.len(), 24);

    let one = dir.path().join("one");
    let r = ingest(&one, &docs, &Identity::default(), &mut Quiet).unwrap();
    assert_eq!(r.added, 24);
    let many = dir.path().join("many");
    for d in &docs {
        ingest(
            &many,
            std::slice::from_ref(d),
            &Identity::default(),
            &mut Quiet,
        )
        .unwrap();
    }
    let (a, b) = (layout(&one), layout(&many));
    assert!(a.values().all(|&n| n == 1), "{a:?}");
    assert!(
        a.keys()
            .any(|p| p.starts_with("budget_lines/year=2024/doc_kind=final")),
        "{a:?}"
    );
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    assert!(b.values().all(|&n| n <= 2), "{b:?}");
    assert_eq!(contents(&one), contents(&many));

    let store = budsql_store::Store::open(&many).unwrap();
    let lock = store.lock(false, || {}).unwrap();
    let s = store.compact(&lock).unwrap();
    // it merges exactly where a partition still had two files
    assert_eq!(
        s.files_merged > 0,
        b.values().any(|&n| n == 2),
        "{s:?} {b:?}"
    );
    drop(lock);
    assert_eq!(layout(&many), a);
    assert_eq!(contents(&one), contents(&many));
    // no file left behind: the merged inputs were removed
    let on_disk = walk(&many.join("budget_lines"));
    assert_eq!(
        on_disk.len(),
        a.keys().filter(|p| p.starts_with("budget_lines/")).count()
    );

    // every row group of a budget_lines file holds one table
    let m = budsql_store::Store::open_existing(&many)
        .unwrap()
        .manifest()
        .unwrap();
    let mut groups = 0;
    for f in m.files.iter().filter(|f| f.table == "budget_lines") {
        let file = std::fs::File::open(many.join(&f.path)).unwrap();
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        let reader = builder.build().unwrap();
        let mut last: Option<String> = None;
        let mut seen: Vec<String> = Vec::new();
        for batch in reader {
            let batch = batch.unwrap();
            let names = batch
                .column_by_name("table_name")
                .unwrap()
                .as_any()
                .downcast_ref::<datafusion::arrow::array::StringArray>()
                .unwrap();
            for i in 0..names.len() {
                let n = names.value(i).to_string();
                if last.as_ref() != Some(&n) {
                    // each table's rows are contiguous within the file
                    assert!(!seen.contains(&n), "{}: {n} twice", f.path);
                    seen.push(n.clone());
                    last = Some(n);
                }
            }
        }
        let file = std::fs::File::open(many.join(&f.path)).unwrap();
        let meta = ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .metadata()
            .clone();
        groups += meta.num_row_groups();
        assert!(meta.num_row_groups() >= seen.len(), "{}", f.path);
    }
    assert!(groups > 4, "{groups}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
