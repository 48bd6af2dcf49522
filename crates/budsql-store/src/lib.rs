//! The budsql store: extracted documents as hive-partitioned Parquet
//! (`<view>/year=2023/doc_kind=budget/part-….parquet`), LZ4-compressed with page
//! statistics, and a manifest that says which files are committed.
//!
//! One ingest is one commit: it writes one file per view and partition for all the
//! documents of the batch (for `budget_lines`, each row group holds one classified table;
//! rows sorted by unit within a chunk, so unit filters prune row groups), rewrites only the
//! files that held a document being replaced, merges the small files of the partitions it
//! touched ([`compact`]), and publishes a new manifest with an atomic rename. Ingesting the
//! same document again replaces it; nothing else is rewritten.

mod batch;
pub mod compact;
mod error;
mod manifest;
pub mod remote;
mod schema;
pub mod spec;
mod spill;
pub mod stats;
mod verify;

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use budsql_schema::Document;
use datafusion::arrow::array::{Array, BooleanArray, RecordBatch, StringArray, UInt32Array};
use datafusion::arrow::compute::{filter_record_batch, take_record_batch};
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use datafusion::parquet::arrow::arrow_writer::{
    ArrowColumnWriter, ArrowRowGroupWriterFactory, compute_leaves,
};
use datafusion::parquet::basic::Compression;
use datafusion::parquet::errors::ParquetError;
use datafusion::parquet::file::properties::{EnabledStatistics, WriterProperties};
use datafusion::parquet::file::writer::SerializedFileWriter;
use datafusion::parquet::schema::types::ColumnPath;

pub use error::StoreError;
pub use manifest::{DocEntry, DocId, FailureEntry, FileEntry, Manifest};
pub use schema::{Table, amount_type, partition_fields};
pub use verify::{Problem, Verified};

use error::IoContext;

/// Rows per Parquet row group: small enough that unit and code filters prune.
const ROW_GROUP_ROWS: usize = 16 * 1024;

/// Rows per data page. A row group being encoded holds its current page's values
/// unencoded (about 330 bytes a `budget_lines` row, dictionary keys and levels of every
/// column) and its finished pages encoded and compressed (about 20 bytes a row): with the
/// writer's default of 20,000 rows a page, the row groups an ingest encodes at once (one
/// per `budget_lines` table and partition, 140 on a seven-year corpus) passed its buffer
/// budget, were written early as small row groups, and its commit rewrote them. With 2,048
/// rows a page, 10,024 documents are written once (ingest 5.99 → 5.68 s, median of 3;
/// queries 01, 03 and 06 take the same time).
const PAGE_ROWS: usize = 2048;

/// The row groups an open file of an ingest takes before it is closed and the next rows of
/// its view and partition go to a new file: a Parquet writer keeps every row group's
/// metadata (about 20 KB for `budget_lines`) until its file closes, so without a bound an
/// ingest's memory grew with its rows (22 MB more on 30,000 documents than on 10,000; files
/// flushed early to bound the buffers below have many small row groups). The commit merges
/// the files of a partition as it merges any small files. One row group per 4 MB of
/// [`buffer_budget`]: 32 with the default 128 MB.
fn open_file_row_groups() -> usize {
    (buffer_budget() >> 22).max(2)
}

/// Bytes the writers of one ingest may hold in the row groups they are encoding, all views and
/// partitions together (see `Ingest::bound_buffers`): an ingest's memory then stays the
/// same however many documents and partitions it writes. 128 MB rather than 32: on 10,003
/// documents over 14 partitions, ingest 16.7 → 13.4 s, store 41 → 29 MB (fuller row groups),
/// query 05 119 → 61 ms, peak RSS 211 → 310 MB.
const BUFFER_BUDGET: usize = 128 << 20;

/// [`BUFFER_BUDGET`], or `BUDSQL_INGEST_BUFFER_MB` megabytes when set (more memory for
/// fuller row groups in a large ingest).
fn buffer_budget() -> usize {
    std::env::var("BUDSQL_INGEST_BUFFER_MB")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|mb| *mb > 0)
        .map_or(BUFFER_BUDGET, |mb| mb << 20)
}

/// The source files a store holds documents of, each with the fingerprint it was read
/// with: what lets an ingest pass over a file it stored before, unchanged, without reading
/// it again. Kept as two 64-bit hashes a file (16 bytes a document rather than its path):
/// a path whose hash another path shares could only make a file that is stored, with the
/// same content, under the other path count as unchanged.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    by_path: std::collections::HashMap<u64, u64>,
}

impl Sources {
    fn of<'a>(docs: impl Iterator<Item = &'a DocEntry>) -> Sources {
        Sources {
            by_path: docs
                .filter_map(|d| {
                    let h = u64::from_str_radix(d.source_hash.as_deref()?, 16).ok()?;
                    Some((str_hash(&d.source_path), h))
                })
                .collect(),
        }
    }

    /// Whether the store holds the file `source_path` read with this fingerprint.
    pub fn unchanged(&self, source_path: &str, source_hash: &str) -> bool {
        u64::from_str_radix(source_hash, 16)
            .is_ok_and(|h| self.by_path.get(&str_hash(source_path)) == Some(&h))
    }
}

/// A 64-bit hash of a string (a path, a document id), the same in every process: what the
/// in-memory notes of the store's sources and of an ingest key on instead of the string.
pub fn str_hash(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// A store: a folder on disk, or a prefix in object storage (`s3://bucket/prefix`, see
/// [`remote`]).
#[derive(Debug, Clone)]
pub struct Store {
    /// The store's folder; for object storage, the local folder where new files are staged.
    root: PathBuf,
    remote: Option<Arc<remote::Remote>>,
}

/// Held while a process writes to the store; released on drop. (In object storage there is
/// no lock: the conditional put of the manifest decides between concurrent writers.)
#[derive(Debug)]
pub struct StoreLock {
    _file: Option<File>,
}

/// The manifest's path relative to the store.
const MANIFEST: &str = "_budsql/manifest.json";

/// A file of a batch that could not be ingested.
#[derive(Debug, Clone)]
pub struct Failed {
    pub source_path: String,
    pub message: String,
    pub line: Option<u64>,
}

/// What one commit did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommitSummary {
    /// The manifest version after the commit.
    pub version: u64,
    /// Documents new to the store.
    pub added: usize,
    /// Documents that replaced a stored version (same content, or same source path).
    pub replaced: usize,
    pub files_written: usize,
    pub files_removed: usize,
    /// Files merged into larger ones by compaction (see [`compact`]).
    pub files_merged: usize,
    /// Rows written for the committed documents, all views together.
    pub rows: u64,
    /// Times the commit started again because another writer committed first (object
    /// storage only).
    pub retries: u32,
}

impl Store {
    /// Opens the store at `root`, creating its directory when missing.
    pub fn open(root: impl Into<PathBuf>) -> Result<Store, StoreError> {
        let root = root.into();
        if remote::is_remote(&root) {
            return Store::open_remote(&root);
        }
        let meta = root.join("_budsql");
        std::fs::create_dir_all(&meta).at(&meta)?;
        Ok(Store { root, remote: None })
    }

    fn open_remote(location: &Path) -> Result<Store, StoreError> {
        let url = location.to_string_lossy();
        let r = remote::Remote::open(&url)?;
        let root = r.staging().to_path_buf();
        let meta = root.join("_budsql");
        std::fs::create_dir_all(&meta).at(&meta)?;
        Ok(Store {
            root,
            remote: Some(Arc::new(r)),
        })
    }

    /// Opens an existing store without creating anything.
    pub fn open_existing(root: impl Into<PathBuf>) -> Result<Store, StoreError> {
        let root = root.into();
        if remote::is_remote(&root) {
            return Store::open_remote(&root);
        }
        Ok(Store { root, remote: None })
    }

    /// The store's folder; for a store in object storage, the local folder this process
    /// stages files in (see [`Store::location`]).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the store is, as a user names it: its folder, or its `s3://` URL.
    pub fn location(&self) -> String {
        match &self.remote {
            Some(r) => r.url().to_string(),
            None => self.root.display().to_string(),
        }
    }

    /// Whether the store is in object storage.
    pub fn is_remote(&self) -> bool {
        self.remote.is_some()
    }

    /// Whether anything was ever committed to or created at this location.
    pub fn exists(&self) -> Result<bool, StoreError> {
        match &self.remote {
            Some(r) => Ok(r.modified(MANIFEST)?.is_some()),
            None => Ok(self.root.join("_budsql").exists()),
        }
    }

    /// The committed state.
    pub fn manifest(&self) -> Result<Manifest, StoreError> {
        Ok(self.manifest_at()?.0)
    }

    /// The committed files (without their document lists) and failures: what a query reads.
    pub fn manifest_files(&self) -> Result<Manifest, StoreError> {
        match &self.remote {
            Some(r) => match r.get_head(MANIFEST)? {
                Some(bytes) => Manifest::files_from_bytes(&self.manifest_label(), &bytes),
                None => Ok(Manifest::empty()),
            },
            None => Manifest::load_files(&self.root),
        }
    }

    /// The committed state and the version of the manifest object it was read from.
    fn manifest_at(&self) -> Result<(Manifest, remote::Base), StoreError> {
        match &self.remote {
            Some(r) => match r.get(MANIFEST)? {
                Some((bytes, v)) => Ok((
                    Manifest::from_bytes(&self.manifest_label(), &bytes)?,
                    Some(v),
                )),
                None => Ok((Manifest::empty(), None)),
            },
            None => Ok((Manifest::load(&self.root)?, None)),
        }
    }

    fn manifest_label(&self) -> PathBuf {
        PathBuf::from(format!("{}/{MANIFEST}", self.location()))
    }

    /// Publishes `m`: on disk by an atomic rename (the writer's lock excludes other writers);
    /// in object storage by a put conditional on the manifest still being `base`.
    fn publish(
        &self,
        m: &Manifest,
        more: Option<&spill::Spilled>,
        base: &remote::Base,
    ) -> Result<(), StoreError> {
        let Some(r) = &self.remote else {
            return m.publish_with(&self.root, more);
        };
        let bytes = m.bytes_with(more).map_err(|source| StoreError::Manifest {
            path: self.manifest_label(),
            source,
        })?;
        match r.publish(MANIFEST, bytes, base) {
            // A put whose reply was lost (a reset connection, a timeout) is sent again by
            // the client, and the store refuses the second one: the manifest in place may be
            // this very one. Its files carry this writer's token, so an equal file list of
            // the same version is this commit.
            Err(StoreError::Conflict { url }) => {
                let ours = self.manifest_files().is_ok_and(|now| {
                    now.version == m.version
                        && now.files.len() == m.files.len()
                        && now
                            .files
                            .iter()
                            .zip(&m.files)
                            .all(|(a, b)| a.path == b.path)
                });
                if ours {
                    Ok(())
                } else {
                    Err(StoreError::Conflict { url })
                }
            }
            other => other,
        }
    }

    /// Uploads the files of `files` that `old` does not list and that are not in `uploaded`
    /// yet (object storage only), adding them to it.
    fn upload_new(
        &self,
        files: &[FileEntry],
        old: &Manifest,
        uploaded: &mut BTreeSet<String>,
    ) -> Result<(), StoreError> {
        let Some(r) = &self.remote else {
            return Ok(());
        };
        let before: BTreeSet<&str> = old.files.iter().map(|f| f.path.as_str()).collect();
        let todo: Vec<&FileEntry> = files
            .iter()
            .filter(|f| !before.contains(f.path.as_str()) && !uploaded.contains(&f.path))
            .collect();
        for f in todo {
            r.upload(&f.path, &self.root.join(&f.path))?;
            uploaded.insert(f.path.clone());
        }
        Ok(())
    }

    /// A local copy of a committed file to read: the file itself on disk; in object storage
    /// a download into the staging folder (once).
    pub(crate) fn local_copy(&self, rel: &str) -> Result<PathBuf, StoreError> {
        let path = self.root.join(rel);
        if let Some(r) = &self.remote
            && !path.exists()
        {
            r.download(rel, &path)?;
        }
        Ok(path)
    }

    /// Removes a file of the store (failures ignored: a reader may still hold it open, and
    /// `vacuum` removes what stays).
    pub(crate) fn remove(&self, rel: &str) {
        if let Some(r) = &self.remote {
            let _ = r.delete(rel);
        }
        let _ = std::fs::remove_file(self.root.join(rel));
    }

    /// The name of a new data file: unique to its commit (and in object storage to its
    /// writer, since two writers may begin from the same version).
    pub(crate) fn file_name(
        &self,
        table: &str,
        year: i32,
        kind: &str,
        version: u64,
        seq: usize,
    ) -> String {
        match &self.remote {
            Some(r) => format!(
                "{table}/year={year}/doc_kind={kind}/part-{version:08}-{}-{seq:04}.parquet",
                r.token()
            ),
            None => {
                format!("{table}/year={year}/doc_kind={kind}/part-{version:08}-{seq:04}.parquet")
            }
        }
    }

    /// Whether a failed commit of `version` was nonetheless published.
    fn published(&self, version: u64, e: &StoreError) -> bool {
        !matches!(e, StoreError::Conflict { .. })
            && self.manifest_files().is_ok_and(|m| m.version == version)
    }

    /// Merges the small files of every view and partition into one (see [`compact`]) in a
    /// commit of its own: the documents stay as they are; readers see the store before or
    /// after, never between.
    pub fn compact(&self, _lock: &StoreLock) -> Result<CommitSummary, StoreError> {
        let (old, base) = self.manifest_at()?;
        if compact::plan(
            &old.files,
            compact::Policy::Full,
            &BTreeSet::new(),
            &BTreeSet::new(),
        )
        .is_empty()
        {
            return Ok(CommitSummary {
                version: old.version,
                ..CommitSummary::default()
            });
        }
        let version = old.version + 1;
        let mut files = old.files.clone();
        let (mut seq, mut created, mut removed) = (0, Vec::new(), Vec::new());
        let result = compact::apply(
            self,
            compact::Policy::Full,
            &BTreeSet::new(),
            &mut files,
            version,
            &mut seq,
            &mut created,
            &mut removed,
        )
        .and_then(|(written, merged)| {
            files.sort_by(|a, b| a.path.cmp(&b.path));
            self.upload_new(&files, &old, &mut BTreeSet::new())?;
            let m = Manifest {
                version,
                files,
                ..old
            };
            self.publish(&m, None, &base)?;
            Ok((written, merged))
        });
        match result {
            Ok((written, merged)) => {
                for p in &removed {
                    self.remove(p);
                }
                Ok(CommitSummary {
                    version,
                    files_written: written,
                    files_removed: removed.len(),
                    files_merged: merged,
                    ..CommitSummary::default()
                })
            }
            Err(e) => {
                if !self.published(version, &e) {
                    for p in &created {
                        self.remove(p);
                    }
                }
                Err(e)
            }
        }
    }

    /// Takes the writer's lock. With `wait`, blocks until another writer is done (calling
    /// `on_wait` once first); without, fails with [`StoreError::Busy`].
    pub fn lock(&self, wait: bool, on_wait: impl FnOnce()) -> Result<StoreLock, StoreError> {
        if self.remote.is_some() {
            return Ok(StoreLock { _file: None });
        }
        let path = self.root.join("_budsql").join("lock");
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .at(&path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                if !wait {
                    return Err(StoreError::Busy { path });
                }
                on_wait();
                file.lock().at(&path)?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(e).at(&path),
        }
        Ok(StoreLock { _file: Some(file) })
    }

    /// Commits a batch of documents: adds new ones, replaces stored versions of the same
    /// document (same `doc_id`, or same source path), and publishes the result atomically.
    pub fn commit(
        &self,
        lock: &StoreLock,
        docs: Vec<Document>,
    ) -> Result<CommitSummary, StoreError> {
        self.commit_with_failures(lock, docs, Vec::new())
    }

    /// [`Store::commit`], also recording the files of the batch that failed (by source
    /// path; a later successful ingest of the path clears its entry).
    pub fn commit_with_failures(
        &self,
        lock: &StoreLock,
        docs: Vec<Document>,
        failed: Vec<Failed>,
    ) -> Result<CommitSummary, StoreError> {
        let mut ingest = self.begin(lock)?;
        ingest.add(&docs)?;
        ingest.commit(failed)
    }

    /// Starts an ingest: documents added to it are written aside, into one new file per
    /// view and partition, and become visible together at [`Ingest::commit`].
    pub fn begin<'a>(&'a self, _lock: &'a StoreLock) -> Result<Ingest<'a>, StoreError> {
        let (old, base) = self.manifest_at()?;
        Ok(Ingest {
            store: self,
            version: old.version + 1,
            old,
            base,
            open: BTreeMap::new(),
            incoming: spill::Spill::new(&self.root.join("_budsql"))?,
            ids: Vec::new(),
            closed: Vec::new(),
            seq: 0,
            rows: 0,
        })
    }

    fn open_writer(
        &self,
        rel: &str,
        schema: datafusion::arrow::datatypes::SchemaRef,
    ) -> Result<ArrowWriter<File>, StoreError> {
        let path = self.root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).at(dir)?;
        }
        let file = File::create(&path).at(&path)?;
        // Statistics per column chunk, no page index: a row group of 16,384 rows is one
        // data page per column (the writer's limits are 20,000 rows and 1 MB a page), so
        // page statistics and offsets only repeat the chunk's, and the writer holds them
        // for every row group until the file closes.
        let mut props = WriterProperties::builder()
            .set_compression(Compression::LZ4_RAW)
            .set_statistics_enabled(EnabledStatistics::Chunk)
            .set_offset_index_disabled(true)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_data_page_row_count_limit(PAGE_ROWS);
        // None for amounts: the writer encodes a decimal column's values into one buffer per
        // row group, and a chunk's minimum and maximum are slices of it, which keep all of
        // it alive until the file closes — an ingest's memory grew with every amount it
        // wrote (55 MB of the heap on 30,000 documents, most of the growth on 100,000). No
        // query prunes by an amount's range.
        for f in schema.fields() {
            if matches!(
                f.data_type(),
                datafusion::arrow::datatypes::DataType::Decimal128(..)
            ) {
                props = props.set_column_statistics_enabled(
                    ColumnPath::from(f.name().as_str()),
                    EnabledStatistics::None,
                );
            }
        }
        let props = props.build();
        ArrowWriter::try_new(file, schema, Some(props)).at(&path)
    }

    /// Writes `batches` (at least one) as the file `rel`: its size and statistics.
    fn write_file(
        &self,
        rel: &str,
        batches: &[RecordBatch],
    ) -> Result<(u64, Option<stats::FileStats>), StoreError> {
        let path = self.root.join(rel);
        let schema = match batches.first() {
            Some(b) => b.schema(),
            None => return Ok((0, None)),
        };
        let mut w = self.open_writer(rel, schema)?;
        for b in batches {
            w.write(b).at(&path)?;
        }
        close_writer(w, &path)
    }

    /// Writes a copy of `f` without the rows of `drop` under `name`; `None` when nothing stays.
    fn rewrite_without(
        &self,
        f: &FileEntry,
        drop: &BTreeSet<DocId>,
        name: &str,
    ) -> Result<Option<FileEntry>, StoreError> {
        let path = self.local_copy(&f.path)?;
        let file = File::open(&path).at(&path)?;
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)
            .at(&path)?
            .build()
            .at(&path)?;
        let mut kept = Vec::new();
        for batch in reader {
            let batch = batch?;
            let ids = doc_ids(&batch);
            let mask: BooleanArray = (0..batch.num_rows())
                .map(|i| Some(!ids.is_some_and(|a| drop.contains(a.value(i)))))
                .collect();
            let b = filter_record_batch(&batch, &mask)?;
            if b.num_rows() > 0 {
                kept.push(b);
            }
        }
        let rows: usize = kept.iter().map(RecordBatch::num_rows).sum();
        if rows == 0 {
            return Ok(None);
        }
        let (bytes, stats) = self.write_file(name, &kept)?;
        // (ids shared with the file's entry where it lists them)
        let listed: BTreeMap<&str, &DocId> = f.docs.iter().map(|d| (&**d, d)).collect();
        let mut docs: BTreeSet<DocId> = BTreeSet::new();
        for b in &kept {
            docs.extend(docs_in(b).into_iter().map(|d| match listed.get(d) {
                Some(&id) => id.clone(),
                None => DocId::from(d),
            }));
        }
        Ok(Some(FileEntry {
            table: f.table.clone(),
            path: name.to_string(),
            rows: rows as u64,
            bytes,
            docs: docs.into_iter().collect(),
            stats,
        }))
    }
}

/// Ends a file: footer written, flushed to disk; its size and statistics.
pub(crate) fn close_writer(
    mut writer: ArrowWriter<File>,
    path: &Path,
) -> Result<(u64, Option<stats::FileStats>), StoreError> {
    let meta = writer.finish().at(path)?;
    synced(writer.inner(), &meta, path)
}

/// The size and statistics of a file whose footer is written, once it is on disk.
fn synced(
    file: &File,
    meta: &datafusion::parquet::file::metadata::ParquetMetaData,
    path: &Path,
) -> Result<(u64, Option<stats::FileStats>), StoreError> {
    let stats = stats::FileStats::of_parquet(meta);
    file.sync_all().at(path)?;
    let bytes = file.metadata().at(path)?.len();
    Ok((bytes, stats))
}

/// Writes an open file's pending rows and closes it: its manifest entry, its documents' ids
/// taken from `ids`.
fn finish_file(mut f: OpenFile, root: &Path, ids: &[DocId]) -> Result<FileEntry, StoreError> {
    let clusters: Vec<String> = f.pending.keys().cloned().collect();
    for c in clusters {
        f.write_pending(root, &c)?;
    }
    let path = root.join(&f.path);
    let meta = f.writer.finish().at(&path)?;
    let (bytes, stats) = synced(f.writer.inner(), &meta, &path)?;
    Ok(FileEntry {
        table: f.table.to_string(),
        path: f.path,
        rows: f.rows,
        bytes,
        docs: f
            .docs
            .iter()
            .filter_map(|&i| ids.get(i as usize).cloned())
            .collect::<BTreeSet<DocId>>()
            .into_iter()
            .collect(),
        stats,
    })
}

/// A test hook for the crash-safety test: with `BUDSQL_PAUSE_AT=<stage>` in the
/// environment, the process stops at that stage (saying so on stderr) until it is killed.
/// Stages: `parsing` (first document parsed, nothing written), `writing` (a chunk written,
/// files open), `closed` (new files complete), `rewritten` (replaced files rewritten),
/// `compacted` (small files merged), `published` (manifest renamed, superseded files not yet removed).
/// `uploaded` (object storage: new files uploaded, manifest not yet replaced). With
/// `BUDSQL_RESUME_FILE=<path>` too, the process goes on once that file exists (so that a
/// test can let another writer commit in between).
pub fn pause_at(stage: &str) {
    if std::env::var("BUDSQL_PAUSE_AT").is_ok_and(|s| s == stage) {
        eprintln!("budsql: paused at {stage}");
        let resume = std::env::var_os("BUDSQL_RESUME_FILE").map(PathBuf::from);
        loop {
            if resume.as_ref().is_some_and(|p| p.exists()) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

/// What an ingest writes one file for: view, year and document kind.
type WriterKey = (&'static str, i32, &'static str);

/// The clusters of a view's batch, each written to row groups of its own: `budget_lines` by
/// `table_name` (so that each row group holds one table, and a filter on the table — which
/// nearly every query of the view has — prunes the others by their statistics); the other
/// views are one cluster. Row order is kept within a cluster.
fn clusters(table: Table, batch: RecordBatch) -> Result<Vec<(String, RecordBatch)>, StoreError> {
    let names = batch
        .column_by_name("table_name")
        .and_then(|c| c.as_any().downcast_ref::<StringArray>());
    let (Table::BudgetLines, Some(names)) = (table, names) else {
        return Ok(vec![(String::new(), batch)]);
    };
    let mut rows: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for i in 0..names.len() {
        rows.entry(names.value(i))
            .or_default()
            .push(u32::try_from(i).unwrap_or(u32::MAX));
    }
    if rows.len() <= 1 {
        let name = rows
            .keys()
            .next()
            .map(|n| n.to_string())
            .unwrap_or_default();
        return Ok(vec![(name, batch)]);
    }
    let mut out = Vec::with_capacity(rows.len());
    for (name, idx) in rows {
        let b = take_record_batch(&batch, &UInt32Array::from(idx))?;
        out.push((name.to_string(), b));
    }
    Ok(out)
}

/// A file being written by an ingest: one per view and partition, each of its clusters
/// encoded into a row group of its own as its rows come, the row group appended to the
/// file once full.
struct OpenFile {
    table: &'static str,
    path: String,
    writer: SerializedFileWriter<File>,
    factory: ArrowRowGroupWriterFactory,
    schema: SchemaRef,
    rows: u64,
    /// The documents with rows in the file, by their place in [`Ingest::ids`] (an index
    /// rather than a copy of the id: on 100,000 documents, one id per document and view
    /// held for the whole ingest).
    docs: Vec<u32>,
    /// The row group being encoded for each cluster.
    pending: BTreeMap<String, Pending>,
}

/// The row group of one cluster being encoded: its finished pages are held encoded and
/// compressed (see [`PAGE_ROWS`]), so that the clusters of many partitions fill whole row
/// groups before the ingest's buffer budget makes any flush early. (Rows used to wait as
/// Arrow batches, about 600 bytes a `budget_lines` row: a 10,000-document ingest flushed
/// most row groups early, and its commit rewrote every `budget_lines` file to gather them.)
struct Pending {
    writers: Vec<ArrowColumnWriter>,
    rows: usize,
}

impl OpenFile {
    /// Encodes `batch` into `cluster`'s row group, appending each row group to the file as
    /// it reaches [`ROW_GROUP_ROWS`].
    fn write(&mut self, root: &Path, cluster: &str, batch: &RecordBatch) -> Result<(), StoreError> {
        let path = root.join(&self.path);
        let n = batch.num_rows();
        let mut at = 0;
        while at < n {
            let index = self.writer.flushed_row_groups().len();
            let p = match self.pending.get_mut(cluster) {
                Some(p) => p,
                None => {
                    let writers = self.factory.create_column_writers(index).at(&path)?;
                    self.pending
                        .entry(cluster.to_string())
                        .or_insert(Pending { writers, rows: 0 })
                }
            };
            let take = ROW_GROUP_ROWS.saturating_sub(p.rows).min(n - at);
            if take == 0 {
                // (a full row group is written as it fills; this one is, should it not be)
                self.write_pending(root, cluster)?;
                continue;
            }
            let part = batch.slice(at, take);
            let mut writers = p.writers.iter_mut();
            for (field, column) in self.schema.fields().iter().zip(part.columns()) {
                for leaf in compute_leaves(field, column).at(&path)? {
                    match writers.next() {
                        Some(w) => w.write(&leaf).at(&path)?,
                        None => {
                            return Err(ParquetError::General(
                                "more columns than the file's schema".into(),
                            ))
                            .at(&path);
                        }
                    }
                }
            }
            p.rows += take;
            at += take;
            if p.rows >= ROW_GROUP_ROWS {
                self.write_pending(root, cluster)?;
            }
        }
        Ok(())
    }

    /// Appends the row group being encoded for `cluster` (smaller than a full one, when
    /// the ingest's memory or the end of the file asks) to the file.
    fn write_pending(&mut self, root: &Path, cluster: &str) -> Result<(), StoreError> {
        let Some(p) = self.pending.remove(cluster) else {
            return Ok(());
        };
        if p.rows == 0 {
            return Ok(());
        }
        let path = root.join(&self.path);
        let mut group = self.writer.next_row_group().at(&path)?;
        for w in p.writers {
            w.close()
                .at(&path)?
                .append_to_row_group(&mut group)
                .at(&path)?;
        }
        group.close().at(&path)?;
        Ok(())
    }

    /// Bytes held by the row groups being encoded.
    fn pending_bytes(&self) -> usize {
        self.pending.values().map(Pending::bytes).sum()
    }
}

impl Pending {
    /// Bytes held by the row group's column writers.
    fn bytes(&self) -> usize {
        self.writers
            .iter()
            .map(ArrowColumnWriter::memory_size)
            .sum()
    }
}

/// An ingest in progress (see [`Store::begin`]): nothing it writes is visible until
/// [`Ingest::commit`]; dropped without a commit, it leaves only unreferenced files (which
/// readers never see and `vacuum` removes).
pub struct Ingest<'a> {
    store: &'a Store,
    old: Manifest,
    base: remote::Base,
    version: u64,
    open: BTreeMap<WriterKey, OpenFile>,
    /// The manifest entries of the documents added (written aside until the commit).
    incoming: spill::Spill,
    /// The ids of the documents added, in the order they came.
    ids: Vec<DocId>,
    /// Files closed before the commit (see [`open_file_row_groups`]).
    closed: Vec<FileEntry>,
    seq: usize,
    rows: u64,
}

impl Ingest<'_> {
    /// Whether a document with this id was already added to this ingest.
    pub fn contains(&self, doc_id: &str) -> bool {
        self.incoming.contains(doc_id)
    }

    /// The source files of the store's documents with the fingerprints they were read with
    /// (see [`Sources`]).
    pub fn sources(&self) -> Sources {
        Sources::of(self.old.documents.values().map(|d| &**d))
    }

    /// The source path of the stored document `doc_id` (stored before this ingest began).
    pub fn stored_path(&self, doc_id: &str) -> Option<&str> {
        self.old
            .documents
            .get(doc_id)
            .map(|d| d.source_path.as_str())
    }

    /// Writes the rows of `docs` (a chunk of the batch; the first copy of a document wins).
    pub fn add(&mut self, docs: &[Document]) -> Result<(), StoreError> {
        let mut parts: BTreeMap<(i32, &'static str), Vec<(u32, &Document)>> = BTreeMap::new();
        for d in docs {
            if self.incoming.contains(d.identity.doc_id.as_str()) {
                continue;
            }
            let idx = u32::try_from(self.ids.len()).map_err(|_| StoreError::TooManyDocuments)?;
            let id = DocId::from(d.identity.doc_id.as_str());
            self.ids.push(id.clone());
            self.incoming.push(
                id,
                &DocEntry {
                    source_path: d.unit.source_path.clone(),
                    year: d.identity.year,
                    doc_kind: d.identity.doc_kind.as_str().to_string(),
                    unit_name: d.identity.unit_name.clone(),
                    rows: d.row_count() as u64,
                    version: self.version,
                    unit_key: d.identity.unit_key(),
                    name_key: budsql_schema::unit_key(
                        d.identity.region.as_deref(),
                        None,
                        d.identity.unit_name.as_deref(),
                    ),
                    source_hash: d.unit.source_hash.clone(),
                },
            )?;
            parts
                .entry((d.identity.year, d.identity.doc_kind.as_str()))
                .or_default()
                .push((idx, d));
        }
        for ((year, kind), mut group) in parts {
            // within a chunk, rows in unit order (row-group statistics then prune unit filters)
            group.sort_by(|(_, a), (_, b)| {
                (
                    &a.identity.unit_code,
                    &a.identity.unit_name,
                    &a.identity.doc_id,
                )
                    .cmp(&(
                        &b.identity.unit_code,
                        &b.identity.unit_name,
                        &b.identity.doc_id,
                    ))
            });
            let docs: Vec<&Document> = group.iter().map(|(_, d)| *d).collect();
            for table in Table::ALL {
                let batch = batch::build(table, &docs)?;
                if batch.num_rows() == 0 {
                    continue;
                }
                for (cluster, batch) in clusters(table, batch)? {
                    self.write(table, year, kind, cluster, &batch)?;
                }
                let view = spec::view(table);
                if let Some(f) = self.open.get_mut(&(table.name(), year, kind)) {
                    f.docs.extend(
                        group
                            .iter()
                            .filter(|(_, d)| view.row_count(d) > 0)
                            .map(|(i, _)| *i),
                    );
                }
            }
        }
        self.bound_buffers()?;
        self.close_full()?;
        pause_at("writing");
        Ok(())
    }

    /// Closes the open files that hold [`open_file_row_groups`] row groups.
    fn close_full(&mut self) -> Result<(), StoreError> {
        let cap = open_file_row_groups();
        let full: Vec<WriterKey> = self
            .open
            .iter()
            .filter(|(_, f)| f.writer.flushed_row_groups().len() >= cap)
            .map(|(k, _)| *k)
            .collect();
        for k in full {
            if let Some(f) = self.open.remove(&k) {
                // (a file that fails to close is removed: no entry will name it)
                let path = f.path.clone();
                match finish_file(f, &self.store.root, &self.ids) {
                    Ok(entry) => self.closed.push(entry),
                    Err(e) => {
                        self.store.remove(&path);
                        return Err(e);
                    }
                }
            }
        }
        Ok(())
    }

    /// Writes `batch` to the open file of its view, partition and cluster (opened on first
    /// use).
    fn write(
        &mut self,
        table: Table,
        year: i32,
        kind: &'static str,
        cluster: String,
        batch: &RecordBatch,
    ) -> Result<(), StoreError> {
        if batch.num_rows() == 0 {
            return Ok(());
        }
        let key = (table.name(), year, kind);
        let f = match self.open.entry(key) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => {
                self.seq += 1;
                let name = self
                    .store
                    .file_name(table.name(), year, kind, self.version, self.seq);
                let schema = batch.schema();
                let (writer, factory) = self
                    .store
                    .open_writer(&name, schema.clone())?
                    .into_serialized_writer()
                    .at(self.store.root.join(&name))?;
                e.insert(OpenFile {
                    table: table.name(),
                    path: name,
                    writer,
                    factory,
                    schema,
                    rows: 0,
                    docs: Vec::new(),
                    pending: BTreeMap::new(),
                })
            }
        };
        f.rows += batch.num_rows() as u64;
        self.rows += batch.num_rows() as u64;
        f.write(&self.store.root, &cluster, batch)
    }

    /// Keeps the row groups the open files are encoding within [`BUFFER_BUDGET`] together:
    /// past it, the largest are written early, as smaller row groups.
    fn bound_buffers(&mut self) -> Result<(), StoreError> {
        let mut total: usize = self.open.values().map(OpenFile::pending_bytes).sum();
        let budget = buffer_budget();
        if total <= budget {
            return Ok(());
        }
        let mut sizes: Vec<(usize, WriterKey, String)> = self
            .open
            .iter()
            .flat_map(|(k, f)| {
                f.pending
                    .iter()
                    .map(move |(c, p)| (p.bytes(), *k, c.clone()))
            })
            .collect();
        sizes.sort_by_key(|s| std::cmp::Reverse(s.0));
        for (size, key, cluster) in sizes {
            if total <= budget / 2 {
                break;
            }
            if let Some(f) = self.open.get_mut(&key) {
                f.write_pending(&self.store.root, &cluster)?;
            }
            total = total.saturating_sub(size);
        }
        Ok(())
    }

    /// Finishes the new files, rewrites the stored files that held a replaced document
    /// (same `doc_id` or same source path) without it, records `failed`, and publishes
    /// the new manifest with an atomic rename.
    pub fn commit(self, failed: Vec<Failed>) -> Result<CommitSummary, StoreError> {
        let store = self.store;
        let mut version = self.version;
        let mut created: Vec<String> = self
            .open
            .values()
            .map(|f| f.path.clone())
            .chain(self.closed.iter().map(|f| f.path.clone()))
            .collect();
        let result = self.commit_inner(&failed, &mut created, &mut version);
        if let Err(e) = &result {
            // nothing of a failed commit stays behind, unless its manifest was published
            if !store.published(version, e) {
                for p in &created {
                    store.remove(p);
                }
            }
        }
        result
    }

    /// Gives up: the files written so far are removed; the store stays as it was.
    pub fn abort(self) {
        for (_, f) in self.open {
            let path = self.store.root.join(&f.path);
            drop(f.writer);
            let _ = std::fs::remove_file(path);
        }
        for f in self.closed {
            let _ = std::fs::remove_file(self.store.root.join(&f.path));
        }
    }

    /// Closes the new files, then publishes them on the current manifest. In object storage,
    /// where writers take no lock, a commit that loses the race for the manifest (another
    /// writer committed since this one began) starts again from the new manifest: the new
    /// files stay as they are, the rewrites of replaced documents and the merges are done
    /// again; after [`MAX_ATTEMPTS`] the commit fails with [`StoreError::Conflict`].
    fn commit_inner(
        self,
        failed: &[Failed],
        created: &mut Vec<String>,
        version: &mut u64,
    ) -> Result<CommitSummary, StoreError> {
        let Ingest {
            store,
            mut old,
            mut base,
            version: _,
            open,
            incoming,
            ids,
            closed,
            mut seq,
            rows,
        } = self;
        let mut fresh: Vec<FileEntry> = closed;
        for (_, f) in open {
            fresh.push(finish_file(f, &store.root, &ids)?);
        }
        // (in path order, as one ingest's files were before some closed early)
        fresh.sort_by(|a, b| a.path.cmp(&b.path));
        let incoming = incoming.finish()?;
        pause_at("closed");
        let mut uploaded: BTreeSet<String> = BTreeSet::new();
        let mut retries = 0;
        loop {
            let mut made = Vec::new();
            let attempt = Attempt {
                store,
                old: &old,
                base: &base,
                version: *version,
                fresh: &fresh,
                incoming: &incoming,
                failed,
            };
            let result = attempt.publish(&mut seq, &mut made, &mut uploaded);
            // An attempt also fails for a file of its manifest that another writer, having
            // committed since, superseded and deleted (missing when it is downloaded to be
            // rewritten or merged): lost like a refused put, if the manifest moved.
            let lost = match &result {
                Err(StoreError::Conflict { .. }) => true,
                Err(_) if store.is_remote() => store
                    .manifest_files()
                    .is_ok_and(|now| now.version != old.version),
                _ => false,
            };
            match result {
                Err(_) if lost && retries + 1 < MAX_ATTEMPTS => {
                    // this attempt's rewrites and merges are discarded; the new files stay
                    for p in &made {
                        store.remove(p);
                        uploaded.remove(p);
                    }
                    retries += 1;
                    (old, base) = store.manifest_at()?;
                    // (the documents' entries take the version as the manifest is written)
                    *version = old.version + 1;
                }
                Ok(Some(mut summary)) => {
                    // new files uploaded by a lost attempt and merged away in this one
                    let kept: BTreeSet<&str> = summary.files.iter().map(String::as_str).collect();
                    for p in uploaded.iter().filter(|p| !kept.contains(p.as_str())) {
                        store.remove(p);
                    }
                    summary.summary.rows = rows;
                    summary.summary.retries = retries;
                    return Ok(summary.summary);
                }
                Ok(None) => {
                    return Ok(CommitSummary {
                        version: old.version,
                        ..CommitSummary::default()
                    });
                }
                Err(e) => {
                    created.extend(made);
                    created.extend(uploaded);
                    return Err(e);
                }
            }
        }
    }
}

/// Commits a store in object storage tries before giving up to a [`StoreError::Conflict`].
const MAX_ATTEMPTS: u32 = 8;

/// One attempt to publish an ingest's new files on a given manifest.
struct Attempt<'a> {
    store: &'a Store,
    old: &'a Manifest,
    base: &'a remote::Base,
    version: u64,
    fresh: &'a [FileEntry],
    incoming: &'a spill::Spilled,
    failed: &'a [Failed],
}

/// A published attempt: what it did, and the files of its manifest.
struct Published {
    summary: CommitSummary,
    files: Vec<String>,
}

impl Attempt<'_> {
    /// Rewrites the files of replaced documents, merges small files, uploads (object
    /// storage) and publishes; `None` when there was nothing to commit. Files this attempt
    /// makes are added to `made`, uploads to `uploaded`.
    fn publish(
        &self,
        seq: &mut usize,
        made: &mut Vec<String>,
        uploaded: &mut BTreeSet<String>,
    ) -> Result<Option<Published>, StoreError> {
        let Attempt {
            store,
            old,
            base,
            version,
            fresh,
            incoming,
            failed,
        } = *self;
        // One pass over the new documents' entries (read back one at a time): the stored
        // documents they replace (same id, or same source path), how many are new, the
        // failures they clear, and their unit keys.
        let mut by_path: std::collections::HashMap<&str, Vec<&DocId>> =
            std::collections::HashMap::new();
        for (id, d) in &old.documents {
            by_path.entry(d.source_path.as_str()).or_default().push(id);
        }
        let mut failures = old.failures.clone();
        let mut replaced: BTreeSet<DocId> = BTreeSet::new();
        let mut added = 0;
        let mut aliases = manifest::AliasSet::default();
        for item in incoming.entries() {
            let (id, d) = item?;
            failures.remove(&d.source_path);
            let same_path = by_path.get(d.source_path.as_str());
            if !old.documents.contains_key(id) && same_path.is_none() {
                // new: it takes the place of no stored document
                added += 1;
            }
            if old.documents.contains_key(id) {
                replaced.insert(id.clone());
            }
            replaced.extend(same_path.into_iter().flatten().map(|i| (*i).clone()));
            aliases.add(&d);
        }
        drop(by_path);
        for f in failed {
            failures.insert(
                f.source_path.clone(),
                FailureEntry {
                    message: f.message.clone(),
                    line: f.line,
                    version,
                },
            );
        }
        if incoming.is_empty() && failures == old.failures {
            return Ok(None);
        }
        let mut files: Vec<FileEntry> = fresh.to_vec();
        let mut written = fresh.len();
        let mut removed: Vec<String> = Vec::new();
        for f in &old.files {
            if !f.docs.iter().any(|d| replaced.contains(d)) {
                files.push(f.clone());
                continue;
            }
            removed.push(f.path.clone());
            let (year, kind) = partition_of(&f.path);
            *seq += 1;
            let name = store.file_name(&f.table, year, &kind, version, *seq);
            made.push(name.clone());
            if let Some(entry) = store.rewrite_without(f, &replaced, &name)? {
                files.push(entry);
                written += 1;
            }
        }
        pause_at("rewritten");
        let own: BTreeSet<String> = fresh
            .iter()
            .map(|f| f.path.clone())
            .chain(made.iter().cloned())
            .collect();
        let (w, merged_away) = compact::apply(
            store,
            compact::Policy::Commit,
            &own,
            &mut files,
            version,
            seq,
            made,
            &mut removed,
        )?;
        written += w;
        pause_at("compacted");
        let mut documents = old.documents.clone();
        documents.retain(|id, _| !replaced.contains(id));
        for d in documents.values() {
            aliases.add(d);
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let unit_aliases = aliases.finish();
        let manifest = Manifest {
            format: manifest::FORMAT,
            version,
            files,
            has_unit_aliases: !unit_aliases.is_empty(),
            unit_aliases,
            documents,
            failures,
            head: None,
        };
        store.upload_new(&manifest.files, old, uploaded)?;
        pause_at("uploaded");
        // (the new documents' entries are merged in as the manifest is written)
        store.publish(&manifest, Some(incoming), base)?;
        pause_at("published");
        // Superseded files are no longer referenced; remove them (a reader that planned a
        // query before the commit may still be reading one, so failures are ignored).
        for p in &removed {
            store.remove(p);
        }
        Ok(Some(Published {
            summary: CommitSummary {
                version,
                added,
                replaced: replaced.len(),
                files_written: written,
                files_removed: removed.len(),
                files_merged: merged_away,
                rows: 0,
                retries: 0,
            },
            files: manifest.files.into_iter().map(|f| f.path).collect(),
        }))
    }
}

fn doc_ids(batch: &RecordBatch) -> Option<&StringArray> {
    batch
        .column_by_name("doc_id")
        .and_then(|c| c.as_any().downcast_ref::<StringArray>())
}

/// The ids of the documents with rows in `batch`.
fn docs_in(batch: &RecordBatch) -> BTreeSet<&str> {
    let mut set: BTreeSet<&str> = BTreeSet::new();
    if let Some(a) = doc_ids(batch) {
        for i in 0..a.len() {
            set.insert(a.value(i));
        }
    }
    set
}

/// The partition of a relative file path `table/year=Y/doc_kind=K/file`.
fn partition_of(path: &str) -> (i32, String) {
    let mut year = 0;
    let mut kind = String::new();
    for part in path.split('/') {
        if let Some(y) = part.strip_prefix("year=") {
            year = y.parse().unwrap_or(0);
        } else if let Some(k) = part.strip_prefix("doc_kind=") {
            kind = k.to_string();
        }
    }
    (year, kind)
}
