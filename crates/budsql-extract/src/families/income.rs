//! The income table of layout text placed by the 收支总表.
//!
//! Without its PDF, `pdftotext` lays out an income table's header and its figures each its
//! own way: 苏州's and 无锡's print `一般公共预` / `算` left of their figures, so by spacing
//! the 一般公共预算's figure falls under 政府性基金 and the 政府性基金's under 财政专户管理资金.
//! The 收支总表 states the same 合计 by source on lines of its own. Where the income table's
//! 合计 disagrees with them and one order-keeping placement of its figures agrees with
//! every one, each row's figures move as the 合计's did, and a warning says so.

use std::collections::BTreeMap;

use budsql_schema::{AmountCol, Amounts, Decimal, Document, TableName, WarningCode};

use crate::ctx::Ctx;

/// The sources that make up 本年收入 (财政拨款 is the sum of the first three where they are
/// printed).
const SOURCES: [AmountCol; 9] = [
    AmountCol::Gpb,
    AmountCol::GovFund,
    AmountCol::Soe,
    AmountCol::SpecialAccount,
    AmountCol::BusinessIncome,
    AmountCol::OperatingIncome,
    AmountCol::SuperiorSubsidy,
    AmountCol::SubsidiaryRemit,
    AmountCol::OtherIncome,
];

/// Whether a row of the income table keeps its sums: 合计 = 本年收入 + 上年结转, 本年收入 =
/// its sources (a blank counting 0). `None` where the columns allow no check.
fn sums_hold(a: &Amounts, cols: &[AmountCol], half: Decimal) -> Option<bool> {
    use AmountCol::*;
    let mut id = super::Identities::new(a, cols, half);
    if id.has(CurrentIncome) {
        id.weigh(Total, &[CurrentIncome, Carryover]);
        let funds = [Gpb, GovFund, Soe].iter().any(|c| id.has(*c));
        let mut sources = SOURCES.to_vec();
        if !funds {
            sources.push(FiscalAppropriation);
        }
        id.weigh(CurrentIncome, &sources);
    }
    id.result()
}

/// Every order-keeping placement of `values` (left to right) into `slots` columns where
/// `fits(slot, value)`.
fn placements(
    values: &[Decimal],
    slots: usize,
    fits: &dyn Fn(usize, Decimal) -> bool,
) -> Vec<Vec<usize>> {
    fn go(
        values: &[Decimal],
        from: usize,
        slots: usize,
        fits: &dyn Fn(usize, Decimal) -> bool,
        pick: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
    ) {
        let Some((v, rest)) = values.split_first() else {
            out.push(pick.clone());
            return;
        };
        // (two placements already leave it uncertain: no more are needed)
        for slot in from..slots {
            if out.len() > 1 || slots - slot < values.len() {
                break;
            }
            if fits(slot, *v) {
                pick.push(slot);
                go(rest, slot + 1, slots, fits, pick, out);
                pick.pop();
            }
        }
    }
    let mut out = Vec::new();
    go(values, 0, slots, fits, &mut Vec::new(), &mut out);
    out
}

/// Places the income table's figures of layout text by the 收支总表 (see the module's
/// documentation). Runs once every table is read, before the funds are compared.
pub fn place_by_summary(doc: &mut Document, ctx: &mut Ctx) {
    // the income table's columns, left to right, where rows were placed by spacing (one
    // income table: two would not share the 收支总表's figures)
    let mut sets = ctx
        .by_spacing
        .iter()
        .filter(|b| b.table == TableName::Income)
        .map(|b| &b.cols);
    let Some(cols) = sets.next().cloned() else {
        return;
    };
    if sets.any(|c| *c != cols) {
        return;
    }
    let stated = crate::summary::income_stated(doc);
    let half = ctx.half_unit(TableName::Income)
        + ctx
            .half_unit(TableName::Summary)
            .max(ctx.half_unit(TableName::FiscalSummary));
    let rows: Vec<usize> = (0..doc.budget_lines.len())
        .filter(|i| {
            doc.budget_lines
                .get(*i)
                .is_some_and(|l| l.table == TableName::Income)
        })
        .collect();
    let Some(total) = rows
        .iter()
        .filter_map(|i| doc.budget_lines.get(*i))
        .find(|l| l.subject_level == Some(0))
    else {
        return;
    };
    let figs: Vec<(usize, Decimal)> = cols
        .iter()
        .enumerate()
        .filter_map(|(i, c)| total.amounts.get(*c).map(|v| (i, v)))
        .collect();
    // (a 0.00 fits every column the 收支总表 leaves blank: nothing to place it by)
    if figs.len() < 2 || figs.iter().any(|(_, v)| v.is_zero()) {
        return;
    }
    let stated_at = |i: usize| cols.get(i).and_then(|c| stated.get(c));
    if figs
        .iter()
        .all(|(i, v)| stated_at(*i).is_none_or(|s| (*s - *v).abs() <= half))
    {
        return;
    }
    let fits = |i: usize, v: Decimal| stated_at(i).is_some_and(|s| (*s - v).abs() <= half);
    let values: Vec<Decimal> = figs.iter().map(|(_, v)| *v).collect();
    let found: Vec<Vec<usize>> = placements(&values, cols.len(), &fits)
        .into_iter()
        // (every source the 收支总表 states is printed in the 合计)
        .filter(|p| {
            (0..cols.len()).all(|i| stated_at(i).is_none_or(|s| s.is_zero()) || p.contains(&i))
        })
        .collect();
    let [placement] = found.as_slice() else {
        return;
    };
    let map: BTreeMap<usize, usize> = figs
        .iter()
        .map(|(i, _)| *i)
        .zip(placement.iter().copied())
        .collect();
    let label = |i: usize| cols.get(i).map(|c| c.as_str()).unwrap_or("?");
    let moves: Vec<String> = figs
        .iter()
        .zip(placement)
        .filter(|((i, _), n)| i != *n)
        .map(|((i, v), n)| format!("{} from {} to {}", v.normalize(), label(*i), label(*n)))
        .collect();
    let total_line = usize::try_from(total.line_no).unwrap_or(0);
    let mut stuck: Vec<String> = Vec::new();
    for ri in rows {
        let Some(l) = doc.budget_lines.get_mut(ri) else {
            continue;
        };
        let mut moved = l.amounts.clone();
        for c in &cols {
            moved.set(*c, None);
        }
        let mut ok = true;
        for (i, c) in cols.iter().enumerate() {
            if let Some(v) = l.amounts.get(*c) {
                match map.get(&i).and_then(|n| cols.get(*n)) {
                    Some(n) => moved.set(*n, Some(v)),
                    None => ok = false,
                }
            }
        }
        // (a sum the move breaks; one broken before it is a column not stored, 北京's
        // 上年结转 under an unrecognised label)
        let breaks = sums_hold(&moved, &cols, half) == Some(false)
            && sums_hold(&l.amounts, &cols, half) != Some(false);
        if ok && !breaks {
            l.amounts = moved;
        } else {
            for c in &cols {
                l.amounts.set(*c, None);
            }
            stuck.push(format!("`{}` (line {})", l.subject_name, l.line_no));
        }
    }
    ctx.warn(
        total_line,
        Some(TableName::Income),
        WarningCode::PlacedByArithmetic,
        format!(
            "income: the text's columns put the 合计's figures under sources the 收支总表 states otherwise; placed where its lines state them ({}), and each row's figures moved the same way",
            moves.join(", ")
        ),
        None,
    );
    if !stuck.is_empty() {
        ctx.warn(
            total_line,
            Some(TableName::Income),
            WarningCode::UnplacedFigure,
            format!(
                "income: {} row(s) whose figures stand where the 合计's do not, or whose sums do not hold once moved, as the 合计's did, are not placed with certainty; none of their figures is stored: {}",
                stuck.len(),
                stuck.join(", ")
            ),
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn the_one_order_keeping_placement_where_every_figure_is_stated() {
        // 合计 小计 一般公共 政府性基金 国有资本 财政专户, the 收支总表 stating 48,592.98 and
        // 44,003.26 for the first two funds
        let stated = [
            d("92596.24"),
            d("92596.24"),
            d("48592.98"),
            d("44003.26"),
            d("0"),
            d("0"),
        ];
        let fits = |i: usize, v: Decimal| stated.get(i).is_some_and(|s| *s == v);
        let values = [d("92596.24"), d("92596.24"), d("48592.98"), d("44003.26")];
        assert_eq!(placements(&values, 6, &fits), vec![vec![0, 1, 2, 3]]);
        // two equal sources: two placements, which is which not certain
        let stated = [d("10"), d("5"), d("5")];
        let fits = |i: usize, v: Decimal| stated.get(i).is_some_and(|s| *s == v);
        assert_eq!(placements(&[d("10"), d("5")], 3, &fits).len(), 2);
    }

    #[test]
    fn income_sums() {
        use AmountCol::*;
        let cols = [Total, CurrentIncome, Gpb, GovFund, Carryover];
        let mut a = Amounts::default();
        a.set(Total, Some(d("100")));
        a.set(CurrentIncome, Some(d("90")));
        a.set(Gpb, Some(d("60")));
        a.set(GovFund, Some(d("30")));
        a.set(Carryover, Some(d("10")));
        assert_eq!(sums_hold(&a, &cols, d("0.005")), Some(true));
        a.set(GovFund, Some(d("20")));
        assert_eq!(sums_hold(&a, &cols, d("0.005")), Some(false));
        assert_eq!(sums_hold(&a, &[Gpb, GovFund], d("0.005")), None);
    }
}
