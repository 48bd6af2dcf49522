//! Errors that make a whole document unusable. Everything less is a [`Warning`](budsql_schema::Warning).

use std::path::PathBuf;

/// Why a file could not be read as a disclosure.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("{path}: the file is empty")]
    Empty { path: PathBuf },

    #[error(
        "{path}: not text: {replaced} of {chars} characters are undecodable (expected UTF-8 or GB18030 text)"
    )]
    NotText {
        path: PathBuf,
        replaced: usize,
        chars: usize,
    },

    #[error(
        "{path}: the text layer is garbled on all {pages} page(s) with text (private-use or undecodable characters; a PDF whose fonts carry no Unicode map, or a scan): nothing can be read"
    )]
    Garbled { path: PathBuf, pages: usize },

    #[error(
        "{path}: no budget year found (expected a title such as `2023年单位预算` or a line `预算年度: 2023`)"
    )]
    NoYear { path: PathBuf },

    #[error("{path}:{line}: year {year} is out of range (expected 1990..=2100)")]
    YearOutOfRange {
        path: PathBuf,
        line: usize,
        year: i64,
    },

    #[error(
        "{path}:{line}: a line of {chars} characters (longer than any table row) and no disclosure table elsewhere"
    )]
    Overlong {
        path: PathBuf,
        line: usize,
        chars: usize,
    },

    #[error(
        "{path}:{first}: rows of a table (lines {first}-{last}) under no recognised title (expected titles such as `收支总表`, `支出总表` or `绩效目标表`)"
    )]
    Untitled {
        path: PathBuf,
        first: usize,
        last: usize,
    },

    #[error(
        "{path}: no disclosure table recognised (expected titles such as `收支总表`, `支出总表` or `绩效目标表`)"
    )]
    NoTables { path: PathBuf },
}

impl ExtractError {
    /// The file the error is about.
    pub fn path(&self) -> &std::path::Path {
        match self {
            ExtractError::Empty { path }
            | ExtractError::NotText { path, .. }
            | ExtractError::Garbled { path, .. }
            | ExtractError::NoYear { path }
            | ExtractError::YearOutOfRange { path, .. }
            | ExtractError::NoTables { path }
            | ExtractError::Overlong { path, .. }
            | ExtractError::Untitled { path, .. } => path,
        }
    }

    /// The 1-based line the error points at, where it points at one.
    pub fn line(&self) -> Option<usize> {
        match self {
            ExtractError::YearOutOfRange { line, .. }
            | ExtractError::Overlong { line, .. }
            | ExtractError::Untitled { first: line, .. } => Some(*line),
            _ => None,
        }
    }
}
