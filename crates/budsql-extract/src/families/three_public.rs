//! The "三公" family (`three_public`), read from the shared table stages as a matrix:
//! every figure stands at a row and a column, and between them they say which item it is
//! (合计, 因公出国(境)费, 公务用车购置及运行维护费 and its 购置 and 运行 parts, 公务接待费, and the
//! 机关运行经费, 会议费, 培训费 printed beside them) and what it measures (the year's figure, the
//! 预算数 or 决算数 of a final account, last year's). So one reader takes the items across
//! the page in one row, down the page in a list, in 预算数/决算数 column groups or rows, in
//! rows per year, or per funding source (where the 一般公共预算 figure is the 三公's).

use budsql_schema::WarningCode;
use budsql_schema::{Decimal, DocKind, MoneyUnit, TableName, ThreePublic};

use crate::ctx::Ctx;
use crate::grid::Section;
use crate::table::{self, Block, Placed};
use crate::three_public::{Item, classify, norm_label};

/// What a figure measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    /// The document's own figure (the budget's 预算数, the final account's 决算数).
    Own,
    /// A final account's 预算数.
    Budget,
    /// Last year's figure.
    Prior,
    /// A change, or another year: not stored.
    Skip,
}

/// The item a label path names, innermost first: `公务用车购置及运行维护费/小计` is the
/// vehicle subtotal, `三公经费/小计` the total.
fn item_of(path: &[String]) -> Option<Item> {
    let mut subtotal = false;
    for part in path.iter().rev() {
        let (t, _) = norm_label(part);
        if matches!(t.as_str(), "小计" | "合计" | "总计") {
            subtotal = true;
            continue;
        }
        match classify(part).or_else(|| short_item(&t)) {
            Some(Item::Subtotal) => return Some(Item::Total),
            Some(Item::Detail) => return Some(Item::Detail),
            Some(i) => return Some(i),
            None => {}
        }
        if t.contains("三公") && t.chars().count() <= 16 && !t.contains("说明") {
            return Some(Item::Total);
        }
    }
    subtotal.then_some(Item::Total)
}

/// Short column labels that only mean an item inside the 三公 table.
fn short_item(t: &str) -> Option<Item> {
    Some(match t {
        "购置费" | "购置" | "公务用车购置" => Item::VehiclePurchase,
        "运行费" | "运行维护费" | "运维费" | "运行维护" => Item::VehicleOperation,
        _ => return None,
    })
}

/// What a label (a row's or a column's) says the figures measure, for a document of `kind`
/// and `year`; `None` where it says nothing of it.
fn measure_of(label: &str, kind: DocKind, year: i32) -> Option<Measure> {
    let t: String = budsql_text::compact_label(label);
    if t.contains("增减") || t.contains("变动") || t.contains("增长") || t.contains("比上年")
    {
        return Some(Measure::Skip);
    }
    if let Some((y, _)) = crate::identity::year_in(&t) {
        return Some(if y == i64::from(year) {
            Measure::Own
        } else if y + 1 == i64::from(year) {
            Measure::Prior
        } else {
            Measure::Skip
        });
    }
    let budget = (t.contains("预算") && !t.contains("一般公共预算") && !t.contains("(决)"))
        || t.contains("年初");
    let final_ = t.contains("决算") || t.contains("实际") || t.contains("执行");
    match (budget, final_) {
        (true, false) => Some(if kind == DocKind::Final {
            Measure::Budget
        } else {
            Measure::Own
        }),
        (false, true) => Some(Measure::Own),
        _ => None,
    }
}

/// Whether a label names a funding source other than the 一般公共预算 (政府性基金,
/// 国有资本经营): the 三公 are the general budget's.
fn other_fund(label: &str) -> bool {
    label.contains("政府性基金") || label.contains("国有资本")
}

/// Reads the 三公 table.
pub fn read(
    sec: &Section,
    unit: MoneyUnit,
    kind: DocKind,
    year: i32,
    ctx: &mut Ctx,
) -> ThreePublic {
    let table = TableName::ThreePublic;
    let mut tp = ThreePublic {
        line_no: i32::try_from(sec.title_line).unwrap_or(i32::MAX),
        ..ThreePublic::default()
    };
    for block in table::read(sec) {
        table::debug_block(table.as_str(), &block, Vec::new);
        if !read_pairs(&block, unit, kind, ctx, &mut tp) {
            read_block(&block, unit, kind, year, ctx, &mut tp);
        }
    }
    tp
}

fn measure_word(t: &str) -> Option<Measure> {
    let (t, _) = norm_label(t);
    match t.as_str() {
        "预算数" | "预算" | "年初预算数" | "全年预算数" => Some(Measure::Budget),
        "决算数" | "决算" | "实际支出数" | "执行数" => Some(Measure::Own),
        _ => None,
    }
}

/// A final account prints each item's 预算数 and 决算数 side by side, under item labels that
/// a narrow layout stacks at different heights: the header's measure words, read left to
/// right, pair up (预算数, 决算数), and the items, read left to right among the header's item
/// labels that have no item label under them, name the pairs in order. Each figure is then
/// the item and measure of the nearest measure word. Returns whether the table is printed
/// so.
fn read_pairs(
    block: &Block,
    unit: MoneyUnit,
    kind: DocKind,
    ctx: &mut Ctx,
    tp: &mut ThreePublic,
) -> bool {
    struct Tok {
        text: String,
        x0: f32,
        x1: f32,
        line: usize,
    }
    let toks: Vec<Tok> = block
        .header
        .iter()
        .enumerate()
        .flat_map(|(li, l)| {
            l.cells.iter().flat_map(move |c| {
                // (layout text sets words of one line a space apart: one token each)
                let words: Vec<&str> = if l.exact {
                    vec![&*c.text]
                } else {
                    c.text.split(' ').collect()
                };
                let n = words.len().max(1) as f32;
                let w = (c.x1 - c.x0) / n;
                words
                    .into_iter()
                    .enumerate()
                    .filter(|(_, t)| !t.trim().is_empty())
                    .map(move |(k, t)| Tok {
                        text: t.to_string(),
                        x0: c.x0 + w * k as f32,
                        x1: c.x0 + w * (k + 1) as f32,
                        line: li,
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut measures: Vec<(&Tok, Measure)> = toks
        .iter()
        .filter_map(|t| measure_word(&t.text).map(|m| (t, m)))
        .collect();
    measures.sort_by(|a, b| a.0.x0.total_cmp(&b.0.x0));
    let alternating = measures.len() >= 4
        && measures.len().is_multiple_of(2)
        && measures
            .chunks(2)
            .all(|p| matches!(p, [(_, Measure::Budget), (_, Measure::Own)]));
    if kind != DocKind::Final || !alternating {
        return false;
    }
    let table = TableName::ThreePublic;
    // item labels: those naming an item (a `小计` or `合计` by itself too), not a measure
    let is_item_word = |t: &str| {
        let (n, _) = norm_label(t);
        measure_word(t).is_none()
            && (matches!(n.as_str(), "小计" | "合计" | "总计")
                || item_of(&[t.to_string()]).is_some_and(|i| !matches!(i, Item::Detail)))
            && !(n.contains("三公") && !n.contains("合计") && !n.contains("小计"))
    };
    let items: Vec<&Tok> = toks.iter().filter(|t| is_item_word(&t.text)).collect();
    let overlaps = |a: &Tok, b: &Tok| a.x0 < b.x1 + 1.0 && b.x0 < a.x1 + 1.0;
    // the lowest: no other item label below overlapping it
    let mut leaves: Vec<&&Tok> = items
        .iter()
        .filter(|t| !items.iter().any(|u| u.line > t.line && overlaps(t, u)))
        .collect();
    leaves.sort_by(|a, b| ((a.x0 + a.x1) / 2.0).total_cmp(&((b.x0 + b.x1) / 2.0)));
    let pairs = measures.len() / 2;
    if leaves.len() != pairs {
        ctx.warn(
            block.records.first().map(|r| r.line_no).unwrap_or(0),
            Some(table),
            WarningCode::UnreadTable,
            format!(
                "three_public: {pairs} 预算数/决算数 pairs but {} item labels over them; which item each pair is is not certain, so the table is not read",
                leaves.len()
            ),
            None,
        );
        return true;
    }
    // each item's path: the item labels above it or above its two measure words (a `小计`
    // printed left of its group's label, `公务用车购置及运行费` over the 小计's columns, is
    // that group's subtotal)
    let paths: Vec<Vec<String>> = leaves
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let (mut x0, mut x1) = (t.x0, t.x1);
            for (m, _) in measures.iter().skip(2 * k).take(2) {
                x0 = x0.min(m.x0);
                x1 = x1.max(m.x1);
            }
            let span = Tok {
                text: String::new(),
                x0,
                x1,
                line: t.line,
            };
            let mut above: Vec<&&Tok> = items
                .iter()
                .filter(|u| u.line < t.line && overlaps(&span, u))
                .collect();
            above.sort_by_key(|u| u.line);
            above
                .iter()
                .map(|u| u.text.clone())
                .chain(std::iter::once(t.text.clone()))
                .collect()
        })
        .collect();
    for r in &block.records {
        for p in r
            .above
            .iter()
            .chain(&r.cells)
            .chain(&r.below)
            .filter(|p| p.figure)
        {
            // the nearest measure word left of the figure's right edge
            let Some(k) = measures
                .iter()
                .rposition(|(m, _)| (m.x0 + m.x1) / 2.0 <= p.cell.x1 + 1.0)
            else {
                continue;
            };
            let Some((_, measure)) = measures.get(k) else {
                continue;
            };
            let Some(item) = paths.get(k / 2).and_then(|path| item_of(path)) else {
                continue;
            };
            let slot = match (measure, item) {
                (Measure::Own, Item::Total | Item::Subtotal) => &mut tp.total,
                (Measure::Own, Item::Outbound) => &mut tp.outbound,
                (Measure::Own, Item::Vehicle) => &mut tp.vehicle,
                (Measure::Own, Item::VehiclePurchase) => &mut tp.vehicle_purchase,
                (Measure::Own, Item::VehicleOperation) => &mut tp.vehicle_operation,
                (Measure::Own, Item::Reception) => &mut tp.reception,
                (Measure::Own, Item::Meeting) => &mut tp.meeting,
                (Measure::Own, Item::Training) => &mut tp.training,
                (Measure::Budget, Item::Total | Item::Subtotal) => &mut tp.budget_total,
                (Measure::Budget, Item::Outbound) => &mut tp.budget_outbound,
                (Measure::Budget, Item::Vehicle) => &mut tp.budget_vehicle,
                (Measure::Budget, Item::VehiclePurchase) => &mut tp.budget_vehicle_purchase,
                (Measure::Budget, Item::VehicleOperation) => &mut tp.budget_vehicle_operation,
                (Measure::Budget, Item::Reception) => &mut tp.budget_reception,
                _ => continue,
            };
            if slot.is_none() {
                *slot = ctx.amount(&p.cell.text, unit, r.line_no, table, "三公");
            }
        }
    }
    true
}

/// The figures of one row, with the label path of each one's column.
struct Cell<'a> {
    placed: &'a Placed,
    path: Vec<String>,
}

fn read_block(
    block: &Block,
    unit: MoneyUnit,
    kind: DocKind,
    year: i32,
    ctx: &mut Ctx,
    tp: &mut ThreePublic,
) {
    let table = TableName::ThreePublic;
    let path_of = |c: Option<usize>| -> Vec<String> {
        c.and_then(|c| block.columns.get(c))
            .map(|col| {
                let mut p = col.groups.clone();
                if !col.label.is_empty() {
                    p.push(col.label.clone());
                }
                p
            })
            .unwrap_or_default()
    };
    // each row: its label (the text before its first figure) and its figures
    struct RowView<'a> {
        line_no: usize,
        label: String,
        figures: Vec<Cell<'a>>,
    }
    let rows: Vec<RowView<'_>> = block
        .records
        .iter()
        .map(|r| {
            let cells: Vec<&Placed> = r.above.iter().chain(&r.cells).chain(&r.below).collect();
            let first_fig = cells
                .iter()
                .filter(|p| p.figure)
                .map(|p| p.cell.x0)
                .fold(f32::MAX, f32::min);
            let mut text: Vec<&&Placed> = cells
                .iter()
                .filter(|p| !p.figure && p.cell.x0 < first_fig)
                .collect();
            text.sort_by(|a, b| {
                a.line_no
                    .cmp(&b.line_no)
                    .then(a.cell.x0.total_cmp(&b.cell.x0))
            });
            RowView {
                line_no: r.line_no,
                label: text.iter().map(|p| &*p.cell.text).collect(),
                figures: cells
                    .iter()
                    .filter(|p| p.figure)
                    .map(|p| Cell {
                        placed: p,
                        path: path_of(p.col),
                    })
                    .collect(),
            }
        })
        .filter(|r| !r.figures.is_empty() || !r.label.is_empty())
        .collect();
    // (a `合计` row alone does not make a list: the units' totals row of a table with the
    // items across the page is one too)
    let list = rows.iter().any(|r| {
        !r.label.is_empty()
            && !r.figures.is_empty()
            && item_of(std::slice::from_ref(&r.label))
                .is_some_and(|i| !matches!(i, Item::Total | Item::Subtotal))
    });
    let mut assign = |item: Item, measure: Measure, p: &Placed, line_no: usize, ctx: &mut Ctx| {
        let slot: Option<&mut Option<Decimal>> = match (measure, item) {
            (Measure::Skip, _) | (_, Item::Detail) => None,
            (Measure::Own, Item::Total | Item::Subtotal) => Some(&mut tp.total),
            (Measure::Own, Item::Outbound) => Some(&mut tp.outbound),
            (Measure::Own, Item::Vehicle) => Some(&mut tp.vehicle),
            (Measure::Own, Item::VehiclePurchase) => Some(&mut tp.vehicle_purchase),
            (Measure::Own, Item::VehicleOperation) => Some(&mut tp.vehicle_operation),
            (Measure::Own, Item::Reception) => Some(&mut tp.reception),
            (Measure::Own, Item::OperatingCosts) => Some(&mut tp.operating_costs),
            (Measure::Own, Item::Meeting) => Some(&mut tp.meeting),
            (Measure::Own, Item::Training) => Some(&mut tp.training),
            (Measure::Budget, Item::Total | Item::Subtotal) => Some(&mut tp.budget_total),
            (Measure::Budget, Item::Outbound) => Some(&mut tp.budget_outbound),
            (Measure::Budget, Item::Vehicle) => Some(&mut tp.budget_vehicle),
            (Measure::Budget, Item::VehiclePurchase) => Some(&mut tp.budget_vehicle_purchase),
            (Measure::Budget, Item::VehicleOperation) => Some(&mut tp.budget_vehicle_operation),
            (Measure::Budget, Item::Reception) => Some(&mut tp.budget_reception),
            (Measure::Prior, Item::Total | Item::Subtotal) => Some(&mut tp.prior_total),
            (Measure::Prior, Item::Outbound) => Some(&mut tp.prior_outbound),
            (Measure::Prior, Item::Vehicle) => Some(&mut tp.prior_vehicle),
            (Measure::Prior, Item::VehiclePurchase) => Some(&mut tp.prior_vehicle_purchase),
            (Measure::Prior, Item::VehicleOperation) => Some(&mut tp.prior_vehicle_operation),
            (Measure::Prior, Item::Reception) => Some(&mut tp.prior_reception),
            (_, Item::OperatingCosts | Item::Meeting | Item::Training) => None,
        };
        let Some(slot) = slot else { return };
        let v = ctx.amount(&p.cell.text, unit, line_no, table, "三公");
        match slot {
            None => *slot = v,
            Some(old) if v.is_some_and(|v| v != *old) => ctx.warn(
                line_no,
                Some(table),
                WarningCode::ConflictingFigure,
                format!(
                    "three_public: `{}` is printed for a figure already read as {}; the first is kept",
                    p.cell.text,
                    old.normalize()
                ),
                Some(&p.cell.text),
            ),
            Some(_) => {}
        }
    };
    if list {
        // items down the page: each row's label names its item; its figure is in the
        // column of the total (合计, 预算数 or the 一般公共预算's), or per measure where the
        // columns are 预算数 and 决算数
        for r in &rows {
            let Some(item) = item_of(std::slice::from_ref(&r.label)) else {
                if !r.figures.is_empty() && !r.label.contains("行政经费") && !r.label.is_empty()
                {
                    ctx.warn(
                        r.line_no,
                        Some(table),
                        WarningCode::UnknownItem,
                        format!(
                            "three_public: the row `{}` is not a known 三公 item; its figures are not stored",
                            r.label
                        ),
                        Some(&r.label),
                    );
                }
                continue;
            };
            let mut taken: Vec<Measure> = Vec::new();
            for c in &r.figures {
                let path = c.path.join("/");
                if other_fund(&path) {
                    continue;
                }
                let m = measure_of(&path, kind, year).unwrap_or(Measure::Own);
                // the first figure column of each measure (合计 before 一般公共预算)
                if taken.contains(&m) {
                    continue;
                }
                taken.push(m);
                assign(item, m, c.placed, r.line_no, ctx);
            }
        }
        return;
    }
    // items across the page: each column's path names its item; the row says the measure
    // (a year, 预算数 / 决算数) or is the total of the units listed (合计)
    let measured: Vec<(&RowView<'_>, Option<Measure>)> = rows
        .iter()
        .filter(|r| !r.figures.is_empty())
        .map(|r| (r, measure_of(&r.label, kind, year)))
        .collect();
    let chosen: Vec<&(&RowView<'_>, Option<Measure>)> = if measured.iter().any(|(_, m)| m.is_some())
    {
        measured.iter().filter(|(_, m)| m.is_some()).collect()
    } else if measured.len() == 1 {
        measured.iter().collect()
    } else {
        // several rows (a department's units): the 合计 row
        // (a row labelled so, else the one row with no label)
        let labelled = |empty: bool| -> Vec<_> {
            measured
                .iter()
                .filter(|(r, _)| {
                    let (t, _) = norm_label(&r.label);
                    if empty {
                        t.is_empty()
                    } else {
                        matches!(t.as_str(), "合计" | "总计" | "小计")
                    }
                })
                .collect()
        };
        let named = labelled(false);
        let totals = if named.is_empty() {
            labelled(true)
        } else {
            named
        };
        if totals.len() == 1 {
            totals
        } else {
            if let Some((r, _)) = measured.first() {
                ctx.warn(
                    r.line_no,
                    Some(table),
                    WarningCode::UnreadTable,
                    format!(
                        "three_public: {} rows of figures and none is the 合计 or names a year, 预算数 or 决算数; which is the document's is not certain, so none is stored",
                        measured.len()
                    ),
                    None,
                );
            }
            Vec::new()
        }
    };
    // a table printing one measure only (a final account's 三公 table headed `预算数`
    // with no 决算数 beside it) prints the document's own figures
    let both = {
        let ms: Vec<Measure> = chosen
            .iter()
            .flat_map(|(r, m)| {
                r.figures
                    .iter()
                    .filter_map(|c| measure_of(&c.path.join("/"), kind, year))
                    .chain(*m)
            })
            .collect();
        ms.contains(&Measure::Budget) && ms.contains(&Measure::Own)
    };
    for (r, m) in chosen {
        let measure_at = |c: &Cell<'_>| match measure_of(&c.path.join("/"), kind, year)
            .or(*m)
            .unwrap_or(Measure::Own)
        {
            Measure::Budget if !both => Measure::Own,
            m => m,
        };
        // a 合计 beside a 小计 of the same measure, with 会议费 or 培训费 columns: the 合计
        // counts those too (`合计 = 小计 + 会议费 + 培训费`), the 小计 is the 三公 total
        let grand = |c: &Cell<'_>| {
            let innermost = c.path.last().map(|l| norm_label(l).0);
            if !matches!(innermost.as_deref(), Some("合计" | "总计")) {
                return false;
            }
            let m = measure_at(c);
            let same = |o: &&Cell<'_>| !other_fund(&o.path.join("/")) && measure_at(o) == m;
            let subtotal = r.figures.iter().filter(same).any(|o| {
                o.path.last().map(|l| norm_label(l).0).as_deref() == Some("小计")
                    && item_of(&o.path) == Some(Item::Total)
            });
            let extras = r
                .figures
                .iter()
                .filter(same)
                .any(|o| matches!(item_of(&o.path), Some(Item::Meeting | Item::Training)));
            subtotal && extras
        };
        // a bare 小计 beside the 三公's 合计, in a table whose 公务用车 parts have columns but
        // whose 公务用车购置及运行费 has none: the 小计 is that group's, its label set apart
        // from it (国家信访局's and 杭州's texts put `小计` left of the group's label)
        let vehicle_subtotal = |c: &Cell<'_>| {
            // (under no label naming an item: a measure's, `2026 年预算数`, at most)
            let bare = c.path.split_last().is_some_and(|(leaf, above)| {
                norm_label(leaf).0 == "小计" && item_of(above).is_none()
            });
            let items: Vec<Option<Item>> = r.figures.iter().map(|o| item_of(&o.path)).collect();
            bare && !items.contains(&Some(Item::Vehicle))
                && !items
                    .iter()
                    .any(|i| matches!(i, Some(Item::Meeting | Item::Training)))
                && items
                    .iter()
                    .any(|i| matches!(i, Some(Item::VehiclePurchase | Item::VehicleOperation)))
                && r.figures.iter().any(|o| {
                    !std::ptr::eq(o, c)
                        && item_of(&o.path) == Some(Item::Total)
                        && measure_at(o) == measure_at(c)
                })
        };
        for c in &r.figures {
            let path = c.path.join("/");
            if other_fund(&path) || grand(c) {
                continue;
            }
            let item = if vehicle_subtotal(c) {
                Some(Item::Vehicle)
            } else {
                item_of(&c.path)
            };
            let Some(item) = item else {
                if !c.placed.cell.text.trim().is_empty()
                    && !c
                        .path
                        .iter()
                        .any(|p| p.contains("行次") || p.contains("栏次"))
                {
                    ctx.warn(
                        r.line_no,
                        Some(table),
                        WarningCode::UnmappedColumn,
                        format!(
                            "three_public: `{}` stands under `{}`, which names no 三公 item; it is not stored",
                            c.placed.cell.text,
                            if path.is_empty() { "(no header)" } else { &path }
                        ),
                        Some(&c.placed.cell.text),
                    );
                }
                continue;
            };
            assign(item, measure_at(c), c.placed, r.line_no, ctx);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn items_and_measures() {
        assert_eq!(
            item_of(&path(&["公务用车购置及运行维护费", "小计"])),
            Some(Item::Vehicle)
        );
        assert_eq!(
            item_of(&path(&["三公经费预（决）算数（财政拨款）", "小计"])),
            Some(Item::Total)
        );
        assert_eq!(item_of(&path(&["预算数", "合计"])), Some(Item::Total));
        assert_eq!(
            item_of(&path(&["公务用车购置及运行费", "公务用车购置费"])),
            Some(Item::VehiclePurchase)
        );
        assert_eq!(item_of(&path(&["“三公”经费合计"])), Some(Item::Total));
        assert_eq!(item_of(&path(&["总计", "一般公共预算"])), Some(Item::Total));
        assert_eq!(item_of(&path(&["栏次"])), None);
        assert_eq!(
            measure_of("2026 年", DocKind::Budget, 2026),
            Some(Measure::Own)
        );
        assert_eq!(
            measure_of("2025 年", DocKind::Budget, 2026),
            Some(Measure::Prior)
        );
        assert_eq!(
            measure_of("增减变化金额", DocKind::Budget, 2026),
            Some(Measure::Skip)
        );
        assert_eq!(
            measure_of("预算数", DocKind::Final, 2022),
            Some(Measure::Budget)
        );
        assert_eq!(
            measure_of("决算数", DocKind::Final, 2022),
            Some(Measure::Own)
        );
        assert_eq!(measure_of("一般公共预算", DocKind::Budget, 2026), None);
    }
}
