//! The commit record: which files make up the store, and which documents they hold.
//!
//! Readers see exactly the files the manifest lists. A commit writes its new files first
//! (under names no other commit uses) and then replaces the manifest with an atomic rename,
//! so an ingest becomes visible all at once or not at all.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{IoContext, StoreError};

/// The manifest format this build reads and writes.
pub const FORMAT: u32 = 1;

/// One data file of the store.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileEntry {
    /// The stored table (= view) the file belongs to.
    pub table: String,
    /// Path relative to the store root, `/`-separated.
    pub path: String,
    pub rows: u64,
    pub bytes: u64,
    /// The documents with rows in this file.
    pub docs: Vec<String>,
}

/// One ingested document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DocEntry {
    pub source_path: String,
    pub year: i32,
    pub doc_kind: String,
    pub unit_name: Option<String>,
    pub rows: u64,
    /// The commit that stored this version of the document.
    pub version: u64,
}

/// A file whose last ingest failed (it holds no rows; a stored earlier version of the same
/// path, if any, is kept).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FailureEntry {
    /// Why, naming the file and, where known, the line.
    pub message: String,
    /// The 1-based line the failure points at, where it points at one.
    pub line: Option<u64>,
    /// The commit that recorded the failure.
    pub version: u64,
}

/// The committed state of a store.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq, Eq)]
pub struct Manifest {
    pub format: u32,
    /// Number of commits so far.
    pub version: u64,
    pub files: Vec<FileEntry>,
    pub documents: BTreeMap<String, DocEntry>,
    /// Files whose last ingest failed, by source path.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub failures: BTreeMap<String, FailureEntry>,
}

impl Manifest {
    /// The manifest's path under a store root.
    pub fn path(root: &Path) -> PathBuf {
        root.join("_budsql").join("manifest.json")
    }

    /// Reads the manifest; an absent one is an empty store.
    pub fn load(root: &Path) -> Result<Manifest, StoreError> {
        let m: Option<Manifest> = read_checked(root)?;
        Ok(m.unwrap_or_else(Manifest::empty))
    }

    /// Reads what a query session needs — the files (without their document lists) and the
    /// failures — skipping the per-document part, which grows with the store.
    pub fn load_files(root: &Path) -> Result<Manifest, StoreError> {
        #[derive(Deserialize)]
        struct File {
            table: String,
            path: String,
            rows: u64,
            bytes: u64,
        }
        #[derive(Deserialize)]
        struct Files {
            format: u32,
            version: u64,
            files: Vec<File>,
            #[serde(default)]
            failures: BTreeMap<String, FailureEntry>,
        }
        impl Versioned for Files {
            fn format(&self) -> u32 {
                self.format
            }
        }
        let Some(m) = read_checked::<Files>(root)? else {
            return Ok(Manifest::empty());
        };
        Ok(Manifest {
            format: m.format,
            version: m.version,
            files: m
                .files
                .into_iter()
                .map(|f| FileEntry {
                    table: f.table,
                    path: f.path,
                    rows: f.rows,
                    bytes: f.bytes,
                    docs: Vec::new(),
                })
                .collect(),
            documents: BTreeMap::new(),
            failures: m.failures,
        })
    }

    fn empty() -> Manifest {
        Manifest {
            format: FORMAT,
            ..Manifest::default()
        }
    }

    /// Replaces the manifest atomically: write aside, flush to disk, rename over.
    pub fn publish(&self, root: &Path) -> Result<(), StoreError> {
        let path = Manifest::path(root);
        let dir = root.join("_budsql");
        let tmp = dir.join(format!("manifest.json.{}.tmp", std::process::id()));
        let json = serde_json::to_vec(self).map_err(|source| StoreError::Manifest {
            path: tmp.clone(),
            source,
        })?;
        let mut f = std::fs::File::create(&tmp).at(&tmp)?;
        f.write_all(&json).at(&tmp)?;
        f.sync_all().at(&tmp)?;
        drop(f);
        std::fs::rename(&tmp, &path).at(&path)?;
        sync_dir(&dir)?;
        Ok(())
    }

    /// Files of one table.
    pub fn files_of<'a>(&'a self, table: &'a str) -> impl Iterator<Item = &'a FileEntry> + 'a {
        self.files.iter().filter(move |f| f.table == table)
    }
}

/// A manifest shape that knows its format number.
trait Versioned {
    fn format(&self) -> u32;
}

impl Versioned for Manifest {
    fn format(&self) -> u32 {
        self.format
    }
}

/// Reads and parses the manifest as `T`, refusing a newer format; `None` when absent.
fn read_checked<T: serde::de::DeserializeOwned + Versioned>(
    root: &Path,
) -> Result<Option<T>, StoreError> {
    let path = Manifest::path(root);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).at(&path),
    };
    let m: T = serde_json::from_slice(&bytes).map_err(|source| StoreError::Manifest {
        path: path.clone(),
        source,
    })?;
    if m.format() > FORMAT {
        return Err(StoreError::Format {
            path,
            found: m.format(),
            supported: FORMAT,
        });
    }
    Ok(Some(m))
}

/// Flushes a directory entry (so a rename survives a crash).
pub fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    std::fs::File::open(dir).and_then(|d| d.sync_all()).at(dir)
}
