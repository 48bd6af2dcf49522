//! An object store that shows a query session exactly the files of one committed manifest.
//!
//! Listing never touches the disk: it answers from the manifest read when the session
//! opened, so a query sees one consistent store even while an ingest commits, and files an
//! interrupted ingest left behind are invisible. Reads go to the files; writes are refused.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures::stream::{self, BoxStream, StreamExt};
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{
    CopyOptions, GetOptions, GetResult, ListResult, MultipartUpload, ObjectMeta, ObjectStore,
    PutMultipartOptions, PutOptions, PutPayload, PutResult, Result,
};

/// The committed files of a store, readable, listable, not writable.
#[derive(Debug)]
pub struct SnapshotStore {
    inner: Arc<LocalFileSystem>,
    files: BTreeMap<Path, u64>,
}

impl SnapshotStore {
    /// `files` are (path relative to `root`, size in bytes).
    pub fn new(
        root: &std::path::Path,
        files: impl IntoIterator<Item = (String, u64)>,
    ) -> Result<SnapshotStore> {
        let inner = LocalFileSystem::new_with_prefix(root)?;
        Ok(SnapshotStore {
            inner: Arc::new(inner),
            files: files.into_iter().map(|(p, n)| (Path::from(p), n)).collect(),
        })
    }

    fn meta(location: &Path, size: u64) -> ObjectMeta {
        ObjectMeta {
            location: location.clone(),
            last_modified: DateTime::<Utc>::UNIX_EPOCH,
            size,
            e_tag: None,
            version: None,
        }
    }

    fn under<'a>(&'a self, prefix: Option<&'a Path>) -> impl Iterator<Item = (&'a Path, u64)> + 'a {
        self.files
            .iter()
            .filter(move |(p, _)| prefix.is_none_or(|pre| p.prefix_matches(pre)))
            .map(|(p, n)| (p, *n))
    }
}

impl fmt::Display for SnapshotStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "budsql store snapshot ({} files)", self.files.len())
    }
}

fn read_only(op: &str) -> object_store::Error {
    object_store::Error::NotSupported {
        source: format!("the budsql store is read-only in a query session ({op} refused); use `budsql ingest` to change it").into(),
    }
}

#[async_trait]
impl ObjectStore for SnapshotStore {
    async fn put_opts(&self, _: &Path, _: PutPayload, _: PutOptions) -> Result<PutResult> {
        Err(read_only("write"))
    }

    async fn put_multipart_opts(
        &self,
        _: &Path,
        _: PutMultipartOptions,
    ) -> Result<Box<dyn MultipartUpload>> {
        Err(read_only("write"))
    }

    async fn get_opts(&self, location: &Path, options: GetOptions) -> Result<GetResult> {
        if !self.files.contains_key(location) {
            return Err(object_store::Error::NotFound {
                path: location.to_string(),
                source: "not a committed file of the store".into(),
            });
        }
        self.inner.get_opts(location, options).await
    }

    fn delete_stream(
        &self,
        locations: BoxStream<'static, Result<Path>>,
    ) -> BoxStream<'static, Result<Path>> {
        locations.map(|_| Err(read_only("delete"))).boxed()
    }

    fn list(&self, prefix: Option<&Path>) -> BoxStream<'static, Result<ObjectMeta>> {
        let metas: Vec<Result<ObjectMeta>> = self
            .under(prefix)
            .map(|(p, n)| Ok(SnapshotStore::meta(p, n)))
            .collect();
        stream::iter(metas).boxed()
    }

    async fn list_with_delimiter(&self, prefix: Option<&Path>) -> Result<ListResult> {
        let depth = prefix.map(|p| p.parts().count()).unwrap_or(0);
        let mut objects = Vec::new();
        let mut common: Vec<Path> = Vec::new();
        for (p, n) in self.under(prefix) {
            let parts: Vec<_> = p.parts().collect();
            if parts.len() == depth + 1 {
                objects.push(SnapshotStore::meta(p, n));
            } else if parts.len() > depth + 1 {
                let dir = Path::from_iter(parts.into_iter().take(depth + 1));
                if common.last() != Some(&dir) {
                    common.push(dir);
                }
            }
        }
        common.dedup();
        Ok(ListResult {
            common_prefixes: common,
            objects,
        })
    }

    async fn copy_opts(&self, _: &Path, _: &Path, _: CopyOptions) -> Result<()> {
        Err(read_only("copy"))
    }
}
