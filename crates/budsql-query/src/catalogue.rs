//! The classification catalogue shipped with budsql (`datasets/subjects/`, each entry with
//! its source): `subjects`, every function and economic subject with its name per year and
//! its `subject_key`, and `subject_map`, the 部门预算 (30x) ↔ 政府预算 (50x) correspondence.
//! Built into the binary; registered the first time a statement names them.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Int32Array, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::catalog::TableProvider;
use datafusion::datasource::MemTable;
use datafusion::error::DataFusionError;

const FUNCTION: &str = include_str!("../../../datasets/subjects/function.csv");
const ECONOMIC: &str = include_str!("../../../datasets/subjects/economic.csv");
const RENAMES: &str = include_str!("../../../datasets/subjects/renames.csv");
const MAP: &str = include_str!("../../../datasets/subjects/correspondence.csv");

/// A catalogue table: name, one line on it, (column, term, meaning).
pub struct Catalogue {
    pub name: &'static str,
    pub about: &'static str,
    pub columns: &'static [(&'static str, &'static str, &'static str)],
    pub build: fn() -> Result<Arc<dyn TableProvider>, DataFusionError>,
}

pub fn all() -> Vec<Catalogue> {
    vec![
        Catalogue {
            name: "subjects",
            about: "the classification catalogue: every function (类/款/项) and economic (30x, 50x) subject with its name per year, its subject_key and the source of the entry",
            columns: &[
                (
                    "classification",
                    "功能/经济分类",
                    "'function' or 'economic'",
                ),
                (
                    "system",
                    "",
                    "'function', 'dept' (部门预算支出经济分类, 30x) or 'gov' (政府预算支出经济分类, 50x)",
                ),
                ("subject_code", "科目编码", "the code"),
                ("subject_level", "类/款/项", "1 类, 2 款, 3 项"),
                ("subject_name", "科目名称", "the name in that year"),
                (
                    "year",
                    "年度",
                    "the year the name is printed in (NULL for a former name known from a rename)",
                ),
                (
                    "subject_key",
                    "",
                    "the key that carries the subject across renames and renumberings (budget_lines.subject_key)",
                ),
                (
                    "source",
                    "",
                    "where the entry comes from: a document and line, or a published text",
                ),
            ],
            build: subjects,
        },
        Catalogue {
            name: "subject_map",
            about: "the 部门预算 (30x) ↔ 政府预算 (50x) economic classification correspondence, with sources",
            columns: &[
                ("dept_code", "部门预算支出经济分类", "the 30x code"),
                ("dept_name", "", "its name"),
                ("gov_code", "政府预算支出经济分类", "the 50x code"),
                ("gov_name", "", "its name"),
                (
                    "source",
                    "",
                    "the published table or the documents printing the pair",
                ),
            ],
            build: subject_map,
        },
    ]
}

fn rows(text: &str) -> Result<Vec<Vec<String>>, DataFusionError> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| DataFusionError::External(Box::new(e)))?;
        out.push(rec.iter().map(str::to_string).collect());
    }
    Ok(out)
}

fn cell(row: &[String], i: usize) -> Option<&str> {
    row.get(i).map(String::as_str).filter(|s| !s.is_empty())
}

fn table(
    fields: Vec<Field>,
    columns: Vec<ArrayRef>,
) -> Result<Arc<dyn TableProvider>, DataFusionError> {
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), columns)?;
    Ok(Arc::new(MemTable::try_new(schema, vec![vec![batch]])?))
}

fn subjects() -> Result<Arc<dyn TableProvider>, DataFusionError> {
    // (classification, system, code, level, name, year, key, source)
    type Row = (
        String,
        String,
        String,
        Option<i32>,
        String,
        Option<i32>,
        Option<String>,
        String,
    );
    let mut out: Vec<Row> = Vec::new();
    let key = |class: budsql_schema::Classification, code: &str| {
        budsql_schema::subject_key(class, Some(code))
    };
    for r in rows(FUNCTION)? {
        let code = cell(&r, 0).unwrap_or_default().to_string();
        out.push((
            "function".into(),
            "function".into(),
            code.clone(),
            cell(&r, 1).and_then(|l| l.parse().ok()),
            cell(&r, 2).unwrap_or_default().to_string(),
            cell(&r, 3).and_then(|y| y.parse().ok()),
            key(budsql_schema::Classification::Function, &code),
            cell(&r, 4).unwrap_or_default().to_string(),
        ));
    }
    for r in rows(ECONOMIC)? {
        let code = cell(&r, 0).unwrap_or_default().to_string();
        out.push((
            "economic".into(),
            cell(&r, 3).unwrap_or_default().to_string(),
            code.clone(),
            cell(&r, 1).and_then(|l| l.parse().ok()),
            cell(&r, 2).unwrap_or_default().to_string(),
            cell(&r, 4).and_then(|y| y.parse().ok()),
            key(budsql_schema::Classification::Economic, &code),
            cell(&r, 5).unwrap_or_default().to_string(),
        ));
    }
    // former names, known from a rename: the same key, no year
    for r in rows(RENAMES)? {
        let code = cell(&r, 0).unwrap_or_default().to_string();
        let level = match code.len() {
            3 => Some(1),
            5 => Some(2),
            7 => Some(3),
            _ => None,
        };
        out.push((
            "function".into(),
            "function".into(),
            code.clone(),
            level,
            cell(&r, 1).unwrap_or_default().to_string(),
            None,
            cell(&r, 4).map(str::to_string),
            cell(&r, 5).unwrap_or_default().to_string(),
        ));
    }
    let s = |f: fn(&Row) -> Option<&str>| -> ArrayRef {
        Arc::new(StringArray::from(out.iter().map(f).collect::<Vec<_>>()))
    };
    let columns: Vec<ArrayRef> = vec![
        s(|r| Some(r.0.as_str())),
        s(|r| Some(r.1.as_str())),
        s(|r| Some(r.2.as_str())),
        Arc::new(Int32Array::from(
            out.iter().map(|r| r.3).collect::<Vec<_>>(),
        )),
        s(|r| Some(r.4.as_str())),
        Arc::new(Int32Array::from(
            out.iter().map(|r| r.5).collect::<Vec<_>>(),
        )),
        s(|r| r.6.as_deref()),
        s(|r| Some(r.7.as_str())),
    ];
    let t = |n: &str| Field::new(n, DataType::Utf8, true);
    let i = |n: &str| Field::new(n, DataType::Int32, true);
    table(
        vec![
            t("classification"),
            t("system"),
            t("subject_code"),
            i("subject_level"),
            t("subject_name"),
            i("year"),
            t("subject_key"),
            t("source"),
        ],
        columns,
    )
}

fn subject_map() -> Result<Arc<dyn TableProvider>, DataFusionError> {
    let rs = rows(MAP)?;
    let col = |i: usize| -> ArrayRef {
        Arc::new(StringArray::from(
            rs.iter().map(|r| cell(r, i)).collect::<Vec<_>>(),
        ))
    };
    let t = |n: &str| Field::new(n, DataType::Utf8, true);
    table(
        vec![
            t("dept_code"),
            t("dept_name"),
            t("gov_code"),
            t("gov_name"),
            t("source"),
        ],
        (0..5).map(col).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/views.md describes both tables and each of their columns.
    #[test]
    fn the_contract_names_every_column() {
        for c in all() {
            let text = crate::derived::contract_section(c.name);
            assert!(
                !text.is_empty(),
                "docs/views.md has no section for {}",
                c.name
            );
            for (name, _, _) in c.columns {
                assert!(text.contains(&format!("`{name}`")), "{}: `{name}`", c.name);
            }
        }
    }

    #[test]
    fn the_catalogue_reads() {
        for c in all() {
            let t = (c.build)().unwrap();
            assert_eq!(t.schema().fields().len(), c.columns.len(), "{}", c.name);
        }
        assert!(rows(FUNCTION).unwrap().len() > 500);
        assert!(rows(ECONOMIC).unwrap().len() > 400);
    }
}
