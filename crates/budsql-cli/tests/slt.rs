//! Runs the `.slt` files in `tests/slt/` (sqllogictest) against a real store: the seed and
//! a second unit's copy with one figure changed, ingested through the library.
//! Each file gets its own session. `cargo test --test slt -- FILTER` runs matching files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

#[path = "fixtures.rs"]
mod fixtures;

use async_trait::async_trait;
use budsql_extract::{Overrides, extract};
use budsql_query::{QueryError, Session, SessionOptions, format_decimal};
use budsql_store::Store;
use datafusion::arrow::array::{Array, Decimal128Array};
use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use sqllogictest::{DBOutput, DefaultColumnType};

struct Db {
    session: Session,
}

#[derive(Debug)]
struct DbError(String);
impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for DbError {}
impl From<QueryError> for DbError {
    fn from(e: QueryError) -> Self {
        DbError(e.to_string())
    }
}

#[async_trait]
impl sqllogictest::AsyncDB for Db {
    type Error = DbError;
    type ColumnType = DefaultColumnType;

    async fn run(&mut self, sql: &str) -> Result<DBOutput<DefaultColumnType>, DbError> {
        let mut last = None;
        for st in self.session.parse(sql)? {
            let df = self.session.execute(st).await?;
            let schema = df.schema().as_arrow().clone();
            let batches = df.collect().await.map_err(|e| DbError(e.to_string()))?;
            last = Some((schema, batches));
        }
        let Some((schema, batches)) = last else {
            return Ok(DBOutput::StatementComplete(0));
        };
        if schema.fields().is_empty() {
            return Ok(DBOutput::StatementComplete(0));
        }
        let types = schema
            .fields()
            .iter()
            .map(|f| match f.data_type() {
                t if t.is_integer() => DefaultColumnType::Integer,
                t if t.is_floating() || matches!(t, DataType::Decimal128(..)) => {
                    DefaultColumnType::FloatingPoint
                }
                _ => DefaultColumnType::Text,
            })
            .collect();
        let opts = FormatOptions::default().with_null("NULL");
        let mut rows = Vec::new();
        for b in &batches {
            let mut cols: Vec<Vec<String>> = Vec::new();
            for c in b.columns() {
                let mut v = Vec::with_capacity(c.len());
                if let Some(d) = c.as_any().downcast_ref::<Decimal128Array>() {
                    for i in 0..d.len() {
                        v.push(if d.is_null(i) {
                            "NULL".into()
                        } else {
                            format_decimal(d.value(i), d.scale())
                        });
                    }
                } else {
                    let f = ArrayFormatter::try_new(c.as_ref(), &opts)
                        .map_err(|e| DbError(e.to_string()))?;
                    for i in 0..c.len() {
                        let s = f.value(i).to_string();
                        v.push(if s.is_empty() { "(empty)".into() } else { s });
                    }
                }
                cols.push(v);
            }
            for r in 0..b.num_rows() {
                rows.push(cols.iter().map(|c| c[r].clone()).collect());
            }
        }
        Ok(DBOutput::Rows { types, rows })
    }

    async fn shutdown(&mut self) {}

    fn engine_name(&self) -> &str {
        "budsql"
    }
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The seed, and a copy for a second unit (216002) whose 支出总表 prints 13.90 for 2040604;
/// with `research` (files `research_*.slt`), instead the seed, its unit's 决算 of the same
/// year, the second unit's 预算 (0.00 for 2040604) and 决算, and a real 决算 that prints its
/// 三公 预算数 (国家信访局 2024).
fn build_store(dir: &Path, research: bool) {
    let seed =
        std::fs::read_to_string(repo().join("datasets/sample/qhd_zhengfawei_2023_unit_budget.txt"))
            .unwrap();
    let other = fixtures::other_unit(&seed, true);
    assert_ne!(seed, other);
    let mut texts = vec![("seed.txt", seed.clone())];
    if research {
        let (budget, fin) = fixtures::zero_budget_pair(&seed);
        texts.push(("other.txt", budget));
        texts.push(("other_final.txt", fin));
        texts.push(("final.txt", fixtures::final_of_seed(&seed)));
        // a real 决算 printing its 三公 预算数 beside the 决算数
        let xinfang = "datasets/corpus-national/text/central_xinfang_2024_dept_final.txt";
        texts.push((
            xinfang,
            std::fs::read_to_string(repo().join(xinfang)).unwrap(),
        ));
    } else {
        texts.push(("other.txt", other));
    }
    let docs = texts
        .into_iter()
        .map(|(name, text)| {
            extract(text.as_bytes(), Path::new(name), &Overrides::default()).unwrap()
        })
        .collect();
    let store = Store::open(dir).unwrap();
    let lock = store.lock(false, || {}).unwrap();
    store.commit(&lock, docs).unwrap();
}

fn main() {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    build_store(dir.path(), false);
    let research = tempfile::tempdir().unwrap();
    build_store(research.path(), true);
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/slt"))
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "slt"))
            .filter(|p| {
                filter.is_empty()
                    || filter
                        .iter()
                        .any(|f| p.to_string_lossy().contains(f.as_str()))
            })
            .collect();
    files.sort();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut failed = 0;
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let root = if name.starts_with("research") {
            research.path().to_path_buf()
        } else {
            dir.path().to_path_buf()
        };
        let mut runner = sqllogictest::Runner::new(move || {
            let root = root.clone();
            async move {
                let opts = SessionOptions {
                    target_partitions: Some(2),
                    memory_limit: None,
                    allow_export: false,
                };
                Ok::<_, DbError>(Db {
                    session: Session::open(&root, &opts).await?,
                })
            }
        });
        match rt.block_on(runner.run_file_async(file)) {
            Ok(()) => println!("test slt::{name} ... ok"),
            Err(e) => {
                println!("test slt::{name} ... FAILED\n{e}");
                failed += 1;
            }
        }
    }
    println!(
        "\ntest result: {}. {} passed; {failed} failed",
        if failed == 0 { "ok" } else { "FAILED" },
        files.len() - failed
    );
    if failed > 0 {
        std::process::exit(1);
    }
}
