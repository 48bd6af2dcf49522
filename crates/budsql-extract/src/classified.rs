//! The classified tables (`budget_lines`): income, expenditure and the fiscal tables by
//! function or economic subject.

use std::collections::BTreeSet;

use budsql_schema::{
    AmountCol, Amounts, BudgetLine, Classification, MoneyUnit, SubjectCode, TableName,
};
use budsql_text::clean_text;

use crate::columns::{column_meanings, header_text};
use crate::ctx::Ctx;
use crate::grid::{Row, Section};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meaning {
    RowNo,
    Code,
    Name,
    Amount(AmountCol),
}

const PATTERNS: &[(Meaning, &[&str])] = &[
    (Meaning::Amount(AmountCol::Personnel), &["人员经费"]),
    (Meaning::Amount(AmountCol::PublicFunds), &["公用经费"]),
    (Meaning::Amount(AmountCol::Basic), &["基本支出"]),
    (Meaning::Amount(AmountCol::Project), &["项目支出"]),
    (Meaning::Amount(AmountCol::Operating), &["经营支出"]),
    (
        Meaning::Amount(AmountCol::RemitUpper),
        &["上缴上级", "上解上级"],
    ),
    (
        Meaning::Amount(AmountCol::SubsidiarySubsidy),
        &["对附属单位"],
    ),
    (Meaning::Amount(AmountCol::SpecialAccount), &["财政专户"]),
    (
        Meaning::Amount(AmountCol::FiscalAppropriation),
        &["财政拨款"],
    ),
    (Meaning::Amount(AmountCol::BusinessIncome), &["事业收入"]),
    (Meaning::Amount(AmountCol::OperatingIncome), &["经营收入"]),
    (Meaning::Amount(AmountCol::SuperiorSubsidy), &["上级补助"]),
    (
        Meaning::Amount(AmountCol::SubsidiaryRemit),
        &["附属单位上缴", "附属单位缴款"],
    ),
    (Meaning::Amount(AmountCol::OtherIncome), &["其他收入"]),
    (
        Meaning::Amount(AmountCol::Carryover),
        &["上年结转", "上年", "结转"],
    ),
    (Meaning::Amount(AmountCol::CurrentIncome), &["小计"]),
    (Meaning::Amount(AmountCol::Total), &["合计", "总计"]),
    (Meaning::RowNo, &["序号"]),
    (Meaning::Code, &["编码", "代码"]),
    (Meaning::Name, &["名称"]),
];

/// The amount columns a table may have.
pub fn allowed_columns(table: TableName) -> &'static [AmountCol] {
    use AmountCol::*;
    match table {
        TableName::Income => &[
            Total,
            CurrentIncome,
            FiscalAppropriation,
            SpecialAccount,
            BusinessIncome,
            OperatingIncome,
            SuperiorSubsidy,
            SubsidiaryRemit,
            OtherIncome,
            Carryover,
        ],
        TableName::GpbBasic => &[Total, Personnel, PublicFunds],
        _ => &[
            Total,
            Basic,
            Project,
            Operating,
            RemitUpper,
            SubsidiarySubsidy,
        ],
    }
}

fn is_total_label(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(
        t.as_str(),
        "合计" | "总计" | "支出合计" | "收入合计" | "本年支出合计" | "本年收入合计"
    )
}

/// Reads one classified table section into `budget_lines` rows.
pub fn read(sec: &Section, unit: MoneyUnit, ctx: &mut Ctx) -> Vec<BudgetLine> {
    let table = sec.kind;
    let classification = if table == TableName::GpbBasic {
        Classification::Economic
    } else {
        Classification::Function
    };
    let first_data = sec.rows.iter().position(|r| r.serial().is_some());
    let header: Vec<&Row> = sec
        .rows
        .iter()
        .take(first_data.unwrap_or(sec.rows.len()))
        .filter(|r| !r.cell(0).contains("栏次"))
        .collect();
    let meanings = column_meanings(&header, PATTERNS);
    let allowed = allowed_columns(table);
    let col_of = |m: Meaning| meanings.iter().position(|x| *x == Some(m));
    let data: Vec<&Row> = sec.rows.iter().filter(|r| r.serial().is_some()).collect();
    let code_col = col_of(Meaning::Code).or_else(|| guess_code_col(&data));
    let name_col = col_of(Meaning::Name).or(code_col.map(|c| c + 1));
    let amount_cols: Vec<(usize, AmountCol)> = meanings
        .iter()
        .enumerate()
        .filter_map(|(i, m)| match m {
            Some(Meaning::Amount(a)) if allowed.contains(a) => Some((i, *a)),
            _ => None,
        })
        .collect();

    // Columns nobody maps but that hold figures are reported, never dropped silently.
    let width = sec.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    for col in 0..width {
        let used = Some(col) == code_col
            || Some(col) == name_col
            || col == 0
            || amount_cols.iter().any(|(c, _)| *c == col);
        if used {
            continue;
        }
        if let Some(r) = data.iter().find(|r| !r.cell(col).is_empty()) {
            ctx.warn(
                r.line_no,
                Some(table),
                "unmapped_column",
                format!(
                    "{}: column {} (header `{}`) holds figures but its meaning is not recognised; its cells are not stored",
                    table.as_str(),
                    col + 1,
                    header_text(&header, col)
                ),
                Some(r.cell(col)),
            );
        }
    }

    let mut out: Vec<BudgetLine> = Vec::new();
    let mut seen: BTreeSet<(i32, Vec<String>)> = BTreeSet::new();
    for row in &data {
        let Some(row_no) = row.serial() else { continue };
        if !seen.insert((row_no, row.cells.clone())) {
            ctx.warn(
                row.line_no,
                Some(table),
                "duplicate_row",
                format!(
                    "{}: row {row_no} is printed twice; the repeat is skipped",
                    table.as_str()
                ),
                None,
            );
            continue;
        }
        let code_cell = code_col.map(|c| row.cell(c)).unwrap_or("");
        let name_cell = name_col.map(|c| row.cell(c)).unwrap_or("");
        let code_digits: String = code_cell.chars().filter(|c| !c.is_whitespace()).collect();
        let is_total =
            code_digits.is_empty() && is_total_label(name_cell) || is_total_label(code_cell);
        let (subject_code, level, parent, name) = if is_total {
            (None, Some(0), None, "合计".to_string())
        } else if let Some(code) = SubjectCode::parse(&code_digits) {
            (
                Some(code.as_str().to_string()),
                Some(code.level()),
                code.parent().map(|p| p.as_str().to_string()),
                clean_text(name_cell),
            )
        } else {
            if code_digits.is_empty() {
                ctx.warn(
                    row.line_no,
                    Some(table),
                    "row_without_code",
                    format!(
                        "{}: row {row_no} `{}` has no subject code; its level is unknown",
                        table.as_str(),
                        clean_text(name_cell)
                    ),
                    None,
                );
            } else {
                ctx.warn(
                    row.line_no,
                    Some(table),
                    "unreadable_code",
                    format!(
                        "{}: row {row_no}: `{code_cell}` is not a 3-, 5- or 7-digit subject code; kept as printed",
                        table.as_str()
                    ),
                    Some(code_cell),
                );
            }
            let code = (!code_digits.is_empty()).then_some(code_digits);
            (code, None, None, clean_text(name_cell))
        };
        let mut amounts = Amounts::default();
        for (col, a) in &amount_cols {
            let v = ctx.amount(row.cell(*col), unit, row.line_no, table, a.label());
            amounts.set(*a, v);
        }
        out.push(BudgetLine {
            table,
            row_no,
            classification,
            subject_code,
            subject_name: name,
            subject_level: level,
            parent_code: parent,
            amounts,
            line_no: i32::try_from(row.line_no).unwrap_or(i32::MAX),
            page: i32::try_from(row.page).unwrap_or(i32::MAX),
        });
    }
    out
}

fn guess_code_col(data: &[&Row]) -> Option<usize> {
    let width = data.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    (1..width)
        .map(|c| {
            let hits = data
                .iter()
                .filter(|r| SubjectCode::parse(r.cell(c)).is_some())
                .count();
            (hits, c)
        })
        .filter(|(h, _)| *h > 0)
        .max_by_key(|(h, c)| (*h, std::cmp::Reverse(*c)))
        .map(|(_, c)| c)
}
