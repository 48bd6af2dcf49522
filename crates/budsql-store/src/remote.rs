//! Stores in object storage: `s3://bucket/prefix`, with the credentials, region and
//! endpoint of the usual environment variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//! `AWS_SESSION_TOKEN`, `AWS_REGION`, `AWS_ENDPOINT`, `AWS_ALLOW_HTTP`, …).
//!
//! The layout is the local one (`<view>/year=…/doc_kind=…/part-….parquet`,
//! `_budsql/manifest.json`). A writer builds its files in a local staging folder as on
//! disk, uploads the new ones, and commits by replacing the manifest object with a
//! conditional put: `If-Match` the ETag it read when it began (`If-None-Match: *` for the
//! first commit). Two writers never overwrite each other's files (file names carry a token of
//! the writer) and of two writers that began from the same manifest only the first commits;
//! the other fails with [`StoreError::Conflict`], removes what it uploaded, and can simply
//! run again. A killed writer leaves unreferenced objects, which readers never see (they read
//! the files the manifest lists) and `vacuum` removes once a later commit has made them stale.

use std::future::Future;
use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use futures::StreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload, UpdateVersion};

use crate::error::{IoContext, StoreError};

/// Whether a store location names object storage rather than a folder.
pub fn is_remote(location: &Path) -> bool {
    location.to_str().is_some_and(|s| s.starts_with("s3://"))
}

/// The object store of an `s3://bucket/prefix` location, the prefix applied: paths in it
/// are the store's relative paths.
pub fn object_store_for(url: &str) -> Result<Arc<dyn ObjectStore>, StoreError> {
    let rest = url
        .strip_prefix("s3://")
        .ok_or_else(|| StoreError::Remote {
            url: url.to_string(),
            message: "expected s3://bucket/prefix".into(),
        })?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty() {
        return Err(StoreError::Remote {
            url: url.to_string(),
            message: "no bucket named (expected s3://bucket/prefix)".into(),
        });
    }
    let s3 = AmazonS3Builder::from_env()
        .with_bucket_name(bucket)
        .build()
        .map_err(|e| remote_error(url, e))?;
    let prefix = prefix.trim_matches('/');
    Ok(if prefix.is_empty() {
        Arc::new(s3)
    } else {
        Arc::new(PrefixStore::new(s3, prefix))
    })
}

fn remote_error(url: &str, e: object_store::Error) -> StoreError {
    StoreError::Remote {
        url: url.to_string(),
        message: e.to_string(),
    }
}

/// An object's GET, or `None` when it does not exist.
async fn get_opt(
    objects: &dyn ObjectStore,
    path: &ObjectPath,
) -> object_store::Result<Option<object_store::GetResult>> {
    match objects.get(path).await {
        Ok(got) => Ok(Some(got)),
        Err(object_store::Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The version of the manifest object a writer began from (`None`: there was none).
pub type Base = Option<UpdateVersion>;

/// A store's object storage, with a runtime of its own for the store's synchronous API
/// (callable from any thread, inside an async runtime or not).
pub(crate) struct Remote {
    url: String,
    objects: Arc<dyn ObjectStore>,
    rt: Option<tokio::runtime::Runtime>,
    /// Where this process writes new files before uploading them, and keeps downloaded
    /// copies of the files it rewrites or merges; removed when the store is dropped.
    staging: tempfile::TempDir,
    /// Distinguishes this writer's file names from another's that began at the same version.
    token: String,
}

impl std::fmt::Debug for Remote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Remote({})", self.url)
    }
}

impl Drop for Remote {
    fn drop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

/// The name of a writer's staging folder: this, its process id, `-`, a random part.
const STAGING: &str = "budsql-staging-";

/// Removes the staging folders in `temp` of writers that were killed (no process of their
/// id runs); a folder of a live process, or of one whose id was reused, stays. Linux only
/// (where `/proc` tells which processes run).
fn sweep_staging(temp: &Path) {
    if !cfg!(target_os = "linux") {
        return;
    }
    let Ok(entries) = std::fs::read_dir(temp) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(STAGING))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if !Path::new("/proc").join(pid.to_string()).exists() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

impl Remote {
    pub(crate) fn open(url: &str) -> Result<Remote, StoreError> {
        let objects = object_store_for(url)?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("budsql-remote")
            .enable_all()
            .build()
            .at(url)?;
        let temp = std::env::temp_dir();
        sweep_staging(&temp);
        let staging = tempfile::Builder::new()
            .prefix(&format!("{STAGING}{}-", std::process::id()))
            .tempdir()
            .at(temp)?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let token = format!("{:08x}", (std::process::id() << 12) ^ nanos);
        Ok(Remote {
            url: url.trim_end_matches('/').to_string(),
            objects,
            rt: Some(rt),
            staging,
            token,
        })
    }

    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    pub(crate) fn staging(&self) -> &Path {
        self.staging.path()
    }

    pub(crate) fn token(&self) -> &str {
        &self.token
    }

    /// Runs `fut` on the store's runtime and waits for it.
    fn block<T: Send + 'static>(
        &self,
        fut: impl Future<Output = object_store::Result<T>> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.block_raw(fut)?.map_err(|e| remote_error(&self.url, e))
    }

    /// [`Remote::block`], the object store's own error kept.
    fn block_raw<T: Send + 'static>(
        &self,
        fut: impl Future<Output = object_store::Result<T>> + Send + 'static,
    ) -> Result<object_store::Result<T>, StoreError> {
        let Some(rt) = &self.rt else {
            return Err(StoreError::Remote {
                url: self.url.clone(),
                message: "the store's runtime is shut down".into(),
            });
        };
        let (tx, rx) = std::sync::mpsc::channel();
        rt.spawn(async move {
            let _ = tx.send(fut.await);
        });
        match rx.recv() {
            Ok(r) => Ok(r),
            Err(_) => Err(StoreError::Remote {
                url: self.url.clone(),
                message: "a request to the object store was cancelled".into(),
            }),
        }
    }

    fn object(&self, rel: &str) -> String {
        format!("{}/{rel}", self.url)
    }

    /// The bytes of an object, with its version; `None` when it does not exist.
    pub(crate) fn get(&self, rel: &str) -> Result<Option<(Bytes, UpdateVersion)>, StoreError> {
        let objects = Arc::clone(&self.objects);
        let path = ObjectPath::from(rel);
        let r = self.block(async move {
            let Some(got) = get_opt(&*objects, &path).await? else {
                return Ok(None);
            };
            let version = UpdateVersion {
                e_tag: got.meta.e_tag.clone(),
                version: got.meta.version.clone(),
            };
            Ok(Some((got.bytes().await?, version)))
        });
        r.map_err(|e| self.name(rel, e))
    }

    /// The first line of an object (through its newline, or all of it when it has none),
    /// read as a stream that stops there: the manifest's head without its body, which is
    /// most of it. `None` when it does not exist.
    pub(crate) fn get_head(&self, rel: &str) -> Result<Option<Bytes>, StoreError> {
        let objects = Arc::clone(&self.objects);
        let path = ObjectPath::from(rel);
        let r = self.block(async move {
            let Some(got) = get_opt(&*objects, &path).await? else {
                return Ok(None);
            };
            let mut stream = got.into_stream();
            let mut head = Vec::new();
            while let Some(chunk) = stream.next().await {
                let chunk = chunk?;
                match chunk.iter().position(|b| *b == b'\n') {
                    Some(i) => {
                        head.extend_from_slice(chunk.get(..=i).unwrap_or_default());
                        break;
                    }
                    None => head.extend_from_slice(&chunk),
                }
            }
            Ok(Some(Bytes::from(head)))
        });
        r.map_err(|e| self.name(rel, e))
    }

    /// Replaces the manifest object if it is still `base` (creates it if `base` is `None`).
    pub(crate) fn publish(&self, rel: &str, bytes: Vec<u8>, base: &Base) -> Result<(), StoreError> {
        let objects = Arc::clone(&self.objects);
        let path = ObjectPath::from(rel);
        let mode = match base {
            Some(v) => PutMode::Update(v.clone()),
            None => PutMode::Create,
        };
        let r = self.block_raw(async move {
            let opts = PutOptions {
                mode,
                ..PutOptions::default()
            };
            objects
                .put_opts(&path, PutPayload::from(bytes), opts)
                .await
                .map(|_| ())
        })?;
        match r {
            Ok(()) => Ok(()),
            Err(
                object_store::Error::Precondition { .. }
                | object_store::Error::AlreadyExists { .. },
            ) => Err(StoreError::Conflict {
                url: self.url.clone(),
            }),
            Err(e) => Err(remote_error(&self.object(rel), e)),
        }
    }

    /// Uploads the local file `local` as `rel`.
    pub(crate) fn upload(&self, rel: &str, local: &Path) -> Result<(), StoreError> {
        let bytes = std::fs::read(local).at(local)?;
        let objects = Arc::clone(&self.objects);
        let path = ObjectPath::from(rel);
        self.block(async move {
            objects
                .put(&path, PutPayload::from(bytes))
                .await
                .map(|_| ())
        })
        .map_err(|e| self.name(rel, e))
    }

    /// Downloads `rel` to `local` (creating its folder).
    pub(crate) fn download(&self, rel: &str, local: &Path) -> Result<(), StoreError> {
        let Some((bytes, _)) = self.get(rel)? else {
            return Err(StoreError::Remote {
                url: self.object(rel),
                message: "a file the manifest lists is missing".into(),
            });
        };
        if let Some(dir) = local.parent() {
            std::fs::create_dir_all(dir).at(dir)?;
        }
        std::fs::write(local, &bytes).at(local)
    }

    pub(crate) fn delete(&self, rel: &str) -> Result<(), StoreError> {
        let objects = Arc::clone(&self.objects);
        let path = ObjectPath::from(rel);
        self.block(async move {
            match objects.delete(&path).await {
                Err(object_store::Error::NotFound { .. }) => Ok(()),
                r => r,
            }
        })
        .map_err(|e| self.name(rel, e))
    }

    /// Every object of the store: relative path, size, last modified.
    pub(crate) fn list(
        &self,
    ) -> Result<Vec<(String, u64, chrono::DateTime<chrono::Utc>)>, StoreError> {
        let objects = Arc::clone(&self.objects);
        self.block(async move {
            let mut out = Vec::new();
            let mut s = objects.list(None);
            while let Some(m) = s.next().await {
                let m = m?;
                out.push((m.location.to_string(), m.size, m.last_modified));
            }
            Ok(out)
        })
    }

    /// The last-modified time of an object.
    pub(crate) fn modified(
        &self,
        rel: &str,
    ) -> Result<Option<chrono::DateTime<chrono::Utc>>, StoreError> {
        let objects = Arc::clone(&self.objects);
        let path = ObjectPath::from(rel);
        self.block(async move {
            match objects.head(&path).await {
                Ok(m) => Ok(Some(m.last_modified)),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(e),
            }
        })
    }

    /// An error about one object named by its full URL.
    fn name(&self, rel: &str, e: StoreError) -> StoreError {
        match e {
            StoreError::Remote { message, .. } => StoreError::Remote {
                url: self.object(rel),
                message,
            },
            e => e,
        }
    }
}
