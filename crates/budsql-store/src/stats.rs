//! File statistics kept in the manifest: what a query plan reads from a Parquet footer (row
//! count, each column's null count, minimum, maximum and size), taken from the metadata the
//! writer returns when it closes the file. A query session hands them to its tables, so
//! planning reads no footer, and a file whose ranges exclude a filter is skipped without
//! being opened (a unit looked up by code on 100,000 documents opened 14 footers of
//! ~0.5 MB each for no row).
//!
//! They are DataFusion's own statistics of the file
//! (`DFParquetMetadata::statistics_from_parquet_metadata` on the footer just written), so
//! plans are the same as from the footer; a value the manifest cannot hold (a type other
//! than text, integers, dates and decimals) is left out, which a plan reads as unknown.

use datafusion::arrow::datatypes::{DataType, Schema, SchemaRef};
use datafusion::common::stats::Precision;
use datafusion::common::{ColumnStatistics, ScalarValue, Statistics};
use datafusion::datasource::physical_plan::parquet::metadata::DFParquetMetadata;
use datafusion::parquet::arrow::parquet_to_arrow_schema;
use datafusion::parquet::file::metadata::ParquetMetaData;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A figure and whether it is exact or an estimate. Stored bare when exact and as a
/// one-element array when an estimate (`5`, `[5]`); an absent figure is `null`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Est<T> {
    Exact(T),
    Estimate(T),
}

/// The statistics of one column of a file, stored as the array
/// `[nulls, min, max, distinct, bytes]` (the manifest holds one per column of every file,
/// so its form is kept short).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnStats {
    /// Null values.
    pub nulls: Option<Est<u64>>,
    /// Smallest value (text as text, integers and dates as numbers, decimals as the text of
    /// their unscaled integer).
    pub min: Option<Est<Value>>,
    pub max: Option<Est<Value>>,
    pub distinct: Option<Est<u64>>,
    /// Bytes of the column in memory.
    pub bytes: Option<Est<u64>>,
}

impl<T> Est<T> {
    /// The figure converted by `f`, exact or estimate as it was; `None` when `f` fails.
    fn try_map<U>(&self, f: impl FnOnce(&T) -> Option<U>) -> Option<Est<U>> {
        Some(match self {
            Est::Exact(v) => Est::Exact(f(v)?),
            Est::Estimate(v) => Est::Estimate(f(v)?),
        })
    }
}

fn est_json<T: Into<Value> + Clone>(e: Option<&Est<T>>) -> Value {
    match e {
        None => Value::Null,
        Some(Est::Exact(v)) => v.clone().into(),
        Some(Est::Estimate(v)) => Value::Array(vec![v.clone().into()]),
    }
}

fn json_est(v: Value) -> Option<Est<Value>> {
    match v {
        Value::Null => None,
        Value::Array(mut a) if a.len() == 1 => a.pop().map(Est::Estimate),
        v => Some(Est::Exact(v)),
    }
}

fn json_est_u64<E: serde::de::Error>(v: Value) -> Result<Option<Est<u64>>, E> {
    let Some(e) = json_est(v) else {
        return Ok(None);
    };
    e.try_map(Value::as_u64).map(Some).ok_or_else(|| {
        let (Est::Exact(v) | Est::Estimate(v)) = e;
        E::custom(format!("expected a count, found {v}"))
    })
}

impl Serialize for ColumnStats {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut all = vec![
            est_json(self.nulls.as_ref()),
            est_json(self.min.as_ref()),
            est_json(self.max.as_ref()),
            est_json(self.distinct.as_ref()),
            est_json(self.bytes.as_ref()),
        ];
        while all.last().is_some_and(Value::is_null) {
            all.pop();
        }
        all.serialize(s)
    }
}

impl<'de> Deserialize<'de> for ColumnStats {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut all = Vec::<Value>::deserialize(d)?.into_iter();
        let mut next = || all.next().unwrap_or(Value::Null);
        Ok(ColumnStats {
            nulls: json_est_u64(next())?,
            min: json_est(next()),
            max: json_est(next()),
            distinct: json_est_u64(next())?,
            bytes: json_est_u64(next())?,
        })
    }
}

/// The statistics of one file, columns in the order of its view's file schema.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileStats {
    /// Bytes of the file's rows in memory (`[n]`: an estimate).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "ser_bytes",
        deserialize_with = "de_bytes"
    )]
    pub bytes: Option<Est<u64>>,
    pub columns: Vec<ColumnStats>,
}

impl FileStats {
    /// The statistics of a file just written with `meta` as its footer, read with the
    /// schema it was written with; `None` when DataFusion cannot derive them (the file then
    /// has none in the manifest and a plan reads its footer, as for a file of an older
    /// budsql).
    pub fn of_parquet(meta: &ParquetMetaData) -> Option<FileStats> {
        let file = meta.file_metadata();
        let schema: SchemaRef = std::sync::Arc::new(
            parquet_to_arrow_schema(file.schema_descr(), file.key_value_metadata()).ok()?,
        );
        let s = DFParquetMetadata::statistics_from_parquet_metadata(meta, &schema).ok()?;
        Some(FileStats {
            bytes: est_usize(&s.total_byte_size),
            columns: s
                .column_statistics
                .iter()
                .map(|c| ColumnStats {
                    nulls: est_usize(&c.null_count),
                    min: est_of(&c.min_value, scalar_to_json),
                    max: est_of(&c.max_value, scalar_to_json),
                    distinct: est_usize(&c.distinct_count),
                    bytes: est_usize(&c.byte_size),
                })
                .collect(),
        })
    }

    /// DataFusion's statistics of a file of `rows` rows read as `schema`; `None` when
    /// these do not fit the schema (another column count, a value of another type), so that
    /// the plan reads the footer rather than trust them.
    pub fn to_statistics(&self, rows: u64, schema: &Schema) -> Option<Statistics> {
        if self.columns.len() != schema.fields().len() {
            return None;
        }
        let mut column_statistics = Vec::with_capacity(self.columns.len());
        for (c, field) in self.columns.iter().zip(schema.fields()) {
            let t = field.data_type();
            column_statistics.push(ColumnStatistics {
                null_count: precision_usize(c.nulls.as_ref())?,
                max_value: precision_of(c.max.as_ref(), |v| json_to_scalar(v, t))?,
                min_value: precision_of(c.min.as_ref(), |v| json_to_scalar(v, t))?,
                sum_value: Precision::Absent,
                distinct_count: precision_usize(c.distinct.as_ref())?,
                byte_size: precision_usize(c.bytes.as_ref())?,
            });
        }
        Some(Statistics {
            num_rows: Precision::Exact(usize::try_from(rows).ok()?),
            total_byte_size: precision_usize(self.bytes.as_ref())?,
            column_statistics,
        })
    }
}

fn ser_bytes<S: serde::Serializer>(b: &Option<Est<u64>>, s: S) -> Result<S::Ok, S::Error> {
    est_json(b.as_ref()).serialize(s)
}

fn de_bytes<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Est<u64>>, D::Error> {
    json_est_u64(Value::deserialize(d)?)
}

/// DataFusion's figure `p` as the manifest keeps it, converted by `f`; `None` when absent
/// or when `f` cannot convert it.
fn est_of<T, U>(p: &Precision<T>, f: impl FnOnce(&T) -> Option<U>) -> Option<Est<U>>
where
    T: std::fmt::Debug + Clone + PartialEq + Eq + PartialOrd,
{
    match p {
        Precision::Exact(v) => Some(Est::Exact(f(v)?)),
        Precision::Inexact(v) => Some(Est::Estimate(f(v)?)),
        Precision::Absent => None,
    }
}

fn est_usize(p: &Precision<usize>) -> Option<Est<u64>> {
    est_of(p, |n| u64::try_from(*n).ok())
}

/// The manifest's figure `e` as DataFusion's, converted by `f`: `Some(Absent)` for a figure
/// left out; `None` for one that does not convert.
fn precision_of<T, U>(e: Option<&Est<T>>, f: impl FnOnce(&T) -> Option<U>) -> Option<Precision<U>>
where
    U: std::fmt::Debug + Clone + PartialEq + Eq + PartialOrd,
{
    Some(match e {
        None => Precision::Absent,
        Some(Est::Exact(v)) => Precision::Exact(f(v)?),
        Some(Est::Estimate(v)) => Precision::Inexact(f(v)?),
    })
}

fn precision_usize(e: Option<&Est<u64>>) -> Option<Precision<usize>> {
    precision_of(e, |n| usize::try_from(*n).ok())
}

/// A value as the manifest holds it; `None` for a type it does not hold, and for NULL (a
/// column missing from the file: left out, so read as unknown).
fn scalar_to_json(v: &ScalarValue) -> Option<Value> {
    Some(match v {
        ScalarValue::Utf8(s) | ScalarValue::LargeUtf8(s) | ScalarValue::Utf8View(s) => {
            Value::String(s.clone()?)
        }
        ScalarValue::Int32(n) | ScalarValue::Date32(n) => Value::from((*n)?),
        ScalarValue::Int64(n) => Value::from((*n)?),
        ScalarValue::Decimal128(n, _, _) => Value::String((*n)?.to_string()),
        _ => return None,
    })
}

/// The value of type `t` the manifest holds as `v`; `None` when it is not one.
fn json_to_scalar(v: &Value, t: &DataType) -> Option<ScalarValue> {
    Some(match t {
        DataType::Utf8 => ScalarValue::Utf8(Some(v.as_str()?.to_string())),
        DataType::Int32 => ScalarValue::Int32(Some(i32::try_from(v.as_i64()?).ok()?)),
        DataType::Date32 => ScalarValue::Date32(Some(i32::try_from(v.as_i64()?).ok()?)),
        DataType::Int64 => ScalarValue::Int64(Some(v.as_i64()?)),
        DataType::Decimal128(p, s) => {
            ScalarValue::Decimal128(Some(v.as_str()?.parse::<i128>().ok()?), *p, *s)
        }
        _ => return None,
    })
}
