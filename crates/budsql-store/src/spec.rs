//! Each stored view's columns, defined once: name, type, meaning, the Chinese term a
//! researcher knows it by, and how its value is taken from a document. The Parquet schema
//! ([`Table::file_schema`]), the batch builder ([`crate::batch`]), the query layer's view
//! SQL, the shell's completion words and `\d` all read this one definition; adding a
//! column is adding one entry here.

use std::borrow::Cow;
use std::sync::OnceLock;

use budsql_schema::{AmountCol, Decimal, Document, TableName};
use datafusion::arrow::datatypes::DataType;

use crate::batch::Builder;
use crate::error::StoreError;
use crate::schema::{Table, amount_type};

/// A column's stored type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Int,
    BigInt,
    /// `Decimal128(20, 6)` in 万元.
    Amount,
    Date,
}

impl Kind {
    pub fn data_type(self) -> DataType {
        match self {
            Kind::Text => DataType::Utf8,
            Kind::Int => DataType::Int32,
            Kind::BigInt => DataType::Int64,
            Kind::Amount => amount_type(),
            Kind::Date => DataType::Date32,
        }
    }
}

/// What a column is, for schemas, completion and `\d`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnInfo {
    pub name: &'static str,
    pub kind: Kind,
    pub nullable: bool,
    /// The Chinese term the documents print (empty where there is none).
    pub term: &'static str,
    /// One line on what the column holds.
    pub about: &'static str,
}

/// One cell of a stored row (text borrowed from the document where it can be).
#[derive(Debug, Clone)]
pub enum Value<'a> {
    Str(Option<Cow<'a, str>>),
    I32(Option<i32>),
    I64(Option<i64>),
    Dec(Option<Decimal>),
    /// `YYYY-MM-DD`.
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

type Getter<R> = Box<dyn for<'a> Fn(&'a Document, &'a R) -> Value<'a> + Send + Sync>;

/// A column of a view whose rows are `R`s of a document.
pub struct Col<R> {
    pub info: ColumnInfo,
    get: Getter<R>,
}

impl<R> Col<R> {
    pub fn value<'a>(&self, doc: &'a Document, row: &'a R) -> Value<'a> {
        (self.get)(doc, row)
    }
}

fn col<R, F>(
    name: &'static str,
    kind: Kind,
    term: &'static str,
    about: &'static str,
    get: F,
) -> Col<R>
where
    F: for<'a> Fn(&'a Document, &'a R) -> Value<'a> + Send + Sync + 'static,
{
    Col {
        info: ColumnInfo {
            name,
            kind,
            nullable: true,
            term,
            about,
        },
        get: Box::new(get),
    }
}

/// A view's rows and columns.
pub struct Spec<R: 'static> {
    pub table: Table,
    pub rows: for<'a> fn(&'a Document) -> &'a [R],
    pub columns: Vec<Col<R>>,
}

/// The identity columns every stored file begins with (`year` and `doc_kind` are the
/// partition keys and live in the path).
pub fn identity() -> &'static [Col<()>] {
    static ID: OnceLock<Vec<Col<()>>> = OnceLock::new();
    ID.get_or_init(|| {
        let mut v: Vec<Col<()>> = vec![
            col(
                "doc_id",
                Kind::Text,
                "",
                "stable content hash of the document's decoded text (16 hex digits)",
                |d, _| st(&d.identity.doc_id),
            ),
            col(
                "region",
                Kind::Text,
                "地区",
                "the region the unit belongs to, e.g. 上海市普陀区",
                |d, _| s(d.identity.region.as_deref()),
            ),
            col(
                "unit_code",
                Kind::Text,
                "单位代码",
                "the unit's code as printed; NULL where none is",
                |d, _| s(d.identity.unit_code.as_deref()),
            ),
            col(
                "unit_name",
                Kind::Text,
                "单位名称",
                "the unit's name as printed, spaces between CJK characters removed",
                |d, _| s(d.identity.unit_name.as_deref()),
            ),
            col(
                "unit_key",
                Kind::Text,
                "",
                "the unit's stable key across documents and years: region:code, else the code key its other documents print, else region:name:normalised name (docs/views.md)",
                |d, _| Value::Str(d.identity.unit_key().map(Cow::Owned)),
            ),
            col(
                "scope",
                Kind::Text,
                "单位/部门",
                "'unit' for a 单位 document, 'department' for the consolidated 部门 one",
                |d, _| st(d.identity.scope.as_str()),
            ),
        ];
        for c in [0, 5] {
            if let Some(c) = v.get_mut(c) {
                c.info.nullable = false;
            }
        }
        v
    })
}

/// The identity columns of every view, in view order (partition keys included).
pub const VIEW_IDENTITY: [&str; 8] = [
    "doc_id",
    "region",
    "unit_code",
    "unit_name",
    "unit_key",
    "year",
    "doc_kind",
    "scope",
];

/// What the partition keys are, for `\d`.
pub fn partition_infos() -> [ColumnInfo; 2] {
    [
        ColumnInfo {
            name: "year",
            kind: Kind::Int,
            nullable: false,
            term: "年度",
            about: "the budget year (a partition key)",
        },
        ColumnInfo {
            name: "doc_kind",
            kind: Kind::Text,
            nullable: false,
            term: "预算/决算",
            about: "'budget' for 预算, 'final' for 决算 (a partition key)",
        },
    ]
}

fn units() -> Spec<Document> {
    Spec {
        table: Table::Units,
        rows: std::slice::from_ref,
        columns: vec![
            col(
                "dept_code",
                Kind::Text,
                "部门代码",
                "the first three digits of a six-digit unit code",
                |d, _: &Document| s(d.unit.dept_code.as_deref()),
            ),
            col(
                "unit_kind",
                Kind::Text,
                "单位类别",
                "公安, 教育, 卫生健康, 财政, 审计, 街道/乡镇, … by words of the unit's name (docs/views.md)",
                |d, _| {
                    s(d.identity
                        .unit_name
                        .as_deref()
                        .map(budsql_schema::unit_kind))
                },
            ),
            col(
                "department",
                Kind::Text,
                "主管部门",
                "the department the unit belongs to, where the document says so",
                |d, _| s(d.unit.department.as_deref()),
            ),
            col(
                "unit_nature",
                Kind::Text,
                "单位性质",
                "行政, 事业, … where the document says",
                |d, _| s(d.unit.unit_nature.as_deref()),
            ),
            col(
                "unit_rank",
                Kind::Text,
                "单位级别",
                "e.g. 副处(县)级, where the document says",
                |d, _| s(d.unit.unit_rank.as_deref()),
            ),
            col(
                "funding_form",
                Kind::Text,
                "经费形式",
                "e.g. 财政拨款, where the document says",
                |d, _| s(d.unit.funding_form.as_deref()),
            ),
            col(
                "source_path",
                Kind::Text,
                "",
                "the file the document was read from",
                |d, _| st(&d.unit.source_path),
            ),
            col(
                "amount_unit",
                Kind::Text,
                "金额单位",
                "the money unit most tables are printed in ('万元' or '元'); stored amounts are 万元",
                |d, _| st(d.unit.amount_unit.as_str()),
            ),
            col(
                "title",
                Kind::Text,
                "标题",
                "the document's title as printed",
                |d, _| s(d.unit.title.as_deref()),
            ),
            col(
                "encoding",
                Kind::Text,
                "",
                "'UTF-8', 'UTF-8 (BOM)', 'GB18030', or 'PDF'",
                |d, _| st(&d.unit.encoding),
            ),
            col(
                "layout",
                Kind::Text,
                "",
                "'tab' (tab-separated cells) or 'layout' (space-aligned)",
                |d, _| st(&d.unit.layout),
            ),
            col(
                "statements",
                Kind::Text,
                "情况说明",
                "what the narrative states by its headings or reasons: operating_costs, procurement, assets, performance, three_public, three_public_change (comma-separated)",
                |d, _| owned(d.unit.statements.join(",")),
            ),
            col(
                "tables_found",
                Kind::Int,
                "",
                "tables recognised by their titles, 绩效目标表 included",
                |d, _| n(d.tables.len()),
            ),
            col(
                "tables",
                Kind::Text,
                "",
                "canonical names of the tables found, in printed order",
                |d, _| owned(d.tables_found().join(",")),
            ),
            col(
                "tables_missing",
                Kind::Text,
                "",
                "the standard tables not found",
                |d, _| owned(d.tables_missing().join(",")),
            ),
            col(
                "tables_unread",
                Kind::Text,
                "",
                "tables recognised but giving no rows, each with the reason",
                |d, _| owned(d.tables_unread().join("; ")),
            ),
            col(
                "kpi_tables",
                Kind::Int,
                "绩效目标表",
                "绩效目标表 read",
                |d, _| {
                    n(d.tables
                        .iter()
                        .filter(|t| t.table == TableName::Kpi && t.rows > 0)
                        .count())
                },
            ),
            col(
                "rows",
                Kind::Int,
                "",
                "rows the document added to all views",
                |d, _| n(d.row_count()),
            ),
            col(
                "warnings",
                Kind::Int,
                "",
                "warnings the document raised (see the warnings view)",
                |d, _| n(d.warnings.len()),
            ),
            col(
                "check_findings",
                Kind::Int,
                "",
                "failed identities of its own arithmetic (see the checks view)",
                |d, _| n(d.checks.len()),
            ),
            col(
                "status",
                Kind::Text,
                "",
                "'incomplete', 'findings', 'warnings' or 'ok'",
                |d, _| st(d.status()),
            ),
        ],
    }
}

/// What an amount column of `budget_lines` holds.
fn amount_about(c: AmountCol) -> &'static str {
    match c {
        AmountCol::Total => "the row's total",
        AmountCol::Basic => "basic expenditure (personnel and public funds)",
        AmountCol::Project => "project expenditure",
        AmountCol::Operating => "operating expenditure of business activities",
        AmountCol::RemitUpper => "remitted to the superior unit",
        AmountCol::SubsidiarySubsidy => "subsidies to subordinate units",
        AmountCol::CurrentIncome => "this year's income (income table)",
        AmountCol::FiscalAppropriation => {
            "fiscal appropriation income, where printed as one column"
        }
        AmountCol::Gpb => "general public budget appropriation (income table)",
        AmountCol::GovFund => "government fund appropriation (income table)",
        AmountCol::Soe => "state capital operation appropriation (income table)",
        AmountCol::SpecialAccount => "fiscal special account income",
        AmountCol::BusinessIncome => "income of public-service activities",
        AmountCol::OperatingIncome => "operating income",
        AmountCol::SuperiorSubsidy => "subsidies from the superior unit",
        AmountCol::SubsidiaryRemit => "remittances from subordinate units",
        AmountCol::OtherIncome => "other income",
        AmountCol::Carryover => "carried over from last year",
        AmountCol::Personnel => "personnel funds",
        AmountCol::PublicFunds => "public (running) funds",
        AmountCol::YearEndBalance => "carried over and left at the year's end (决算)",
        AmountCol::Reserve => "the unit's reserve, printed beside 基本 and 项目",
    }
}

fn budget_lines() -> Spec<budsql_schema::BudgetLine> {
    use budsql_schema::BudgetLine as L;
    let mut columns = vec![
        col(
            "table_name",
            Kind::Text,
            "表",
            "which classified table: income, expenditure, gpb_expenditure, gpb_basic, …",
            |_, l: &L| st(l.table.as_str()),
        ),
        col(
            "row_no",
            Kind::Int,
            "",
            "the row's position in its table, from 1",
            |_, l: &L| i(l.row_no),
        ),
        col(
            "classification",
            Kind::Text,
            "功能/经济分类",
            "'function' or 'economic'",
            |_, l: &L| st(l.classification.as_str()),
        ),
        col(
            "subject_code",
            Kind::Text,
            "科目编码",
            "the subject code as printed (NULL on the 合计 row)",
            |_, l: &L| s(l.subject_code.as_deref()),
        ),
        col(
            "subject_name",
            Kind::Text,
            "科目名称",
            "the subject's name as printed",
            |_, l: &L| st(&l.subject_name),
        ),
        col(
            "subject_level",
            Kind::Int,
            "类/款/项",
            "0 合计, 1 类 (3 digits), 2 款 (5), 3 项 (7)",
            |_, l: &L| io(l.subject_level),
        ),
        col(
            "parent_code",
            Kind::Text,
            "",
            "the code of the row's parent subject",
            |_, l: &L| s(l.parent_code.as_deref()),
        ),
        col(
            "subject_key",
            Kind::Text,
            "",
            "the subject's key across renames and renumberings: F+code (function), E+code (30x), G+code (50x); see the subjects view",
            |_, l: &L| {
                Value::Str(
                    budsql_schema::subject_key(l.classification, l.subject_code.as_deref())
                        .map(Cow::Owned),
                )
            },
        ),
    ];
    columns.extend(AmountCol::ALL.iter().map(|&c| {
        col(
            c.as_str(),
            Kind::Amount,
            c.label(),
            amount_about(c),
            move |_, l: &L| d(l.amounts.get(c)),
        )
    }));
    columns.extend([
        col(
            "amount_unit",
            Kind::Text,
            "金额单位",
            "the money unit the table was printed in",
            |doc: &Document, l: &L| {
                let unit = doc
                    .tables
                    .iter()
                    .find(|t| t.table == l.table)
                    .map(|t| t.unit)
                    .unwrap_or(doc.unit.amount_unit);
                st(unit.as_str())
            },
        ),
        col(
            "line_no",
            Kind::Int,
            "",
            "the source line the row was read from",
            |_, l: &L| i(l.line_no),
        ),
        col(
            "page",
            Kind::Int,
            "页",
            "the page, counted at form feeds",
            |_, l: &L| i(l.page),
        ),
    ]);
    Spec {
        table: Table::BudgetLines,
        rows: |doc| &doc.budget_lines,
        columns,
    }
}

fn summary_lines() -> Spec<budsql_schema::SummaryLine> {
    use budsql_schema::SummaryLine as L;
    Spec {
        table: Table::SummaryLines,
        rows: |doc| &doc.summary_lines,
        columns: vec![
            col(
                "table_name",
                Kind::Text,
                "表",
                "'summary' 收支总表 or 'fiscal_summary' 财政拨款收支总表",
                |_, l: &L| st(l.table.as_str()),
            ),
            col(
                "side",
                Kind::Text,
                "收入/支出",
                "'income' or 'expenditure'",
                |_, l: &L| st(l.side.as_str()),
            ),
            col(
                "row_no",
                Kind::Int,
                "",
                "the label's position on its side, from 1",
                |_, l: &L| i(l.row_no),
            ),
            col(
                "item_name",
                Kind::Text,
                "项目",
                "the printed label, cleaned",
                |_, l: &L| st(&l.item_name),
            ),
            col(
                "item_level",
                Kind::Int,
                "",
                "1 top-level item, 2 and 3 sub-items (by ordinal or indent)",
                |_, l: &L| i(l.item_level),
            ),
            col(
                "amount",
                Kind::Amount,
                "金额",
                "the label's figure (合计 column)",
                |_, l: &L| d(l.amount),
            ),
            col(
                "gpb",
                Kind::Amount,
                "一般公共预算",
                "general public budget column (fiscal_summary)",
                |_, l: &L| d(l.gpb),
            ),
            col(
                "gov_fund",
                Kind::Amount,
                "政府性基金预算",
                "government fund column (fiscal_summary)",
                |_, l: &L| d(l.gov_fund),
            ),
            col(
                "soe",
                Kind::Amount,
                "国有资本经营预算",
                "state capital operation column (fiscal_summary)",
                |_, l: &L| d(l.soe),
            ),
            col(
                "basic",
                Kind::Amount,
                "基本支出",
                "basic expenditure, where printed beside 合计",
                |_, l: &L| d(l.basic),
            ),
            col(
                "project",
                Kind::Amount,
                "项目支出",
                "project expenditure, where printed beside 合计",
                |_, l: &L| d(l.project),
            ),
            col(
                "personnel",
                Kind::Amount,
                "人员经费",
                "personnel funds, where printed beside 合计",
                |_, l: &L| d(l.personnel),
            ),
            col(
                "public_funds",
                Kind::Amount,
                "公用经费",
                "public funds, where printed beside 合计",
                |_, l: &L| d(l.public_funds),
            ),
            col("line_no", Kind::Int, "", "the source line", |_, l: &L| {
                i(l.line_no)
            }),
        ],
    }
}

fn three_public() -> Spec<budsql_schema::ThreePublic> {
    use budsql_schema::ThreePublic as T;
    Spec {
        table: Table::ThreePublic,
        rows: |doc| doc.three_public.as_slice(),
        columns: vec![
            col(
                "total",
                Kind::Amount,
                "“三公”经费合计",
                "the 三公 total",
                |_, t: &T| d(t.total),
            ),
            col(
                "outbound",
                Kind::Amount,
                "因公出国（境）费",
                "travel abroad on official business",
                |_, t: &T| d(t.outbound),
            ),
            col(
                "vehicle",
                Kind::Amount,
                "公务用车购置及运行维护费",
                "official vehicles, purchase and running",
                |_, t: &T| d(t.vehicle),
            ),
            col(
                "vehicle_purchase",
                Kind::Amount,
                "公务用车购置费",
                "official vehicle purchase",
                |_, t: &T| d(t.vehicle_purchase),
            ),
            col(
                "vehicle_operation",
                Kind::Amount,
                "公务用车运行维护费",
                "official vehicle running and upkeep",
                |_, t: &T| d(t.vehicle_operation),
            ),
            col(
                "reception",
                Kind::Amount,
                "公务接待费",
                "official reception",
                |_, t: &T| d(t.reception),
            ),
            col(
                "prior_total",
                Kind::Amount,
                "上年“三公”经费",
                "last year's total (narrative, else the table's last-year columns)",
                |_, t: &T| d(t.prior_total),
            ),
            col(
                "prior_outbound",
                Kind::Amount,
                "上年因公出国（境）费",
                "last year's outbound",
                |_, t: &T| d(t.prior_outbound),
            ),
            col(
                "prior_vehicle",
                Kind::Amount,
                "上年公务用车费",
                "last year's vehicle",
                |_, t: &T| d(t.prior_vehicle),
            ),
            col(
                "prior_vehicle_purchase",
                Kind::Amount,
                "上年公务用车购置费",
                "last year's vehicle purchase",
                |_, t: &T| d(t.prior_vehicle_purchase),
            ),
            col(
                "prior_vehicle_operation",
                Kind::Amount,
                "上年公务用车运行维护费",
                "last year's vehicle running",
                |_, t: &T| d(t.prior_vehicle_operation),
            ),
            col(
                "prior_reception",
                Kind::Amount,
                "上年公务接待费",
                "last year's reception",
                |_, t: &T| d(t.prior_reception),
            ),
            col(
                "budget_total",
                Kind::Amount,
                "预算数",
                "a 决算's printed budget figure for the total",
                |_, t: &T| d(t.budget_total),
            ),
            col(
                "budget_outbound",
                Kind::Amount,
                "预算数",
                "a 决算's printed budget figure for outbound",
                |_, t: &T| d(t.budget_outbound),
            ),
            col(
                "budget_vehicle",
                Kind::Amount,
                "预算数",
                "a 决算's printed budget figure for vehicle",
                |_, t: &T| d(t.budget_vehicle),
            ),
            col(
                "budget_vehicle_purchase",
                Kind::Amount,
                "预算数",
                "a 决算's printed budget figure for vehicle purchase",
                |_, t: &T| d(t.budget_vehicle_purchase),
            ),
            col(
                "budget_vehicle_operation",
                Kind::Amount,
                "预算数",
                "a 决算's printed budget figure for vehicle running",
                |_, t: &T| d(t.budget_vehicle_operation),
            ),
            col(
                "budget_reception",
                Kind::Amount,
                "预算数",
                "a 决算's printed budget figure for reception",
                |_, t: &T| d(t.budget_reception),
            ),
            col(
                "operating_costs",
                Kind::Amount,
                "机关运行经费",
                "administrative running costs, where printed beside the 三公",
                |_, t: &T| d(t.operating_costs),
            ),
            col(
                "meeting",
                Kind::Amount,
                "会议费",
                "meeting costs, where printed beside the 三公",
                |_, t: &T| d(t.meeting),
            ),
            col(
                "training",
                Kind::Amount,
                "培训费",
                "training costs, where printed beside the 三公",
                |_, t: &T| d(t.training),
            ),
            col(
                "line_no",
                Kind::Int,
                "",
                "the table's title line",
                |_, t: &T| i(t.line_no),
            ),
            col(
                "prior_line_no",
                Kind::Int,
                "",
                "the line stating last year's figures",
                |_, t: &T| io(t.prior_line_no),
            ),
        ],
    }
}

fn kpi_targets() -> Spec<budsql_schema::KpiTarget> {
    use budsql_schema::KpiTarget as K;
    Spec {
        table: Table::KpiTargets,
        rows: |doc| &doc.kpi_targets,
        columns: vec![
            col(
                "project_no",
                Kind::Int,
                "",
                "the project's position in the document, from 1",
                |_, k: &K| i(k.project_no),
            ),
            col(
                "project_name",
                Kind::Text,
                "项目名称",
                "the project's name",
                |_, k: &K| st(&k.project_name),
            ),
            col(
                "project_goal",
                Kind::Text,
                "年度目标",
                "the project's stated goal",
                |_, k: &K| s(k.project_goal.as_deref()),
            ),
            col(
                "indicator_no",
                Kind::Int,
                "",
                "the indicator's position in its project, from 1",
                |_, k: &K| i(k.indicator_no),
            ),
            col(
                "level1",
                Kind::Text,
                "一级指标",
                "产出指标, 效益指标, 满意度指标, …",
                |_, k: &K| s(k.level1.as_deref()),
            ),
            col(
                "level2",
                Kind::Text,
                "二级指标",
                "数量指标, 质量指标, 时效指标, 成本指标, …",
                |_, k: &K| s(k.level2.as_deref()),
            ),
            col(
                "level3",
                Kind::Text,
                "三级指标",
                "the indicator",
                |_, k: &K| s(k.level3.as_deref()),
            ),
            col(
                "description",
                Kind::Text,
                "指标内容",
                "the indicator's description, where printed",
                |_, k: &K| s(k.description.as_deref()),
            ),
            col(
                "target_raw",
                Kind::Text,
                "指标值",
                "the target as printed",
                |_, k: &K| s(k.target_raw.as_deref()),
            ),
            col(
                "target_op",
                Kind::Text,
                "",
                "'=', '>=', '<=', … of a numeric target",
                |_, k: &K| s(k.target_op.as_deref()),
            ),
            col(
                "target_value",
                Kind::Amount,
                "",
                "a numeric target's value",
                |_, k: &K| d(k.target_value),
            ),
            col(
                "target_unit",
                Kind::Text,
                "度量单位",
                "a numeric target's unit",
                |_, k: &K| s(k.target_unit.as_deref()),
            ),
            col(
                "basis",
                Kind::Text,
                "指标值设定依据",
                "the basis of the target, where printed",
                |_, k: &K| s(k.basis.as_deref()),
            ),
            col("line_no", Kind::Int, "", "the source line", |_, k: &K| {
                i(k.line_no)
            }),
        ],
    }
}

fn assets() -> Spec<budsql_schema::Asset> {
    use budsql_schema::Asset as A;
    Spec {
        table: Table::Assets,
        rows: |doc| &doc.assets,
        columns: vec![
            col(
                "category",
                Kind::Text,
                "项目",
                "the asset category as printed (车辆, 房屋, …)",
                |_, a: &A| st(&a.category),
            ),
            col(
                "quantity",
                Kind::BigInt,
                "数量",
                "how many, where printed",
                |_, a: &A| Value::I64(a.quantity),
            ),
            col(
                "value",
                Kind::Amount,
                "价值",
                "value in 万元, where printed",
                |_, a: &A| d(a.value),
            ),
            col(
                "as_of",
                Kind::Date,
                "截止时间",
                "the date the table is as of",
                |_, a: &A| Value::Date(a.as_of.as_deref()),
            ),
            col("line_no", Kind::Int, "", "the source line", |_, a: &A| {
                i(a.line_no)
            }),
        ],
    }
}

fn narrative() -> Spec<budsql_schema::NarrativeFigure> {
    use budsql_schema::NarrativeFigure as F;
    Spec {
        table: Table::Narrative,
        rows: |doc| &doc.narrative,
        columns: vec![
            col(
                "figure",
                Kind::Text,
                "",
                "what the figure is: income_total, basic, operating_costs, procurement, …",
                |_, f: &F| st(&f.figure),
            ),
            col(
                "amount",
                Kind::Amount,
                "金额",
                "the stated figure",
                |_, f: &F| d(Some(f.amount)),
            ),
            col(
                "sentence",
                Kind::Text,
                "情况说明",
                "the sentence it was read from",
                |_, f: &F| st(&f.sentence),
            ),
            col("line_no", Kind::Int, "", "the source line", |_, f: &F| {
                i(f.line_no)
            }),
        ],
    }
}

fn narrative_items() -> Spec<budsql_schema::NarrativeItem> {
    use budsql_schema::NarrativeItem as N;
    Spec {
        table: Table::NarrativeItems,
        rows: |doc| &doc.narrative_items,
        columns: vec![
            col(
                "item_no",
                Kind::Int,
                "",
                "the item's position in the narrative's list, from 1",
                |_, n: &N| i(n.item_no),
            ),
            col(
                "class_name",
                Kind::Text,
                "类",
                "the 类 the sentence names",
                |_, n: &N| s(n.class_name.as_deref()),
            ),
            col(
                "section_name",
                Kind::Text,
                "款",
                "the 款 the sentence names",
                |_, n: &N| s(n.section_name.as_deref()),
            ),
            col(
                "item_name",
                Kind::Text,
                "项",
                "the 项 the sentence names",
                |_, n: &N| st(&n.item_name),
            ),
            col(
                "budget",
                Kind::Amount,
                "年初预算",
                "the budget at the start of the year",
                |_, n: &N| d(n.budget),
            ),
            col(
                "final",
                Kind::Amount,
                "支出决算",
                "the final spending",
                |_, n: &N| d(n.final_amount),
            ),
            col(
                "reason",
                Kind::Text,
                "主要原因",
                "the reason the narrative gives for the difference, as printed",
                |_, n: &N| s(n.reason.as_deref()),
            ),
            col(
                "line_no",
                Kind::Int,
                "",
                "the line the item's sentence starts on",
                |_, n: &N| i(n.line_no),
            ),
        ],
    }
}

fn checks() -> Spec<budsql_schema::Check> {
    use budsql_schema::Check as C;
    Spec {
        table: Table::Checks,
        rows: |doc| &doc.checks,
        columns: vec![
            col(
                "table_name",
                Kind::Text,
                "表",
                "the table the identity is about",
                |_, c: &C| st(&c.table_name),
            ),
            col(
                "row_no",
                Kind::Int,
                "",
                "the row, where about one",
                |_, c: &C| io(c.row_no),
            ),
            col(
                "subject_code",
                Kind::Text,
                "科目编码",
                "the row's subject code",
                |_, c: &C| s(c.subject_code.as_deref()),
            ),
            col(
                "column_name",
                Kind::Text,
                "",
                "the column, where about one",
                |_, c: &C| s(c.column.as_deref()),
            ),
            col(
                "rule",
                Kind::Text,
                "",
                "the identity: total_equals_classes, parent_equals_children, …",
                |_, c: &C| st(&c.rule),
            ),
            col(
                "expected",
                Kind::Amount,
                "",
                "what the identity expects",
                |_, c: &C| d(Some(c.expected)),
            ),
            col("actual", Kind::Amount, "", "what is printed", |_, c: &C| {
                d(Some(c.actual))
            }),
            col(
                "difference",
                Kind::Amount,
                "",
                "actual − expected",
                |_, c: &C| d(Some(c.actual - c.expected)),
            ),
            col(
                "severity",
                Kind::Text,
                "",
                "'rounding' (within printed rounding) or 'error'",
                |_, c: &C| st(c.severity.as_str()),
            ),
            col(
                "message",
                Kind::Text,
                "",
                "the finding in words",
                |_, c: &C| st(&c.message),
            ),
            col("line_no", Kind::Int, "", "the source line", |_, c: &C| {
                i(c.line_no)
            }),
        ],
    }
}

fn warnings() -> Spec<budsql_schema::Warning> {
    use budsql_schema::Warning as W;
    Spec {
        table: Table::Warnings,
        rows: |doc| &doc.warnings,
        columns: vec![
            col(
                "table_name",
                Kind::Text,
                "表",
                "the table, where about one",
                |_, w: &W| s(w.table_name.as_deref()),
            ),
            col(
                "code",
                Kind::Text,
                "",
                "a stable code: unplaced_figure, unmapped_column, …",
                |_, w: &W| st(w.code.as_str()),
            ),
            col(
                "message",
                Kind::Text,
                "",
                "what was repaired or not stored, in words",
                |_, w: &W| st(&w.message),
            ),
            col(
                "raw",
                Kind::Text,
                "",
                "the printed text it is about",
                |_, w: &W| s(w.raw.as_deref()),
            ),
            col("line_no", Kind::Int, "", "the source line", |_, w: &W| {
                i(w.line_no)
            }),
        ],
    }
}

/// A view's definition with its row type erased.
pub trait View: Send + Sync {
    fn table(&self) -> Table;
    /// The table's own columns (not the identity ones).
    fn infos(&self) -> Vec<&ColumnInfo>;
    /// How many rows `doc` has in this view.
    fn row_count(&self, doc: &Document) -> usize;
    /// Appends the own columns' values for each row of `doc`, column by column: `out[c]`
    /// gets one value per row.
    fn push_values(&self, doc: &Document, out: &mut [Builder]) -> Result<(), StoreError>;
}

impl<R: Send + Sync + 'static> View for Spec<R> {
    fn table(&self) -> Table {
        self.table
    }

    fn infos(&self) -> Vec<&ColumnInfo> {
        self.columns.iter().map(|c| &c.info).collect()
    }

    fn row_count(&self, doc: &Document) -> usize {
        (self.rows)(doc).len()
    }

    fn push_values(&self, doc: &Document, out: &mut [Builder]) -> Result<(), StoreError> {
        let rows = (self.rows)(doc);
        for (c, slot) in self.columns.iter().zip(out.iter_mut()) {
            for r in rows {
                slot.push(c.value(doc, r), 1)?;
            }
        }
        Ok(())
    }
}

/// The definition of `table`'s view.
pub fn view(table: Table) -> &'static dyn View {
    static VIEWS: OnceLock<Vec<Box<dyn View>>> = OnceLock::new();
    let all = VIEWS.get_or_init(|| {
        vec![
            Box::new(units()),
            Box::new(budget_lines()),
            Box::new(summary_lines()),
            Box::new(three_public()),
            Box::new(kpi_targets()),
            Box::new(assets()),
            Box::new(narrative()),
            Box::new(narrative_items()),
            Box::new(checks()),
            Box::new(warnings()),
        ]
    });
    let found = all.iter().find(|v| v.table() == table);
    match found {
        Some(v) => v.as_ref(),
        // (every Table has a definition above; a test checks it)
        None => &NO_VIEW,
    }
}

struct NoView;
static NO_VIEW: NoView = NoView;

impl View for NoView {
    fn table(&self) -> Table {
        Table::Units
    }
    fn infos(&self) -> Vec<&ColumnInfo> {
        Vec::new()
    }
    fn row_count(&self, _: &Document) -> usize {
        0
    }
    fn push_values(&self, _: &Document, _: &mut [Builder]) -> Result<(), StoreError> {
        Ok(())
    }
}

/// Every column of a view as the view shows it: the identity columns (partition keys in
/// their place), then the table's own.
pub fn view_columns(table: Table) -> Vec<ColumnInfo> {
    let ids: Vec<ColumnInfo> = identity().iter().map(|c| c.info.clone()).collect();
    let parts = partition_infos();
    let mut out: Vec<ColumnInfo> = VIEW_IDENTITY
        .iter()
        .filter_map(|name| {
            ids.iter()
                .chain(parts.iter())
                .find(|c| c.name == *name)
                .cloned()
        })
        .collect();
    out.extend(view(table).infos().into_iter().cloned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_has_its_view() {
        for t in Table::ALL {
            assert_eq!(view(t).table(), t);
            assert!(!view(t).infos().is_empty(), "{}", t.name());
        }
    }

    /// docs/views.md, the contract, names every column of every stored view in its section
    /// (the identity columns in the table at its top).
    #[test]
    fn the_contract_names_every_column() {
        let doc = include_str!("../../../docs/views.md");
        let section = |name: &str| -> &str {
            let head = format!("## {name}");
            let Some(start) = doc.find(&head) else {
                return "";
            };
            let rest = doc.get(start + head.len()..).unwrap_or("");
            rest.get(..rest.find("\n## ").unwrap_or(rest.len()))
                .unwrap_or("")
        };
        for c in identity() {
            assert!(
                doc.contains(&format!("| `{}` |", c.info.name)),
                "{}",
                c.info.name
            );
        }
        for t in Table::ALL {
            let text = section(t.name());
            assert!(
                !text.is_empty(),
                "docs/views.md has no section for {}",
                t.name()
            );
            for c in view(t).infos() {
                assert!(
                    text.contains(&format!("`{}`", c.name)),
                    "docs/views.md, section {}: column `{}` is not described",
                    t.name(),
                    c.name
                );
            }
        }
    }

    #[test]
    fn column_names_are_unique_and_described() {
        for t in Table::ALL {
            let cols = view_columns(t);
            let mut names: Vec<&str> = cols.iter().map(|c| c.name).collect();
            names.sort_unstable();
            let n = names.len();
            names.dedup();
            assert_eq!(names.len(), n, "{}", t.name());
            assert!(cols.iter().all(|c| !c.about.is_empty()), "{}", t.name());
        }
    }
}
