//! Documents to Arrow record batches, one table at a time.

use std::sync::Arc;

use budsql_schema::{AMOUNT_PRECISION, AMOUNT_SCALE, Decimal, Document};
use datafusion::arrow::array::{
    ArrayRef, Date32Array, Decimal128Array, Int32Array, Int64Array, RecordBatch, StringBuilder,
};
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
    let mut r = v;
    r.rescale(AMOUNT_SCALE);
    if r != v {
        return Err(StoreError::Precision {
            value: v.to_string(),
        });
    }
    Ok(r.mantissa())
}

/// Builds the batch of `table` for `docs` (already in store order), column by column
/// from the view's definition.
pub fn build(table: Table, docs: &[&Document]) -> Result<RecordBatch, StoreError> {
    let schema = table.file_schema();
    let view = spec::view(table);
    let ids = spec::identity();
    let own = view.infos().len();
    let mut id_values: Vec<Vec<Value<'_>>> = (0..ids.len()).map(|_| Vec::new()).collect();
    let mut columns: Vec<Vec<Value<'_>>> = (0..own).map(|_| Vec::new()).collect();
    for doc in docs {
        let n = view.push_values(doc, &mut columns);
        for (c, slot) in ids.iter().zip(id_values.iter_mut()) {
            let v = c.value(doc, &());
            slot.extend(std::iter::repeat_n(v, n));
        }
    }
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
    for (field, values) in schema
        .fields()
        .iter()
        .zip(id_values.into_iter().chain(columns))
    {
        arrays.push(array(field.data_type(), values)?);
    }
    Ok(RecordBatch::try_new(schema, arrays)?)
}

/// One column's values as an Arrow array of `ty`.
fn array(ty: &DataType, values: Vec<Value<'_>>) -> Result<ArrayRef, StoreError> {
    Ok(match ty {
        DataType::Utf8 => {
            let bytes: usize = values
                .iter()
                .map(|v| match v {
                    Value::Str(Some(s)) => s.len(),
                    _ => 0,
                })
                .sum();
            let mut b = StringBuilder::with_capacity(values.len(), bytes);
            for v in values {
                match v {
                    Value::Str(Some(s)) => b.append_value(s),
                    _ => b.append_null(),
                }
            }
            Arc::new(b.finish())
        }
        DataType::Int32 => Arc::new(Int32Array::from_iter(values.into_iter().map(|v| match v {
            Value::I32(x) => x,
            _ => None,
        }))),
        DataType::Int64 => Arc::new(Int64Array::from_iter(values.into_iter().map(|v| match v {
            Value::I64(x) => x,
            _ => None,
        }))),
        DataType::Date32 => Arc::new(Date32Array::from_iter(values.into_iter().map(
            |v| match v {
                Value::Date(x) => x.and_then(days_from_iso),
                _ => None,
            },
        ))),
        _ => {
            let mut out: Vec<Option<i128>> = Vec::with_capacity(values.len());
            for v in values {
                out.push(match v {
                    Value::Dec(Some(x)) => Some(to_i128(x)?),
                    _ => None,
                });
            }
            Arc::new(
                Decimal128Array::from(out)
                    .with_precision_and_scale(AMOUNT_PRECISION, AMOUNT_SCALE as i8)?,
            )
        }
    })
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
