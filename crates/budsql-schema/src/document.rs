//! What one ingested document yields: identity, rows of every view, warnings and checks.

use rust_decimal::Decimal;

use crate::{
    AmountCol, Amounts, Classification, DocKind, MoneyUnit, Scope, Side, TableName, WarningCode,
};

/// The identity columns every view carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// Stable content hash of the decoded document text (16 hex digits).
    pub doc_id: String,
    pub region: Option<String>,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    /// The budget year; 0 where the document states none (ingest refuses such documents).
    pub year: i32,
    pub doc_kind: DocKind,
    pub scope: Scope,
}

impl Identity {
    /// The unit's stable key across documents and years ([`crate::unit_key`]).
    pub fn unit_key(&self) -> Option<String> {
        crate::unit_key(
            self.region.as_deref(),
            self.unit_code.as_deref(),
            self.unit_name.as_deref(),
        )
    }
}

/// Facts about the unit, for the `units` view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitInfo {
    pub dept_code: Option<String>,
    /// The department the unit belongs to, where the document says so (`主管部门：`).
    pub department: Option<String>,
    pub unit_nature: Option<String>,
    pub unit_rank: Option<String>,
    pub funding_form: Option<String>,
    pub source_path: String,
    /// The fingerprint of the file as it was read (16 hex digits of a SHA-256 over its bytes,
    /// the identity stated for it and the reader's version), set by the ingest: a later
    /// ingest of the same path with the same fingerprint does not read it again. `None`
    /// for a document read from bytes alone.
    pub source_hash: Option<String>,
    /// The money unit most of the document's tables are printed in.
    pub amount_unit: MoneyUnit,
    pub encoding: String,
    /// `tab` (the seed's tab-separated form) or `layout`.
    pub layout: String,
    pub title: Option<String>,
    /// What the narrative states by its headings or reasons: `operating_costs`,
    /// `procurement`, `assets`, `performance`, `three_public`, `three_public_change`.
    pub statements: Vec<String>,
}

/// One printed row of a classified table (`budget_lines`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetLine {
    pub table: TableName,
    pub row_no: i32,
    pub classification: Classification,
    pub subject_code: Option<String>,
    pub subject_name: String,
    /// 0 for the 合计 row, 1..=3 by code length; `None` where the code is unreadable.
    pub subject_level: Option<i32>,
    pub parent_code: Option<String>,
    pub amounts: Amounts,
    pub line_no: i32,
    pub page: i32,
}

/// One printed label of a 收支总表 side (`summary_lines`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryLine {
    pub table: TableName,
    pub side: Side,
    pub row_no: i32,
    pub item_name: String,
    /// 1 for a top-level item (`一、…` or no ordinal), 2 for a sub-item (`1. …`, `（一）…`).
    pub item_level: i32,
    pub amount: Option<Decimal>,
    pub gpb: Option<Decimal>,
    pub gov_fund: Option<Decimal>,
    pub soe: Option<Decimal>,
    /// Spending columns some regions print beside the expenditure side's 合计.
    pub basic: Option<Decimal>,
    pub project: Option<Decimal>,
    pub personnel: Option<Decimal>,
    pub public_funds: Option<Decimal>,
    pub line_no: i32,
}

impl SummaryLine {
    /// A line of `table`'s `side` with its label and no figure yet.
    pub fn new(
        table: TableName,
        side: Side,
        row_no: i32,
        item_name: String,
        item_level: i32,
        line_no: usize,
    ) -> SummaryLine {
        SummaryLine {
            table,
            side,
            row_no,
            item_name,
            item_level,
            amount: None,
            gpb: None,
            gov_fund: None,
            soe: None,
            basic: None,
            project: None,
            personnel: None,
            public_funds: None,
            line_no: i32::try_from(line_no).unwrap_or(i32::MAX),
        }
    }
}

/// The 三公 figures of one document (`three_public`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThreePublic {
    pub total: Option<Decimal>,
    pub outbound: Option<Decimal>,
    pub vehicle: Option<Decimal>,
    pub vehicle_purchase: Option<Decimal>,
    pub vehicle_operation: Option<Decimal>,
    pub reception: Option<Decimal>,
    pub prior_total: Option<Decimal>,
    pub prior_outbound: Option<Decimal>,
    pub prior_vehicle: Option<Decimal>,
    pub prior_vehicle_purchase: Option<Decimal>,
    pub prior_vehicle_operation: Option<Decimal>,
    pub prior_reception: Option<Decimal>,
    /// For a final account (决算): the 预算数 printed beside each 决算数 (the plain columns
    /// then hold the 决算数).
    pub budget_total: Option<Decimal>,
    pub budget_outbound: Option<Decimal>,
    pub budget_vehicle: Option<Decimal>,
    pub budget_vehicle_purchase: Option<Decimal>,
    pub budget_vehicle_operation: Option<Decimal>,
    pub budget_reception: Option<Decimal>,
    /// Columns some regions print beside the 三公 (not part of the 三公 total):
    /// 机关运行经费, 会议费, 培训费.
    pub operating_costs: Option<Decimal>,
    pub meeting: Option<Decimal>,
    pub training: Option<Decimal>,
    /// Line of the table's title (0 when the figures come from the narrative alone).
    pub line_no: i32,
    /// Line of the narrative sentence stating last year's figures.
    pub prior_line_no: Option<i32>,
}

/// One indicator of a 绩效目标表 (`kpi_targets`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KpiTarget {
    pub project_no: i32,
    pub project_name: String,
    pub project_goal: Option<String>,
    /// Position of the indicator in its project's table, from 1.
    pub indicator_no: i32,
    pub level1: Option<String>,
    pub level2: Option<String>,
    pub level3: Option<String>,
    pub description: Option<String>,
    pub target_raw: Option<String>,
    pub target_op: Option<String>,
    pub target_value: Option<Decimal>,
    pub target_unit: Option<String>,
    pub basis: Option<String>,
    pub line_no: i32,
}

/// One row of the assets table (`assets`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub category: String,
    pub quantity: Option<i64>,
    pub value: Option<Decimal>,
    /// The printed 截止时间, `YYYY-MM-DD`.
    pub as_of: Option<String>,
    pub line_no: i32,
}

/// A figure stated in the narrative (情况说明), e.g. the total income.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NarrativeFigure {
    /// What the figure is: `income_total`, `expenditure_total`, `basic`, `personnel`,
    /// `public_funds`, `project`, `fiscal_appropriation`, `carryover`, `operating_costs`,
    /// `procurement`, `three_public_total`, `prior_three_public_total`, ...
    pub figure: String,
    pub amount: Decimal,
    pub line_no: i32,
    /// The sentence the figure was read from.
    pub sentence: String,
}

/// A 项's budget and final as a 决算's narrative states them (`…（项）。年初预算为 A 万元，支出
/// 决算为 B 万元，完成年初预算的 C%。决算数大于预算数的主要原因是…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NarrativeItem {
    /// Position in the narrative's list, from 1.
    pub item_no: i32,
    /// The 类, 款 and 项 names as the sentence gives them (`社会保障和就业`, `行政事业单位离退休`, …).
    pub class_name: Option<String>,
    pub section_name: Option<String>,
    pub item_name: String,
    /// 年初预算 and 支出决算, in 万元.
    pub budget: Option<Decimal>,
    pub final_amount: Option<Decimal>,
    /// The reason the narrative gives for the difference, as printed.
    pub reason: Option<String>,
    pub line_no: i32,
}

/// How far a failed identity is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Within what the rounding of the printed figures can explain.
    Rounding,
    /// Beyond rounding: the printed document disagrees with itself.
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Rounding => "rounding",
            Severity::Error => "error",
        }
    }
}

/// One failed identity of the document's own arithmetic (`checks`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub table_name: String,
    pub row_no: Option<i32>,
    pub subject_code: Option<String>,
    /// The column the identity is about, where it is about one.
    pub column: Option<String>,
    pub rule: String,
    pub expected: Decimal,
    pub actual: Decimal,
    pub severity: Severity,
    pub line_no: i32,
    pub message: String,
}

/// Something the extractor repaired, could not read with certainty, or skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub line_no: i32,
    pub table_name: Option<String>,
    /// A short stable code: `unplaced_figure`, `unreadable_amount`, `scrambled_table`, ...
    pub code: WarningCode,
    pub message: String,
    /// The printed text the warning is about.
    pub raw: Option<String>,
}

/// A table found in the document, with where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableFound {
    pub table: TableName,
    pub title: String,
    pub line_no: i32,
    pub rows: usize,
    pub unit: MoneyUnit,
    /// Why a table recognised by its title yielded no rows (`None` where it was read).
    pub unread: Option<String>,
}

/// Everything one ingested document yields.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub identity: Identity,
    pub unit: UnitInfo,
    pub tables: Vec<TableFound>,
    pub budget_lines: Vec<BudgetLine>,
    pub summary_lines: Vec<SummaryLine>,
    pub three_public: Option<ThreePublic>,
    pub kpi_targets: Vec<KpiTarget>,
    pub assets: Vec<Asset>,
    pub narrative: Vec<NarrativeFigure>,
    pub narrative_items: Vec<NarrativeItem>,
    pub checks: Vec<Check>,
    pub warnings: Vec<Warning>,
}

impl Document {
    /// The 合计 row's amount of a classified table.
    pub fn table_total(&self, table: TableName, col: AmountCol) -> Option<Decimal> {
        self.budget_lines
            .iter()
            .find(|l| l.table == table && l.subject_level == Some(0))
            .and_then(|l| l.amounts.get(col))
    }

    /// The canonical names of the tables found, in printed order, each once (KPI tables
    /// as `kpi`).
    pub fn tables_found(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for t in &self.tables {
            if !out.contains(&t.table.as_str()) {
                out.push(t.table.as_str());
            }
        }
        out
    }

    /// The tables recognised but not read, each once, with the reason:
    /// `procurement: no view holds this table`.
    pub fn tables_unread(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut seen: Vec<TableName> = Vec::new();
        for t in &self.tables {
            if seen.contains(&t.table) {
                continue;
            }
            // (read under another title: a table printed twice, or over two titles)
            if self
                .tables
                .iter()
                .any(|o| o.table == t.table && o.unread.is_none())
            {
                seen.push(t.table);
                continue;
            }
            if let Some(why) = &t.unread {
                seen.push(t.table);
                out.push(format!("{}: {why}", t.table.as_str()));
            }
        }
        out
    }

    /// The standard tables no title was found for.
    pub fn tables_missing(&self) -> Vec<&'static str> {
        TableName::STANDARD
            .iter()
            .filter(|s| !self.tables.iter().any(|t| t.table == **s))
            .map(|s| s.as_str())
            .collect()
    }

    /// `incomplete` when a standard table is missing, else `findings` when the arithmetic
    /// fails beyond rounding, else `warnings` when something was not read with certainty,
    /// else `ok`.
    pub fn status(&self) -> &'static str {
        if !self.tables_missing().is_empty() {
            "incomplete"
        } else if self.checks.iter().any(|c| c.severity == Severity::Error) {
            "findings"
        } else if !self.warnings.is_empty() {
            "warnings"
        } else {
            "ok"
        }
    }

    /// Rows the document adds to all views together.
    pub fn row_count(&self) -> usize {
        1 + self.budget_lines.len()
            + self.summary_lines.len()
            + usize::from(self.three_public.is_some())
            + self.kpi_targets.len()
            + self.assets.len()
            + self.narrative.len()
            + self.narrative_items.len()
            + self.checks.len()
            + self.warnings.len()
    }
}
