//! 收支总表 and 财政拨款收支总表 (`summary_lines`): two sides, each a list of labelled figures.

use budsql_schema::{Decimal, MoneyUnit, Side, SummaryLine};
use budsql_text::{clean_text, strip_ordinal};

use crate::columns::{header_text, norm_header};
use crate::ctx::Ctx;
use crate::grid::{Row, Section};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fig {
    Amount,
    Gpb,
    GovFund,
    Soe,
}

/// Reads one summary section.
pub fn read(sec: &Section, unit: MoneyUnit, ctx: &mut Ctx) -> Vec<SummaryLine> {
    let table = sec.kind;
    let first_data = sec.rows.iter().position(|r| r.serial().is_some());
    let header: Vec<&Row> = sec
        .rows
        .iter()
        .take(first_data.unwrap_or(sec.rows.len()))
        .filter(|r| !r.cell(0).contains("栏次"))
        .collect();
    let width = sec.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let find = |word: &str, from: usize| {
        (from..width).find(|&c| header.iter().any(|r| norm_header(r.cell(c)).contains(word)))
    };
    // The label columns are the two `项目` columns; failing that, the `收入`/`支出` group
    // labels (which a merged cell may print off-centre, so they are the second choice).
    let labels: Vec<usize> = (0..width)
        .filter(|&c| header.iter().any(|r| norm_header(r.cell(c)) == "项目"))
        .collect();
    let by_label = match labels.as_slice() {
        [i, e, ..] => Some((*i, *e)),
        _ => None,
    };
    let by_group = || find("收入", 1).and_then(|i| find("支出", i + 1).map(|e| (i, e)));
    let (inc, exp) = match by_label.or_else(by_group) {
        Some(p) => p,
        None => {
            ctx.warn(
                sec.title_line,
                Some(table),
                "assumed_columns",
                format!(
                    "{}: no `收入`/`支出` header found; assuming income in columns 2-3 and expenditure from column 4",
                    table.as_str()
                ),
                None,
            );
            (1, 3)
        }
    };
    let side_cols = |start: usize, end: usize, ctx: &mut Ctx| -> Vec<(usize, Fig)> {
        let mut out: Vec<(usize, Fig)> = Vec::new();
        for c in start + 1..end {
            let h: String = header.iter().map(|r| norm_header(r.cell(c))).collect();
            let fig = if h.contains("一般公共预算") {
                Fig::Gpb
            } else if h.contains("政府性基金") || h.contains("政府基金") {
                Fig::GovFund
            } else if h.contains("国有资本") {
                Fig::Soe
            } else {
                Fig::Amount
            };
            if out.iter().any(|(_, f)| *f == fig) {
                if let Some(r) = sec
                    .rows
                    .iter()
                    .find(|r| r.serial().is_some() && !r.cell(c).is_empty())
                {
                    ctx.warn(
                        r.line_no,
                        Some(table),
                        "unmapped_column",
                        format!(
                            "{}: column {} (header `{}`) holds figures but its meaning is not recognised; its cells are not stored",
                            table.as_str(),
                            c + 1,
                            header_text(&header, c)
                        ),
                        Some(r.cell(c)),
                    );
                }
                continue;
            }
            out.push((c, fig));
        }
        out
    };
    let inc_cols = side_cols(inc, exp, ctx);
    let exp_cols = side_cols(exp, width.max(exp + 1), ctx);

    let mut out = Vec::new();
    for row in sec.rows.iter() {
        let Some(row_no) = row.serial() else { continue };
        for (side, label_col, cols) in [
            (Side::Income, inc, &inc_cols),
            (Side::Expenditure, exp, &exp_cols),
        ] {
            let label = row.cell(label_col);
            let mut figs: [Option<Decimal>; 4] = [None; 4];
            let mut any = false;
            for (c, f) in cols.iter() {
                let v = ctx.amount(row.cell(*c), unit, row.line_no, table, label);
                any |= v.is_some();
                if let Some(slot) = figs.get_mut(*f as usize) {
                    *slot = v;
                }
            }
            if label.is_empty() {
                if any {
                    ctx.warn(
                        row.line_no,
                        Some(table),
                        "figure_without_label",
                        format!(
                            "{}: row {row_no} has a {} figure but no label; it is not stored",
                            table.as_str(),
                            side.as_str()
                        ),
                        None,
                    );
                }
                continue;
            }
            let [amount, gpb, gov_fund, soe] = figs;
            out.push(SummaryLine {
                table,
                side,
                row_no,
                item_name: clean_text(strip_ordinal(label)),
                amount,
                gpb,
                gov_fund,
                soe,
                line_no: i32::try_from(row.line_no).unwrap_or(i32::MAX),
            });
        }
    }
    out
}

/// Whether a summary label is the current-year total (`本年收入合计`, `本年支出合计`).
pub fn is_year_total(item: &str) -> bool {
    item.contains("本年") && item.contains("合计")
}

/// Whether a summary label is the grand total (`收入总计`, `支出总计`).
pub fn is_grand_total(item: &str) -> bool {
    item.contains("总计")
}

/// Whether a summary label is a carry-over line (`上年结转结余`, `年末结转和结余`).
pub fn is_carryover(item: &str) -> bool {
    item.contains("结转") || item.contains("结余")
}
