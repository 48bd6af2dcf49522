//! Errors of the binary, printed with their cause chain and a hint where one is likely.

use std::path::PathBuf;

use budsql_query::QueryError;
use budsql_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Query(#[from] QueryError),

    #[error(transparent)]
    Store(#[from] StoreError),

    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(transparent)]
    Io(#[from] std::io::Error),

    /// A statement's error with where in the statement it is.
    #[error("{source}")]
    At {
        /// The statement's line the error is on, and the 1-based column.
        line: String,
        line_no: usize,
        column: usize,
        #[source]
        source: Box<CliError>,
    },

    /// A statement cancelled by Ctrl-C.
    #[error("cancelled")]
    Cancelled,

    #[error("{0}")]
    Usage(String),

    #[error("the store is damaged: {problems} problem(s) with committed data (listed above)")]
    Damaged { problems: usize },

    #[error("{failed} of {total} file(s) failed to ingest{}", others(*.failed, *.total))]
    IngestFailures { failed: usize, total: usize },
}

fn others(failed: usize, total: usize) -> &'static str {
    if failed < total {
        "; the others were stored"
    } else {
        "; no document was stored"
    }
}

impl From<datafusion::error::DataFusionError> for CliError {
    fn from(e: datafusion::error::DataFusionError) -> Self {
        CliError::Query(QueryError::DataFusion(e))
    }
}

impl From<datafusion::arrow::error::ArrowError> for CliError {
    fn from(e: datafusion::arrow::error::ArrowError) -> Self {
        datafusion::error::DataFusionError::ArrowError(Box::new(e), None).into()
    }
}

impl CliError {
    /// The process exit code for this error (see the README's table).
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage(_) => 2,
            CliError::IngestFailures { .. } => 3,
            _ => 1,
        }
    }

    pub fn hint(&self) -> Option<String> {
        match self {
            CliError::Query(q) => q.hint(),
            CliError::At { source, .. } => source.hint(),
            _ => None,
        }
    }

    /// Whether the error is a closed output pipe (`budsql … | head`): not worth a message.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, CliError::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// Writes `error: …`, the statement's line with a caret under the place where DataFusion
/// gives one, each cause on a `caused by:` line, and a `hint:` line.
pub fn report(err: &CliError, out: &mut dyn std::io::Write) {
    let _ = writeln!(out, "error: {err}");
    if let CliError::At {
        line,
        line_no,
        column,
        ..
    } = err
    {
        let margin = format!("  {line_no} | ");
        // (the caret stands under the column's character, CJK counted double)
        let before: String = line.chars().take(column.saturating_sub(1)).collect();
        let pad = unicode_width::UnicodeWidthStr::width(before.as_str());
        let _ = writeln!(out, "{margin}{line}");
        let _ = writeln!(out, "{}^", " ".repeat(margin.chars().count() + pad));
    }
    let mut source = match err {
        // (the located error's own causes)
        CliError::At { source, .. } => std::error::Error::source(source.as_ref()),
        _ => std::error::Error::source(err),
    };
    // transparent variants repeat their inner message as the first source
    let mut last = err.to_string();
    while let Some(s) = source {
        let msg = s.to_string();
        if msg != last && !last.ends_with(&msg) {
            let _ = writeln!(out, "  caused by: {msg}");
        }
        last = msg;
        source = s.source();
    }
    if let Some(h) = err.hint() {
        let _ = writeln!(out, "hint: {h}");
    }
}
