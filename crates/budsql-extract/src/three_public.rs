//! The "三公" table: one row per document in `three_public`.

use budsql_schema::{Decimal, MoneyUnit, TableName, ThreePublic};
use budsql_text::{normalize_width, strip_ordinal};

use crate::columns::norm_header;
use crate::ctx::Ctx;
use crate::grid::{Row, Section};

/// Which 三公 figure a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Total,
    Subtotal,
    Outbound,
    Vehicle,
    VehiclePurchase,
    VehicleOperation,
    Reception,
    /// 机关运行经费, printed beside the 三公 in some regions.
    OperatingCosts,
    /// 会议费 and 培训费, printed beside the 三公 in some regions.
    Meeting,
    Training,
    /// A printed sub-item that the view does not carry (e.g. 其中：教学科研人员因公出国(境)费).
    Detail,
}

/// Normalises a 三公 label: full-width forms, no spaces or quotes, no ordinal, no `其中:`.
pub fn norm_label(label: &str) -> (String, bool) {
    let t: String = normalize_width(label)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '“' | '”'))
        .collect();
    let t = strip_ordinal(&t).to_string();
    for p in ["其中:", "其中"] {
        if let Some(rest) = t.strip_prefix(p) {
            // `其中：（一）因公出国（境）支出`
            return (strip_ordinal(rest).to_string(), true);
        }
    }
    (t, false)
}

/// Classifies a 三公 label.
pub fn classify(label: &str) -> Option<Item> {
    let (t, sub) = norm_label(label);
    let t = t.as_str();
    Some(match t {
        "合计" | "总计" => Item::Total,
        _ if t.contains("三公") && (t.contains("小计") || t.contains("合计")) => {
            Item::Subtotal
        }
        _ if t.contains("因公出国") => {
            // the item itself, however its ending is printed; a part of it
            // (`其中：教学科研人员因公出国(境)费`) is a detail
            let own = matches!(
                t,
                "因公出国(境)费"
                    | "因公出国(境)"
                    | "因公出国(境)支出"
                    | "因公出国(境)费用"
                    | "因公出国费"
            );
            let _ = sub;
            if own { Item::Outbound } else { Item::Detail }
        }
        _ if t.contains("公务用车")
            && t.contains("购置")
            && (t.contains("运") || t.contains("及")) =>
        {
            Item::Vehicle
        }
        _ if t.contains("公务用车购置") => Item::VehiclePurchase,
        _ if t.contains("公务用车运行") || t.contains("公务用车运维") => {
            Item::VehicleOperation
        }
        _ if t.contains("公务接待") => Item::Reception,
        _ if t.contains("机关运行经费") => Item::OperatingCosts,
        _ if t.starts_with("会议费") => Item::Meeting,
        _ if t.starts_with("培训费") => Item::Training,
        _ => return None,
    })
}

/// Reads the 三公 table: the 合计 column of each labelled row.
pub fn read(sec: &Section, unit: MoneyUnit, ctx: &mut Ctx) -> ThreePublic {
    let table = TableName::ThreePublic;
    let first_data = sec.rows.iter().position(|r| r.serial().is_some());
    let header: Vec<&Row> = sec
        .rows
        .iter()
        .take(first_data.unwrap_or(sec.rows.len()))
        .collect();
    let width = sec.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let has = |c: usize, w: &str| header.iter().any(|r| norm_header(r.cell(c)).contains(w));
    let label_col = (0..width).find(|&c| has(c, "项目")).unwrap_or(1);
    let total_col = (label_col + 1..width)
        .find(|&c| has(c, "合计") || has(c, "预算数") || has(c, "小计"))
        .unwrap_or(label_col + 1);
    let mut tp = ThreePublic {
        line_no: i32::try_from(sec.title_line).unwrap_or(i32::MAX),
        ..ThreePublic::default()
    };
    let mut subtotal: Option<Decimal> = None;
    for row in sec.rows.iter().filter(|r| r.serial().is_some()) {
        let label = row.cell(label_col);
        let value = ctx.amount(row.cell(total_col), unit, row.line_no, table, label);
        let slot = match classify(label) {
            Some(Item::Total) => &mut tp.total,
            Some(Item::Subtotal) => &mut subtotal,
            Some(Item::Outbound) => &mut tp.outbound,
            Some(Item::Vehicle) => &mut tp.vehicle,
            Some(Item::VehiclePurchase) => &mut tp.vehicle_purchase,
            Some(Item::VehicleOperation) => &mut tp.vehicle_operation,
            Some(Item::Reception) => &mut tp.reception,
            Some(Item::OperatingCosts) => &mut tp.operating_costs,
            Some(Item::Meeting) => &mut tp.meeting,
            Some(Item::Training) => &mut tp.training,
            Some(Item::Detail) => continue,
            None => {
                if value.is_some() {
                    ctx.warn(
                        row.line_no,
                        Some(table),
                        "unknown_item",
                        format!("three_public: the row `{label}` is not a known 三公 item; its figure is not stored"),
                        Some(label),
                    );
                }
                continue;
            }
        };
        *slot = value;
    }
    if tp.total.is_none() {
        tp.total = subtotal;
    }
    tp
}

/// A 三公 column header printed across the page (`合计 因公出国(境)费 公务接待费 小计 购置费
/// 运行费`): which figure it names. Short forms count only inside the 三公 table.
fn column_item(header: &str) -> Option<Item> {
    let (t, _) = norm_label(header);
    Some(match t.as_str() {
        "合计" | "总计" => Item::Total,
        "小计" => Item::Vehicle,
        "购置费" | "购置" => Item::VehiclePurchase,
        "运行费" | "运行维护费" | "运维费" => Item::VehicleOperation,
        _ => match classify(&t)? {
            Item::Subtotal => Item::Total,
            other => other,
        },
    })
}

/// Reads a 三公 table printed in the space-aligned form: either one row per item
/// (label and figures) or the figures in one row under column headers.
pub fn read_positioned(sec: &Section, unit: MoneyUnit, ctx: &mut Ctx) -> ThreePublic {
    let table = TableName::ThreePublic;
    let mut tp = ThreePublic {
        line_no: i32::try_from(sec.title_line).unwrap_or(i32::MAX),
        ..ThreePublic::default()
    };
    let is_fig = |s: &str| budsql_text::parse_number(s).is_some() || budsql_text::is_nil_mark(s);
    let row_wise = sec.rows.iter().any(|r| {
        !is_fig(r.cell(0))
            && classify(r.cell(0)).is_some()
            && r.cells.iter().skip(1).any(|c| is_fig(c))
    });
    let set = |tp: &mut ThreePublic, item: Item, v| {
        let slot = match item {
            Item::Total | Item::Subtotal => &mut tp.total,
            Item::Outbound => &mut tp.outbound,
            Item::Vehicle => &mut tp.vehicle,
            Item::VehiclePurchase => &mut tp.vehicle_purchase,
            Item::VehicleOperation => &mut tp.vehicle_operation,
            Item::Reception => &mut tp.reception,
            Item::OperatingCosts => &mut tp.operating_costs,
            Item::Meeting => &mut tp.meeting,
            Item::Training => &mut tp.training,
            Item::Detail => return,
        };
        if slot.is_none() {
            *slot = v;
        }
    };
    if row_wise {
        for row in &sec.rows {
            let label = row.cell(0);
            let Some(item) = classify(label) else {
                continue;
            };
            if let Some(fig) = row.cells.iter().skip(1).find(|c| is_fig(c)) {
                let v = ctx.amount(fig, unit, row.line_no, table, label);
                set(&mut tp, item, v);
            }
        }
        return tp;
    }
    // 决算 tables print a 预算数 | 决算数 pair under every item
    let pairs = sec
        .rows
        .iter()
        .flat_map(|r| r.cells.iter())
        .flat_map(|c| c.split_whitespace())
        .filter(|w| w.contains("决算数"))
        .count();
    if pairs >= 2 {
        read_pairs(sec, unit, ctx, &mut tp);
        return tp;
    }
    // columnar: headers with positions, then a row of figures
    let mut headers: Vec<(usize, usize, Item)> = Vec::new();
    let mut figures: Option<&Row> = None;
    for row in &sec.rows {
        if row.cells.iter().all(|c| is_fig(c)) {
            figures.get_or_insert(row);
            continue;
        }
        for (c, p) in row.cells.iter().zip(&row.pos) {
            if let Some(item) = column_item(c) {
                headers.push((p.0, p.1, item));
            }
        }
    }
    // a label split over lines (`2023年机关运行经` / `费预算数`): the cells stacked in one
    // column read together
    let header_rows: Vec<&Row> = sec
        .rows
        .iter()
        .filter(|r| !r.cells.iter().all(|c| is_fig(c)))
        .collect();
    for c in crate::columns::header_clusters(&header_rows) {
        let taken = headers.iter().any(|h| h.0 < c.end && c.start < h.1);
        if !taken && let Some(item) = column_item(&c.whole) {
            headers.push((c.start, c.end, item));
        }
    }
    let Some(figs) = figures else { return tp };
    headers.sort_by_key(|h| h.0);
    let spans: Vec<(usize, usize)> = headers.iter().map(|h| (h.0, h.1)).collect();
    // a figure far from every known header stays unplaced, and is reported
    let placed = crate::align::align(&figs.pos, &spans, 12);
    for (c, p) in figs.cells.iter().zip(placed) {
        if let Some(h) = p.and_then(|i| headers.get(i)) {
            let v = ctx.amount(c, unit, figs.line_no, table, "三公");
            set(&mut tp, h.2, v);
        } else {
            ctx.warn(
                figs.line_no,
                Some(table),
                "unplaced_figure",
                format!("three_public: `{c}` stands under no recognised column; it is not stored"),
                Some(c),
            );
        }
    }
    tp
}

/// Words of a positioned row with their (start, end) positions: a cell of words one space
/// apart (`预算数 决算数`) gives one word each.
fn words(row: &Row) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    for (k, t) in row.cells.iter().enumerate() {
        let Some(&(s, _)) = row.pos.get(k) else {
            continue;
        };
        let mut at = s;
        for w in t.split(' ') {
            let n = w.chars().count();
            if n > 0 {
                out.push((at, at + n, w));
            }
            at += n + 1;
        }
    }
    out
}

/// The 决算 三公 table: items across the page, a 预算数 | 决算数 pair under each, and one
/// row of figures. Each figure is placed under the nearest 预算数/决算数 label; each pair
/// takes the item whose lowest header stands over it.
fn read_pairs(sec: &Section, unit: MoneyUnit, ctx: &mut Ctx, tp: &mut ThreePublic) {
    let table = TableName::ThreePublic;
    let is_fig = |s: &str| budsql_text::parse_number(s).is_some() || budsql_text::is_nil_mark(s);
    let unread = |ctx: &mut Ctx, why: &str| {
        let figures = sec
            .rows
            .iter()
            .find(|r| !r.cells.is_empty() && r.cells.iter().all(|c| is_fig(c)));
        if let Some(r) = figures {
            ctx.warn(
                r.line_no,
                Some(table),
                "unread_table",
                format!("three_public: {why}; the 预算数/决算数 figures are not stored"),
                Some(&r.cells.join(" ")),
            );
        }
    };
    let Some(label_at) = sec.rows.iter().position(|r| {
        words(r)
            .iter()
            .filter(|w| w.2.contains("预算数") || w.2.contains("决算数"))
            .count()
            >= 2
    }) else {
        unread(ctx, "the 预算数/决算数 labels have no positions");
        return;
    };
    let Some(label_row) = sec.rows.get(label_at) else {
        return;
    };
    // (start, end, is_budget) by position
    let labels: Vec<(usize, usize, bool)> = words(label_row)
        .into_iter()
        .filter_map(|(s, e, w)| {
            if w.contains("决算数") {
                Some((s, e, false))
            } else if w.contains("预算数") {
                Some((s, e, true))
            } else {
                None
            }
        })
        .collect();
    let pair_spans: Vec<(usize, usize)> = labels
        .chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| {
            let s = c.iter().map(|l| l.0).min().unwrap_or(0);
            let e = c.iter().map(|l| l.1).max().unwrap_or(0);
            (s, e)
        })
        .collect();
    // the item over each pair: the lowest header word overlapping it
    let mut items: Vec<Option<Item>> = vec![None; pair_spans.len()];
    let mut depth: Vec<usize> = vec![0; pair_spans.len()];
    for (ri, row) in sec.rows.iter().enumerate().take(label_at) {
        for (s, e, w) in words(row) {
            let Some(item) = column_item(w) else { continue };
            for (k, (ps, pe)) in pair_spans.iter().enumerate() {
                if s < *pe
                    && *ps < e
                    && let (Some(slot), Some(d)) = (items.get_mut(k), depth.get_mut(k))
                    && (slot.is_none() || ri + 1 >= *d)
                {
                    *slot = Some(item);
                    *d = ri + 1;
                }
            }
        }
    }
    let mut distinct: Vec<Item> = items.iter().flatten().copied().collect();
    distinct.sort_by_key(|i| *i as u8);
    distinct.dedup();
    if items.iter().any(Option::is_none) || distinct.len() != items.len() {
        // the headers do not name every pair once: the standard order, when complete
        const ORDER: [Item; 6] = [
            Item::Total,
            Item::Outbound,
            Item::Vehicle,
            Item::VehiclePurchase,
            Item::VehicleOperation,
            Item::Reception,
        ];
        if pair_spans.len() != ORDER.len() {
            unread(
                ctx,
                &format!(
                    "{} 预算数/决算数 pair(s) whose items the headers do not name",
                    pair_spans.len()
                ),
            );
            return;
        }
        items = ORDER.iter().map(|i| Some(*i)).collect();
    }
    let Some(figs) = sec
        .rows
        .iter()
        .skip(label_at + 1)
        .find(|r| !r.cells.is_empty() && r.cells.iter().all(|c| is_fig(c)))
    else {
        return;
    };
    let spans: Vec<(usize, usize)> = labels.iter().map(|l| (l.0, l.1)).collect();
    let placed = crate::align::align(&figs.pos, &spans, 8);
    for (cell, p) in figs.cells.iter().zip(placed) {
        let Some(k) = p else {
            ctx.warn(
                figs.line_no,
                Some(table),
                "unplaced_figure",
                format!(
                    "three_public: `{cell}` stands under no 预算数/决算数 label; it is not stored"
                ),
                Some(cell),
            );
            continue;
        };
        let (Some(label), Some(Some(item))) = (labels.get(k), items.get(k / 2)) else {
            continue;
        };
        let v = ctx.amount(
            cell,
            unit,
            figs.line_no,
            table,
            if label.2 { "预算数" } else { "决算数" },
        );
        let slot = match (item, label.2) {
            (Item::Total | Item::Subtotal, false) => &mut tp.total,
            (Item::Outbound, false) => &mut tp.outbound,
            (Item::Vehicle, false) => &mut tp.vehicle,
            (Item::VehiclePurchase, false) => &mut tp.vehicle_purchase,
            (Item::VehicleOperation, false) => &mut tp.vehicle_operation,
            (Item::Reception, false) => &mut tp.reception,
            (Item::Total | Item::Subtotal, true) => &mut tp.budget_total,
            (Item::Outbound, true) => &mut tp.budget_outbound,
            (Item::Vehicle, true) => &mut tp.budget_vehicle,
            (Item::VehiclePurchase, true) => &mut tp.budget_vehicle_purchase,
            (Item::VehicleOperation, true) => &mut tp.budget_vehicle_operation,
            (Item::Reception, true) => &mut tp.budget_reception,
            (Item::OperatingCosts, false) => &mut tp.operating_costs,
            (Item::Meeting, false) => &mut tp.meeting,
            (Item::Training, false) => &mut tp.training,
            (Item::OperatingCosts | Item::Meeting | Item::Training, true) => continue,
            (Item::Detail, _) => continue,
        };
        *slot = v;
    }
}
