//! Results as an Excel workbook (`--format xlsx --out FILE`): one sheet per statement, a
//! bold header row of the column names, numbers as numeric cells (amounts with their
//! decimals shown), text as text, NULL as an empty cell.

use std::path::Path;

use budsql_query::format_decimal;
use datafusion::arrow::array::{
    Array, BooleanArray, Decimal128Array, Float32Array, Float64Array, Int8Array, Int16Array,
    Int32Array, Int64Array, RecordBatch, UInt8Array, UInt16Array, UInt32Array, UInt64Array,
};
use datafusion::arrow::datatypes::{DataType, SchemaRef};
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use rust_xlsxwriter::{Format as CellFormat, XlsxError};

use crate::error::CliError;

/// A workbook being filled, one sheet per result.
#[derive(Default)]
pub struct Workbook {
    book: rust_xlsxwriter::Workbook,
    sheets: usize,
}

fn xlsx_error(e: XlsxError) -> CliError {
    CliError::Usage(format!("cannot write the workbook: {e}"))
}

/// A number cell's value: integers and floats as they are, a decimal by its printed form
/// (so the cell shows the digits the store holds, up to the 15 a spreadsheet keeps).
fn number(col: &dyn Array, i: usize) -> Option<f64> {
    macro_rules! prim {
        ($t:ty) => {
            if let Some(a) = col.as_any().downcast_ref::<$t>() {
                return Some(a.value(i) as f64);
            }
        };
    }
    if let Some(a) = col.as_any().downcast_ref::<Decimal128Array>() {
        return format_decimal(a.value(i), a.scale()).parse().ok();
    }
    prim!(Int8Array);
    prim!(Int16Array);
    prim!(Int32Array);
    prim!(Int64Array);
    prim!(UInt8Array);
    prim!(UInt16Array);
    prim!(UInt32Array);
    prim!(UInt64Array);
    prim!(Float32Array);
    prim!(Float64Array);
    None
}

impl Workbook {
    /// Adds a sheet holding one result.
    pub fn add(&mut self, schema: &SchemaRef, batches: &[RecordBatch]) -> Result<(), CliError> {
        self.sheets += 1;
        let sheet = self.book.add_worksheet();
        sheet
            .set_name(format!("result {}", self.sheets))
            .map_err(xlsx_error)?;
        let bold = CellFormat::new().set_bold();
        for (c, f) in schema.fields().iter().enumerate() {
            let c = u16::try_from(c).map_err(|_| CliError::Usage("too many columns".into()))?;
            sheet
                .write_string_with_format(0, c, f.name(), &bold)
                .map_err(xlsx_error)?;
            let width = unicode_width::UnicodeWidthStr::width(f.name().as_str()).max(10);
            sheet
                .set_column_width(c, width as f64 + 2.0)
                .map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        // (a decimal column shows its scale's digits, at most six: 0.00 … 0.000000)
        let formats: Vec<Option<CellFormat>> = schema
            .fields()
            .iter()
            .map(|f| match f.data_type() {
                DataType::Decimal128(_, s) => {
                    let digits = usize::try_from((*s).clamp(0, 6)).unwrap_or(2).max(2);
                    Some(CellFormat::new().set_num_format(format!("#,##0.{}", "0".repeat(digits))))
                }
                _ => None,
            })
            .collect();
        let opts = FormatOptions::default();
        let mut row: u32 = 1;
        for b in batches {
            for (c, col) in b.columns().iter().enumerate() {
                let cc =
                    u16::try_from(c).map_err(|_| CliError::Usage("too many columns".into()))?;
                let text = ArrayFormatter::try_new(col.as_ref(), &opts)?;
                for i in 0..col.len() {
                    if col.is_null(i) {
                        continue;
                    }
                    let r = row + u32::try_from(i).unwrap_or(u32::MAX - row);
                    if let Some(a) = col.as_any().downcast_ref::<BooleanArray>() {
                        sheet.write_boolean(r, cc, a.value(i)).map_err(xlsx_error)?;
                    } else if let Some(v) = number(col.as_ref(), i) {
                        match formats.get(c).and_then(Option::as_ref) {
                            Some(f) => sheet.write_number_with_format(r, cc, v, f),
                            None => sheet.write_number(r, cc, v),
                        }
                        .map_err(xlsx_error)?;
                    } else {
                        sheet
                            .write_string(r, cc, text.value(i).to_string())
                            .map_err(xlsx_error)?;
                    }
                }
            }
            row += u32::try_from(b.num_rows()).unwrap_or(0);
        }
        Ok(())
    }

    /// Writes the workbook to `path` (an empty result set still gives one sheet).
    pub fn save(mut self, path: &Path) -> Result<(), CliError> {
        if self.sheets == 0 {
            self.book.add_worksheet();
        }
        self.book.save(path).map_err(|e| match e {
            XlsxError::IoError(source) => CliError::Write {
                path: path.to_path_buf(),
                source,
            },
            e => xlsx_error(e),
        })
    }
}
