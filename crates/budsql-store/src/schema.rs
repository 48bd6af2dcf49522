//! The stored tables: one per view, hive-partitioned by `year` and `doc_kind`.
//!
//! Files hold every column but the two partition keys; the query layer declares those as
//! partition columns and puts the identity columns first in each view.

use std::sync::Arc;

use budsql_schema::{AMOUNT_PRECISION, AMOUNT_SCALE};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};

/// A stored table. Its name is the view's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Table {
    Units,
    BudgetLines,
    SummaryLines,
    ThreePublic,
    KpiTargets,
    Assets,
    Narrative,
    NarrativeItems,
    Checks,
    Warnings,
}

impl Table {
    pub const ALL: [Table; 10] = [
        Table::Units,
        Table::BudgetLines,
        Table::SummaryLines,
        Table::ThreePublic,
        Table::KpiTargets,
        Table::Assets,
        Table::Narrative,
        Table::NarrativeItems,
        Table::Checks,
        Table::Warnings,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::Units => "units",
            Table::BudgetLines => "budget_lines",
            Table::SummaryLines => "summary_lines",
            Table::ThreePublic => "three_public",
            Table::KpiTargets => "kpi_targets",
            Table::Assets => "assets",
            Table::Narrative => "narrative",
            Table::NarrativeItems => "narrative_items",
            Table::Checks => "checks",
            Table::Warnings => "warnings",
        }
    }

    pub fn from_name(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == name)
    }

    /// One line on what the view holds, for `\d`.
    pub fn about(self) -> &'static str {
        match self {
            Table::Units => "one row per ingested document: identity, unit facts, source",
            Table::BudgetLines => "one row per printed row of the classified tables",
            Table::SummaryLines => "收支总表 and 财政拨款收支总表, one row per printed label",
            Table::ThreePublic => {
                "\"三公\" figures per document, with last year's from the narrative"
            }
            Table::KpiTargets => "one row per indicator of the 绩效目标表",
            Table::Assets => "the assets table (固定资产占用情况)",
            Table::Narrative => "figures stated in the narrative (情况说明)",
            Table::NarrativeItems => {
                "a 决算's narrative per 项: 年初预算, 支出决算 and the reason for the difference"
            }
            Table::Checks => "one row per failed identity of the document's own arithmetic",
            Table::Warnings => "what was repaired without certainty, or not stored, with the line",
        }
    }

    /// The columns stored in the table's files (all but the partition keys), from the
    /// view's one definition ([`crate::spec`]).
    pub fn file_schema(self) -> SchemaRef {
        // built once per view and shared (an ingest builds a batch per view and chunk)
        static SCHEMAS: std::sync::OnceLock<Vec<SchemaRef>> = std::sync::OnceLock::new();
        let all =
            SCHEMAS.get_or_init(|| Table::ALL.iter().map(|t| t.build_file_schema()).collect());
        match Table::ALL
            .iter()
            .position(|t| *t == self)
            .and_then(|i| all.get(i))
        {
            Some(s) => Arc::clone(s),
            None => self.build_file_schema(),
        }
    }

    fn build_file_schema(self) -> SchemaRef {
        let fields: Vec<Field> = crate::spec::identity()
            .iter()
            .map(|c| &c.info)
            .chain(crate::spec::view(self).infos())
            .map(|c| Field::new(c.name, c.kind.data_type(), c.nullable))
            .collect();
        Arc::new(Schema::new(fields))
    }
}

/// `Decimal128(20, 6)`: amounts in 万元, exact to a 元 figure's cents.
pub fn amount_type() -> DataType {
    DataType::Decimal128(AMOUNT_PRECISION, AMOUNT_SCALE as i8)
}

/// The partition keys, in path order, with their types.
pub fn partition_fields() -> Vec<(String, DataType)> {
    vec![
        ("year".to_string(), DataType::Int32),
        ("doc_kind".to_string(), DataType::Utf8),
    ]
}
