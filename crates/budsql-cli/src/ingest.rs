//! `budsql ingest PATH…`: read every disclosure under the paths, store them in one commit,
//! and say what was understood.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use budsql_extract::{ExtractError, Overrides, extract};
use budsql_schema::{Document, TableName, Warning, WarningCode};
use budsql_store::Store;

use crate::error::CliError;

/// Extensions taken when walking a folder.
const TEXT_EXTENSIONS: [&str; 2] = ["txt", "text"];

/// Files to ingest: each file argument as given, each folder walked recursively (hidden
/// entries skipped), in sorted order.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|source| CliError::Read {
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

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), CliError> {
    let read = std::fs::read_dir(dir).map_err(|source| CliError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut entries: Vec<PathBuf> = read.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for e in entries {
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
    pub failures: Vec<Failure>,
}

fn read_one(path: &Path, identity: &Identity) -> Result<Document, Failure> {
    let shown = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let fail = |message: String, line: Option<usize>| Failure {
        message,
        source_path: shown.display().to_string(),
        line: line.map(|l| l as u64),
    };
    let is_pdf = path
        .extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| x.eq_ignore_ascii_case("pdf"));
    if !is_pdf {
        let bytes =
            std::fs::read(path).map_err(|e| fail(format!("{}: {e}", path.display()), None))?;
        return extract(&bytes, &shown, &identity.for_file(&shown))
            .map_err(|e: ExtractError| fail(e.to_string(), e.line()));
    }
    let pdf = crate::pdf::to_text(path).map_err(|e| fail(e.to_string(), None))?;
    let overrides = identity.for_file(&shown);
    let read = match &pdf.boxes {
        Some(boxes) => budsql_extract::extract_pdf(&pdf.text, boxes, &shown, &overrides),
        None => extract(&pdf.text, &shown, &overrides),
    };
    let mut doc = read.map_err(|e: ExtractError| fail(e.to_string(), e.line()))?;
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

/// How far parsing may run ahead of writing, in files.
const AHEAD: usize = 64;

/// Parses `files` on every core and hands the results to `sink` in file order, as they
/// become ready; parsing stays at most [`AHEAD`] files ahead of `sink`.
fn parse_streaming(
    files: &[PathBuf],
    identity: &Identity,
    mut sink: impl FnMut(usize, Result<Document, Failure>) -> Result<(), CliError>,
) -> Result<(), CliError> {
    use std::sync::{Condvar, mpsc};
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(files.len().max(1));
    let next = AtomicUsize::new(0);
    // the index up to which results have been handed on, and a wake-up for waiting workers
    let done = Mutex::new(0usize);
    let moved = Condvar::new();
    let (tx, rx) = mpsc::sync_channel::<(usize, Result<Document, Failure>)>(AHEAD);
    std::thread::scope(|s| -> Result<(), CliError> {
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
                    let r = read_one(path, identity);
                    if tx.send((i, r)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: std::collections::BTreeMap<usize, Result<Document, Failure>> =
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

/// The line saying what a document gave (small batches).
fn describe(out: &mut dyn Write, path: &Path, doc: &Document) -> std::io::Result<()> {
    let kpi_found = doc
        .tables
        .iter()
        .filter(|t| t.table == TableName::Kpi)
        .count();
    let kpi = doc
        .tables
        .iter()
        .filter(|t| t.table == TableName::Kpi && t.rows > 0)
        .count();
    writeln!(
        out,
        "{}: {} {} {} {}: {} tables and {} 绩效目标表, {} rows, {} warnings, {} check findings",
        path.display(),
        doc.identity
            .unit_name
            .as_deref()
            .unwrap_or("(unit not stated)"),
        doc.identity.year,
        doc.identity.doc_kind.as_str(),
        doc.identity.scope.as_str(),
        doc.tables.len() - kpi_found,
        kpi,
        doc.row_count(),
        doc.warnings.len(),
        doc.checks.len()
    )?;
    let missing = doc.tables_missing();
    if !missing.is_empty() {
        writeln!(out, "  tables not found: {}", missing.join(", "))?;
    }
    for unread in doc.tables_unread() {
        writeln!(out, "  no rows from {unread}")?;
    }
    Ok(())
}

/// How far an ingest has come: a bar on a terminal (documents, MB/s, time left, failures
/// so far), else a plain line on `err` every tenth of a large batch.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    files: usize,
    bytes: u64,
    done: usize,
    read: u64,
    failed: usize,
    started: std::time::Instant,
    /// The next count of documents at which a plain line is written.
    next_line: usize,
}

impl Progress {
    fn new(files: &[PathBuf], bar: bool) -> Progress {
        let bytes: u64 = files
            .iter()
            .filter_map(|f| std::fs::metadata(f).ok())
            .map(|m| m.len())
            .sum();
        let bar = bar.then(|| {
            let pb = indicatif::ProgressBar::new(files.len() as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{bar:30} {pos}/{len} documents, {msg} [{elapsed} < {eta}]",
            ) {
                pb.set_style(style);
            }
            pb
        });
        Progress {
            bar,
            files: files.len(),
            bytes,
            done: 0,
            read: 0,
            failed: 0,
            started: std::time::Instant::now(),
            next_line: (files.len() / 10).max(1),
        }
    }

    fn rate(&self) -> f64 {
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        self.read as f64 / 1e6 / secs
    }

    /// One more file read (`failed` if it was not stored).
    fn tick(&mut self, path: &Path, failed: bool, err: &mut dyn Write) -> std::io::Result<()> {
        self.done += 1;
        self.read += std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        self.failed += usize::from(failed);
        let msg = format!("{:.1} MB/s, {} failed", self.rate(), self.failed);
        match &self.bar {
            Some(pb) => {
                pb.set_message(msg);
                pb.inc(1);
            }
            // (large batches only: a small one prints a line per document already)
            None if self.files > 50 && self.done >= self.next_line => {
                self.next_line += (self.files / 10).max(1);
                writeln!(
                    err,
                    "budsql: {} of {} documents read ({:.1} of {:.1} MB, {msg})",
                    self.done,
                    self.files,
                    self.read as f64 / 1e6,
                    self.bytes as f64 / 1e6
                )?;
            }
            None => {}
        }
        Ok(())
    }

    /// Writes around the bar, so that lines and bar do not mix.
    fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.bar {
            Some(pb) => pb.suspend(f),
            None => f(),
        }
    }

    fn finish(&self) {
        if let Some(pb) = &self.bar {
            pb.finish();
        }
    }
}

/// Ingests `paths` into the store at `root`, printing a line per document (for small
/// batches) and a summary to `out`, and each failure to `err`; with `bar`, a progress bar
/// on the terminal. Files are parsed on every core and written as they come, in chunks,
/// so memory does not grow with the batch.
pub fn ingest(
    root: &Path,
    paths: &[PathBuf],
    identity: &Identity,
    out: &mut dyn Write,
    err: &mut dyn Write,
    bar: bool,
) -> Result<Report, CliError> {
    let files = collect(paths)?;
    let mut progress = Progress::new(&files, bar);
    let store = Store::open(root)?;
    let lock = store.lock(true, || {
        let _ = writeln!(
            std::io::stderr(),
            "budsql: the store {} is busy (another ingest is running); waiting for it to finish…",
            root.display()
        );
    })?;
    let mut writer = store.begin(&lock)?;
    let mut report = Report::default();
    let mut chunk: Vec<Document> = Vec::with_capacity(CHUNK);
    let mut seen: std::collections::HashMap<String, PathBuf> = std::collections::HashMap::new();
    let verbose = files.len() <= 50;
    let streamed = parse_streaming(&files, identity, |i, r| {
        let Some(path) = files.get(i) else {
            return Ok(());
        };
        if i == 0 {
            budsql_store::pause_at("parsing");
        }
        progress.tick(path, r.is_err(), err)?;
        match r {
            Ok(doc) => {
                if let Some(first) = seen.get(&doc.identity.doc_id) {
                    progress.suspend(|| {
                        writeln!(
                            out,
                            "{}: same content as {} (doc_id {}); stored once",
                            path.display(),
                            first.display(),
                            doc.identity.doc_id
                        )
                    })?;
                    report.duplicates += 1;
                    return Ok(());
                }
                seen.insert(doc.identity.doc_id.clone(), path.clone());
                if verbose {
                    progress.suspend(|| describe(&mut *out, path, &doc))?;
                }
                report.tables += doc.tables.len();
                report.warnings += doc.warnings.len();
                report.findings += doc.checks.len();
                report.documents += 1;
                chunk.push(doc);
                if chunk.len() >= CHUNK {
                    writer.add(&chunk)?;
                    chunk.clear();
                }
            }
            Err(f) => {
                progress.suspend(|| writeln!(err, "error: {}", f.message))?;
                report.failures.push(f);
            }
        }
        Ok(())
    });
    // a failure to write (disk full, permission denied) leaves the store as it was
    let streamed = streamed.and_then(|()| writer.add(&chunk).map_err(CliError::from));
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
    progress.finish();
    let summary = writer.commit(failed)?;
    report.added = summary.added;
    report.replaced = summary.replaced;
    report.rows = summary.rows;
    writeln!(
        out,
        "ingested {} document(s) ({} new, {} replaced{}) into {}: {} tables, {} rows, {} warnings, {} check findings; {} failed",
        report.documents,
        report.added,
        report.replaced,
        if report.duplicates > 0 {
            format!(", {} duplicate file(s)", report.duplicates)
        } else {
            String::new()
        },
        root.display(),
        report.tables,
        report.rows,
        report.warnings,
        report.findings,
        report.failures.len()
    )?;
    Ok(report)
}
