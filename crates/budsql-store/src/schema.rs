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
    Checks,
    Warnings,
}

impl Table {
    pub const ALL: [Table; 9] = [
        Table::Units,
        Table::BudgetLines,
        Table::SummaryLines,
        Table::ThreePublic,
        Table::KpiTargets,
        Table::Assets,
        Table::Narrative,
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
            Table::Checks => "one row per failed identity of the document's own arithmetic",
            Table::Warnings => "what was repaired without certainty, or not stored, with the line",
        }
    }

    /// The columns stored in the table's files (all but the partition keys).
    pub fn file_schema(self) -> SchemaRef {
        let mut fields = identity_fields();
        fields.extend(self.own_fields());
        Arc::new(Schema::new(fields))
    }

    fn own_fields(self) -> Vec<Field> {
        let s = |n: &str| Field::new(n, DataType::Utf8, true);
        let i = |n: &str| Field::new(n, DataType::Int32, true);
        let a = |n: &str| Field::new(n, amount_type(), true);
        match self {
            Table::Units => vec![
                s("dept_code"),
                s("unit_nature"),
                s("unit_rank"),
                s("funding_form"),
                s("source_path"),
                s("amount_unit"),
                s("title"),
                s("encoding"),
                s("layout"),
                i("tables_found"),
                s("tables"),
                s("tables_missing"),
                s("tables_unread"),
                i("kpi_tables"),
                i("rows"),
                i("warnings"),
                i("check_findings"),
                s("status"),
            ],
            Table::BudgetLines => {
                let mut f = vec![
                    s("table_name"),
                    i("row_no"),
                    s("classification"),
                    s("subject_code"),
                    s("subject_name"),
                    i("subject_level"),
                    s("parent_code"),
                ];
                f.extend(budsql_schema::AmountCol::ALL.iter().map(|c| a(c.as_str())));
                f.extend([s("amount_unit"), i("line_no"), i("page")]);
                f
            }
            Table::SummaryLines => vec![
                s("table_name"),
                s("side"),
                i("row_no"),
                s("item_name"),
                i("item_level"),
                a("amount"),
                a("gpb"),
                a("gov_fund"),
                a("soe"),
                a("basic"),
                a("project"),
                a("personnel"),
                a("public_funds"),
                i("line_no"),
            ],
            Table::ThreePublic => vec![
                a("total"),
                a("outbound"),
                a("vehicle"),
                a("vehicle_purchase"),
                a("vehicle_operation"),
                a("reception"),
                a("prior_total"),
                a("prior_outbound"),
                a("prior_vehicle"),
                a("prior_vehicle_purchase"),
                a("prior_vehicle_operation"),
                a("prior_reception"),
                a("budget_total"),
                a("budget_outbound"),
                a("budget_vehicle"),
                a("budget_vehicle_purchase"),
                a("budget_vehicle_operation"),
                a("budget_reception"),
                a("operating_costs"),
                a("meeting"),
                a("training"),
                i("line_no"),
                i("prior_line_no"),
            ],
            Table::KpiTargets => vec![
                i("project_no"),
                s("project_name"),
                s("project_goal"),
                i("indicator_no"),
                s("level1"),
                s("level2"),
                s("level3"),
                s("description"),
                s("target_raw"),
                s("target_op"),
                a("target_value"),
                s("target_unit"),
                s("basis"),
                i("line_no"),
            ],
            Table::Assets => vec![
                s("category"),
                Field::new("quantity", DataType::Int64, true),
                a("value"),
                Field::new("as_of", DataType::Date32, true),
                i("line_no"),
            ],
            Table::Narrative => vec![s("figure"), a("amount"), s("sentence"), i("line_no")],
            Table::Checks => vec![
                s("table_name"),
                i("row_no"),
                s("subject_code"),
                s("column_name"),
                s("rule"),
                a("expected"),
                a("actual"),
                a("difference"),
                s("severity"),
                s("message"),
                i("line_no"),
            ],
            Table::Warnings => vec![
                s("table_name"),
                s("code"),
                s("message"),
                s("raw"),
                i("line_no"),
            ],
        }
    }
}

/// `Decimal128(20, 6)`: amounts in 万元, exact to a 元 figure's cents.
pub fn amount_type() -> DataType {
    DataType::Decimal128(AMOUNT_PRECISION, AMOUNT_SCALE as i8)
}

/// The identity columns stored in every file (`year` and `doc_kind` are partition keys).
fn identity_fields() -> Vec<Field> {
    vec![
        Field::new("doc_id", DataType::Utf8, false),
        Field::new("region", DataType::Utf8, true),
        Field::new("unit_code", DataType::Utf8, true),
        Field::new("unit_name", DataType::Utf8, true),
        Field::new("scope", DataType::Utf8, false),
    ]
}

/// The partition keys, in path order, with their types.
pub fn partition_fields() -> Vec<(String, DataType)> {
    vec![
        ("year".to_string(), DataType::Int32),
        ("doc_kind".to_string(), DataType::Utf8),
    ]
}
