//! 收支总表 and 财政拨款收支总表 (`summary_lines`): two sides, each a list of labelled figures.

use budsql_schema::WarningCode;
use budsql_schema::{Decimal, MoneyUnit, Side, SummaryLine, TableName};
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
                WarningCode::AssumedColumns,
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
                        WarningCode::UnmappedColumn,
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
                        WarningCode::FigureWithoutLabel,
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
                item_level: item_level(label),
                amount,
                gpb,
                gov_fund,
                soe,
                basic: None,
                project: None,
                personnel: None,
                public_funds: None,
                line_no: i32::try_from(row.line_no).unwrap_or(i32::MAX),
            });
        }
    }
    out
}

/// A source of funds, the summary table stating it, and its line there.
pub type FundStated<'a> = (budsql_schema::AmountCol, TableName, &'a SummaryLine);

/// The income table's 合计 and, per source of funds it prints, the one income line of the
/// 收支总表 and of the 财政拨款收支总表 that states the same fund (`一般公共预算拨款收入`,
/// `政府性基金预算`, …; a table printing the line twice, under 上年结转 too, says nothing).
/// Nothing where the income table prints no fund at all (many print 财政拨款 alone).
pub fn income_funds_stated(
    doc: &budsql_schema::Document,
) -> Option<(&budsql_schema::BudgetLine, Vec<FundStated<'_>>)> {
    use budsql_schema::AmountCol;
    const FUNDS: [(AmountCol, &str); 3] = [
        (AmountCol::Gpb, "一般公共预算"),
        (AmountCol::GovFund, "政府性基金"),
        (AmountCol::Soe, "国有资本经营"),
    ];
    let income = || {
        doc.budget_lines
            .iter()
            .filter(|l| l.table == TableName::Income)
    };
    let prints_funds = income().any(|l| FUNDS.iter().any(|(c, _)| l.amounts.get(*c).is_some()));
    let total = income().find(|l| l.subject_level == Some(0))?;
    if !prints_funds {
        return None;
    }
    let mut out = Vec::new();
    for (col, word) in FUNDS {
        for table in [TableName::Summary, TableName::FiscalSummary] {
            let lines: Vec<&SummaryLine> = doc
                .summary_lines
                .iter()
                .filter(|l| {
                    l.table == table
                        && l.side == Side::Income
                        && l.item_name.contains(word)
                        && !is_carryover(&l.item_name)
                })
                .collect();
            if let [line] = lines.as_slice()
                && line.amount.is_some()
            {
                out.push((col, table, *line));
            }
        }
    }
    Some((total, out))
}

/// The income table's column a 收支总表 income line states (`一、一般公共预算拨款收入`:
/// 一般公共预算; `本年收入合计`, `收入总计`, `上年结转结余`), if any.
fn income_col(item: &str) -> Option<budsql_schema::AmountCol> {
    use budsql_schema::AmountCol::*;
    let has = |w: &str| item.contains(w);
    Some(if is_grand_total(item) {
        Total
    } else if is_year_total(item) {
        CurrentIncome
    } else if is_carryover(item) {
        Carryover
    } else if has("一般公共预算") {
        Gpb
    } else if has("政府性基金") || has("政府基金") {
        GovFund
    } else if has("国有资本经营") {
        Soe
    } else if has("财政专户") {
        SpecialAccount
    } else if has("经营收入") {
        OperatingIncome
    } else if has("事业收入") {
        BusinessIncome
    } else if has("上级补助") {
        SuperiorSubsidy
    } else if has("附属单位") {
        SubsidiaryRemit
    } else if has("其他收入") {
        OtherIncome
    } else if has("财政拨款") {
        FiscalAppropriation
    } else {
        return None;
    })
}

/// What the 收支总表 states of each column of the income table: each income line by its
/// source (a line printed blank states 0), `本年收入合计`, `上年结转结余` and `收入总计`; for
/// the three funds, the 财政拨款收支总表's lines where the 收支总表 prints none. A column
/// two lines claim (a fund printed again under 上年结转), or the two tables state
/// differently, is left out.
pub fn income_stated(
    doc: &budsql_schema::Document,
) -> std::collections::BTreeMap<budsql_schema::AmountCol, Decimal> {
    use budsql_schema::AmountCol;
    use std::collections::BTreeMap;
    let of = |table: TableName| {
        let mut seen: BTreeMap<AmountCol, Option<Decimal>> = BTreeMap::new();
        let mut after_carryover = false;
        for l in doc
            .summary_lines
            .iter()
            .filter(|l| l.table == table && l.side == Side::Income)
        {
            // (the sub-lines of a 上年结转 line are its funds, not the year's)
            if after_carryover && l.item_level > 1 {
                continue;
            }
            let Some(col) = income_col(&l.item_name) else {
                after_carryover = false;
                continue;
            };
            after_carryover = col == AmountCol::Carryover;
            let v = l.amount.unwrap_or_default();
            seen.entry(col).and_modify(|o| *o = None).or_insert(Some(v));
        }
        seen.into_iter()
            .filter_map(|(c, v)| v.map(|v| (c, v)))
            .collect::<BTreeMap<AmountCol, Decimal>>()
    };
    let mut stated = of(TableName::Summary);
    let fiscal = of(TableName::FiscalSummary);
    for col in [AmountCol::Gpb, AmountCol::GovFund, AmountCol::Soe] {
        match (stated.get(&col), fiscal.get(&col)) {
            (None, Some(v)) => {
                stated.insert(col, *v);
            }
            (Some(a), Some(b)) if a != b => {
                stated.remove(&col);
            }
            _ => {}
        }
    }
    stated
}

/// 2 for a sub-item printed with an arabic or parenthesised ordinal (`1. 一般公共预算`,
/// `（一）…`), else 1.
pub fn item_level(label: &str) -> i32 {
    let t = budsql_text::normalize_width(label);
    let t = t.trim();
    let arabic = t.chars().next().is_some_and(|c| c.is_ascii_digit()) && strip_ordinal(t) != t;
    let paren = t.starts_with('(') && strip_ordinal(t) != t;
    if arabic || paren { 2 } else { 1 }
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

/// Which figure of a side a header cell names. `loose` also takes a bare value word
/// (`预算`, `决算`, `2026年预算数`), as the geometry reader does.
pub(crate) fn side_figure(h: &str, loose: bool) -> Option<PFig> {
    Some(if h.contains("一般公共预算") {
        PFig::Gpb
    } else if h.contains("政府性基金") || h.contains("政府基金") {
        PFig::GovFund
    } else if h.contains("国有资本") {
        PFig::Soe
    } else if h.contains("人员经费") {
        PFig::Personnel
    } else if h.contains("公用经费") {
        PFig::PublicFunds
    } else if h.contains("基本支出") {
        PFig::Basic
    } else if h.contains("项目支出") {
        PFig::Project
    } else if h.contains("合计")
        || h.contains("预算数")
        || h.contains("金额")
        || h.contains("决算数")
        || loose
            && (crate::families::classified::is_value_word(h)
                || h.contains("预算")
                || h.contains("决算"))
    {
        PFig::Amount
    } else {
        return None;
    })
}

impl PFig {
    /// The line's column this figure goes to.
    pub(crate) fn slot(self, line: &mut SummaryLine) -> &mut Option<Decimal> {
        match self {
            PFig::Amount => &mut line.amount,
            PFig::Gpb => &mut line.gpb,
            PFig::GovFund => &mut line.gov_fund,
            PFig::Soe => &mut line.soe,
            PFig::Basic => &mut line.basic,
            PFig::Project => &mut line.project,
            PFig::Personnel => &mut line.personnel,
            PFig::PublicFunds => &mut line.public_funds,
        }
    }
}

/// A printed figure with its start and end position.
type Figure = (String, usize, usize);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PFig {
    Amount,
    Gpb,
    GovFund,
    Soe,
    Basic,
    Project,
    Personnel,
    PublicFunds,
}

fn is_header_word(cell: &str) -> bool {
    let h = norm_header(cell);
    h.is_empty()
        || [
            "项目",
            "预算数",
            "本年收入",
            "本年支出",
            "收入",
            "支出",
            "金额",
            "合计",
            "决算数",
        ]
        .contains(&h.as_str())
        || h.starts_with("财政拨款收入")
        || h.starts_with("财政拨款支出")
        || side_figure(&h, false).is_some() && !h.contains("、")
}

/// A figure cell, or a dash printed in a figure's place (it holds the column).
fn is_fig(s: &str) -> bool {
    budsql_text::is_number(s) || budsql_text::is_nil_mark(s)
}

/// Reads a summary section printed in the space-aligned form: each line holds an income
/// label and figure and an expenditure label and figures, placed by position.
pub fn read_positioned(sec: &Section, unit: MoneyUnit, ctx: &mut Ctx) -> Vec<SummaryLine> {
    let table = sec.kind;
    // the data start at the first figure or numbered label (`一、…`); header cells split over
    // many lines (`国有资本经营` / `预算财政拨款`) come before
    let numbered = |c: &str| {
        let t = budsql_text::normalize_width(c);
        strip_ordinal(t.trim()) != t.trim()
    };
    let first_data = sec
        .rows
        .iter()
        .position(|r| r.cells.iter().any(|c| is_fig(c) || numbered(c)))
        .unwrap_or(sec.rows.len());
    let header: Vec<&Row> = sec.rows.iter().take(first_data).collect();
    // the two 项目 label columns
    let mut labels: Vec<usize> = header
        .iter()
        .flat_map(|r| {
            r.cells
                .iter()
                .zip(&r.pos)
                .filter(|(c, _)| norm_header(c) == "项目")
                .map(|(_, p)| p.0)
        })
        .collect();
    labels.sort_unstable();
    labels.dedup();
    let (inc_x, exp_x) = match labels.as_slice() {
        [a, b, ..] => (*a, *b),
        _ => {
            ctx.warn(
                sec.title_line,
                Some(table),
                WarningCode::AssumedColumns,
                format!(
                    "{}: no two `项目` headers found; the table is not read",
                    table.as_str()
                ),
                None,
            );
            return Vec::new();
        }
    };
    let split = (inc_x + exp_x) / 2;
    // expenditure figure columns right of the expenditure label, by position
    let mut fig_cols: Vec<(usize, usize, PFig)> = Vec::new();
    for c in crate::columns::header_clusters(&header) {
        if c.start > exp_x {
            let f = std::iter::once(c.whole.as_str())
                .chain(c.bottom_up.iter().map(String::as_str))
                .find_map(|h| side_figure(h, false));
            if let Some(f) = f {
                fig_cols.push((c.start, c.end, f));
            }
        }
    }
    fig_cols.sort_by_key(|c| c.0);
    // `基本支出` printed over 人员经费 | 公用经费 is a group label, not a column of its own
    let split_basic = fig_cols.iter().any(|c| c.2 == PFig::Personnel)
        && fig_cols.iter().any(|c| c.2 == PFig::PublicFunds);
    let mut cols: Vec<(usize, usize, PFig)> = Vec::new();
    for c in fig_cols {
        let group_label = split_basic && c.2 == PFig::Basic;
        let seen = cols.iter().any(|x| x.2 == c.2);
        if !group_label && !seen {
            cols.push(c);
        }
    }
    if cols.is_empty() {
        cols.push((exp_x + 10, exp_x + 20, PFig::Amount));
    }
    let mut out: Vec<SummaryLine> = Vec::new();
    let mut row_no = 0;
    // a label wrapped around its figures: `四、文化旅游体育与传媒` / `200,000 200,000` / `支出`
    let mut awaiting_figures: Option<usize> = None;
    let mut awaiting_tail: Option<usize> = None;
    let mut pending: Vec<Figure> = Vec::new();
    for row in sec.rows.iter().skip(first_data) {
        if let (Some(i), [cell]) = (awaiting_tail, row.cells.as_slice())
            && !is_fig(cell)
            && strip_ordinal(cell) == cell.as_str()
        {
            if let Some(line) = out.get_mut(i) {
                line.item_name = clean_text(&format!("{}{}", line.item_name, cell));
            }
            awaiting_tail = None;
            continue;
        }
        awaiting_tail = None;
        // a label wrapped onto the next line (`二十一、国有资本经营预算` / `支出`)
        if let [cell] = row.cells.as_slice() {
            let x = row.pos.first().map(|p| p.0).unwrap_or(0);
            let side = if x >= split {
                Side::Expenditure
            } else {
                Side::Income
            };
            let keyword = ["合计", "总计", "结转", "结余"]
                .iter()
                .any(|k| cell.contains(k));
            if !keyword
                && strip_ordinal(cell) == cell.as_str()
                && let Some(line) = out.iter_mut().rev().find(|l| l.side == side)
                && line.line_no + 1 >= i32::try_from(row.line_no).unwrap_or(i32::MAX) - 1
            {
                line.item_name = clean_text(&format!("{}{}", line.item_name, cell));
                continue;
            }
        }
        if row.cells.iter().all(|c| is_header_word(c)) {
            continue;
        }
        let only_figures = row.cells.iter().all(|c| is_fig(c));
        // figures between a label and its wrapped end belong to it when they stand on its
        // side; otherwise they are the next line's (printed above their labels)
        let same_side = |i: usize| {
            out.get(i).is_some_and(|l| {
                row.pos
                    .iter()
                    .all(|p| (p.0 >= split) == (l.side == Side::Expenditure))
            })
        };
        if only_figures && let Some(i) = awaiting_figures.filter(|i| same_side(*i)) {
            awaiting_figures = None;
            let figs: Vec<Figure> = row
                .cells
                .iter()
                .zip(&row.pos)
                .map(|(c, p)| (c.clone(), p.0, p.1))
                .collect();
            if let Some(line) = out.get_mut(i) {
                place(line, &figs, &cols, unit, row.line_no, ctx);
            }
            awaiting_tail = Some(i);
            continue;
        }
        awaiting_figures = None;
        if only_figures {
            // figures printed on the line above their labels (final accounts)
            pending.extend(
                row.cells
                    .iter()
                    .zip(&row.pos)
                    .map(|(c, p)| (c.clone(), p.0, p.1)),
            );
            continue;
        }
        row_no += 1;
        // split the row into (side, label, figures)
        let mut parts: Vec<(Side, String, Vec<Figure>)> = Vec::new();
        for (c, p) in row.cells.iter().zip(&row.pos) {
            if is_fig(c) {
                match parts.last_mut() {
                    Some(last) => last.2.push((c.clone(), p.0, p.1)),
                    None => ctx.warn(
                        row.line_no,
                        Some(table),
                        WarningCode::FigureWithoutLabel,
                        format!(
                            "{}: figure `{c}` before any label; it is not stored",
                            table.as_str()
                        ),
                        Some(c),
                    ),
                }
            } else {
                // the expenditure label follows the income side's label and figure; a
                // row's first label is on the side its position says
                let side = if parts.iter().any(|x| x.0 == Side::Income && !x.2.is_empty())
                    || p.0 >= split
                {
                    Side::Expenditure
                } else {
                    Side::Income
                };
                match parts.last_mut() {
                    // a label continued in the next cell of the same side
                    Some(last) if last.0 == side && last.2.is_empty() => last.1.push_str(c),
                    _ => parts.push((side, c.clone(), Vec::new())),
                }
            }
        }
        // figures from the line above go to the label of their side
        for f in std::mem::take(&mut pending) {
            let side = if f.1 >= split {
                Side::Expenditure
            } else {
                Side::Income
            };
            match parts.iter_mut().find(|p| p.0 == side) {
                Some(part) => {
                    part.2.push(f);
                    part.2.sort_by_key(|x| x.1);
                }
                None => ctx.warn(
                    row.line_no,
                    Some(table),
                    WarningCode::FigureWithoutLabel,
                    format!(
                        "{}: figure `{}` above a line with no {} label; it is not stored",
                        table.as_str(),
                        f.0,
                        side.as_str()
                    ),
                    Some(&f.0),
                ),
            }
        }
        let n_parts = parts.len();
        for (k, (side, label, figs)) in parts.into_iter().enumerate() {
            let mut line = SummaryLine::new(
                table,
                side,
                row_no,
                clean_text(strip_ordinal(&label)),
                item_level(&label),
                row.line_no,
            );
            if line.item_name.is_empty() {
                continue;
            }
            if side == Side::Income {
                if let Some((raw, _, _)) = figs.first() {
                    line.amount = ctx.amount(raw, unit, row.line_no, table, &label);
                }
            } else {
                place(&mut line, &figs, &cols, unit, row.line_no, ctx);
            }
            let last_without_figures = figs.is_empty() && k + 1 == n_parts;
            out.push(line);
            if last_without_figures {
                awaiting_figures = Some(out.len() - 1);
            }
        }
    }
    out
}

/// Puts a side's figures into its columns: in order when the counts agree, else each to the
/// nearest column (by position) right of the previous one.
fn place(
    line: &mut SummaryLine,
    figs: &[Figure],
    cols: &[(usize, usize, PFig)],
    unit: MoneyUnit,
    line_no: usize,
    ctx: &mut Ctx,
) {
    let placed: Vec<Option<PFig>> = if figs.len() == cols.len() {
        cols.iter().map(|c| Some(c.2)).collect()
    } else {
        let spans: Vec<(usize, usize)> = figs.iter().map(|f| (f.1, f.2)).collect();
        let colspans: Vec<(usize, usize)> = cols.iter().map(|c| (c.0, c.1)).collect();
        crate::align::align(&spans, &colspans, 16)
            .into_iter()
            .map(|ci| ci.and_then(|i| cols.get(i)).map(|c| c.2))
            .collect()
    };
    let label = line.item_name.clone();
    for ((raw, _, _), f) in figs.iter().zip(placed) {
        let Some(f) = f else { continue };
        let v = ctx.amount(raw, unit, line_no, line.table, &label);
        *f.slot(line) = v;
    }
}

/// For a tab extraction that dropped blank cells (no 序号, no positions): positions made up
/// from what the cells say, so the positioned reader can place them. Income labels stand at
/// the left (0..), expenditure labels (`…支出`, or any label after an income figure) and the
/// second `项目` header at 100.., each figure just right of its label.
pub fn pseudo_positions(sec: &Section) -> Section {
    let mut out = sec.with_header_lines();
    for row in &mut out.rows {
        let mut pos = Vec::with_capacity(row.cells.len());
        let mut x = 0usize;
        let mut seen_project = false;
        let mut income_figure = false;
        for c in &row.cells {
            let h = norm_header(c);
            if is_fig(c) {
                if x < 100 {
                    income_figure = true;
                }
                x += 1;
            } else if h == "项目" {
                x = if seen_project { 100 } else { 0 };
                seen_project = true;
            } else {
                let spending = h.contains("支出") && !h.contains("收入");
                x = if spending || income_figure || x >= 100 {
                    x.max(100) + 1
                } else {
                    x + 1
                };
            }
            pos.push((x, x + 1));
        }
        row.pos = pos;
    }
    out
}
