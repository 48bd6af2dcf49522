//! Where budsql keeps things when nobody says: the default store and the REPL history.

use std::path::PathBuf;

/// `$XDG_DATA_HOME/budsql`, else `~/.local/share/budsql`.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(x).join("budsql"));
    }
    std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(|h| PathBuf::from(h).join(".local").join("share").join("budsql"))
}

/// The store used when neither `--store` nor `BUDSQL_STORE` names one.
pub fn default_store() -> PathBuf {
    data_dir()
        .map(|d| d.join("store"))
        .unwrap_or_else(|| PathBuf::from(".budsql").join("store"))
}
