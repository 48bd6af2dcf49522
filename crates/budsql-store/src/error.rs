//! Store errors: every one names the file or directory it is about.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "one ingest holds at most {} documents: ingest them in several batches",
        u32::MAX
    )]
    TooManyDocuments,

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{path}: the store manifest is not readable: {source}")]
    Manifest {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },

    #[error(
        "{path}: the store was written by a newer budsql (format {found}, this one reads {supported})"
    )]
    Format {
        path: PathBuf,
        found: u32,
        supported: u32,
    },

    #[error(
        "{path}: the store was written by an older budsql (format {found}; this one reads {supported}, whose views have more columns): ingest the documents again into a new store (or remove this one)"
    )]
    OldFormat {
        path: PathBuf,
        found: u32,
        supported: u32,
    },

    #[error("{path}: {source}")]
    Parquet {
        path: PathBuf,
        #[source]
        source: datafusion::parquet::errors::ParquetError,
    },

    #[error("arrow: {0}")]
    Arrow(#[from] datafusion::arrow::error::ArrowError),

    #[error("amount {value} has more than 6 decimal places of 万元 and cannot be stored exactly")]
    Precision { value: String },

    #[error("{path}: merging files gave {found} rows where its inputs hold {expected}")]
    Merge {
        path: PathBuf,
        expected: u64,
        found: u64,
    },

    #[error("{path}: the store is busy: another budsql ingest holds its lock")]
    Busy { path: PathBuf },

    #[error("{url}: {message}")]
    Remote { url: String, message: String },

    #[error(
        "{url}: another writer committed to the store while this one ran; nothing of this ingest was published (run it again)"
    )]
    Conflict { url: String },
}

pub(crate) trait IoContext<T> {
    fn at(self, path: impl Into<PathBuf>) -> Result<T, StoreError>;
}

impl<T> IoContext<T> for Result<T, std::io::Error> {
    fn at(self, path: impl Into<PathBuf>) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Io {
            path: path.into(),
            source,
        })
    }
}

impl<T> IoContext<T> for Result<T, datafusion::parquet::errors::ParquetError> {
    fn at(self, path: impl Into<PathBuf>) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Parquet {
            path: path.into(),
            source,
        })
    }
}
