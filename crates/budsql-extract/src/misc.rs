//! Identity of a document, the 机构设置 table and the assets table.

use std::collections::BTreeMap;

use budsql_schema::{Asset, DocKind, MoneyUnit, Scope, TableName};
use budsql_text::{Line, clean_text, normalize_width, parse_number};

use crate::columns::norm_header;
use crate::ctx::Ctx;
use crate::grid::{Section, money_unit_in};

/// What the document says about itself.
#[derive(Debug, Default, Clone)]
pub struct Stated {
    pub title: Option<String>,
    pub title_line: usize,
    pub year: Option<(i64, usize)>,
    pub doc_kind: DocKind,
    pub scope: Scope,
    pub region: Option<String>,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
}

/// The first `YYYY年` or `YYYY 年` in a text, as (year, byte offset).
fn year_in(text: &str) -> Option<(i64, usize)> {
    let t = normalize_width(text);
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    for (k, &(off, c)) in chars.iter().enumerate() {
        if !c.is_ascii_digit() || k > 0 && chars.get(k - 1).is_some_and(|(_, p)| p.is_ascii_digit())
        {
            continue;
        }
        let digits: String = chars
            .iter()
            .skip(k)
            .take_while(|(_, c)| c.is_ascii_digit())
            .map(|(_, c)| *c)
            .collect();
        let after = chars
            .iter()
            .skip(k + digits.chars().count())
            .find(|(_, c)| *c != ' ')
            .map(|(_, c)| *c);
        if after == Some('年')
            && (1..=6).contains(&digits.len())
            && let Ok(y) = digits.parse::<i64>()
        {
            return Some((y, off));
        }
    }
    None
}

/// Region from a title: the administrative name before the year, cut after its last
/// administrative suffix (`秦皇岛经济技术开发区政法委` → `秦皇岛经济技术开发区`).
fn region_of(title: &str) -> Option<String> {
    let t = normalize_width(title);
    let before = match year_in(&t) {
        Some((_, off)) => t.get(..off).unwrap_or(""),
        None => return None,
    };
    let before: String = before.chars().filter(|c| !c.is_whitespace()).collect();
    // a party organ's name (`中共上海市普陀区委…`) names its region after the prefix
    let before = before
        .strip_prefix("中共")
        .or_else(|| before.strip_prefix("中国共产党"))
        .unwrap_or(&before)
        .to_string();
    let chars: Vec<char> = before.chars().collect();
    let not_admin = [
        "社区", "园区", "小区", "校区", "景区", "街区", "片区", "辖区", "营区", "区级", "市级",
        "县级",
    ];
    let mut cut = None;
    for (i, c) in chars.iter().enumerate() {
        if matches!(c, '省' | '市' | '区' | '县' | '州' | '旗' | '盟') {
            let pair: String = chars.iter().skip(i.saturating_sub(1)).take(2).collect();
            let next_pair: String = chars.iter().skip(i).take(2).collect();
            if not_admin.contains(&pair.as_str()) || not_admin.contains(&next_pair.as_str()) {
                continue;
            }
            cut = Some(i + 1);
        }
    }
    let region: String = chars.iter().take(cut?).collect();
    (region.chars().count() >= 2).then_some(region)
}

/// Reads the identity the document states: title, year, kind, scope, region and unit.
pub fn stated(lines: &[Line<'_>], sections: &[Section]) -> Stated {
    let mut st = Stated::default();
    // The title: the first non-blank plain line that names 预算/决算 and a year, joined with
    // the cover lines above it when the body's name is printed on lines of its own
    // (`中共上海市普陀区委` / `社会工作部 2024 年度` / `部门决算`).
    let cover: Vec<&Line<'_>> = lines
        .iter()
        .take(60)
        .filter(|l| !l.is_blank())
        .take(4)
        .collect();
    for (k, l) in lines.iter().take(60).filter(|l| !l.is_blank()).enumerate() {
        let t = l.text.trim();
        let joined_with_next = || {
            let next = cover.get(k + 1).map(|n| n.text.trim()).unwrap_or("");
            format!("{t}{next}")
        };
        let candidate = if (t.contains("预算") || t.contains("决算")) && year_in(t).is_some() {
            t.to_string()
        } else if year_in(t).is_some() && k < 3 {
            // `社会工作部 2024 年度` / `部门决算`
            let j = joined_with_next();
            if j.contains("预算") || j.contains("决算") {
                j
            } else {
                continue;
            }
        } else {
            continue;
        };
        if candidate.chars().count() > 60 {
            continue;
        }
        let before_year = year_in(&candidate).map(|(_, off)| off).unwrap_or(0);
        // nothing before the year: the body's name stands on the cover lines above
        let above: String = cover
            .iter()
            .take(k)
            .map(|c| c.text.trim())
            .filter(|c| !c.contains("目录") && !c.contains("目 录"))
            .collect();
        let full = if k > 0
            && (before_year == 0 || k <= 2)
            && !above.is_empty()
            && above.chars().count() <= 30
        {
            format!("{above}{candidate}")
        } else {
            candidate
        };
        st.title = Some(clean_text(&full).replace(' ', ""));
        st.title_line = l.no;
        break;
    }
    let title = st.title.clone().unwrap_or_default();
    st.year = year_in(&title).map(|(y, _)| (y, st.title_line));
    if st.year.is_none() {
        // 预算年度: 2023 / 预算年度：\n2023
        for (i, l) in lines.iter().enumerate() {
            let t = normalize_width(l.text);
            if let Some(idx) = t.find("年度") {
                let tail = t.get(idx + "年度".len()..).unwrap_or("");
                let tail = tail.trim_start_matches([':', ' ']);
                let tail = if tail.trim().is_empty() {
                    lines
                        .get(i + 2)
                        .or(lines.get(i + 1))
                        .map(|n| n.text)
                        .unwrap_or("")
                } else {
                    tail
                };
                let digits: String = tail
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                if digits.len() == 4 {
                    st.year = digits.parse().ok().map(|y| (y, l.no));
                    break;
                }
            }
        }
    }
    st.doc_kind = if title.contains("决算") {
        DocKind::Final
    } else {
        DocKind::Budget
    };
    st.scope = if title.contains("部门") {
        Scope::Department
    } else {
        Scope::Unit
    };
    st.region = region_of(&title);

    // Unit: the most frequent `CODE NAME` line in the tables' plain lines.
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    for sec in sections {
        for p in &sec.plain {
            if let Some((code, name)) = code_and_name(&p.text) {
                *counts.entry((code, name)).or_default() += 1;
            }
        }
    }
    if let Some(((code, name), _)) = counts.into_iter().max_by_key(|((c, _), n)| (*n, c.len())) {
        st.unit_code = Some(code);
        st.unit_name = Some(name);
    }
    if st.unit_name.is_none() {
        for l in lines {
            let t = normalize_width(l.text);
            for key in ["编制单位:", "预算单位:", "单位名称:", "预算主管部门:"] {
                if let Some(idx) = t.find(key) {
                    // the name as printed (full-width brackets kept), ending where a wide
                    // gap starts (`…司法局      单位：元`)
                    let rest = same_chars(l.text, &t, idx + key.len()).trim_start();
                    let rest = rest.split("  ").next().unwrap_or("");
                    let name = clean_text(rest);
                    if !name.is_empty() {
                        st.unit_name = Some(name);
                        break;
                    }
                }
            }
            if st.unit_name.is_some() {
                break;
            }
        }
    }
    if st.unit_name.is_none() {
        // the title names the body before the year (`上海市普陀区财政局2024年度部门决算`)
        let before = year_in(&title)
            .and_then(|(_, off)| title.get(..off))
            .unwrap_or("");
        let name = clean_text(before).replace(' ', "");
        let longer_than_region = st
            .region
            .as_ref()
            .is_none_or(|r| name.chars().count() > r.chars().count());
        if name.chars().count() >= 4 && longer_than_region {
            st.unit_name = Some(name);
        }
    }
    st
}

/// The part of `original` from the character where byte `at` of `normalized` (its
/// [`normalize_width`] form, which maps character for character) starts.
fn same_chars<'a>(original: &'a str, normalized: &str, at: usize) -> &'a str {
    let n = normalized.get(..at).map(|p| p.chars().count()).unwrap_or(0);
    original
        .char_indices()
        .nth(n)
        .and_then(|(i, _)| original.get(i..))
        .unwrap_or("")
}

/// A `216001 中共…(本级)` line (optionally followed by `预算年度: 2023`): code and name.
fn code_and_name(text: &str) -> Option<(String, String)> {
    let t = normalize_width(text.trim());
    let code: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    if code.len() < 3 || code.len() > 15 {
        return None;
    }
    // the name as printed (normalising is for finding the code only)
    let rest = same_chars(text.trim(), &t, code.len());
    if !rest.starts_with(' ') {
        return None;
    }
    let rest = match rest.find("预算年度") {
        Some(i) => rest.get(..i)?,
        None => rest,
    };
    let name = clean_text(rest);
    (name.chars().count() >= 2 && name.chars().any(budsql_text::is_cjk)).then_some((code, name))
}

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
                        "unreadable_quantity",
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
