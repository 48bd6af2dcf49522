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

    #[error(transparent)]
    Io(#[from] std::io::Error),

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
            _ => None,
        }
    }

    /// Whether the error is a closed output pipe (`budsql … | head`): not worth a message.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, CliError::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// Writes `error: …`, each cause on a `caused by:` line, and a `hint:` line.
pub fn report(err: &CliError, out: &mut dyn std::io::Write) {
    let _ = writeln!(out, "error: {err}");
    let mut source = std::error::Error::source(err);
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
