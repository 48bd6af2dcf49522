//! The ingest pipeline as a library: collect the files under the paths a researcher gives,
//! read each (text, or a PDF through poppler's `pdftotext`), parse them on every core, and
//! hand the documents to the store in file order, in chunks, under one commit. The binary,
//! the benchmarks and distributed workers call the same code; what a caller shows (a line
//! per document, a progress bar) goes through an [`Observer`].

pub mod pdf;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use budsql_extract::{ExtractError, Overrides, extract};
use budsql_schema::{Document, Warning, WarningCode};
use budsql_store::{Sources, Store, StoreError, str_hash};

/// Why an ingest stopped (a file that cannot be read as a document is no error of the
/// ingest: it is a [`Failure`] of the report, and the others are stored).
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(transparent)]
    Store(#[from] StoreError),

    /// The observer could not write its messages (a closed pipe, a full disk).
    #[error(transparent)]
    Output(#[from] std::io::Error),
}

/// Extensions taken when walking a folder.
const TEXT_EXTENSIONS: [&str; 2] = ["txt", "text"];

/// Files to ingest: each file argument as given, each folder walked recursively (hidden
/// entries skipped), in sorted order.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, IngestError> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|source| IngestError::Read {
            path: p.clone(),
            source,
        })?;
        if meta.is_dir() {
            walk(p, &mut out)?;
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), IngestError> {
    let read = std::fs::read_dir(dir).map_err(|source| IngestError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    // (sorted by name: the entries share their folder, and comparing paths parses them)
    let mut entries: Vec<(std::ffi::OsString, PathBuf)> = read
        .filter_map(|e| e.ok().map(|e| (e.file_name(), e.path())))
        .collect();
    entries.sort_unstable();
    for (_, e) in entries {
        let hidden = e
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if e.is_dir() {
            walk(&e, out)?;
        } else if e.extension().and_then(|x| x.to_str()).is_some_and(|x| {
            TEXT_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str())
                || x.eq_ignore_ascii_case("pdf")
        }) {
            out.push(e);
        }
    }
    Ok(())
}

/// Identity stated by the researcher: for every file, and per file (keyed by canonical
/// path; per-file values win).
#[derive(Debug, Default)]
pub struct Identity {
    pub all: Overrides,
    pub per_file: std::collections::HashMap<PathBuf, Overrides>,
}

impl Identity {
    fn for_file(&self, canonical: &Path) -> Overrides {
        let mut o = self.all.clone();
        if let Some(f) = self.per_file.get(canonical) {
            o.region = f.region.clone().or(o.region);
            o.unit_name = f.unit_name.clone().or(o.unit_name);
            o.year = f.year.or(o.year);
            o.doc_kind = f.doc_kind.or(o.doc_kind);
            o.scope = f.scope.or(o.scope);
        }
        o
    }
}

/// Why one file was not stored (the message names the file and, where known, the line).
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    /// The file as stored in `units.source_path` (canonical where it exists).
    pub source_path: String,
    pub line: Option<u64>,
}

/// What an ingest did.
#[derive(Debug, Default)]
pub struct Report {
    pub documents: usize,
    pub added: usize,
    pub replaced: usize,
    pub tables: usize,
    pub rows: u64,
    pub warnings: usize,
    pub findings: usize,
    /// Files whose content repeats an earlier file of the batch.
    pub duplicates: usize,
    /// Files the store holds unchanged (same path, same fingerprint: see [`fingerprint`]),
    /// not read again.
    pub unchanged: usize,
    /// Times the commit started again because another writer committed first (a store in
    /// object storage, where writers take no lock).
    pub retries: u32,
    pub failures: Vec<Failure>,
}

/// How an ingest treats the files it is given.
#[derive(Debug, Default, Clone, Copy)]
pub struct Options {
    /// Read every file, also those the store holds unchanged (after an upgrade of budsql,
    /// to read them with its reader).
    pub force: bool,
}

/// The fingerprint of a file as an ingest reads it: the first 16 hex digits of a SHA-256
/// over its bytes, the identity the researcher states for it and this reader's version.
/// The same file read with other stated identity, or by another version, has another.
pub fn fingerprint(bytes: &[u8], stated: &Overrides) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(bytes);
    h.update(b"\0budsql-ingest ");
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    let parts = [
        stated.region.as_deref().unwrap_or(""),
        stated.unit_name.as_deref().unwrap_or(""),
        &stated.year.map(|y| y.to_string()).unwrap_or_default(),
        stated.doc_kind.map_or("", |k| k.as_str()),
        stated.scope.map_or("", |s| s.as_str()),
    ];
    for p in parts {
        h.update(b"\0");
        h.update(p.as_bytes());
    }
    h.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Reads one file as a document (a PDF through `pdftotext`), with the identity the
/// researcher states for it.
pub fn read_file(path: &Path, identity: &Identity) -> Result<Document, Failure> {
    Source::open(path, identity)?.read()
}

/// What reading one file gave.
enum Read {
    Doc(Box<Document>),
    /// The store holds this file (its source path) with the same fingerprint.
    Unchanged(String),
    Failed(Failure),
}

fn read_one(path: &Path, identity: &Identity, known: Option<&Sources>) -> Read {
    let source = match Source::open(path, identity) {
        Ok(s) => s,
        Err(f) => return Read::Failed(f),
    };
    if known.is_some_and(|k| k.unchanged(&source.source_path, &source.hash)) {
        return Read::Unchanged(source.source_path);
    }
    match source.read() {
        Ok(doc) => Read::Doc(Box::new(doc)),
        Err(f) => Read::Failed(f),
    }
}

/// A file about to be read: its bytes, the identity stated for it and its [`fingerprint`].
struct Source<'a> {
    path: &'a Path,
    /// The file as `units.source_path` names it (canonical where it exists).
    shown: PathBuf,
    source_path: String,
    bytes: Vec<u8>,
    overrides: Overrides,
    hash: String,
}

impl<'a> Source<'a> {
    fn open(path: &'a Path, identity: &Identity) -> Result<Source<'a>, Failure> {
        let shown = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let source_path = shown.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                return Err(Failure {
                    message: format!("{}: {e}", path.display()),
                    source_path,
                    line: None,
                });
            }
        };
        let overrides = identity.for_file(&shown);
        let hash = fingerprint(&bytes, &overrides);
        Ok(Source {
            path,
            shown,
            source_path,
            bytes,
            overrides,
            hash,
        })
    }

    /// The document (its fingerprint set), or why it cannot be read.
    fn read(self) -> Result<Document, Failure> {
        let Source {
            path,
            shown,
            source_path,
            bytes,
            overrides,
            hash,
        } = self;
        let is_pdf = path
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| x.eq_ignore_ascii_case("pdf"));
        let read = if is_pdf {
            // (`pdftotext` reads the file itself)
            drop(bytes);
            read_pdf(path, &shown, &overrides)
        } else {
            extract(&bytes, &shown, &overrides).map_err(|e| (e.to_string(), e.line()))
        };
        match read {
            Ok(mut doc) => {
                doc.unit.source_hash = Some(hash);
                Ok(doc)
            }
            Err((message, line)) => Err(Failure {
                message,
                source_path,
                line: line.map(|l| l as u64),
            }),
        }
    }
}

/// A PDF as a document: its text and words' boxes from `pdftotext`, a warning for each
/// page without a text layer. An error is its message and, where known, its line.
fn read_pdf(
    path: &Path,
    shown: &Path,
    overrides: &Overrides,
) -> Result<Document, (String, Option<usize>)> {
    let pdf = pdf::to_text(path).map_err(|e| (e.to_string(), None))?;
    let read = match &pdf.boxes {
        Some(boxes) => budsql_extract::extract_pdf(&pdf.text, boxes, shown, overrides),
        None => extract(&pdf.text, shown, overrides),
    };
    let mut doc = read.map_err(|e: ExtractError| (e.to_string(), e.line()))?;
    doc.unit.encoding = "PDF".to_string();
    let text = String::from_utf8_lossy(&pdf.text);
    for (page, image) in pdf
        .image_only_pages
        .iter()
        .map(|p| (*p, true))
        .chain(pdf.textless_pages.iter().map(|p| (*p, false)))
    {
        let line = first_line_of_page(&text, page);
        doc.warnings.push(Warning {
            line_no: i32::try_from(line).unwrap_or(i32::MAX),
            table_name: None,
            code: WarningCode::ImagePage,
            message: if image {
                format!("page {page} is an image without a text layer (a scan?); nothing on it is read")
            } else {
                format!("page {page} has no text layer (a blank page, or an image: `pdfimages` was not found to tell); nothing on it is read")
            },
            raw: None,
        });
    }
    doc.warnings.sort_by_key(|w| w.line_no);
    Ok(doc)
}

/// The 1-based line at which page `page` (1-based, pages ended by form feeds) begins.
fn first_line_of_page(text: &str, page: usize) -> usize {
    let mut line = 1;
    let mut at_page = 1;
    for c in text.chars() {
        if at_page >= page {
            break;
        }
        match c {
            '\n' => line += 1,
            '\u{c}' => at_page += 1,
            _ => {}
        }
    }
    line
}

/// Documents written to the store per chunk: memory holds at most this many parsed
/// documents, plus those parsed ahead (see [`AHEAD`]).
const CHUNK: usize = 128;

/// How far parsing may run ahead of writing, in files. Two chunks: the parsers go on while
/// a chunk is written. (With 64, half a chunk, they waited for every write: 10,000
/// generated documents on 2 cores took 6.1–6.6 s where they take 5.3–5.6 s, with the same
/// CPU time.)
const AHEAD: usize = 2 * CHUNK;

/// Parses `files` on every core and hands the results to `sink` in file order, as they
/// become ready; parsing stays at most [`AHEAD`] files ahead of `sink`.
fn parse_streaming(
    files: &[PathBuf],
    identity: &Identity,
    known: Option<&Sources>,
    mut sink: impl FnMut(usize, Read) -> Result<(), IngestError>,
) -> Result<(), IngestError> {
    use std::sync::{Condvar, mpsc};
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(files.len().max(1));
    let next = AtomicUsize::new(0);
    // the index up to which results have been handed on, and a wake-up for waiting workers
    let done = Mutex::new(0usize);
    let moved = Condvar::new();
    let (tx, rx) = mpsc::sync_channel::<(usize, Read)>(AHEAD);
    std::thread::scope(|s| -> Result<(), IngestError> {
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, done, moved) = (&next, &done, &moved);
            s.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    if let Ok(mut d) = done.lock() {
                        while i >= *d + AHEAD {
                            match moved.wait(d) {
                                Ok(g) => d = g,
                                Err(_) => return,
                            }
                        }
                    }
                    let r = read_one(path, identity, known);
                    if tx.send((i, r)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: std::collections::BTreeMap<usize, Read> =
            std::collections::BTreeMap::new();
        let mut want = 0;
        let mut result = Ok(());
        for (i, r) in rx {
            pending.insert(i, r);
            while let Some(r) = pending.remove(&want) {
                if result.is_ok() {
                    result = sink(want, r);
                    if result.is_err() {
                        // stop handing out work; what is in flight is drained
                        next.store(files.len(), Ordering::Relaxed);
                    }
                }
                want += 1;
                if let Ok(mut d) = done.lock() {
                    *d = want;
                }
                moved.notify_all();
            }
        }
        result
    })
}

/// What a caller is told as an ingest goes (each call in file order).
pub trait Observer {
    /// A file was read: its document (about to be stored) or why it was not.
    fn read(&mut self, path: &Path, result: Result<&Document, &Failure>) -> std::io::Result<()>;

    /// A file's content repeats an earlier file's of the batch: stored once.
    fn duplicate(&mut self, path: &Path, first: &Path, doc_id: &str) -> std::io::Result<()>;

    /// The store holds the file unchanged (same path, same [`fingerprint`]): it is not
    /// read again.
    fn unchanged(&mut self, _path: &Path) -> std::io::Result<()> {
        Ok(())
    }

    /// The store is locked by another ingest; this one waits.
    fn waiting(&mut self, _root: &Path) {}
}

/// An observer that says nothing.
pub struct Quiet;

impl Observer for Quiet {
    fn read(&mut self, _: &Path, _: Result<&Document, &Failure>) -> std::io::Result<()> {
        Ok(())
    }

    fn duplicate(&mut self, _: &Path, _: &Path, _: &str) -> std::io::Result<()> {
        Ok(())
    }
}

/// Ingests `files` into the store at `root` in one commit ([`ingest_with`] with the
/// default [`Options`]: files the store holds unchanged are not read again).
pub fn ingest(
    root: &Path,
    files: &[PathBuf],
    identity: &Identity,
    observer: &mut dyn Observer,
) -> Result<Report, IngestError> {
    ingest_with(root, files, identity, observer, Options::default())
}

/// Ingests `files` into the store at `root` in one commit: parsed on every core, written
/// in chunks as they come, so memory holds a few chunks of documents, the writers' bounded
/// buffers and the commit's bookkeeping (about 0.2 KB a document: its id, where its manifest
/// entry waits on disk, the files' lists of documents), not the batch's rows. A file the store holds with the
/// same path and [`fingerprint`] is passed over unread (unless `options.force`). A file
/// that fails is in the report (and in the commit's record of failures); the others are
/// stored. An error of the store leaves it as it was.
pub fn ingest_with(
    root: &Path,
    files: &[PathBuf],
    identity: &Identity,
    observer: &mut dyn Observer,
    options: Options,
) -> Result<Report, IngestError> {
    let store = Store::open(root)?;
    let lock = store.lock(true, || observer.waiting(root))?;
    let mut writer = store.begin(&lock)?;
    let known = (!options.force).then(|| writer.sources());
    let mut report = Report::default();
    let mut chunk: Vec<Document> = Vec::with_capacity(CHUNK);
    let mut firsts: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    // the source paths (hashed) of the files passed over as unchanged
    let mut unchanged: std::collections::HashSet<u64> = std::collections::HashSet::new();
    let streamed = parse_streaming(files, identity, known.as_ref(), |i, r| {
        let Some(path) = files.get(i) else {
            return Ok(());
        };
        if i == 0 {
            budsql_store::pause_at("parsing");
        }
        match r {
            Read::Doc(doc) => {
                // A copy: the first is in the chunk not yet written, or was added before.
                // It is named as it was given, found by the id's hash (12 bytes a document
                // where the id and the path were about 200; a hash shared by two ids could
                // only name the wrong first file, never make a document a copy).
                let id = doc.identity.doc_id.as_str();
                let hash = str_hash(id);
                let first = if chunk.iter().any(|d| d.identity.doc_id == id) || writer.contains(id)
                {
                    Some(
                        firsts
                            .get(&hash)
                            .and_then(|&j| files.get(j as usize))
                            .map_or(Path::new(""), PathBuf::as_path),
                    )
                } else {
                    // or of a file of the batch passed over as unchanged, stored before
                    writer
                        .stored_path(id)
                        .filter(|stored| {
                            *stored != doc.unit.source_path && unchanged.contains(&str_hash(stored))
                        })
                        .map(Path::new)
                };
                if let Some(first) = first {
                    observer.duplicate(path, first, id)?;
                    report.duplicates += 1;
                    return Ok(());
                }
                observer.read(path, Ok(&doc))?;
                if let Ok(j) = u32::try_from(i) {
                    firsts.entry(hash).or_insert(j);
                }
                report.tables += doc.tables.len();
                report.warnings += doc.warnings.len();
                report.findings += doc.checks.len();
                report.documents += 1;
                chunk.push(*doc);
                if chunk.len() >= CHUNK {
                    writer.add(&chunk)?;
                    chunk.clear();
                }
            }
            Read::Unchanged(source_path) => {
                observer.unchanged(path)?;
                unchanged.insert(str_hash(&source_path));
                report.unchanged += 1;
            }
            Read::Failed(f) => {
                observer.read(path, Err(&f))?;
                report.failures.push(f);
            }
        }
        Ok(())
    });
    // a failure to write (disk full, permission denied) leaves the store as it was
    let streamed = streamed.and_then(|()| writer.add(&chunk).map_err(IngestError::from));
    if let Err(e) = streamed {
        writer.abort();
        return Err(e);
    }
    drop(chunk);
    let failed = report
        .failures
        .iter()
        .map(|f| budsql_store::Failed {
            source_path: f.source_path.clone(),
            message: f.message.clone(),
            line: f.line,
        })
        .collect();
    let summary = writer.commit(failed)?;
    report.added = summary.added;
    report.replaced = summary.replaced;
    report.rows = summary.rows;
    report.retries = summary.retries;
    Ok(report)
}
