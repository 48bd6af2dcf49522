//! The summary family (`summary_lines`): 收支总表 and 财政拨款收支总表, two sides of labelled
//! figures side by side, read from the shared table stages.
//!
//! A column whose cells are text is a label column, one whose cells are figures holds the
//! figures of the label column before it: so the table falls into sides, the first the
//! income side, the second the expenditure side (or the sides the `收入`/`支出` group labels
//! name). Each side's figure columns take their meaning from their labels (合计 or 预算数 /
//! 决算数 is the amount, 一般公共预算, 政府性基金, 国有资本经营, 基本支出, 项目支出, 人员经费,
//! 公用经费); a 行次 column is neither. A page carrying only one side keeps the columns of
//! the page before.

use budsql_schema::WarningCode;
use budsql_schema::{MoneyUnit, Side, SummaryLine};
use budsql_text::{clean_text, strip_ordinal};

use crate::ctx::Ctx;
use crate::grid::Section;
use crate::summary::{PFig as Fig, is_grand_total, is_year_total, item_level, side_figure};
use crate::table::{self, Block, Column, Placed, TLine, is_small_int};

/// What a summary column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Label,
    /// 行次 / 栏次 numbers: neither label nor figure.
    LineNo,
    Fig(Fig),
    /// Figures (how many) under a label that names none of them.
    Unknown(usize),
    /// Figures of another year or measure (`2017年预算数` in a 2018 budget): not stored.
    Foreign,
}

/// A header naming the column of labels: `项目`, `收入项目`, `科目名称`.
fn is_label_header(l: &str) -> bool {
    l.ends_with("项目") || l.contains("科目") || l.contains("名称")
}

fn col_kinds(block: &Block, period: Option<(budsql_schema::DocKind, i32)>) -> Vec<Col> {
    use crate::families::classified::{column_paths, foreign_columns};
    let foreign = foreign_columns(&column_paths(block), period);
    let n = block.columns.len();
    let mut figs = vec![0usize; n];
    let mut texts = vec![0usize; n];
    let mut small = vec![0usize; n];
    for r in &block.records {
        for p in r.cells.iter().chain(&r.above).chain(&r.below) {
            let Some(c) = p.col else { continue };
            let t = p.cell.text.trim();
            let slot = if is_small_int(t) {
                small.get_mut(c)
            } else if p.figure {
                figs.get_mut(c)
            } else {
                texts.get_mut(c)
            };
            if let Some(x) = slot {
                *x += 1;
            }
        }
    }
    block
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (f, t, s) = (
                figs.get(i).copied().unwrap_or(0),
                texts.get(i).copied().unwrap_or(0),
                small.get(i).copied().unwrap_or(0),
            );
            let label = c.label.as_str();
            // (another year's or measure's figures, `2017年预算数` in a 2018 budget, are not
            // the document's: no side takes them)
            if foreign.get(i).is_some_and(Option::is_some) && f > 0 {
                return Col::Foreign;
            }
            // (a column of small whole numbers is the 行次, unless its label names figures or
            // labels: a 决算's 行次 numbers of an empty side stand under its 金额, those of a
            // text's expenditure side under its 项目, 国家信访局 2024)
            if label.contains("行次")
                || label.contains("栏次")
                || s > f + t
                    && s > 0
                    && !is_label_header(label)
                    && (f == 0 || side_figure(label, true).is_none())
            {
                Col::LineNo
            } else if let Some(fig) =
                side_figure(label, true).filter(|_| !is_label_header(label) && t <= f + 2)
            {
                Col::Fig(fig)
            } else if t > f || is_label_header(label) {
                Col::Label
            } else if let Some(fig) = side_figure(label, true) {
                Col::Fig(fig)
            } else {
                // (an empty one is a group label read as a column, harmless)
                Col::Unknown(f)
            }
        })
        .collect()
}

/// One side of a summary: which, its label column, its figure columns.
type SideCols = (Side, usize, Vec<(usize, Fig)>);

/// The sides of a block.
fn sides(block: &Block, kinds: &[Col]) -> Vec<SideCols> {
    let mut out: Vec<SideCols> = Vec::new();
    for (i, k) in kinds.iter().enumerate() {
        match k {
            Col::Label => {
                // a label column right after another (a name wrapped into two columns)
                // belongs to it when no figures stand between them
                if let Some(last) = out.last()
                    && last.2.is_empty()
                {
                    continue;
                }
                let side = if out.is_empty() {
                    Side::Income
                } else {
                    Side::Expenditure
                };
                out.push((side, i, Vec::new()));
            }
            Col::Fig(f) => {
                if let Some(last) = out.last_mut() {
                    last.2.push((i, *f));
                }
            }
            Col::Unknown(_) | Col::Foreign | Col::LineNo => {}
        }
    }
    // a side with no labelled figure column: its one column of figures is its amount
    let n = kinds.len();
    for (si, side) in out.clone().iter().enumerate() {
        if !side.2.is_empty() {
            continue;
        }
        let end = out.get(si + 1).map(|s| s.1).unwrap_or(n);
        let with_figures: Vec<usize> = (side.1 + 1..end)
            .filter(|c| matches!(kinds.get(*c), Some(Col::Unknown(f)) if *f > 0))
            .collect();
        if let ([one], Some(slot)) = (with_figures.as_slice(), out.get_mut(si)) {
            slot.2.push((*one, Fig::Amount));
        }
    }
    // income is printed left of expenditure; a block of one side alone (a page carrying the
    // expenditure half) says which by its labels
    let out_len_one = out.len() == 1;
    for s in out.iter_mut().filter(|_| out_len_one) {
        let groups = block
            .columns
            .get(s.1)
            .map(|c| format!("{}{}", c.groups.join(""), c.label))
            .unwrap_or_default();
        if groups.contains("支出") && !groups.contains("收入") {
            s.0 = Side::Expenditure;
        } else if groups.contains("收入") && !groups.contains("支出") {
            s.0 = Side::Income;
        }
    }
    // a side's figure column claimed twice (two columns read as amount) keeps the first
    for s in &mut out {
        let mut seen: Vec<Fig> = Vec::new();
        s.2.retain(|(_, f)| {
            if seen.contains(f) {
                false
            } else {
                seen.push(*f);
                true
            }
        });
    }
    out
}

/// A line of labels without figures that is an item of its own (`使用非财政拨款结余 …
/// 结余分配`): labels on both sides, or one that names a whole item. A fragment of a
/// wrapped label (`支出`, `拨款`) is not.
fn is_item_line(line: &TLine) -> bool {
    let texts: Vec<&str> = line.cells.iter().map(|c| c.text.trim()).collect();
    let far_apart = line
        .cells
        .windows(2)
        .any(|w| matches!(w, [a, b] if b.x0 - a.x1 >= 8.0));
    let whole = texts.iter().any(|t| {
        let n = t.chars().count();
        n >= 4
            && [
                "收入", "支出", "结余", "结转", "合计", "总计", "分配", "资金", "拨款", "预算",
            ]
            .iter()
            .any(|w| t.ends_with(w))
    });
    (texts.len() >= 2 && far_apart) || whole
}

/// Moves the text a row received from the lines around it to the row above that has a
/// label on the same side: text below a row without a label on that side, and any text
/// above a row (a summary's labels wrap downwards only).
fn rehome_wrapped(
    records: &mut [crate::table::Record],
    side_of: impl Fn(Option<usize>) -> Option<usize>,
) {
    for i in 0..records.len() {
        let Some(r) = records.get(i) else { continue };
        let own: Vec<Option<usize>> = r
            .cells
            .iter()
            .filter(|p| !p.figure)
            .map(|p| side_of(p.col))
            .collect();
        // (a summary's labels start at the top of their cells: none wraps upwards)
        let stray_below = |p: &Placed| !p.figure && !own.contains(&side_of(p.col));
        let stray_above = |p: &Placed| !p.figure;
        if !r.below.iter().any(stray_below) && !r.above.iter().any(stray_above) {
            continue;
        }
        let page = r.page;
        let mut moved: Vec<Placed> = Vec::new();
        if let Some(r) = records.get_mut(i) {
            let (below, above) = (std::mem::take(&mut r.below), std::mem::take(&mut r.above));
            for p in above {
                if stray_above(&p) {
                    moved.push(p);
                } else {
                    r.above.push(p);
                }
            }
            for p in below {
                if stray_below(&p) {
                    moved.push(p);
                } else {
                    r.below.push(p);
                }
            }
        }
        for p in moved {
            let side = side_of(p.col);
            let target = (0..i).rev().take(3).find(|&j| {
                records.get(j).is_some_and(|t| {
                    t.page == page && t.cells.iter().any(|q| !q.figure && side_of(q.col) == side)
                })
            });
            match target.and_then(|j| records.get_mut(j)) {
                Some(t) => t.below.push(p),
                None => {
                    if let Some(r) = records.get_mut(i) {
                        r.below.push(p);
                    }
                }
            }
        }
    }
}

/// Reads one summary table.
pub fn read(sec: &Section, unit: MoneyUnit, ctx: &mut Ctx) -> Vec<SummaryLine> {
    let table = sec.kind;
    let blocks = table::read_with(sec, Some(is_item_line));
    let mut out: Vec<SummaryLine> = Vec::new();
    // where each line's label starts, and whether its block is read by geometry
    let mut starts: Vec<Start> = Vec::new();
    let mut row_no = 0;
    let mut last_sides: Option<(Vec<Column>, Vec<SideCols>)> = None;
    let mut warned_repeated = false;
    let mut centred = false;
    for (block_no, block) in blocks.iter().enumerate() {
        let mut block = block.clone();
        let kinds = col_kinds(&block, ctx.period);
        let numbered = kinds.contains(&Col::LineNo);
        table::debug_block(table.as_str(), &block, || {
            kinds.iter().map(|k| format!("{k:?}")).collect()
        });
        let mut sides = sides(&block, &kinds);
        // a page of one side's labels alone (the header on the page before)
        if sides.len() < 2
            && let Some((cols, prev)) = &last_sides
            && cols.len() == block.columns.len()
        {
            sides = prev.clone();
        }
        let first_line = block
            .records
            .first()
            .map(|r| r.line_no)
            .unwrap_or(sec.title_line);
        if sides.is_empty() {
            ctx.warn(
                first_line,
                Some(table),
                WarningCode::UnreadTable,
                format!(
                    "{}: no column of labels found; the table is not read",
                    table.as_str()
                ),
                None,
            );
            continue;
        }
        last_sides = Some((block.columns.clone(), sides.clone()));
        // (a table numbering its lines: its 行次 numbers are no figures, wherever a text's
        // columns put them — counted as figures, they moved a side's figures one column on)
        if numbered {
            for r in &mut block.records {
                for p in r.cells.iter_mut().chain(&mut r.above).chain(&mut r.below) {
                    if p.figure && is_small_int(&p.cell.text) {
                        p.figure = false;
                    }
                }
            }
        }
        // layout text without its PDF: each side's figures by order and spacing
        for (si, (_, label, figs)) in sides.iter().enumerate() {
            let cols: Vec<usize> = figs.iter().map(|(c, _)| *c).collect();
            let from_x = block.columns.get(*label).map(|c| c.x1).unwrap_or(f32::MIN);
            let to_x = sides
                .get(si + 1)
                .and_then(|(_, l, _)| block.columns.get(*l))
                .map(|c| c.x0)
                .unwrap_or(f32::MAX);
            block.realign_text(&cols, from_x, to_x);
        }
        let side_of_col = |col: Option<usize>| -> Option<usize> {
            let c = col?;
            // the side whose label column is the last at or left of the column
            sides.iter().rposition(|(_, l, _)| *l <= c)
        };
        // a label wrapped onto the next line continues the label above it on its side, even
        // when the other side's label stands between them (`二、政府性基金预算财政拨` /
        // `二、外交支出` / `款`)
        rehome_wrapped(&mut block.records, side_of_col);
        // in layout text, a cell belongs to the side of the label printed before it on its
        // line (pages are shifted); in a PDF, to the side its column is in
        let exact = block.exact;
        let side_of = |p: &Placed, line: &[&Placed]| -> Option<usize> {
            if exact || !p.figure {
                return side_of_col(p.col);
            }
            line.iter()
                .filter(|q| !q.figure && q.line_no == p.line_no && q.cell.x1 <= p.cell.x0)
                .max_by(|a, b| a.cell.x1.total_cmp(&b.cell.x1))
                .and_then(|q| side_of_col(q.col))
                .or_else(|| side_of_col(p.col))
        };
        // (a table numbering its lines: a 行次 standing off its column, alone or after the
        // label, is no part of the item's name — `政府性基金预算财政拨款收入 2`, an empty
        // side's `10`)
        let line_no_cell = |t: &str| numbered && is_small_int(t);
        // each record's label and figures on each side; by their columns alone where labels
        // are centred on their figures (the line's label before a figure then is another
        // side's: `1、财政拨款 258596001.79 48615794.92 …` under `1、一般公共服`)
        // (a table is centred once a block of it shows three such labels: its next page may
        // show none, its figures on its labels' first lines)
        let by_columns = collect_entries(&block, &sides, |p, _| side_of_col(p.col), &line_no_cell);
        centred = centred || sandwiches(&by_columns).len() >= 3;
        // (read by geometry, a cell's side is its column's anyway)
        let mut entries = if centred || exact {
            by_columns
        } else {
            collect_entries(&block, &sides, side_of, &line_no_cell)
        };
        if centred {
            centred_labels(&mut entries);
        }
        // a table printing its expenditure by several classifications side by side (西安's
        // 部门综合预算收支总表: 支出功能分科目, 部门预算支出经济科目, 政府预算支出经济分类科目,
        // each with its 本年支出合计) stores the first; the others would count each 支出 again
        let first_expenditure = sides.iter().position(|(s, _, _)| *s == Side::Expenditure);
        let repeated: Vec<usize> = sides
            .iter()
            .enumerate()
            .filter(|(i, (s, _, _))| *s == Side::Expenditure && Some(*i) != first_expenditure)
            .map(|(i, _)| i)
            .collect();
        if !repeated.is_empty() && !warned_repeated {
            warned_repeated = true;
            let label_of = |i: usize| {
                sides
                    .get(i)
                    .and_then(|(_, l, _)| block.columns.get(*l))
                    .map(Column::path)
                    .unwrap_or_default()
            };
            ctx.warn(
                first_line,
                Some(table),
                WarningCode::UnreadTable,
                format!(
                    "{}: the expenditure is printed {} times side by side, by other classifications (`{}`); only the first (`{}`) is stored",
                    table.as_str(),
                    repeated.len() + 1,
                    repeated.iter().map(|&i| label_of(i)).collect::<Vec<_>>().join("`, `"),
                    first_expenditure.map(label_of).unwrap_or_default()
                ),
                None,
            );
        }
        // (a side's columns of figures, its own and another year's, left to right)
        let figure_cols = |si: usize| -> Vec<usize> {
            let from = sides.get(si).map_or(0, |s| s.1);
            let to = sides.get(si + 1).map_or(kinds.len(), |s| s.1);
            (from..to)
                .filter(|c| matches!(kinds.get(*c), Some(Col::Foreign | Col::Fig(_))))
                .collect()
        };
        // (whether a side prints another year's or measure's figures beside its own)
        let has_foreign = |si: usize| {
            figure_cols(si)
                .iter()
                .any(|c| kinds.get(*c) == Some(&Col::Foreign))
        };
        let mut last_rec = usize::MAX;
        for e in entries
            .iter()
            .filter(|e| !e.taken && !repeated.contains(&e.side))
        {
            let Some((side, _, figs)) = sides.get(e.side) else {
                continue;
            };
            let label = e.label.as_str();
            let mut item = clean_text(strip_ordinal(label)).replace(' ', "");
            if numbered {
                let digits = item.bytes().rev().take_while(u8::is_ascii_digit).count();
                if (1..=2).contains(&digits) && digits < item.len() {
                    item.truncate(item.len() - digits);
                }
            }
            if item.is_empty() {
                for p in &e.figs {
                    ctx.warn(
                        e.line_no,
                        Some(table),
                        WarningCode::FigureWithoutLabel,
                        format!(
                            "{}: figure `{}` has no label on its side; it is not stored",
                            table.as_str(),
                            p.cell.text
                        ),
                        Some(&p.cell.text),
                    );
                }
                continue;
            }
            if e.rec != last_rec {
                row_no += 1;
                last_rec = e.rec;
            }
            let mut line =
                SummaryLine::new(table, *side, row_no, item, item_level(label), e.line_no);
            // (layout text printing another year's figures beside the side's own: a line
            // shifts its figures as much as a column apart, so a line with a figure in each
            // of the side's columns has them in order, and one with fewer cannot say which
            // it prints)
            let in_order = (!exact && has_foreign(e.side)).then(|| figure_cols(e.side));
            for (k, p) in e.figs.iter().enumerate() {
                let Some(c) = p.col else { continue };
                let c = match &in_order {
                    Some(cols) if cols.len() == e.figs.len() => cols.get(k).copied().unwrap_or(c),
                    Some(_) => {
                        ctx.warn(
                            e.line_no,
                            Some(table),
                            WarningCode::UnplacedFigure,
                            format!(
                                "{}: `{}` beside `{}` stands on a line printing fewer figures than its side's columns, another year's among them; which column is not certain, so it is not stored",
                                table.as_str(),
                                p.cell.text,
                                line.item_name
                            ),
                            Some(&p.cell.text),
                        );
                        continue;
                    }
                    None => c,
                };
                // (another year's or measure's figures are not the document's own)
                let foreign = kinds.get(c) == Some(&Col::Foreign);
                // (layout text: a side with one figure column takes its figure there, unless
                // it prints another year's figures too, which may stand as near)
                let c = match figs.as_slice() {
                    [(only, _)] if !exact && !foreign && !has_foreign(e.side) => *only,
                    _ => c,
                };
                match figs.iter().find(|(fc, _)| *fc == c).filter(|_| !foreign) {
                    Some((_, f)) => {
                        if f.slot(&mut line).is_none() {
                            let v =
                                ctx.amount(&p.cell.text, unit, e.line_no, table, &line.item_name);
                            *f.slot(&mut line) = v;
                        }
                    }
                    None => {
                        let col = block.columns.get(c).map(Column::path).unwrap_or_default();
                        ctx.warn(
                            e.line_no,
                            Some(table),
                            WarningCode::UnplacedFigure,
                            if foreign {
                                format!(
                                    "{}: `{}` beside `{}` stands under `{col}`, another year's or measure's figures, not the document's own; it is not stored",
                                    table.as_str(),
                                    p.cell.text,
                                    line.item_name,
                                )
                            } else {
                                format!(
                                    "{}: `{}` beside `{}` stands in a column whose meaning is not recognised (`{col}`); it is not stored",
                                    table.as_str(),
                                    p.cell.text,
                                    line.item_name,
                                )
                            },
                            Some(&p.cell.text),
                        );
                    }
                }
            }
            let numbered = {
                let t = budsql_text::normalize_width(label);
                strip_ordinal(t.trim()) != t.trim()
            };
            starts.push(Start {
                x0: e.x0,
                block: block_no,
                exact,
                numbered,
            });
            out.push(line);
        }
    }
    split_one_list(&mut out);
    nest_by_indent(&mut out, &starts);
    nest_parts(&mut out);
    out
}

/// A 收支总表 printed as one list down the page (its income lines, 本年收入合计 and 收入总计,
/// then its expenditure lines, 本年支出合计 and 支出总计, under one label column) reads as
/// one side: the lines after the income's last total, up to the expenditure's, are the
/// expenditure side's (they were stored as income lines).
fn split_one_list(lines: &mut [SummaryLine]) {
    let Some(first) = lines.first().map(|l| l.side) else {
        return;
    };
    if first != Side::Income || lines.iter().any(|l| l.side != first) {
        return;
    }
    let total_of = |l: &SummaryLine, side: &str| {
        let t = l.item_name.replace(' ', "");
        t.contains(side) && (t.contains("合计") || t.contains("总计"))
    };
    let income_end = lines.iter().rposition(|l| total_of(l, "收入"));
    let spending_total = lines.iter().position(|l| total_of(l, "支出"));
    if let (Some(end), Some(total)) = (income_end, spending_total)
        && end < total
    {
        for l in lines.iter_mut().skip(end + 1) {
            l.side = Side::Expenditure;
        }
    }
}

/// A line that gives part of the item above it (`其中：专项资金列入部门预算的项目` under
/// `一般公共预算拨款`) is a level below that item, however it is set: it is no item of
/// its own in any sum of its level.
fn nest_parts(lines: &mut [SummaryLine]) {
    for side in [Side::Income, Side::Expenditure] {
        let mut above: Option<i32> = None;
        for l in lines.iter_mut().filter(|l| l.side == side) {
            let part = budsql_text::normalize_width(&l.item_name)
                .trim()
                .starts_with("其中");
            match above {
                Some(level) if part && l.item_level <= level => l.item_level = level + 1,
                _ if !part => above = Some(l.item_level),
                _ => {}
            }
        }
    }
}

/// One side of one record: its label and its figures.
struct Entry<'a> {
    rec: usize,
    side: usize,
    line_no: usize,
    label: String,
    /// Where in the label a part that opens an item starts, after the first part.
    split: Option<usize>,
    /// Where the label starts (`f32::MAX` without one).
    x0: f32,
    figs: Vec<&'a Placed>,
    /// Joined to the label of a record beside it.
    taken: bool,
}

/// Each record's label and figures on each side, the side of a cell told by `side_of`.
fn collect_entries<'a>(
    block: &'a Block,
    sides: &[SideCols],
    side_of: impl Fn(&Placed, &[&Placed]) -> Option<usize>,
    line_no_cell: &impl Fn(&str) -> bool,
) -> Vec<Entry<'a>> {
    let mut entries: Vec<Entry<'a>> = Vec::new();
    for (k, r) in block.records.iter().enumerate() {
        let cells: Vec<&Placed> = r.above.iter().chain(&r.cells).chain(&r.below).collect();
        for si in 0..sides.len() {
            let parts: Vec<&str> = cells
                .iter()
                .filter(|p| {
                    !p.figure && side_of(p, &cells) == Some(si) && !line_no_cell(&p.cell.text)
                })
                .map(|p| &*p.cell.text)
                .collect();
            let label = parts.concat();
            // (where a later part opens an item: `拨款` / `其中：专项资`)
            let split = parts
                .iter()
                .enumerate()
                .skip(1)
                .find(|(_, t)| opens_item(t))
                .and_then(|(i, _)| parts.get(..i))
                .map(|head| head.iter().map(|t| t.len()).sum());
            let figs: Vec<&Placed> = cells
                .iter()
                .filter(|p| p.figure && side_of(p, &cells) == Some(si))
                .copied()
                .collect();
            let x0 = cells
                .iter()
                .filter(|p| !p.figure && side_of(p, &cells) == Some(si))
                .map(|p| p.cell.x0)
                .fold(f32::MAX, f32::min);
            if label.is_empty() && figs.is_empty() {
                continue;
            }
            entries.push(Entry {
                rec: k,
                side: si,
                line_no: r.line_no,
                label,
                split,
                x0,
                figs,
                taken: false,
            });
        }
    }
    entries
}

fn label_only(e: &Entry<'_>) -> bool {
    !e.taken && !e.label.is_empty() && e.figs.is_empty()
}

/// The entries of `i`'s side just before and just after it, within two records.
fn neighbours(entries: &[Entry<'_>], i: usize) -> (Option<usize>, Option<usize>) {
    let Some(e) = entries.get(i) else {
        return (None, None);
    };
    let near = |j: &usize| {
        entries
            .get(*j)
            .is_some_and(|x| x.side == e.side && x.rec.abs_diff(e.rec) <= 2)
    };
    let before = (0..i)
        .rev()
        .find(|j| entries.get(*j).is_some_and(|x| x.side == e.side));
    let after = (i + 1..entries.len()).find(|j| entries.get(*j).is_some_and(|x| x.side == e.side));
    (before.filter(near), after.filter(near))
}

/// The (above, figures, below) entries of labels centred on their figures' line.
fn sandwiches(entries: &[Entry<'_>]) -> Vec<(usize, usize, usize)> {
    (0..entries.len())
        .filter_map(|i| {
            let e = entries.get(i)?;
            if !e.label.is_empty() || e.figs.is_empty() {
                return None;
            }
            let (Some(a), Some(b)) = neighbours(entries, i) else {
                return None;
            };
            (entries.get(a).is_some_and(label_only)
                && entries
                    .get(b)
                    .is_some_and(|x| label_only(x) && !opens_item(&x.label)))
            .then_some((a, i, b))
        })
        .collect()
}

/// Labels centred on their figures' line, in a table that prints three or more of them
/// on a page (elsewhere a summary's labels start at the top of their cells):
/// - a side's figures with no label on their line take that side's label from the line
///   above and the line below, both without figures, the one below opening no item (西安's
///   `1、一般公共服` / `48615794.92` / `务支出`);
/// - a label line that opens an item starts the label of the figures below it where that
///   one opens none (`其中：专项资` / `金列入部门预算的项 200000000.00`);
/// - a label line left over that opens no item goes on with the labelled figures above it
///   (`8、社会保障和 2190776.93` / `就业支出`).
///
/// Where one record's label runs into the next item's start (`预算拨款` / `其中：专`), the
/// start is a label line of its own.
fn centred_labels(entries: &mut Vec<Entry<'_>>) {
    let mut split: Vec<Entry<'_>> = Vec::with_capacity(entries.len());
    for mut e in entries.drain(..) {
        let tail = e
            .split
            .take()
            .and_then(|at| e.label.split_at_checked(at))
            .map(|(head, tail)| (head.to_string(), tail.to_string()));
        match tail {
            Some((head, tail)) => {
                let rest = Entry {
                    rec: e.rec,
                    side: e.side,
                    line_no: e.line_no,
                    label: tail,
                    split: None,
                    x0: e.x0,
                    figs: Vec::new(),
                    taken: false,
                };
                e.label = head;
                split.push(e);
                split.push(rest);
            }
            None => split.push(e),
        }
    }
    *entries = split;
    for (a, i, b) in sandwiches(entries) {
        // (a label line between two figures' lines goes to the first that claims it)
        if !(entries.get(a).is_some_and(label_only) && entries.get(b).is_some_and(label_only)) {
            continue;
        }
        let (above, x0) = entries
            .get(a)
            .map(|e| (e.label.clone(), e.x0))
            .unwrap_or_default();
        let below = entries.get(b).map(|e| e.label.clone()).unwrap_or_default();
        if let Some(e) = entries.get_mut(i) {
            e.label = format!("{above}{below}");
            e.x0 = x0;
        }
        for j in [a, b] {
            if let Some(e) = entries.get_mut(j) {
                e.taken = true;
            }
        }
    }
    let labelled = |x: &Entry<'_>| !x.taken && !x.label.is_empty() && !x.figs.is_empty();
    for i in 0..entries.len() {
        let Some(e) = entries.get(i) else { continue };
        if !label_only(e) || !opens_item(&e.label) {
            continue;
        }
        let head = e.label.clone();
        let (_, Some(j)) = neighbours(entries, i) else {
            continue;
        };
        if entries
            .get(j)
            .is_some_and(|x| labelled(x) && !opens_item(&x.label))
        {
            if let Some(x) = entries.get_mut(j) {
                x.label.insert_str(0, &head);
            }
            if let Some(e) = entries.get_mut(i) {
                e.taken = true;
            }
        }
    }
    for i in 0..entries.len() {
        let Some(e) = entries.get(i) else { continue };
        if !label_only(e) || opens_item(&e.label) {
            continue;
        }
        let tail = e.label.clone();
        let (Some(j), _) = neighbours(entries, i) else {
            continue;
        };
        if entries.get(j).is_some_and(labelled) {
            if let Some(x) = entries.get_mut(j) {
                x.label.push_str(&tail);
            }
            if let Some(e) = entries.get_mut(i) {
                e.taken = true;
            }
        }
    }
}

/// Whether a label opens an item: it starts with an ordinal (`8、`, `(2)`, `一、`) or says
/// `其中`.
fn opens_item(label: &str) -> bool {
    let t = budsql_text::normalize_width(label.trim());
    strip_ordinal(&t) != t.as_ref() || t.starts_with("其中")
}

/// Levels of unnumbered items by their indent: a label set further right than the item
/// above it is that item's child (`一、一般公共服务支出` / ` 审计事务` / `  行政运行`), one
/// set as far is its sibling. Numbered items keep the level of their numbering and totals
/// and carry-over lines are level 1. Indents are compared within a block, or across the
/// blocks of a table read by geometry (a continuation page keeps its x positions).
/// Where a summary line's label starts.
struct Start {
    x0: f32,
    block: usize,
    /// Read by geometry (a PDF's boxes).
    exact: bool,
    /// Printed with an ordinal (`一、`, `1.`, `(一)`).
    numbered: bool,
}

fn nest_by_indent(lines: &mut [SummaryLine], starts: &[Start]) {
    const TOL: f32 = 0.5;
    for side in [Side::Income, Side::Expenditure] {
        let mut stack: Vec<(f32, i32)> = Vec::new();
        let mut last_block = usize::MAX;
        for (line, st) in lines.iter_mut().zip(starts).filter(|(l, _)| l.side == side) {
            let x0 = &st.x0;
            if st.block != last_block && !st.exact {
                stack.clear();
            }
            last_block = st.block;
            let name = line.item_name.as_str();
            if is_year_total(name) || is_grand_total(name) || name.contains("合计") {
                stack.clear();
                continue;
            }
            if line.item_level > 1 || name.is_empty() || *x0 == f32::MAX {
                // numbered as a sub-item (`1.`, `(一)`): its level stands
                while stack.last().is_some_and(|(_, l)| *l >= line.item_level) {
                    stack.pop();
                }
                stack.push((*x0, line.item_level));
                continue;
            }
            while stack.last().is_some_and(|(x, _)| *x > *x0 + TOL) {
                stack.pop();
            }
            let level = match stack.last() {
                Some((x, l)) if (*x - *x0).abs() <= TOL => *l,
                Some((_, l)) => *l + 1,
                None => 1,
            };
            // (an ordinal `一、` is printed at the left edge: its level is 1 however set)
            let numbered = st.numbered;
            let level = if numbered { 1 } else { level };
            if let Some(top) = stack.last_mut()
                && (top.0 - *x0).abs() <= TOL
            {
                *top = (*x0, level);
            } else {
                if numbered {
                    stack.clear();
                }
                stack.push((*x0, level));
            }
            line.item_level = level;
        }
    }
}
