//! `budsql ingest PATH…`: the pipeline of `budsql-ingest`, with what the terminal shows — a
//! line per document for small batches, each failure on stderr, a progress bar (or plain
//! progress lines) and the summary.

use std::io::Write;
use std::path::{Path, PathBuf};

use budsql_ingest::{Failure, Identity, Observer, Report};
use budsql_schema::{Document, TableName};

use crate::error::CliError;

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

/// What the terminal is told: lines to `out` and `err`, around the progress.
struct Shown<'a> {
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    progress: Progress,
    verbose: bool,
}

impl Observer for Shown<'_> {
    fn read(&mut self, path: &Path, result: Result<&Document, &Failure>) -> std::io::Result<()> {
        self.progress.tick(path, result.is_err(), &mut *self.err)?;
        let (out, err, verbose) = (&mut *self.out, &mut *self.err, self.verbose);
        self.progress.suspend(|| match result {
            Ok(doc) if verbose => describe(out, path, doc),
            Ok(_) => Ok(()),
            Err(f) => writeln!(err, "error: {}", f.message),
        })
    }

    fn duplicate(&mut self, path: &Path, first: &Path, doc_id: &str) -> std::io::Result<()> {
        self.progress.tick(path, false, &mut *self.err)?;
        let out = &mut *self.out;
        self.progress.suspend(|| {
            writeln!(
                out,
                "{}: same content as {} (doc_id {doc_id}); stored once",
                path.display(),
                first.display()
            )
        })
    }

    fn unchanged(&mut self, path: &Path) -> std::io::Result<()> {
        self.progress.tick(path, false, &mut *self.err)?;
        let (out, verbose) = (&mut *self.out, self.verbose);
        self.progress.suspend(|| {
            if verbose {
                writeln!(
                    out,
                    "{}: stored unchanged; not read again (--force reads it)",
                    path.display()
                )
            } else {
                Ok(())
            }
        })
    }

    fn waiting(&mut self, root: &Path) {
        let _ = writeln!(
            self.err,
            "budsql: the store {} is busy (another ingest is running); waiting for it to finish…",
            root.display()
        );
    }
}

impl From<budsql_ingest::IngestError> for CliError {
    fn from(e: budsql_ingest::IngestError) -> Self {
        match e {
            budsql_ingest::IngestError::Read { path, source } => CliError::Read { path, source },
            budsql_ingest::IngestError::Store(s) => CliError::Store(s),
            budsql_ingest::IngestError::Output(io) => CliError::Io(io),
        }
    }
}

/// Ingests `paths` into the store at `root`, printing a line per document (for small
/// batches) and a summary to `out`, and each failure to `err`; with `bar`, a progress bar
/// on the terminal.
pub fn ingest(
    root: &Path,
    paths: &[PathBuf],
    identity: &Identity,
    options: budsql_ingest::Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
    bar: bool,
) -> Result<Report, CliError> {
    let files = budsql_ingest::collect(paths)?;
    let mut shown = Shown {
        progress: Progress::new(&files, bar),
        verbose: files.len() <= 50,
        out,
        err,
    };
    let report = budsql_ingest::ingest_with(root, &files, identity, &mut shown, options)?;
    shown.progress.finish();
    writeln!(
        shown.out,
        "ingested {} document(s) ({} new, {} replaced{}{}) into {}: {} tables, {} rows, {} warnings, {} check findings; {} failed",
        report.documents,
        report.added,
        report.replaced,
        if report.duplicates > 0 {
            format!(", {} duplicate file(s)", report.duplicates)
        } else {
            String::new()
        },
        if report.unchanged > 0 {
            format!(
                ", {} file(s) stored unchanged, not read again",
                report.unchanged
            )
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
    if report.retries > 0 {
        writeln!(
            shown.out,
            "(committed on the {} try: other writers committed to the store meanwhile)",
            ordinal(report.retries + 1)
        )?;
    }
    Ok(report)
}

/// "2nd", "3rd", "4th", …
fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}
