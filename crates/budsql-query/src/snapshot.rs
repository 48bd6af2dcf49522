//! An object store that shows a query session exactly the files of one committed manifest.
//!
//! Listing never touches the disk: it answers from the manifest read when the session
//! opened, so a query sees one consistent store even while an ingest commits, and files an
//! interrupted ingest left behind are invisible. Reads go to the files; writes are refused.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::os::unix::fs::FileExt;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures::stream::{self, BoxStream, StreamExt};
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{
    CopyOptions, GetOptions, GetResult, GetResultPayload, ListResult, MultipartUpload, ObjectMeta,
    ObjectStore, PutMultipartOptions, PutOptions, PutPayload, PutResult, Result,
};

/// The committed files of a store, readable, listable, not writable.
#[derive(Debug)]
pub struct SnapshotStore {
    inner: Arc<dyn ObjectStore>,
    /// The store's folder, read in place; `None` for a store in object storage (read
    /// through `inner`).
    root: Option<std::path::PathBuf>,
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
            root: Some(root.to_path_buf()),
            files: files.into_iter().map(|(p, n)| (Path::from(p), n)).collect(),
        })
    }

    /// The committed files of a store in object storage: `inner` holds them under their
    /// relative paths.
    pub fn remote(
        inner: Arc<dyn ObjectStore>,
        files: impl IntoIterator<Item = (String, u64)>,
    ) -> SnapshotStore {
        SnapshotStore {
            inner,
            root: None,
            files: files.into_iter().map(|(p, n)| (Path::from(p), n)).collect(),
        }
    }

    /// How a committed file is listed (the same for every listing, so that cached
    /// statistics stay valid for it).
    pub fn meta(location: &Path, size: u64) -> ObjectMeta {
        ObjectMeta {
            location: location.clone(),
            last_modified: DateTime::<Utc>::UNIX_EPOCH,
            size,
            e_tag: None,
            version: None,
        }
    }

    /// The size of a committed file, or NotFound.
    fn size(&self, location: &Path) -> Result<u64> {
        self.files
            .get(location)
            .copied()
            .ok_or_else(|| object_store::Error::NotFound {
                path: location.to_string(),
                source: "not a committed file of the store".into(),
            })
    }

    /// Reads byte ranges of a committed file in place, on the calling thread: the files are
    /// local and mostly in the page cache, where a read takes microseconds, whereas the
    /// local file system store hands each read to a new blocking thread (a query opened
    /// some 30 of them, each with its stack and heap to fault in).
    fn read_ranges(
        &self,
        root: &std::path::Path,
        location: &Path,
        ranges: &[Range<u64>],
    ) -> Result<Vec<Bytes>> {
        let path = root.join(location.as_ref());
        let fail = |e: std::io::Error| object_store::Error::Generic {
            store: "budsql",
            source: format!("{}: {e}", path.display()).into(),
        };
        let file = std::fs::File::open(&path).map_err(fail)?;
        let mut out = Vec::with_capacity(ranges.len());
        for r in ranges {
            let len = usize::try_from(r.end.saturating_sub(r.start))
                .map_err(|e| fail(std::io::Error::other(e)))?;
            let mut buf = vec![0u8; len];
            file.read_exact_at(&mut buf, r.start).map_err(fail)?;
            out.push(Bytes::from(buf));
        }
        Ok(out)
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
        let size = self.size(location)?;
        let plain = !options.head
            && options.if_match.is_none()
            && options.if_none_match.is_none()
            && options.if_modified_since.is_none()
            && options.if_unmodified_since.is_none()
            && options.version.is_none();
        let Some(root) = self.root.as_deref().filter(|_| plain) else {
            return self.inner.get_opts(location, options).await;
        };
        let range = match &options.range {
            Some(r) => r.as_range(size).map_err(|e| object_store::Error::Generic {
                store: "budsql",
                source: Box::new(e),
            })?,
            None => 0..size,
        };
        let bytes = self.read_ranges(root, location, std::slice::from_ref(&range))?;
        let chunks: Vec<Result<Bytes>> = bytes.into_iter().map(Ok).collect();
        Ok(GetResult {
            payload: GetResultPayload::Stream(stream::iter(chunks).boxed()),
            meta: SnapshotStore::meta(location, size),
            range,
            attributes: Default::default(),
        })
    }

    async fn get_ranges(&self, location: &Path, ranges: &[Range<u64>]) -> Result<Vec<Bytes>> {
        self.size(location)?;
        match &self.root {
            Some(root) => self.read_ranges(root, location, ranges),
            None => self.inner.get_ranges(location, ranges).await,
        }
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
