//! The "三公" table: one row per document in `three_public`.

use budsql_schema::WarningCode;
use budsql_schema::{Decimal, MoneyUnit, TableName, ThreePublic};
use budsql_text::strip_ordinal;

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
    let t = budsql_text::compact_label(label).replace(['"', '“', '”'], "");
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
                        WarningCode::UnknownItem,
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
