//! The commit record: which files make up the store, and which documents they hold.
//!
//! Readers see exactly the files the manifest lists. A commit writes its new files first
//! (under names no other commit uses) and then replaces the manifest with an atomic rename,
//! so an ingest becomes visible all at once or not at all.
//!
//! Format 2 stores the manifest as two JSON values (see [`Manifest::publish`]), so that a
//! query reads the file list without parsing the per-document part; format 1 (one object)
//! is still read.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::{IoContext, StoreError};
use crate::spill::Spilled;
use crate::stats::FileStats;

/// The manifest format this build reads and writes.
pub const FORMAT: u32 = 4;

/// A document's id as the manifest holds it: one allocation per document, shared by the
/// documents' map, the ingest's order and the lists of every file with rows of the document
/// (up to seven views: an id string each was 24 bytes and an allocation per document and
/// view, held by an ingest until its commit). Stored as a plain string.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocId(Arc<str>);

impl DocId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for DocId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for DocId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for DocId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for DocId {
    fn from(s: &str) -> DocId {
        DocId(Arc::from(s))
    }
}

impl From<String> for DocId {
    fn from(s: String) -> DocId {
        DocId(Arc::from(s))
    }
}

impl From<Box<str>> for DocId {
    fn from(s: Box<str>) -> DocId {
        DocId(Arc::from(s))
    }
}

impl Serialize for DocId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for DocId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<DocId, D::Error> {
        Box::<str>::deserialize(d).map(DocId::from)
    }
}

/// The documents of a manifest, each entry shared (see [`Manifest::documents`]); stored as
/// a map of id to entry.
pub type Documents = BTreeMap<DocId, Arc<DocEntry>>;

/// (De)serialises [`Documents`] as the plain map they are stored as.
mod shared {
    use super::*;

    pub(super) fn serialize<S: serde::Serializer>(m: &Documents, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(m.iter().map(|(k, v)| (k, &**v)))
    }

    pub(super) fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Documents, D::Error> {
        let m = BTreeMap::<DocId, DocEntry>::deserialize(d)?;
        Ok(m.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
    }

    /// A borrowed [`Documents`] to serialise, with the entries of a spill merged in (see
    /// [`Manifest::write_with`]).
    pub(super) struct Merged<'a> {
        pub(super) own: &'a Documents,
        pub(super) more: Option<&'a Spilled>,
        pub(super) version: u64,
    }

    impl Serialize for Merged<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::{Error, SerializeMap};
            let Some(more) = self.more else {
                return serialize(self.own, s);
            };
            let mut map = s.serialize_map(None)?;
            let mut own = self.own.iter().peekable();
            for item in more.entries() {
                let (id, mut entry) = item.map_err(S::Error::custom)?;
                while let Some((k, v)) = own.next_if(|(k, _)| *k < id) {
                    map.serialize_entry(k, &**v)?;
                }
                own.next_if(|(k, _)| *k == id);
                entry.version = self.version;
                map.serialize_entry(id, &entry)?;
            }
            for (k, v) in own {
                map.serialize_entry(k, &**v)?;
            }
            map.end()
        }
    }
}

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
    pub docs: Vec<DocId>,
    /// What a query plan reads from the file's footer (see [`crate::stats`]); `None` for a
    /// file written by a budsql that did not keep them.
    pub stats: Option<FileStats>,
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
    /// The `unit_key` its rows carry (the unit code's where printed, else the name's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_key: Option<String>,
    /// The key its unit's name alone gives (`region:name:…`), whether or not a code is
    /// printed: how documents without a code find the code their unit prints elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_key: Option<String>,
    /// The fingerprint of the file as it was read (`UnitInfo::source_hash`): an ingest does
    /// not read the same path again while its fingerprint is the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_hash: Option<String>,
}

/// The keys of units whose name is printed without a code in some documents and with one
/// code in others (of the same region and normalised name): name key → code key, for the
/// name keys documents without a code carry. A name printed with two or more codes has
/// none (which is meant is not known).
///
/// Gathered one document at a time, keeping each distinct key once (so a commit can feed it
/// entries it reads back one by one).
#[derive(Debug, Default)]
pub(crate) struct AliasSet {
    codes: BTreeMap<String, std::collections::BTreeSet<String>>,
    uncoded: std::collections::BTreeSet<String>,
}

impl AliasSet {
    pub(crate) fn add(&mut self, d: &DocEntry) {
        if let (Some(key), Some(name)) = (d.unit_key.as_deref(), d.name_key.as_deref()) {
            if key == name {
                if !self.uncoded.contains(name) {
                    self.uncoded.insert(name.to_string());
                }
            } else {
                let keys = match self.codes.get_mut(name) {
                    Some(k) => k,
                    None => self.codes.entry(name.to_string()).or_default(),
                };
                if !keys.contains(key) {
                    keys.insert(key.to_string());
                }
            }
        }
    }

    pub(crate) fn finish(self) -> BTreeMap<String, String> {
        let uncoded = self.uncoded;
        self.codes
            .into_iter()
            .filter(|(name, _)| uncoded.contains(name))
            .filter_map(|(name, keys)| match keys.len() {
                1 => keys.into_iter().next().map(|k| (name, k)),
                _ => None,
            })
            .collect()
    }
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
    /// The documents by id (each shared, so that a commit builds the manifest it publishes
    /// from the one it read without copying them).
    #[serde(with = "shared")]
    pub documents: Documents,
    /// Files whose last ingest failed, by source path.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub failures: BTreeMap<String, FailureEntry>,
    /// The unit aliases (`unit_aliases`) of the documents, derived by the commit that publishes them: kept
    /// in the head, so a query session has them without reading the documents' part.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unit_aliases: BTreeMap<String, String>,
    /// Whether the head holds unit aliases: after a light read ([`Manifest::load_files`])
    /// they stay unparsed until [`Manifest::aliases`] asks for them.
    #[serde(skip)]
    pub has_unit_aliases: bool,
    /// The stored head, kept by the light read ([`Manifest::load_files`]), which leaves the
    /// files' statistics in it unparsed until [`Manifest::file_stats`] asks for them.
    #[serde(skip)]
    pub head: Option<Arc<[u8]>>,
}

impl Manifest {
    /// The manifest's path under a store root.
    pub fn path(root: &Path) -> PathBuf {
        root.join("_budsql").join("manifest.json")
    }

    /// Reads the manifest; an absent one is an empty store.
    pub fn load(root: &Path) -> Result<Manifest, StoreError> {
        match read(root)? {
            Some((path, bytes)) => Manifest::from_bytes(&path, &bytes),
            None => Ok(Manifest::empty()),
        }
    }

    /// Reads what a query session needs — the files (without their document lists) and the
    /// failures: the manifest's first line, so the per-document part, which grows with the
    /// store, is not even parsed.
    pub fn load_files(root: &Path) -> Result<Manifest, StoreError> {
        match read_head(root)? {
            Some((path, bytes)) => Manifest::files_from_bytes(&path, &bytes),
            None => Ok(Manifest::empty()),
        }
    }

    /// A manifest from its stored bytes (`path` names it in errors).
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Manifest, StoreError> {
        let (head, body) = head_and_body(bytes);
        check_format(path, parse::<Format>(path, head)?.format)?;
        if body.iter().all(u8::is_ascii_whitespace) {
            // format 1: one object holding everything
            return parse(path, head);
        }
        let mut m = parse::<Head<FileHead<FileStats>, Aliases>>(path, head)?.into_manifest();
        let body: Body = parse(path, body)?;
        m.documents = body.documents;
        // each file's ids shared with the documents' (a hash map: one lookup per document
        // and view, 700,000 on 100,000 documents)
        let shared: std::collections::HashMap<&str, &DocId> =
            m.documents.keys().map(|k| (k.as_str(), k)).collect();
        for (f, docs) in m.files.iter_mut().zip(body.docs) {
            f.docs = docs
                .into_iter()
                .map(|id| match shared.get(&*id) {
                    Some(&k) => k.clone(),
                    None => DocId::from(id),
                })
                .collect();
        }
        Ok(m)
    }

    /// The light read of [`Manifest::load_files`] from stored bytes: the files' statistics
    /// are skipped (parsing them is most of the time of a session that runs no query of the
    /// views: 3 of 3.3 ms on 10,000 documents) and the head kept for [`Manifest::file_stats`].
    pub fn files_from_bytes(path: &Path, bytes: &[u8]) -> Result<Manifest, StoreError> {
        let (head, _) = head_and_body(bytes);
        check_format(path, parse::<Format>(path, head)?.format)?;
        let mut m = parse::<Head<FileHead<serde::de::IgnoredAny>, Option<serde::de::IgnoredAny>>>(
            path, head,
        )?
        .into_manifest();
        m.head = Some(Arc::from(head));
        Ok(m)
    }

    /// The unit aliases (`unit_aliases`): those read, or after a light read parsed from
    /// the kept head. Aliases that do not parse are left out (the stored keys stand), so
    /// this never fails.
    pub fn aliases(&self) -> BTreeMap<String, String> {
        if !self.unit_aliases.is_empty() || !self.has_unit_aliases {
            return self.unit_aliases.clone();
        }
        #[derive(Deserialize)]
        struct Only {
            #[serde(default)]
            unit_aliases: Aliases,
        }
        self.head
            .as_deref()
            .and_then(|h| serde_json::from_slice::<Only>(h).ok())
            .map(|o| o.unit_aliases)
            .unwrap_or_default()
    }

    /// The statistics of the files that have them, by path: parsed from the kept head after
    /// a light read. Statistics that do not parse are left out (a plan then reads the
    /// file's footer), so this never fails.
    pub fn file_stats(&self) -> BTreeMap<String, FileStats> {
        match &self.head {
            Some(head) => serde_json::from_slice::<
                Head<FileHead<FileStats>, Option<serde::de::IgnoredAny>>,
            >(head)
            .map(|h| {
                h.files
                    .into_iter()
                    .filter_map(|f| Some((f.path, f.stats?)))
                    .collect()
            })
            .unwrap_or_default(),
            None => self
                .files
                .iter()
                .filter_map(|f| Some((f.path.clone(), f.stats.clone()?)))
                .collect(),
        }
    }

    pub(crate) fn empty() -> Manifest {
        Manifest {
            format: FORMAT,
            ..Manifest::default()
        }
    }

    /// Replaces the manifest atomically: write aside, flush to disk, rename over. The file
    /// holds two JSON values on two lines: the head (format, version, files, failures), all a
    /// query reads, then the body (each file's documents, and the documents).
    pub fn publish(&self, root: &Path) -> Result<(), StoreError> {
        self.publish_with(root, None)
    }

    /// [`Manifest::publish`] with the documents of `more` added (see
    /// [`Manifest::write_with`]).
    pub(crate) fn publish_with(
        &self,
        root: &Path,
        more: Option<&Spilled>,
    ) -> Result<(), StoreError> {
        let path = Manifest::path(root);
        let dir = root.join("_budsql");
        let tmp = dir.join(format!("manifest.json.{}.tmp", std::process::id()));
        // written as it is serialised (on 100,000 documents the manifest is 48 MB)
        let f = std::fs::File::create(&tmp).at(&tmp)?;
        let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
        self.write_with(more, &mut w).map_err(|source| {
            if source.is_io() {
                StoreError::Io {
                    path: tmp.clone(),
                    source: source.into(),
                }
            } else {
                StoreError::Manifest {
                    path: tmp.clone(),
                    source,
                }
            }
        })?;
        let f = w.into_inner().map_err(|e| e.into_error()).at(&tmp)?;
        f.sync_all().at(&tmp)?;
        drop(f);
        std::fs::rename(&tmp, &path).at(&path)?;
        sync_dir(&dir)?;
        Ok(())
    }

    /// The stored form: two JSON values on two lines, the head then the body.
    pub fn to_bytes(&self) -> Result<Vec<u8>, serde_json::Error> {
        self.bytes_with(None)
    }

    /// [`Manifest::to_bytes`] with the documents of `more` added.
    pub(crate) fn bytes_with(&self, more: Option<&Spilled>) -> Result<Vec<u8>, serde_json::Error> {
        let mut json = Vec::new();
        self.write_with(more, &mut json)?;
        Ok(json)
    }

    /// Writes [the stored form](Manifest::to_bytes) to `w`.
    pub fn write_to(&self, w: impl Write) -> Result<(), serde_json::Error> {
        self.write_with(None, w)
    }

    /// Writes [the stored form](Manifest::to_bytes) to `w`, the documents of `more` (an
    /// ingest's, read back one at a time) merged into [`Manifest::documents`] in id order and
    /// stamped with this manifest's version; an id in both is written as `more` has it.
    pub(crate) fn write_with(
        &self,
        more: Option<&Spilled>,
        mut w: impl Write,
    ) -> Result<(), serde_json::Error> {
        let head = HeadOut {
            format: FORMAT,
            version: self.version,
            files: self
                .files
                .iter()
                .map(|f| FileHeadOut {
                    table: &f.table,
                    path: &f.path,
                    rows: f.rows,
                    bytes: f.bytes,
                    stats: f.stats.as_ref(),
                })
                .collect(),
            failures: &self.failures,
            unit_aliases: &self.unit_aliases,
        };
        let body = BodyOut {
            docs: self.files.iter().map(|f| f.docs.as_slice()).collect(),
            documents: shared::Merged {
                own: &self.documents,
                more,
                version: self.version,
            },
        };
        serde_json::to_writer(&mut w, &head)?;
        w.write_all(b"\n").map_err(serde_json::Error::io)?;
        serde_json::to_writer(&mut w, &body)?;
        w.write_all(b"\n").map_err(serde_json::Error::io)?;
        Ok(())
    }

    /// Files of one table.
    pub fn files_of<'a>(&'a self, table: &'a str) -> impl Iterator<Item = &'a FileEntry> + 'a {
        self.files.iter().filter(move |f| f.table == table)
    }
}

/// Just the format number, read before anything whose shape depends on it.
#[derive(Deserialize)]
struct Format {
    format: u64,
}

/// The manifest's head as stored (see [`Manifest::publish`]), its files read as `F`.
#[derive(Deserialize)]
struct Head<F, A> {
    format: u32,
    version: u64,
    files: Vec<F>,
    #[serde(default)]
    failures: BTreeMap<String, FailureEntry>,
    /// The unit aliases: read ([`Aliases`]) or only noted ([`Option<IgnoredAny>`]: a
    /// session that plans no query of `unit_key` never parses them).
    #[serde(default)]
    unit_aliases: A,
}

type Aliases = BTreeMap<String, String>;

/// What a read keeps of the head's unit aliases: them, or whether there are any.
trait KeptAliases {
    fn kept(self) -> (Aliases, bool);
}

impl KeptAliases for Aliases {
    fn kept(self) -> (Aliases, bool) {
        let any = !self.is_empty();
        (self, any)
    }
}

impl KeptAliases for Option<serde::de::IgnoredAny> {
    fn kept(self) -> (Aliases, bool) {
        (Aliases::new(), self.is_some())
    }
}

/// A file of the head, its statistics read as `S` ([`FileStats`], or skipped).
#[derive(Deserialize)]
struct FileHead<S> {
    table: String,
    path: String,
    rows: u64,
    bytes: u64,
    #[serde(default = "Option::default")]
    stats: Option<S>,
}

/// What a read keeps of a file's statistics: all of them, or nothing (skipped unparsed).
trait Kept {
    fn kept(self) -> Option<FileStats>;
}

impl Kept for FileStats {
    fn kept(self) -> Option<FileStats> {
        Some(self)
    }
}

impl Kept for serde::de::IgnoredAny {
    fn kept(self) -> Option<FileStats> {
        None
    }
}

impl<S: Kept> From<FileHead<S>> for FileEntry {
    fn from(f: FileHead<S>) -> FileEntry {
        FileEntry {
            table: f.table,
            path: f.path,
            rows: f.rows,
            bytes: f.bytes,
            docs: Vec::new(),
            stats: f.stats.and_then(Kept::kept),
        }
    }
}

impl<F: Into<FileEntry>, A: KeptAliases> Head<F, A> {
    fn into_manifest(self) -> Manifest {
        let (unit_aliases, has_unit_aliases) = self.unit_aliases.kept();
        Manifest {
            format: self.format,
            version: self.version,
            files: self.files.into_iter().map(Into::into).collect(),
            documents: BTreeMap::new(),
            failures: self.failures,
            unit_aliases,
            has_unit_aliases,
            head: None,
        }
    }
}

/// The manifest's body as stored: each file's documents, in the order of the head's files.
#[derive(Deserialize)]
struct Body {
    docs: Vec<Vec<Box<str>>>,
    #[serde(deserialize_with = "shared::deserialize")]
    documents: Documents,
}

#[derive(Serialize)]
struct HeadOut<'a> {
    format: u32,
    version: u64,
    files: Vec<FileHeadOut<'a>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    failures: &'a BTreeMap<String, FailureEntry>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    unit_aliases: &'a BTreeMap<String, String>,
}

#[derive(Serialize)]
struct FileHeadOut<'a> {
    table: &'a str,
    path: &'a str,
    rows: u64,
    bytes: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    stats: Option<&'a FileStats>,
}

#[derive(Serialize)]
struct BodyOut<'a> {
    docs: Vec<&'a [DocId]>,
    documents: shared::Merged<'a>,
}

/// The manifest's path and bytes; `None` when there is none (an empty store).
fn read(root: &Path) -> Result<Option<(PathBuf, Vec<u8>)>, StoreError> {
    let path = Manifest::path(root);
    match std::fs::read(&path) {
        Ok(b) => Ok(Some((path, b))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).at(&path),
    }
}

/// The manifest's path and its first line, read up to its end only: the body (each
/// document's entry) is most of the file — 34 MB of 34.3 on 100,000 documents, whose whole
/// read took a query 10–20 ms. `None` when there is none.
fn read_head(root: &Path) -> Result<Option<(PathBuf, Vec<u8>)>, StoreError> {
    use std::io::BufRead;
    let path = Manifest::path(root);
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).at(&path),
    };
    let mut head = Vec::new();
    std::io::BufReader::with_capacity(1 << 16, file)
        .read_until(b'\n', &mut head)
        .at(&path)?;
    Ok(Some((path, head)))
}

/// The manifest's first line (the head; in format 1, everything) and the rest (the body).
/// JSON as `serde_json` writes it holds no raw newline, so the first one ends the head.
fn head_and_body(bytes: &[u8]) -> (&[u8], &[u8]) {
    match bytes.iter().position(|b| *b == b'\n') {
        Some(i) => {
            let (head, rest) = bytes.split_at(i);
            (head, rest.get(1..).unwrap_or_default())
        }
        None => (bytes, &[]),
    }
}

fn parse<T: serde::de::DeserializeOwned>(path: &Path, json: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(json).map_err(|source| StoreError::Manifest {
        path: path.to_path_buf(),
        source,
    })
}

/// Refuses a manifest written by a newer budsql, or by an older one whose files lack
/// columns this one's views have.
fn check_format(path: &Path, found: u64) -> Result<(), StoreError> {
    if found < u64::from(FORMAT) && found > 0 {
        return Err(StoreError::OldFormat {
            path: path.to_path_buf(),
            found: u32::try_from(found).unwrap_or(u32::MAX),
            supported: FORMAT,
        });
    }
    if found > u64::from(FORMAT) {
        return Err(StoreError::Format {
            path: path.to_path_buf(),
            found: u32::try_from(found).unwrap_or(u32::MAX),
            supported: FORMAT,
        });
    }
    Ok(())
}

/// Flushes a directory entry (so a rename survives a crash).
pub fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    std::fs::File::open(dir).and_then(|d| d.sync_all()).at(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit_aliases<'a>(docs: impl IntoIterator<Item = &'a DocEntry>) -> BTreeMap<String, String> {
        let mut a = AliasSet::default();
        for d in docs {
            a.add(d);
        }
        a.finish()
    }

    fn doc(unit_key: &str, name_key: &str) -> DocEntry {
        DocEntry {
            source_path: String::new(),
            year: 2023,
            doc_kind: "budget".into(),
            unit_name: None,
            rows: 1,
            version: 1,
            unit_key: Some(unit_key.into()),
            name_key: Some(name_key.into()),
            source_hash: None,
        }
    }

    #[test]
    fn a_name_printed_with_one_code_is_an_alias_of_it() {
        let docs = [
            doc("r:1", "r:name:a"),
            doc("r:name:a", "r:name:a"),
            doc("r:1", "r:name:a"),
            // two codes for one name: none
            doc("r:2", "r:name:b"),
            doc("r:3", "r:name:b"),
            doc("r:name:b", "r:name:b"),
            // no code anywhere: none
            doc("r:name:c", "r:name:c"),
            // a code on every document: nothing to resolve
            doc("r:4", "r:name:d"),
        ];
        let aliases = unit_aliases(&docs);
        assert_eq!(
            aliases,
            BTreeMap::from([("r:name:a".to_string(), "r:1".to_string())])
        );
        // kept in the head: a light read notes them and parses them when asked
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("_budsql")).unwrap();
        let mut m = sample();
        for (i, d) in docs.into_iter().enumerate() {
            m.documents.insert(format!("d{i}").into(), Arc::new(d));
        }
        // (as a commit derives them)
        m.unit_aliases = unit_aliases(m.documents.values().map(|d| &**d));
        m.has_unit_aliases = true;
        m.publish(dir.path()).unwrap();
        let full = Manifest::load(dir.path()).unwrap();
        assert_eq!(full.unit_aliases, aliases);
        let light = Manifest::load_files(dir.path()).unwrap();
        assert!(light.has_unit_aliases && light.unit_aliases.is_empty());
        assert_eq!(light.aliases(), aliases);
    }

    fn sample() -> Manifest {
        let mut m = Manifest::empty();
        m.version = 3;
        m.files.push(FileEntry {
            table: "units".into(),
            path: "units/year=2023/doc_kind=budget/part-00000003-0001.parquet".into(),
            rows: 2,
            bytes: 1234,
            docs: vec!["a1".into(), "b2".into()],
            stats: Some(crate::stats::FileStats {
                bytes: Some(crate::stats::Est::Estimate(900)),
                columns: vec![crate::stats::ColumnStats {
                    nulls: Some(crate::stats::Est::Exact(0)),
                    min: Some(crate::stats::Est::Exact("a1".into())),
                    max: Some(crate::stats::Est::Exact("b2".into())),
                    distinct: None,
                    bytes: None,
                }],
            }),
        });
        for id in ["a1", "b2"] {
            m.documents.insert(
                id.into(),
                Arc::new(DocEntry {
                    source_path: format!("/corpus/{id}.txt"),
                    year: 2023,
                    doc_kind: "budget".into(),
                    unit_name: Some("某单位".into()),
                    rows: 1,
                    version: 3,
                    unit_key: None,
                    name_key: None,
                    source_hash: None,
                }),
            );
        }
        m.failures.insert(
            "/corpus/bad.txt".into(),
            FailureEntry {
                message: "no table".into(),
                line: Some(7),
                version: 3,
            },
        );
        m
    }

    #[test]
    fn publish_then_load_gives_the_same_manifest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("_budsql")).unwrap();
        let m = sample();
        m.publish(dir.path()).unwrap();
        let full = Manifest::load(dir.path()).unwrap();
        assert_eq!(full, m);
        // a file's list shares the documents' ids; ids are stored as plain strings
        for id in &full.files[0].docs {
            let (key, _) = full.documents.get_key_value(id.as_str()).unwrap();
            assert!(Arc::ptr_eq(&key.0, &id.0), "{id}");
        }
        let text = std::fs::read_to_string(Manifest::path(dir.path())).unwrap();
        assert!(text.contains(r#""docs":[["a1","b2"]]"#), "{text}");
        assert_eq!(text.lines().count(), 2, "head and body: {text}");
        assert!(!text.lines().next().unwrap().contains("\"documents\""));
        // the light read: files without their documents, and the failures
        let light = Manifest::load_files(dir.path()).unwrap();
        assert_eq!(light.version, 3);
        assert_eq!(light.files.len(), 1);
        assert_eq!(light.files[0].bytes, 1234);
        assert_eq!(light.files[0].stats, None, "left in the head");
        let stats = light.file_stats();
        assert_eq!(stats.get(&m.files[0].path), m.files[0].stats.as_ref());
        assert_eq!(stats, m.file_stats(), "the same from a full read");
        assert!(light.files[0].docs.is_empty() && light.documents.is_empty());
        assert_eq!(light.failures, m.failures);
    }

    #[test]
    fn an_older_format_is_refused_with_its_remedy() {
        // (formats 1 to 3 wrote files without `unit_key`, `unit_kind`, `department`,
        // `statements` or `subject_key`)
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("_budsql")).unwrap();
        for format in [1, 2, 3] {
            let mut m = sample();
            m.format = format;
            std::fs::write(Manifest::path(dir.path()), serde_json::to_vec(&m).unwrap()).unwrap();
            for r in [
                Manifest::load(dir.path()).map(|_| ()),
                Manifest::load_files(dir.path()).map(|_| ()),
            ] {
                let e = r.unwrap_err().to_string();
                assert!(
                    e.contains(&format!("older budsql (format {format}"))
                        && e.contains("ingest the documents again"),
                    "{e}"
                );
            }
        }
    }

    #[test]
    fn a_newer_format_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("_budsql")).unwrap();
        std::fs::write(
            Manifest::path(dir.path()),
            br#"{"format":99,"version":1,"files":[]}"#,
        )
        .unwrap();
        for r in [
            Manifest::load(dir.path()).map(|_| ()),
            Manifest::load_files(dir.path()).map(|_| ()),
        ] {
            assert!(
                matches!(r, Err(StoreError::Format { found: 99, .. })),
                "{r:?}"
            );
        }
    }
}
