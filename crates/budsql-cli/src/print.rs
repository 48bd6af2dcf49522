//! Result printing in every output format, to any `Write`.

use std::io::Write;

use budsql_query::format_decimal;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};
use datafusion::arrow::array::{Array, Decimal128Array, RecordBatch};
use datafusion::arrow::datatypes::{DataType, SchemaRef};
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};

/// Output formats of query results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned table with box borders (CJK-aware widths)
    Table,
    /// RFC 4180 CSV with a header row
    Csv,
    /// One JSON array of objects
    Json,
    /// One JSON object per line
    Ndjson,
    /// GitHub-flavoured Markdown table
    Markdown,
}

/// One printed value.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Null,
    Number(String),
    Text(String),
}

fn is_numeric(t: &DataType) -> bool {
    t.is_numeric()
}

/// The values of a batch, row by row.
fn values(batch: &RecordBatch) -> Result<Vec<Vec<Value>>, datafusion::arrow::error::ArrowError> {
    let opts = FormatOptions::default().with_null("NULL");
    let mut cols: Vec<Vec<Value>> = Vec::with_capacity(batch.num_columns());
    for col in batch.columns() {
        let n = col.len();
        let mut out = Vec::with_capacity(n);
        if let Some(dec) = col.as_any().downcast_ref::<Decimal128Array>() {
            let scale = dec.scale();
            for i in 0..n {
                out.push(if dec.is_null(i) {
                    Value::Null
                } else {
                    Value::Number(format_decimal(dec.value(i), scale))
                });
            }
        } else {
            let f = ArrayFormatter::try_new(col.as_ref(), &opts)?;
            let numeric = is_numeric(col.data_type());
            for i in 0..n {
                out.push(if col.is_null(i) {
                    Value::Null
                } else if numeric {
                    Value::Number(f.value(i).to_string())
                } else {
                    Value::Text(f.value(i).to_string())
                });
            }
        }
        cols.push(out);
    }
    let rows = batch.num_rows();
    Ok((0..rows)
        .map(|r| {
            cols.iter()
                .map(|c| c.get(r).cloned().unwrap_or(Value::Null))
                .collect()
        })
        .collect())
}

/// Whether `format` prints row by row, so results can stream without being held in memory.
pub fn streams(format: Format) -> bool {
    matches!(format, Format::Csv | Format::Ndjson)
}

/// For a streaming format: what comes before the rows (the CSV header).
pub fn begin(out: &mut dyn Write, format: Format, schema: &SchemaRef) -> std::io::Result<()> {
    if format == Format::Csv && !schema.fields().is_empty() {
        let names: Vec<String> = schema
            .fields()
            .iter()
            .map(|f| csv_field(f.name()))
            .collect();
        writeln!(out, "{}", names.join(","))?;
    }
    Ok(())
}

/// For a streaming format: the rows of one batch.
pub fn rows(
    out: &mut dyn Write,
    format: Format,
    schema: &SchemaRef,
    batch: &RecordBatch,
) -> std::io::Result<()> {
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    for r in values(batch).map_err(std::io::Error::other)? {
        if format == Format::Csv {
            let line: Vec<String> = r
                .iter()
                .map(|v| match v {
                    Value::Null => String::new(),
                    Value::Number(s) | Value::Text(s) => csv_field(s),
                })
                .collect();
            writeln!(out, "{}", line.join(","))?;
        } else {
            let fields: Vec<String> = names
                .iter()
                .zip(&r)
                .map(|(n, v)| format!("{}:{}", json_string(n), json_value(v)))
                .collect();
            writeln!(out, "{{{}}}", fields.join(","))?;
        }
    }
    Ok(())
}

/// Prints a result set (schema and batches) in `format`.
pub fn print(
    out: &mut dyn Write,
    format: Format,
    schema: &SchemaRef,
    batches: &[RecordBatch],
) -> std::io::Result<()> {
    if schema.fields().is_empty() {
        return Ok(());
    }
    if streams(format) {
        begin(out, format, schema)?;
        for b in batches {
            rows(out, format, schema, b)?;
        }
        return Ok(());
    }
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    let mut table: Vec<Vec<Value>> = Vec::new();
    for b in batches {
        table.extend(values(b).map_err(std::io::Error::other)?);
    }
    match format {
        Format::Table => {
            let mut t = Table::new();
            t.load_preset(presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Disabled)
                .set_header(names.iter().map(Cell::new));
            let numeric: Vec<bool> = schema
                .fields()
                .iter()
                .map(|f| is_numeric(f.data_type()))
                .collect();
            for (i, num) in numeric.iter().enumerate() {
                if *num && let Some(c) = t.column_mut(i) {
                    c.set_cell_alignment(CellAlignment::Right);
                }
            }
            for r in &table {
                t.add_row(r.iter().map(|v| match v {
                    Value::Null => Cell::new("NULL"),
                    Value::Number(s) | Value::Text(s) => Cell::new(s),
                }));
            }
            writeln!(out, "{t}")?;
            let n = table.len();
            writeln!(out, "({n} row{})", if n == 1 { "" } else { "s" })?;
        }
        // printed row by row above
        Format::Csv | Format::Ndjson => {}
        Format::Json => {
            let objects: Vec<String> = table
                .iter()
                .map(|r| {
                    let fields: Vec<String> = names
                        .iter()
                        .zip(r)
                        .map(|(n, v)| format!("{}:{}", json_string(n), json_value(v)))
                        .collect();
                    format!("{{{}}}", fields.join(","))
                })
                .collect();
            writeln!(out, "[{}]", objects.join(",\n "))?;
        }
        Format::Markdown => {
            writeln!(
                out,
                "| {} |",
                names
                    .iter()
                    .map(|n| md_cell(n))
                    .collect::<Vec<_>>()
                    .join(" | ")
            )?;
            let numeric: Vec<bool> = schema
                .fields()
                .iter()
                .map(|f| is_numeric(f.data_type()))
                .collect();
            let rule: Vec<&str> = numeric
                .iter()
                .map(|n| if *n { "---:" } else { "---" })
                .collect();
            writeln!(out, "| {} |", rule.join(" | "))?;
            for r in &table {
                let cells: Vec<String> = r
                    .iter()
                    .map(|v| match v {
                        Value::Null => "NULL".to_string(),
                        Value::Number(s) | Value::Text(s) => md_cell(s),
                    })
                    .collect();
                writeln!(out, "| {} |", cells.join(" | "))?;
            }
        }
    }
    Ok(())
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

fn json_value(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Number(s) => {
            // Arrow prints non-finite floats as NaN/inf, which JSON cannot hold.
            if s.parse::<f64>().is_ok_and(f64::is_finite) {
                s.clone()
            } else {
                json_string(s)
            }
        }
        Value::Text(s) => json_string(s),
    }
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}
