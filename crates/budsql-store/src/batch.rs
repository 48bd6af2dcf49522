//! Documents to Arrow record batches, one table at a time.

use std::sync::Arc;

use budsql_schema::{AMOUNT_PRECISION, AMOUNT_SCALE, Decimal, Document};
use datafusion::arrow::array::builder::NullBufferBuilder;
use datafusion::arrow::array::{
    ArrayRef, Date32Builder, Decimal128Array, Int32Builder, Int64Builder, RecordBatch,
    StringBuilder,
};
use datafusion::arrow::buffer::ScalarBuffer;
use datafusion::arrow::datatypes::DataType;

use crate::error::StoreError;
use crate::schema::Table;
use crate::spec::{self, Value};

/// Days since 1970-01-01 of a `YYYY-MM-DD` date.
fn days_from_iso(date: &str) -> Option<i32> {
    let mut it = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (it.next()??, it.next()??, it.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    i32::try_from(era * 146_097 + doe - 719_468).ok()
}

fn to_i128(v: Decimal) -> Result<i128, StoreError> {
    let scale = v.scale();
    if scale == AMOUNT_SCALE {
        return Ok(v.mantissa());
    }
    // the common case: fewer decimals than stored, scaled up exactly
    if scale < AMOUNT_SCALE
        && let Some(m) = 10_i128
            .checked_pow(AMOUNT_SCALE - scale)
            .and_then(|f| v.mantissa().checked_mul(f))
    {
        return Ok(m);
    }
    let mut r = v;
    r.rescale(AMOUNT_SCALE);
    if r != v {
        return Err(StoreError::Precision {
            value: v.to_string(),
        });
    }
    Ok(r.mantissa())
}

/// One column under construction: values go straight into the Arrow builder of its type.
pub enum Builder {
    Str(StringBuilder),
    I32(Int32Builder),
    I64(Int64Builder),
    Date(Date32Builder),
    Dec(Vec<i128>, NullBufferBuilder),
}

impl Builder {
    fn new(ty: &DataType, rows: usize) -> Self {
        match ty {
            DataType::Utf8 => Builder::Str(StringBuilder::with_capacity(rows, rows * 8)),
            DataType::Int32 => Builder::I32(Int32Builder::with_capacity(rows)),
            DataType::Int64 => Builder::I64(Int64Builder::with_capacity(rows)),
            DataType::Date32 => Builder::Date(Date32Builder::with_capacity(rows)),
            _ => Builder::Dec(Vec::with_capacity(rows), NullBufferBuilder::new(rows)),
        }
    }

    /// Appends `v` `times` times (a value of another type than the column's is NULL).
    pub fn push(&mut self, v: Value<'_>, times: usize) -> Result<(), StoreError> {
        match (self, v) {
            (Builder::Str(b), Value::Str(Some(s))) => {
                for _ in 0..times {
                    b.append_value(&s);
                }
            }
            (Builder::Str(b), _) => b.append_nulls(times),
            (Builder::I32(b), Value::I32(Some(x))) => b.append_value_n(x, times),
            (Builder::I32(b), _) => b.append_nulls(times),
            (Builder::I64(b), Value::I64(Some(x))) => b.append_value_n(x, times),
            (Builder::I64(b), _) => b.append_nulls(times),
            (Builder::Date(b), Value::Date(x)) => match x.and_then(days_from_iso) {
                Some(day) => b.append_value_n(day, times),
                None => b.append_nulls(times),
            },
            (Builder::Date(b), _) => b.append_nulls(times),
            (Builder::Dec(values, nulls), Value::Dec(Some(x))) => {
                let m = to_i128(x)?;
                values.extend(std::iter::repeat_n(m, times));
                nulls.append_n_non_nulls(times);
            }
            (Builder::Dec(values, nulls), _) => {
                values.extend(std::iter::repeat_n(0, times));
                nulls.append_n_nulls(times);
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<ArrayRef, StoreError> {
        Ok(match self {
            Builder::Str(mut b) => Arc::new(b.finish()),
            Builder::I32(mut b) => Arc::new(b.finish()),
            Builder::I64(mut b) => Arc::new(b.finish()),
            Builder::Date(mut b) => Arc::new(b.finish()),
            Builder::Dec(values, mut nulls) => Arc::new(
                Decimal128Array::new(ScalarBuffer::from(values), nulls.finish())
                    .with_precision_and_scale(AMOUNT_PRECISION, AMOUNT_SCALE as i8)?,
            ),
        })
    }
}

/// Builds the batch of `table` for `docs` (already in store order), column by column
/// from the view's definition.
pub fn build(table: Table, docs: &[&Document]) -> Result<RecordBatch, StoreError> {
    let schema = table.file_schema();
    let view = spec::view(table);
    let ids = spec::identity();
    let counts: Vec<usize> = docs.iter().map(|d| view.row_count(d)).collect();
    let rows: usize = counts.iter().sum();
    let mut builders: Vec<Builder> = schema
        .fields()
        .iter()
        .map(|f| Builder::new(f.data_type(), rows))
        .collect();
    let (id_builders, own) = builders.split_at_mut(ids.len().min(schema.fields().len()));
    for (c, b) in ids.iter().zip(id_builders.iter_mut()) {
        for (doc, &n) in docs.iter().zip(&counts) {
            b.push(c.value(doc, &()), n)?;
        }
    }
    for doc in docs {
        view.push_values(doc, own)?;
    }
    let arrays = builders
        .into_iter()
        .map(Builder::finish)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RecordBatch::try_new(schema, arrays)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(days_from_iso("1970-01-01"), Some(0));
        assert_eq!(days_from_iso("2022-12-31"), Some(19357));
        assert_eq!(days_from_iso("2022-13-01"), None);
    }
}
