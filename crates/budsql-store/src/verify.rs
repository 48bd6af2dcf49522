//! `verify`: a store checked end to end against its manifest; `vacuum`: files no commit
//! references, removed.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::{Path, PathBuf};

use datafusion::arrow::array::{Array, StringArray};
use datafusion::parquet::arrow::ProjectionMask;
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::error::IoContext;
use crate::stats::FileStats;
use crate::{Manifest, Store, StoreError, StoreLock, Table};

/// One thing wrong with a store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A file the manifest lists is missing.
    Missing { path: String },
    /// A listed file does not read as Parquet.
    Unreadable { path: String, error: String },
    /// A listed file's size or row count differs from the manifest's.
    Mismatch { path: String, what: String },
    /// A listed file's columns are not its view's.
    Schema { path: String, error: String },
    /// A document's rows across all files differ from the manifest's count.
    DocumentRows {
        doc_id: String,
        expected: u64,
        found: u64,
    },
    /// A file under the store that no commit references (left by an interrupted ingest).
    Orphan { path: String },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Missing { path } => write!(f, "{path}: listed in the manifest but missing"),
            Problem::Unreadable { path, error } => write!(f, "{path}: does not read: {error}"),
            Problem::Mismatch { path, what } => write!(f, "{path}: {what}"),
            Problem::Schema { path, error } => write!(f, "{path}: {error}"),
            Problem::DocumentRows {
                doc_id,
                expected,
                found,
            } => write!(
                f,
                "document {doc_id}: the manifest counts {expected} rows, the files hold {found}"
            ),
            Problem::Orphan { path } => write!(
                f,
                "{path}: not referenced by the manifest (left by an interrupted ingest; `budsql vacuum` removes it)"
            ),
        }
    }
}

/// What `verify` found.
#[derive(Debug, Default)]
pub struct Verified {
    pub version: u64,
    pub files: usize,
    pub rows: u64,
    pub documents: usize,
    pub problems: Vec<Problem>,
}

impl Verified {
    /// Problems other than orphans: the committed data is not intact.
    pub fn damaged(&self) -> bool {
        self.problems
            .iter()
            .any(|p| !matches!(p, Problem::Orphan { .. }))
    }
}

impl Store {
    /// Checks every file the manifest lists (present, its size, readable, its columns, its
    /// row count), every document's rows across the files, and lists unreferenced files.
    pub fn verify(&self) -> Result<Verified, StoreError> {
        let m = self.manifest()?;
        let mut out = Verified {
            version: m.version,
            files: m.files.len(),
            documents: m.documents.len(),
            ..Verified::default()
        };
        let mut per_doc: BTreeMap<String, u64> = BTreeMap::new();
        for f in &m.files {
            // (in object storage, a downloaded copy, removed once read)
            let Ok(path) = self.local_copy(&f.path) else {
                out.problems.push(Problem::Missing {
                    path: f.path.clone(),
                });
                continue;
            };
            let meta = match std::fs::metadata(&path) {
                Ok(meta) => meta,
                Err(_) => {
                    out.problems.push(Problem::Missing {
                        path: f.path.clone(),
                    });
                    continue;
                }
            };
            if meta.len() != f.bytes {
                out.problems.push(Problem::Mismatch {
                    path: f.path.clone(),
                    what: format!(
                        "{} bytes on disk, the manifest says {}",
                        meta.len(),
                        f.bytes
                    ),
                });
            }
            let read = read_doc_rows(&path, &f.table);
            if self.is_remote() {
                let _ = std::fs::remove_file(&path);
            }
            match read {
                Ok((rows, docs, stats)) => {
                    out.rows += rows;
                    if f.stats.is_some() && f.stats != stats {
                        out.problems.push(Problem::Mismatch {
                            path: f.path.clone(),
                            what: "the manifest's statistics differ from the file's footer".into(),
                        });
                    }
                    if rows != f.rows {
                        out.problems.push(Problem::Mismatch {
                            path: f.path.clone(),
                            what: format!("{rows} rows, the manifest says {}", f.rows),
                        });
                    }
                    for (d, n) in docs {
                        *per_doc.entry(d).or_default() += n;
                    }
                }
                Err(Check::Schema(e)) => out.problems.push(Problem::Schema {
                    path: f.path.clone(),
                    error: e,
                }),
                Err(Check::Read(e)) => out.problems.push(Problem::Unreadable {
                    path: f.path.clone(),
                    error: e,
                }),
            }
        }
        for (id, d) in &m.documents {
            let found = per_doc.get(&**id).copied().unwrap_or(0);
            // the manifest counts the document's rows in every view, its units row included
            if found != d.rows {
                out.problems.push(Problem::DocumentRows {
                    doc_id: id.to_string(),
                    expected: d.rows,
                    found,
                });
            }
        }
        for (p, _) in self.orphans(&m)? {
            out.problems.push(Problem::Orphan { path: p });
        }
        Ok(out)
    }

    /// Files under the store that the manifest does not reference: data files of an
    /// interrupted ingest and manifests it did not publish.
    /// In object storage, each with its last-modified time.
    fn orphans(&self, m: &Manifest) -> Result<Vec<(String, Option<Stamp>)>, StoreError> {
        let listed: BTreeSet<&str> = m.files.iter().map(|f| f.path.as_str()).collect();
        if let Some(r) = &self.remote {
            let mut found: Vec<(String, Option<Stamp>)> = r
                .list()?
                .into_iter()
                .filter(|(p, _, _)| {
                    Table::ALL
                        .iter()
                        .any(|t| p.strip_prefix(t.name()).is_some_and(|r| r.starts_with('/')))
                        && !listed.contains(p.as_str())
                })
                .map(|(p, _, at)| (p, Some(at)))
                .collect();
            found.sort();
            return Ok(found);
        }
        let mut found = Vec::new();
        for t in Table::ALL {
            let dir = self.root().join(t.name());
            walk(&dir, self.root(), &mut found)?;
        }
        let meta = self.root().join("_budsql");
        if let Ok(rd) = std::fs::read_dir(&meta) {
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with("manifest.json.") && name.ends_with(".tmp") {
                    found.push(format!("_budsql/{name}"));
                }
            }
        }
        found.retain(|p| !listed.contains(p.as_str()));
        found.sort();
        Ok(found.into_iter().map(|p| (p, None)).collect())
    }

    /// Removes the files no commit references. Takes the writer's lock, so no ingest is
    /// writing files it has not yet committed.
    ///
    /// In object storage, where writers take no lock, it removes only unreferenced objects
    /// older than the manifest: a writer that wrote them began before the last commit, so
    /// its own commit can no longer succeed (its conditional put names an older manifest),
    /// whereas newer ones may belong to a writer still at work.
    pub fn vacuum(&self, _lock: &StoreLock) -> Result<Vec<String>, StoreError> {
        let m = self.manifest()?;
        if let Some(r) = &self.remote {
            let Some(published) = r.modified(crate::MANIFEST)? else {
                return Ok(Vec::new());
            };
            let mut removed = Vec::new();
            for (p, at) in self.orphans(&m)? {
                if at.is_some_and(|at| at < published) {
                    r.delete(&p)?;
                    removed.push(p);
                }
            }
            return Ok(removed);
        }
        let orphans: Vec<String> = self.orphans(&m)?.into_iter().map(|(p, _)| p).collect();
        for p in &orphans {
            let path = self.root().join(p);
            std::fs::remove_file(&path).at(&path)?;
        }
        // directories left empty
        for t in Table::ALL {
            prune_empty(&self.root().join(t.name()));
        }
        Ok(orphans)
    }
}

type Stamp = chrono::DateTime<chrono::Utc>;

enum Check {
    Read(String),
    Schema(String),
}

/// A file's rows, its rows per document, and the statistics of its footer.
type FileRead = (u64, BTreeMap<String, u64>, Option<FileStats>);

/// Reads a data file of `table` whole: what [`FileRead`] holds.
fn read_doc_rows(path: &Path, table: &str) -> Result<FileRead, Check> {
    let file = File::open(path).map_err(|e| Check::Read(e.to_string()))?;
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| Check::Read(e.to_string()))?;
    let stats = FileStats::of_parquet(builder.metadata());
    let want = Table::ALL
        .iter()
        .find(|t| t.name() == table)
        .map(|t| t.file_schema());
    if let Some(want) = want {
        let got = builder.schema();
        let names = |s: &datafusion::arrow::datatypes::Schema| -> Vec<String> {
            s.fields().iter().map(|f| f.name().clone()).collect()
        };
        let (g, w) = (names(got), names(&want));
        if g != w {
            let missing: Vec<&String> = w.iter().filter(|n| !g.contains(n)).collect();
            return Err(Check::Schema(format!(
                "columns differ from the `{table}` view's (missing: {missing:?})"
            )));
        }
    }
    let idx = builder
        .schema()
        .index_of("doc_id")
        .map_err(|e| Check::Schema(e.to_string()))?;
    let mask = ProjectionMask::roots(builder.parquet_schema(), [idx]);
    let reader = builder
        .with_projection(mask)
        .build()
        .map_err(|e| Check::Read(e.to_string()))?;
    let mut rows = 0u64;
    let mut docs: BTreeMap<String, u64> = BTreeMap::new();
    for batch in reader {
        let batch = batch.map_err(|e| Check::Read(e.to_string()))?;
        rows += batch.num_rows() as u64;
        if let Some(ids) = batch.column(0).as_any().downcast_ref::<StringArray>() {
            for i in 0..ids.len() {
                *docs.entry(ids.value(i).to_string()).or_default() += 1;
            }
        }
    }
    Ok((rows, docs, stats))
}

fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) -> Result<(), StoreError> {
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).at(dir),
    };
    for e in rd {
        let e = e.at(dir)?;
        let p: PathBuf = e.path();
        if p.is_dir() {
            walk(&p, root, out)?;
        } else if let Ok(rel) = p.strip_prefix(root) {
            out.push(
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
            );
        }
    }
    Ok(())
}

fn prune_empty(dir: &Path) {
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            if e.path().is_dir() {
                prune_empty(&e.path());
            }
        }
    }
    let _ = std::fs::remove_dir(dir);
}
