//! The tables' statistics cache, answered from the manifest: planning reads no Parquet
//! footer (it would read every file's), and a file whose column ranges exclude a filter is
//! skipped unopened. An entry is built when a plan first asks for the file, so a session
//! pays only for the tables it queries. A file without statistics in the manifest (written
//! by an older budsql) is read and cached as DataFusion does by itself.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use budsql_store::stats::FileStats;
use budsql_store::{Manifest, Table};
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::common::TableReference;
use datafusion::execution::cache::cache_manager::CachedFileMetadata;
use datafusion::execution::cache::default_cache::DefaultCache;
use datafusion::execution::cache::{Cache, CacheEntryInfo, SchemaFingerprint, TableScopedPath};
use object_store::path::Path;

use crate::SnapshotStore;

/// One view's file schema and its fingerprint (what a cached entry is checked against).
struct Schema {
    schema: SchemaRef,
    fingerprint: Arc<SchemaFingerprint>,
}

/// A manifest file's statistics, not yet converted.
struct Pending {
    table: &'static str,
    rows: u64,
    bytes: u64,
    stats: FileStats,
}

pub(crate) struct ManifestStatistics {
    inner: DefaultCache<TableScopedPath, CachedFileMetadata>,
    /// The session's manifest (light read: its head keeps the statistics unparsed).
    manifest: Manifest,
    /// The manifest's statistics, parsed when a plan first asks for one.
    pending: OnceLock<HashMap<Path, Pending>>,
    schemas: OnceLock<HashMap<&'static str, Schema>>,
}

impl ManifestStatistics {
    pub(crate) fn new(manifest: &Manifest) -> ManifestStatistics {
        ManifestStatistics {
            inner: DefaultCache::new(1 << 30).with_name("budsql manifest statistics"),
            manifest: manifest.clone(),
            pending: OnceLock::new(),
            schemas: OnceLock::new(),
        }
    }

    fn schemas(&self) -> &HashMap<&'static str, Schema> {
        self.schemas.get_or_init(|| {
            Table::ALL
                .iter()
                .map(|t| {
                    let schema = t.file_schema();
                    let fingerprint = Arc::new(SchemaFingerprint::from_schema(&schema));
                    (
                        t.name(),
                        Schema {
                            schema,
                            fingerprint,
                        },
                    )
                })
                .collect()
        })
    }

    fn pending(&self) -> &HashMap<Path, Pending> {
        self.pending.get_or_init(|| {
            let mut stats = self.manifest.file_stats();
            let schemas = self.schemas();
            self.manifest
                .files
                .iter()
                .filter_map(|f| {
                    let (table, _) = schemas.get_key_value(f.table.as_str())?;
                    let stats = stats.remove(&f.path)?;
                    let pending = Pending {
                        table,
                        rows: f.rows,
                        bytes: f.bytes,
                        stats,
                    };
                    Some((Path::from(f.path.as_str()), pending))
                })
                .collect()
        })
    }

    /// The entry of a manifest file with statistics, built.
    fn build(&self, path: &Path) -> Option<CachedFileMetadata> {
        let p = self.pending().get(path)?;
        let schema = self.schemas().get(p.table)?;
        let statistics = p.stats.to_statistics(p.rows, &schema.schema)?;
        Some(CachedFileMetadata::new(
            SnapshotStore::meta(path, p.bytes),
            Arc::clone(&schema.fingerprint),
            Arc::new(statistics),
            None,
        ))
    }
}

impl Cache<TableScopedPath, CachedFileMetadata> for ManifestStatistics {
    fn get(&self, key: &TableScopedPath) -> Option<CachedFileMetadata> {
        if let Some(v) = self.inner.get(key) {
            return Some(v);
        }
        let v = self.build(&key.path)?;
        self.inner.put(key, v.clone());
        Some(v)
    }

    fn put(&self, key: &TableScopedPath, value: CachedFileMetadata) -> Option<CachedFileMetadata> {
        self.inner.put(key, value)
    }

    fn remove(&self, k: &TableScopedPath) -> Option<CachedFileMetadata> {
        self.inner.remove(k)
    }

    fn contains_key(&self, k: &TableScopedPath) -> bool {
        self.inner.contains_key(k) || self.pending().contains_key(&k.path)
    }

    fn len(&self) -> usize {
        self.inner.len()
    }

    fn clear(&self) {
        self.inner.clear();
    }

    fn name(&self) -> String {
        self.inner.name()
    }

    fn cache_limit(&self) -> usize {
        self.inner.cache_limit()
    }

    fn update_cache_limit(&self, limit: usize) {
        self.inner.update_cache_limit(limit);
    }

    fn cache_ttl(&self) -> Option<Duration> {
        self.inner.cache_ttl()
    }

    fn update_cache_ttl(&self, ttl: Option<Duration>) {
        self.inner.update_cache_ttl(ttl);
    }

    fn drop_table_entries(&self, table_ref: &TableReference) -> datafusion::error::Result<()> {
        self.inner.drop_table_entries(table_ref)
    }

    fn list_entries(
        &self,
    ) -> datafusion::common::HashMap<TableScopedPath, CacheEntryInfo<CachedFileMetadata>> {
        self.inner.list_entries()
    }
}
