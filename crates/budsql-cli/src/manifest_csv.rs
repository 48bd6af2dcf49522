//! `ingest --manifest FILE.csv`: identity stated per file, overriding what documents say.
//!
//! Columns (header required, any order, all but `path` optional and blank = not stated):
//! `path`, `region`, `unit_name`, `year`, `doc_kind` (budget|final or 预算|决算),
//! `scope` (unit|department or 单位|部门). Paths are relative to the CSV's folder.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use budsql_extract::Overrides;
use budsql_schema::{DocKind, Scope};

use crate::error::CliError;

fn bad(path: &Path, line: u64, msg: String) -> CliError {
    CliError::Usage(format!("{}:{line}: {msg}", path.display()))
}

/// Reads a manifest into per-file overrides, keyed by canonical path.
pub fn read(csv_path: &Path) -> Result<HashMap<PathBuf, Overrides>, CliError> {
    let base = csv_path.parent().unwrap_or(Path::new("."));
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(csv_path)
        .map_err(|e| CliError::Usage(format!("{}: {e}", csv_path.display())))?;
    let headers = rdr
        .headers()
        .map_err(|e| CliError::Usage(format!("{}: {e}", csv_path.display())))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
    };
    let Some(path_col) = col("path") else {
        return Err(bad(csv_path, 1, "the header has no `path` column (expected path, region, unit_name, year, doc_kind, scope)".into()));
    };
    let known = ["path", "region", "unit_name", "year", "doc_kind", "scope"];
    if let Some(h) = headers
        .iter()
        .find(|h| !known.contains(&h.trim_start_matches('\u{feff}')))
    {
        return Err(bad(
            csv_path,
            1,
            format!("unknown column `{h}` (expected {})", known.join(", ")),
        ));
    }
    let mut out = HashMap::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| CliError::Usage(format!("{}: {e}", csv_path.display())))?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let get = |name: &str| {
            col(name)
                .and_then(|i| rec.get(i))
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let Some(rel) = rec.get(path_col).filter(|p| !p.is_empty()) else {
            return Err(bad(csv_path, line, "empty `path`".into()));
        };
        let year = match get("year") {
            Some(y) => Some(
                y.parse::<i32>()
                    .ok()
                    .filter(|y| (1990..=2100).contains(y))
                    .ok_or_else(|| {
                        bad(
                            csv_path,
                            line,
                            format!("year `{y}` is not a year between 1990 and 2100"),
                        )
                    })?,
            ),
            None => None,
        };
        let doc_kind = match get("doc_kind").as_deref() {
            None => None,
            Some("budget" | "预算") => Some(DocKind::Budget),
            Some("final" | "决算") => Some(DocKind::Final),
            Some(k) => {
                return Err(bad(
                    csv_path,
                    line,
                    format!("doc_kind `{k}` (expected budget or final)"),
                ));
            }
        };
        let scope = match get("scope").as_deref() {
            None => None,
            Some("unit" | "单位") => Some(Scope::Unit),
            Some("department" | "部门") => Some(Scope::Department),
            Some(k) => {
                return Err(bad(
                    csv_path,
                    line,
                    format!("scope `{k}` (expected unit or department)"),
                ));
            }
        };
        let file = base.join(rel);
        let key = std::fs::canonicalize(&file)
            .map_err(|e| bad(csv_path, line, format!("{}: {e}", file.display())))?;
        out.insert(
            key,
            Overrides {
                region: get("region"),
                unit_name: get("unit_name"),
                year,
                doc_kind,
                scope,
            },
        );
    }
    Ok(out)
}
