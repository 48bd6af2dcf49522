//! The 机构设置 table and the assets table.

use budsql_schema::WarningCode;
use budsql_schema::{Asset, MoneyUnit, TableName};
use budsql_text::{clean_text, normalize_width, parse_number};

use crate::columns::norm_header;
use crate::ctx::Ctx;
use crate::grid::{Section, money_unit_in};

/// The 机构设置 table: (name, nature, rank, funding form) of the row naming the unit.
pub fn organisation(sec: &Section, unit_name: Option<&str>) -> Option<[Option<String>; 4]> {
    let header_idx = sec
        .rows
        .iter()
        .position(|r| r.cells.iter().any(|c| norm_header(c).contains("单位性质")))?;
    let header = sec.rows.get(header_idx)?;
    let find = |keys: &[&str]| {
        header
            .cells
            .iter()
            .position(|c| keys.iter().any(|k| norm_header(c).contains(k)))
    };
    let cols = [
        find(&["单位名称", "名称"]),
        find(&["单位性质", "性质"]),
        find(&["单位规格", "规格", "级别"]),
        find(&["经费保障形式", "经费形式", "经费保障", "保障形式"]),
    ];
    let rows: Vec<_> = sec.rows.iter().skip(header_idx + 1).collect();
    let row = rows
        .iter()
        .find(|r| {
            let name = cols[0].map(|c| clean_text(r.cell(c))).unwrap_or_default();
            unit_name.is_some_and(|u| u == name)
        })
        .or(rows.first())?;
    Some(cols.map(|c| c.map(|c| clean_text(row.cell(c))).filter(|s| !s.is_empty())))
}

/// The assets table: one row per printed category.
pub fn assets(sec: &Section, default_unit: MoneyUnit, ctx: &mut Ctx) -> Vec<Asset> {
    let table = TableName::Assets;
    let as_of = sec.plain.iter().find_map(|p| date_in(&p.text));
    let header_idx = sec.rows.iter().position(|r| {
        r.cells
            .iter()
            .any(|c| norm_header(c).contains("数量") || norm_header(c).contains("价值"))
    });
    let header = header_idx.and_then(|i| sec.rows.get(i));
    let find = |keys: &[&str]| {
        header.and_then(|h| {
            h.cells
                .iter()
                .position(|c| keys.iter().any(|k| norm_header(c).contains(k)))
        })
    };
    let qty_col = find(&["数量"]).unwrap_or(1);
    let value_col = find(&["价值", "金额"]).unwrap_or(2);
    let unit = header
        .and_then(|h| h.cells.iter().find_map(|c| money_unit_in(c)))
        .or_else(|| sec.stated_unit())
        .unwrap_or(default_unit);
    let mut out = Vec::new();
    for row in sec.rows.iter().skip(header_idx.map(|i| i + 1).unwrap_or(0)) {
        let label = row.cell(0);
        if label.is_empty() {
            continue;
        }
        let category = asset_category(label);
        let qty_cell = row.cell(qty_col);
        let quantity = if qty_cell.is_empty() {
            None
        } else {
            match parse_number(qty_cell).and_then(|n| n.parse::<i64>().ok()) {
                Some(q) => Some(q),
                None => {
                    ctx.warn(
                        row.line_no,
                        Some(table),
                        WarningCode::UnreadableQuantity,
                        format!("assets `{category}`: quantity `{qty_cell}` is not a whole number; stored as NULL"),
                        Some(qty_cell),
                    );
                    None
                }
            }
        };
        let value = ctx.amount(row.cell(value_col), unit, row.line_no, table, &category);
        out.push(Asset {
            category,
            quantity,
            value,
            as_of: as_of.clone(),
            line_no: i32::try_from(row.line_no).unwrap_or(i32::MAX),
        });
    }
    out
}

/// `其中: 车辆(台、辆)` → `车辆`; `土地、房屋及构筑物` stays.
fn asset_category(label: &str) -> String {
    let t = clean_text(&normalize_width(label));
    let t = t
        .strip_prefix("其中:")
        .or_else(|| t.strip_prefix("其中"))
        .unwrap_or(&t)
        .trim()
        .to_string();
    match t.find('(') {
        Some(i) if t.ends_with(')') && i > 0 => t.get(..i).unwrap_or(&t).to_string(),
        _ => t,
    }
}

/// A date `2022-12-31`, `2022年12月31日` or `2022.12.31` after 截止/截至, as `YYYY-MM-DD`.
fn date_in(text: &str) -> Option<String> {
    let t = normalize_width(text);
    if !(t.contains("截止") || t.contains("截至")) {
        return None;
    }
    let nums: Vec<u32> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    match nums.as_slice() {
        [y, m, d, ..]
            if (1990..=2100).contains(y) && (1..=12).contains(m) && (1..=31).contains(d) =>
        {
            Some(format!("{y:04}-{m:02}-{d:02}"))
        }
        _ => None,
    }
}
