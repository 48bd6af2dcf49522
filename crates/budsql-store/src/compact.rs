//! Compaction: the small files of a view's partition merged, so that a store built by a
//! thousand small ingests is laid out like one built by a single ingest.
//!
//! Within a view and partition (`year`, `doc_kind`), files smaller than
//! [`TARGET_FILE_BYTES`] are *small*; the oldest small file is the partition's *base*, the
//! others its *newer* files. Every commit, for the partitions it touched:
//!
//! - when the newer files hold at least an eighth of the base's bytes
//!   ([`NEWER_SHARE`]), base and newer files are merged into one;
//! - otherwise two or more newer files are merged into one;
//! - when all of them are the commit's own (a large ingest closes a file at a bound on its
//!   row groups and goes on in a new one, see `open_file_row_groups`), all are merged.
//!
//! So a partition holds at most two small files (plus the 64 MB files merged earlier,
//! which are never rewritten), and a commit mostly rewrites only the newer rows: adding a
//! few documents to a large partition rewrites the base once every eighth of its size, not
//! every time. A file whose row groups are on average under a quarter of the full 16,384
//! rows (a large ingest's writers flush early to bound their memory) is rewritten into full
//! row groups by the commit that wrote it. `budsql compact` ([`Store::compact`]) merges
//! every partition's small files into one, and rewrites any such sparse file.
//!
//! A merged file keeps the clustering of the ingest's files: every row group of a
//! `budget_lines` file holds one `table_name` (so a filter on the table prunes the others
//! by their statistics); the merge reads the input row groups cluster by cluster and writes
//! each cluster's rows contiguously, in full row groups. Memory holds one row group, not a
//! partition.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::compute::concat_batches;
use datafusion::parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use datafusion::parquet::file::metadata::ParquetMetaData;
use datafusion::parquet::file::statistics::Statistics;

use crate::error::IoContext;
use crate::{FileEntry, ROW_GROUP_ROWS, Store, StoreError, Table, partition_of};

/// Files of at least this size are left as they are.
pub const TARGET_FILE_BYTES: u64 = 64 << 20;

/// The share of a partition's base that its newer files reach before all are merged.
pub const NEWER_SHARE: u64 = 8;

/// A file whose row groups hold on average less than a `SPARSE`th of a full one is
/// rewritten even when it has nothing to merge with.
pub const SPARSE: usize = 4;

/// How much to merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Policy {
    /// What a commit does: the rule of the module's documentation.
    Commit,
    /// Every partition's small files into one (`budsql compact`).
    Full,
}

/// The groups of files to merge, each of one view and partition, in path order (which is
/// commit order). `own` names the files of the commit being made: with [`Policy::Commit`],
/// a partition whose small files are all its own (an ingest that closed files early, into
/// a partition it opens) has no base and merges them all.
pub(crate) fn plan(
    files: &[FileEntry],
    policy: Policy,
    sparse: &BTreeSet<String>,
    own: &BTreeSet<String>,
) -> Vec<Vec<FileEntry>> {
    let mut parts: BTreeMap<(&str, i32, String), Vec<&FileEntry>> = BTreeMap::new();
    for f in files.iter().filter(|f| f.bytes < TARGET_FILE_BYTES) {
        let (year, kind) = partition_of(&f.path);
        parts.entry((&f.table, year, kind)).or_default().push(f);
    }
    let mut out = Vec::new();
    for mut small in parts.into_values() {
        if small.len() < 2 {
            // a lone file is rewritten only to gather its rows into full row groups
            if small.iter().any(|f| sparse.contains(&f.path)) {
                out.push(small.into_iter().cloned().collect());
            }
            continue;
        }
        small.sort_by(|a, b| a.path.cmp(&b.path));
        let base = small.first().map_or(0, |f| f.bytes);
        let newer: u64 = small.iter().skip(1).map(|f| f.bytes).sum();
        let all_own = small.iter().all(|f| own.contains(&f.path));
        let group: Vec<&FileEntry> =
            if policy == Policy::Full || all_own || newer.saturating_mul(NEWER_SHARE) >= base {
                small
            } else {
                small.into_iter().skip(1).collect()
            };
        if group.len() >= 2 || group.iter().any(|f| sparse.contains(&f.path)) {
            out.push(group.into_iter().cloned().collect());
        }
    }
    out
}

/// Merges what [`plan`] finds in `files` (the file list of the commit `version` being
/// made): each merged file takes the place of its inputs in `files`; its name goes to
/// `created`, its inputs' names to `removed` (deleted once the commit is published).
/// `own` names the files the commit itself wrote (with [`Policy::Commit`], only those are
/// rewritten for sparse row groups). Returns the files written and the files merged away.
#[allow(clippy::too_many_arguments)]
pub(crate) fn apply(
    store: &Store,
    policy: Policy,
    own: &BTreeSet<String>,
    files: &mut Vec<FileEntry>,
    version: u64,
    seq: &mut usize,
    created: &mut Vec<String>,
    removed: &mut Vec<String>,
) -> Result<(usize, usize), StoreError> {
    let (mut written, mut merged_away) = (0, 0);
    // Files whose row groups are much smaller than full ones are rewritten too: a large
    // ingest's (its writers flush early to bound memory) by its own commit, any by
    // `compact`. On 100,002 documents in one ingest, such files made a unit lookup (query
    // 05) 5.3× slower than DuckDB over a compacted copy. (Not told by the version in the
    // name: a writer in object storage that commits again on a newer manifest keeps its
    // files' names, and another writer's may carry that version.)
    let mut sparse = BTreeSet::new();
    for f in files.iter() {
        let mine = policy == Policy::Full || own.contains(&f.path);
        if mine && f.rows >= ROW_GROUP_ROWS as u64 && f.bytes < TARGET_FILE_BYTES {
            let path = store.local_copy(&f.path)?;
            let file = File::open(&path).at(&path)?;
            let meta = ParquetRecordBatchReaderBuilder::try_new(file).at(&path)?;
            let groups = meta.metadata().num_row_groups() as u64;
            if groups > 0 && f.rows / groups < (ROW_GROUP_ROWS / SPARSE) as u64 {
                sparse.insert(f.path.clone());
            }
        }
    }
    let mut jobs = Vec::new();
    for group in plan(files, policy, &sparse, own) {
        let Some(first) = group.first() else { continue };
        *seq += 1;
        let (year, kind) = partition_of(&first.path);
        let name = store.file_name(&first.table, year, &kind, version, *seq);
        created.push(name.clone());
        jobs.push((group, name));
    }
    // merges of different partitions are independent: two at a time (memory: a row group each)
    let results = merge_all(store, &jobs);
    for ((group, _), result) in jobs.iter().zip(results) {
        let Some(merged) = result? else {
            continue;
        };
        let gone: BTreeSet<&str> = group.iter().map(|f| f.path.as_str()).collect();
        files.retain(|f| !gone.contains(f.path.as_str()));
        files.push(merged);
        written += 1;
        merged_away += group.len();
        removed.extend(gone.into_iter().map(str::to_string));
    }
    Ok((written, merged_away))
}

/// Runs the merges of `jobs` on up to two threads; results in the order of `jobs`.
fn merge_all(
    store: &Store,
    jobs: &[(Vec<FileEntry>, String)],
) -> Vec<Result<Option<FileEntry>, StoreError>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 2)
        .min(jobs.len().max(1));
    if threads <= 1 {
        return jobs.iter().map(|(g, n)| store.merge(g, n)).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut slots: Vec<Option<Result<Option<FileEntry>, StoreError>>> =
        (0..jobs.len()).map(|_| None).collect();
    let done = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((g, n)) = jobs.get(i) else { break };
                    let r = store.merge(g, n);
                    if let Ok(mut d) = done.lock() {
                        d.push((i, r));
                    }
                }
            });
        }
    });
    for (i, r) in done.into_inner().unwrap_or_default() {
        if let Some(slot) = slots.get_mut(i) {
            *slot = Some(r);
        }
    }
    // a slot stays empty only if its merge thread panicked
    slots
        .into_iter()
        .zip(jobs)
        .map(|(r, (_, name))| {
            r.unwrap_or_else(|| {
                Err(StoreError::Io {
                    path: store.root().join(name),
                    source: std::io::Error::other("the merge writing this file stopped"),
                })
            })
        })
        .collect()
}

/// The cluster of each row group of a file: its `table_name` where the row group holds
/// one (`budget_lines`), `Some("")` for the other views, `None` where the statistics do not
/// say (such row groups are copied as they are, first).
fn clusters(table: &str, meta: &ParquetMetaData) -> Vec<Option<String>> {
    let groups = meta.row_groups();
    if table != Table::BudgetLines.name() {
        return vec![Some(String::new()); groups.len()];
    }
    let col = meta
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .position(|c| c.name() == "table_name");
    groups
        .iter()
        .map(|g| {
            let stats = g.column(col?).statistics()?;
            let Statistics::ByteArray(s) = stats else {
                return None;
            };
            let (min, max) = (s.min_opt()?, s.max_opt()?);
            if min != max {
                return None;
            }
            min.as_utf8().ok().map(str::to_string)
        })
        .collect()
}

/// Rows of one cluster waiting to be written as full row groups.
struct Pending {
    batches: Vec<RecordBatch>,
    rows: usize,
}

impl Store {
    /// Writes the rows of `inputs` (files of one view and partition) into one new file
    /// `name`, cluster by cluster; `None` when their columns differ (written by different
    /// versions), in which case they are left as they are.
    pub(crate) fn merge(
        &self,
        inputs: &[FileEntry],
        name: &str,
    ) -> Result<Option<FileEntry>, StoreError> {
        let Some(first) = inputs.first() else {
            return Ok(None);
        };
        let out_path = self.root.join(name);
        let mut schema = None;
        // each input's footer, read once
        let mut metas: Vec<ArrowReaderMetadata> = Vec::with_capacity(inputs.len());
        // cluster → (input, row groups)
        let mut plan: BTreeMap<Option<String>, Vec<(usize, Vec<usize>)>> = BTreeMap::new();
        for (i, f) in inputs.iter().enumerate() {
            let path = self.local_copy(&f.path)?;
            let file = File::open(&path).at(&path)?;
            let meta = ArrowReaderMetadata::load(&file, ArrowReaderOptions::default()).at(&path)?;
            let builder = ParquetRecordBatchReaderBuilder::new_with_metadata(file, meta.clone());
            metas.push(meta);
            match &schema {
                None => schema = Some(builder.schema().clone()),
                Some(s) if s != builder.schema() => return Ok(None),
                Some(_) => {}
            }
            for (g, cluster) in clusters(&f.table, builder.metadata())
                .into_iter()
                .enumerate()
            {
                let entry = plan.entry(cluster).or_default();
                match entry.last_mut() {
                    Some((j, groups)) if *j == i => groups.push(g),
                    _ => entry.push((i, vec![g])),
                }
            }
        }
        let Some(schema) = schema else {
            return Ok(None);
        };
        let mut writer = self.open_writer(name, schema.clone())?;
        let mut rows = 0usize;
        for parts in plan.values() {
            let mut pending = Pending {
                batches: Vec::new(),
                rows: 0,
            };
            for (i, groups) in parts {
                let (Some(f), Some(meta)) = (inputs.get(*i), metas.get(*i)) else {
                    continue;
                };
                let path = self.root.join(&f.path);
                let file = File::open(&path).at(&path)?;
                let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(file, meta.clone())
                    .with_row_groups(groups.clone())
                    .build()
                    .at(&path)?;
                for batch in reader {
                    let batch = batch?;
                    rows += batch.num_rows();
                    pending.rows += batch.num_rows();
                    pending.batches.push(batch);
                    if pending.rows >= ROW_GROUP_ROWS {
                        let all = concat_batches(&schema, &pending.batches)?;
                        let full = all.num_rows() - all.num_rows() % ROW_GROUP_ROWS;
                        writer.write(&all.slice(0, full)).at(&out_path)?;
                        writer.flush().at(&out_path)?;
                        let rest = all.slice(full, all.num_rows() - full);
                        pending.rows = rest.num_rows();
                        pending.batches = vec![rest];
                    }
                }
            }
            for b in &pending.batches {
                writer.write(b).at(&out_path)?;
            }
            // a cluster ends its row group, so that no row group holds two tables
            writer.flush().at(&out_path)?;
        }
        let (bytes, stats) = crate::close_writer(writer, &out_path)?;
        let expected: u64 = inputs.iter().map(|f| f.rows).sum();
        if rows as u64 != expected {
            return Err(StoreError::Merge {
                path: out_path,
                expected,
                found: rows as u64,
            });
        }
        let mut docs: Vec<crate::DocId> = inputs.iter().flat_map(|f| f.docs.clone()).collect();
        docs.sort();
        docs.dedup();
        Ok(Some(FileEntry {
            table: first.table.clone(),
            path: name.to_string(),
            rows: expected,
            bytes,
            docs,
            stats,
        }))
    }
}
