//! `budsql export VIEW --out FILE`: a view (or the research `panel`) written to a CSV or
//! Parquet file outside the store, rows in a stable order.

use std::io::Write;
use std::path::Path;

use budsql_query::{Session, closest};
use datafusion::arrow::array::{Array, UInt64Array};

use crate::error::CliError;

/// The file formats an export writes, by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileFormat {
    Csv,
    Parquet,
}

fn format_of(out: &Path) -> Result<FileFormat, CliError> {
    match out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("csv") => Ok(FileFormat::Csv),
        Some("parquet") => Ok(FileFormat::Parquet),
        _ => Err(CliError::Usage(format!(
            "{}: the export file's name must end in .csv or .parquet",
            out.display()
        ))),
    }
}

/// Writes `view` to `out` and says how many rows it wrote.
pub async fn export(
    session: &Session,
    view: &str,
    out: &Path,
    w: &mut dyn Write,
) -> Result<(), CliError> {
    let names: Vec<&str> = Session::views().into_iter().map(|(n, _)| n).collect();
    if !names.contains(&view) {
        let hint = closest(view, names.iter().copied())
            .map(|c| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default();
        return Err(CliError::Usage(format!(
            "`{view}` is not a view{hint}; the views: {}",
            names.join(", ")
        )));
    }
    let format = format_of(out)?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        return Err(CliError::Usage(format!(
            "{}: no such folder to export into",
            dir.display()
        )));
    }
    // every column in the order: the same rows give the same file
    let columns = session.describe(view).await?.len();
    let order: Vec<String> = (1..=columns).map(|i| i.to_string()).collect();
    let target = out.to_string_lossy().replace('\'', "''");
    let options = match format {
        FileFormat::Csv => "STORED AS CSV OPTIONS ('format.has_header' 'true')",
        FileFormat::Parquet => "STORED AS PARQUET OPTIONS ('format.compression' 'zstd(3)')",
    };
    let sql = format!(
        "COPY (SELECT * FROM {view} ORDER BY {order}) TO '{target}' {options}",
        order = order.join(", ")
    );
    let mut rows = 0u64;
    for statement in session.parse(&sql)? {
        for batch in session.execute(statement).await?.collect().await? {
            if let Some(count) = batch
                .columns()
                .first()
                .and_then(|c| c.as_any().downcast_ref::<UInt64Array>())
                && !count.is_empty()
            {
                rows += count.value(0);
            }
        }
    }
    writeln!(w, "exported {rows} row(s) of {view} to {}", out.display())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(
            format_of(Path::new("a/panel.csv")).ok(),
            Some(FileFormat::Csv)
        );
        assert_eq!(
            format_of(Path::new("P.PARQUET")).ok(),
            Some(FileFormat::Parquet)
        );
        assert!(format_of(Path::new("panel.xlsx")).is_err());
        assert!(format_of(Path::new("panel")).is_err());
    }
}
