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
    /// Excel workbook, one sheet per statement (needs `--out FILE`)
    Xlsx,
}

impl Format {
    pub fn parse(name: &str) -> Option<Format> {
        <Format as clap::ValueEnum>::from_str(name, true).ok()
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Ndjson => "ndjson",
            Format::Markdown => "markdown",
            Format::Xlsx => "xlsx",
        }
    }
}

/// How results print.
#[derive(Debug, Clone)]
pub struct Options {
    pub format: Format,
    /// One line per column, a block per row (table form only).
    pub expanded: bool,
    /// Thousands separators in numbers (table, markdown and expanded forms).
    pub thousands: bool,
    /// The NULL text of the table, markdown and expanded forms.
    pub null: String,
    /// At most this many rows in the table, markdown and expanded forms.
    pub max_rows: Option<usize>,
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

/// A number with thousands separators in its integer part (`1234567.5` → `1,234,567.5`).
fn with_thousands(s: &str) -> String {
    let (sign, rest) = match s.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", s),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    if !int.bytes().all(|b| b.is_ascii_digit()) {
        return s.to_string();
    }
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// The printed texts of a table form: each decimal column with one number of decimals
/// (its widest), thousands separators where asked, NULL as the options say.
fn cell_texts(opts: &Options, schema: &SchemaRef, rows: &[Vec<Value>]) -> Vec<Vec<String>> {
    let decimal: Vec<bool> = schema
        .fields()
        .iter()
        .map(|f| matches!(f.data_type(), DataType::Decimal128(..)))
        .collect();
    let decimals: Vec<usize> = (0..decimal.len())
        .map(|c| {
            rows.iter()
                .filter_map(|r| match r.get(c) {
                    Some(Value::Number(s)) => s.split_once('.').map(|(_, f)| f.len()),
                    _ => None,
                })
                .max()
                .unwrap_or(0)
        })
        .collect();
    rows.iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(c, v)| match v {
                    Value::Null => opts.null.clone(),
                    Value::Text(s) => s.clone(),
                    Value::Number(s) => {
                        let want = decimals.get(c).copied().unwrap_or(0);
                        let mut t = s.clone();
                        if decimal.get(c) == Some(&true) && want > 0 {
                            let have = s.split_once('.').map(|(_, f)| f.len()).unwrap_or(0);
                            if have == 0 {
                                t.push('.');
                            }
                            t.push_str(&"0".repeat(want.saturating_sub(have)));
                        }
                        if opts.thousands {
                            t = with_thousands(&t);
                        }
                        t
                    }
                })
                .collect()
        })
        .collect()
}

/// The footer of a table form: how many rows, and how many were not shown.
fn footer(out: &mut dyn Write, total: usize, shown: usize) -> std::io::Result<()> {
    let s = if total == 1 { "" } else { "s" };
    if shown < total {
        writeln!(
            out,
            "({total} row{s}; the first {shown} shown, {} not: `\\pset max_rows all` shows all)",
            total - shown
        )
    } else {
        writeln!(out, "({total} row{s})")
    }
}

/// Prints a result set in the form the options give.
pub fn print_with(
    out: &mut dyn Write,
    opts: &Options,
    schema: &SchemaRef,
    batches: &[RecordBatch],
) -> std::io::Result<()> {
    let format = opts.format;
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
    let total: usize = batches.iter().map(RecordBatch::num_rows).sum();
    // (the table forms print at most `max_rows`: only those are turned into text)
    let limit = match format {
        Format::Table | Format::Markdown => opts.max_rows.unwrap_or(usize::MAX),
        _ => usize::MAX,
    };
    let mut table: Vec<Vec<Value>> = Vec::new();
    for b in batches {
        if table.len() >= limit {
            break;
        }
        let take = (limit - table.len()).min(b.num_rows());
        table.extend(values(&b.slice(0, take)).map_err(std::io::Error::other)?);
    }
    let numeric: Vec<bool> = schema
        .fields()
        .iter()
        .map(|f| is_numeric(f.data_type()))
        .collect();
    match format {
        Format::Table if opts.expanded => {
            let texts = cell_texts(opts, schema, &table);
            let width = names
                .iter()
                .map(|n| unicode_width::UnicodeWidthStr::width(*n))
                .max()
                .unwrap_or(0);
            for (k, r) in texts.iter().enumerate() {
                writeln!(out, "-[ RECORD {} ]{}", k + 1, "-".repeat(width.max(8)))?;
                for (n, v) in names.iter().zip(r) {
                    let pad = width - unicode_width::UnicodeWidthStr::width(*n);
                    writeln!(out, "{n}{} | {v}", " ".repeat(pad))?;
                }
            }
            footer(out, total, table.len())?;
        }
        Format::Table => {
            let mut t = Table::new();
            t.load_preset(presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Disabled)
                .set_header(names.iter().map(Cell::new));
            for (i, num) in numeric.iter().enumerate() {
                if *num && let Some(c) = t.column_mut(i) {
                    c.set_cell_alignment(CellAlignment::Right);
                }
            }
            for r in cell_texts(opts, schema, &table) {
                t.add_row(r.iter().map(Cell::new));
            }
            writeln!(out, "{t}")?;
            footer(out, total, table.len())?;
        }
        // printed row by row above; a workbook is written by its own module
        Format::Csv | Format::Ndjson | Format::Xlsx => {}
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
            let rule: Vec<&str> = numeric
                .iter()
                .map(|n| if *n { "---:" } else { "---" })
                .collect();
            writeln!(out, "| {} |", rule.join(" | "))?;
            for r in cell_texts(opts, schema, &table) {
                let cells: Vec<String> = r.iter().map(|v| md_cell(v)).collect();
                writeln!(out, "| {} |", cells.join(" | "))?;
            }
            if table.len() < total {
                footer(out, total, table.len())?;
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
