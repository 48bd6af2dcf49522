//! Documents to Arrow record batches, one table at a time.

use std::borrow::Cow;
use std::sync::Arc;

use budsql_schema::{
    AMOUNT_PRECISION, AMOUNT_SCALE, AmountCol, Decimal, Document, Identity, TableName,
};
use datafusion::arrow::array::{
    ArrayRef, Date32Array, Decimal128Array, Int32Array, Int64Array, RecordBatch, StringArray,
};
use datafusion::arrow::datatypes::DataType;

use crate::error::StoreError;
use crate::schema::Table;

/// One cell of a stored row (text borrowed from the document where it can be).
#[derive(Debug, Clone)]
enum Value<'a> {
    Str(Option<Cow<'a, str>>),
    I32(Option<i32>),
    I64(Option<i64>),
    Dec(Option<Decimal>),
    Date(Option<&'a str>),
}

fn s(v: Option<&str>) -> Value<'_> {
    Value::Str(v.map(Cow::Borrowed))
}
fn st(v: &str) -> Value<'_> {
    Value::Str(Some(Cow::Borrowed(v)))
}
fn owned(v: String) -> Value<'static> {
    Value::Str(Some(Cow::Owned(v)))
}
fn i(v: i32) -> Value<'static> {
    Value::I32(Some(v))
}
fn io(v: Option<i32>) -> Value<'static> {
    Value::I32(v)
}
fn d(v: Option<Decimal>) -> Value<'static> {
    Value::Dec(v)
}
fn n(v: usize) -> Value<'static> {
    Value::I32(Some(i32::try_from(v).unwrap_or(i32::MAX)))
}

/// The rows a document adds to `table`, each without the identity columns.
fn rows(doc: &Document, table: Table) -> Vec<Vec<Value<'_>>> {
    match table {
        Table::Units => vec![vec![
            s(doc.unit.dept_code.as_deref()),
            s(doc.unit.unit_nature.as_deref()),
            s(doc.unit.unit_rank.as_deref()),
            s(doc.unit.funding_form.as_deref()),
            st(&doc.unit.source_path),
            st(doc.unit.amount_unit.as_str()),
            s(doc.unit.title.as_deref()),
            st(&doc.unit.encoding),
            st(&doc.unit.layout),
            n(doc.tables.len()),
            owned(doc.tables_found().join(",")),
            owned(doc.tables_missing().join(",")),
            owned(doc.tables_unread().join("; ")),
            n(doc
                .tables
                .iter()
                .filter(|t| t.table == TableName::Kpi && t.rows > 0)
                .count()),
            n(doc.row_count()),
            n(doc.warnings.len()),
            n(doc.checks.len()),
            st(doc.status()),
        ]],
        Table::BudgetLines => doc
            .budget_lines
            .iter()
            .map(|l| {
                let unit = doc
                    .tables
                    .iter()
                    .find(|t| t.table == l.table)
                    .map(|t| t.unit)
                    .unwrap_or(doc.unit.amount_unit);
                let mut r = vec![
                    st(l.table.as_str()),
                    i(l.row_no),
                    st(l.classification.as_str()),
                    s(l.subject_code.as_deref()),
                    st(&l.subject_name),
                    io(l.subject_level),
                    s(l.parent_code.as_deref()),
                ];
                r.extend(AmountCol::ALL.iter().map(|c| d(l.amounts.get(*c))));
                r.extend([st(unit.as_str()), i(l.line_no), i(l.page)]);
                r
            })
            .collect(),
        Table::SummaryLines => doc
            .summary_lines
            .iter()
            .map(|l| {
                vec![
                    st(l.table.as_str()),
                    st(l.side.as_str()),
                    i(l.row_no),
                    st(&l.item_name),
                    i(l.item_level),
                    d(l.amount),
                    d(l.gpb),
                    d(l.gov_fund),
                    d(l.soe),
                    d(l.basic),
                    d(l.project),
                    d(l.personnel),
                    d(l.public_funds),
                    i(l.line_no),
                ]
            })
            .collect(),
        Table::ThreePublic => doc
            .three_public
            .iter()
            .map(|t| {
                vec![
                    d(t.total),
                    d(t.outbound),
                    d(t.vehicle),
                    d(t.vehicle_purchase),
                    d(t.vehicle_operation),
                    d(t.reception),
                    d(t.prior_total),
                    d(t.prior_outbound),
                    d(t.prior_vehicle),
                    d(t.prior_vehicle_purchase),
                    d(t.prior_vehicle_operation),
                    d(t.prior_reception),
                    d(t.budget_total),
                    d(t.budget_outbound),
                    d(t.budget_vehicle),
                    d(t.budget_vehicle_purchase),
                    d(t.budget_vehicle_operation),
                    d(t.budget_reception),
                    d(t.operating_costs),
                    d(t.meeting),
                    d(t.training),
                    i(t.line_no),
                    io(t.prior_line_no),
                ]
            })
            .collect(),
        Table::KpiTargets => doc
            .kpi_targets
            .iter()
            .map(|k| {
                vec![
                    i(k.project_no),
                    st(&k.project_name),
                    s(k.project_goal.as_deref()),
                    i(k.indicator_no),
                    s(k.level1.as_deref()),
                    s(k.level2.as_deref()),
                    s(k.level3.as_deref()),
                    s(k.description.as_deref()),
                    s(k.target_raw.as_deref()),
                    s(k.target_op.as_deref()),
                    d(k.target_value),
                    s(k.target_unit.as_deref()),
                    s(k.basis.as_deref()),
                    i(k.line_no),
                ]
            })
            .collect(),
        Table::Assets => doc
            .assets
            .iter()
            .map(|a| {
                vec![
                    st(&a.category),
                    Value::I64(a.quantity),
                    d(a.value),
                    Value::Date(a.as_of.as_deref()),
                    i(a.line_no),
                ]
            })
            .collect(),
        Table::Narrative => doc
            .narrative
            .iter()
            .map(|f| {
                vec![
                    st(&f.figure),
                    d(Some(f.amount)),
                    st(&f.sentence),
                    i(f.line_no),
                ]
            })
            .collect(),
        Table::Checks => doc
            .checks
            .iter()
            .map(|c| {
                vec![
                    st(&c.table_name),
                    io(c.row_no),
                    s(c.subject_code.as_deref()),
                    s(c.column.as_deref()),
                    st(&c.rule),
                    d(Some(c.expected)),
                    d(Some(c.actual)),
                    d(Some(c.actual - c.expected)),
                    st(c.severity.as_str()),
                    st(&c.message),
                    i(c.line_no),
                ]
            })
            .collect(),
        Table::Warnings => doc
            .warnings
            .iter()
            .map(|w| {
                vec![
                    s(w.table_name.as_deref()),
                    st(w.code.as_str()),
                    st(&w.message),
                    s(w.raw.as_deref()),
                    i(w.line_no),
                ]
            })
            .collect(),
    }
}

fn identity_values(id: &Identity) -> [Value<'_>; 5] {
    [
        st(&id.doc_id),
        s(id.region.as_deref()),
        s(id.unit_code.as_deref()),
        s(id.unit_name.as_deref()),
        st(id.scope.as_str()),
    ]
}

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

/// Builds the batch of `table` for `docs` (already in store order).
pub fn build(table: Table, docs: &[&Document]) -> Result<RecordBatch, StoreError> {
    use datafusion::arrow::array::StringBuilder;
    let schema = table.file_schema();
    let per_doc: Vec<(&Document, Vec<Vec<Value<'_>>>)> =
        docs.iter().map(|d| (*d, rows(d, table))).collect();
    let n: usize = per_doc.iter().map(|(_, r)| r.len()).sum();
    // the identity columns repeat per document: appended from borrowed strings
    let id_count = identity_values(&Identity::default()).len();
    let mut ids: Vec<StringBuilder> = (0..id_count)
        .map(|_| StringBuilder::with_capacity(n, n * 16))
        .collect();
    let own = schema.fields().len().saturating_sub(id_count);
    let mut columns: Vec<Vec<Value<'_>>> = (0..own).map(|_| Vec::with_capacity(n)).collect();
    for (doc, rows) in per_doc {
        let id = &doc.identity;
        let idv: [Option<&str>; 5] = [
            Some(id.doc_id.as_str()),
            id.region.as_deref(),
            id.unit_code.as_deref(),
            id.unit_name.as_deref(),
            Some(id.scope.as_str()),
        ];
        for row in rows {
            for (b, v) in ids.iter_mut().zip(idv) {
                b.append_option(v);
            }
            for (col, v) in columns.iter_mut().zip(row) {
                col.push(v);
            }
        }
    }
    let mut arrays: Vec<ArrayRef> = ids
        .into_iter()
        .map(|mut b| Arc::new(b.finish()) as ArrayRef)
        .collect();
    for (field, values) in schema.fields().iter().skip(id_count).zip(columns) {
        arrays.push(match field.data_type() {
            DataType::Utf8 => Arc::new(StringArray::from_iter(values.into_iter().map(
                |v| match v {
                    Value::Str(s) => s,
                    _ => None,
                },
            ))),
            DataType::Int32 => {
                Arc::new(Int32Array::from_iter(values.into_iter().map(|v| match v {
                    Value::I32(x) => x,
                    _ => None,
                })))
            }
            DataType::Int64 => {
                Arc::new(Int64Array::from_iter(values.into_iter().map(|v| match v {
                    Value::I64(x) => x,
                    _ => None,
                })))
            }
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
        });
    }
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
