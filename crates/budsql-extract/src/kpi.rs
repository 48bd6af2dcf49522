//! 绩效目标表 (`kpi_targets`): one table per project, indicators in three levels.

use std::str::FromStr;

use budsql_schema::{Decimal, KpiTarget, TableName};
use budsql_text::{clean_text, normalize_width};

use crate::columns::norm_header;
use crate::ctx::Ctx;
use crate::grid::Section;

/// The national two-level taxonomy: 二级指标 → its 一级指标.
const TAXONOMY: &[(&str, &str)] = &[
    ("数量指标", "产出指标"),
    ("质量指标", "产出指标"),
    ("时效指标", "产出指标"),
    ("成本指标", "产出指标"),
    ("经济效益指标", "效益指标"),
    ("社会效益指标", "效益指标"),
    ("生态效益指标", "效益指标"),
    ("可持续影响指标", "效益指标"),
    ("服务对象满意度指标", "满意度指标"),
    ("满意度指标", "满意度指标"),
];

const LEVEL1: [&str; 4] = ["产出指标", "效益指标", "满意度指标", "成本指标"];

fn level1_of(level2: &str) -> Option<&'static str> {
    TAXONOMY
        .iter()
        .find(|(l2, _)| *l2 == level2)
        .map(|(_, l1)| *l1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    L1,
    L2,
    L3,
    Desc,
    Target,
    Basis,
}

/// Reads the project number and name from a title `3、法律援助工作经费绩效目标表`.
pub fn project_of(title: &str, fallback_no: i32) -> (i32, String) {
    let t = normalize_width(title.trim());
    let t = t.trim_start_matches(['-', '*']).trim();
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    let (no, rest) = match digits.parse::<i32>() {
        Ok(n) => {
            let rest = t.get(digits.len()..).unwrap_or("");
            (n, rest.trim_start_matches(['、', '.', ' ', ',']))
        }
        Err(_) => (fallback_no, t),
    };
    let name = rest.strip_suffix("绩效目标表").unwrap_or(rest);
    (no, clean_text(name))
}

/// Parses a target as printed: `≥95%`, `≤14.55万元`, `548 平方米`, `有效促进`.
/// Returns (op, value, unit, uncertain), `uncertain` naming a repair made.
pub fn parse_target(
    raw: &str,
) -> (
    Option<&'static str>,
    Option<Decimal>,
    Option<String>,
    Option<String>,
) {
    let t: String = normalize_width(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let ops: [(&str, &str); 16] = [
        (">=", ">="),
        ("≥", ">="),
        ("≧", ">="),
        ("不低于", ">="),
        ("不少于", ">="),
        ("至少", ">="),
        ("<=", "<="),
        ("≤", "<="),
        ("≦", "<="),
        ("不高于", "<="),
        ("不超过", "<="),
        ("不多于", "<="),
        (">", ">"),
        ("大于", ">"),
        ("<", "<"),
        ("小于", "<"),
    ];
    let mut op = None;
    let mut rest = t.as_str();
    let mut repair = None;
    for (p, o) in ops {
        if let Some(r) = rest.strip_prefix(p) {
            op = Some(o);
            rest = r;
            break;
        }
    }
    if op.is_none() {
        if let Some(r) = rest.strip_prefix('≪') {
            op = Some("<=");
            rest = r;
            repair = Some("`≪` read as `≤`".to_string());
        } else if let Some(r) = rest.strip_prefix('≫') {
            op = Some(">=");
            rest = r;
            repair = Some("`≫` read as `≥`".to_string());
        } else if let Some(r) = rest.strip_prefix('=') {
            op = Some("=");
            rest = r;
        }
    }
    let num_len = rest
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' && *i > 0))
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    let num = rest.get(..num_len).unwrap_or("").trim_end_matches('.');
    let value = if num.is_empty() {
        None
    } else {
        Decimal::from_str(num).ok()
    };
    let Some(value) = value else {
        return (None, None, None, None);
    };
    let unit = rest.get(num.len()..).unwrap_or("").trim();
    let unit = (!unit.is_empty()).then(|| unit.to_string());
    (Some(op.unwrap_or("=")), Some(value), unit, repair)
}

fn cell_opt(s: &str) -> Option<String> {
    let c = clean_text(s);
    (!c.is_empty()).then_some(c)
}

/// Reads one project's 绩效目标表.
pub fn read(sec: &Section, fallback_no: i32, ctx: &mut Ctx) -> Vec<KpiTarget> {
    let table = TableName::Kpi;
    let (project_no, project_name) = project_of(&sec.title, fallback_no);
    if sec.rows.is_empty() {
        return read_scrambled(sec, project_no, &project_name, ctx);
    }
    let mut goal: Option<String> = None;
    let mut cols: Vec<(usize, Col)> = (0..6)
        .zip([
            Col::L1,
            Col::L2,
            Col::L3,
            Col::Desc,
            Col::Target,
            Col::Basis,
        ])
        .collect();
    let mut out: Vec<KpiTarget> = Vec::new();
    let mut prev_l1: Option<String> = None;
    let mut prev_l2: Option<String> = None;
    for row in &sec.rows {
        let first = norm_header(row.cell(0));
        if first.starts_with("绩效目标") || first == "年度目标" || first == "项目目标" {
            let text: Vec<&str> = row
                .cells
                .iter()
                .skip(1)
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .collect();
            goal = cell_opt(&text.join(" "));
            continue;
        }
        if first.contains("一级指标") {
            // Map columns by header where each header cell stands alone; a merged header
            // (`二级指标 三级指标 …` in one cell) keeps the standard order.
            let named: Vec<(usize, Col)> = row
                .cells
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    let h = norm_header(c);
                    let col = if h == "一级指标" {
                        Col::L1
                    } else if h == "二级指标" {
                        Col::L2
                    } else if h == "三级指标" || h == "指标名称" {
                        Col::L3
                    } else if h.contains("描述") || h.contains("指标内容") {
                        Col::Desc
                    } else if h.contains("依据") {
                        Col::Basis
                    } else if h.contains("指标值") || h.contains("目标值") {
                        Col::Target
                    } else {
                        return None;
                    };
                    Some((i, col))
                })
                .collect();
            if named.len() == 6 {
                cols = named;
            }
            continue;
        }
        let get = |c: Col| {
            cols.iter()
                .find(|(_, x)| *x == c)
                .map(|(i, _)| row.cell(*i))
                .unwrap_or("")
        };
        let filled = row.cells.iter().filter(|c| !c.trim().is_empty()).count();
        if filled < 3 {
            if filled > 0 {
                ctx.warn(
                    row.line_no,
                    Some(table),
                    "short_row",
                    format!(
                        "kpi project {project_no}: a row with {filled} filled cell(s) is not an indicator; it is not stored"
                    ),
                    Some(&row.cells.join(" | ")),
                );
            }
            continue;
        }
        let level2 = cell_opt(get(Col::L2)).or_else(|| prev_l2.clone());
        let printed_l1 = clean_text(get(Col::L1));
        let level1 = if LEVEL1.contains(&printed_l1.as_str()) {
            Some(printed_l1)
        } else if let Some(l1) = level2.as_deref().and_then(level1_of) {
            // blank (merged cell) or OCR junk: the taxonomy says which block this is
            Some(l1.to_string())
        } else {
            if !printed_l1.is_empty() {
                ctx.warn(
                    row.line_no,
                    Some(table),
                    "unreadable_level1",
                    format!(
                        "kpi project {project_no}: 一级指标 cell `{printed_l1}` is unreadable and 二级指标 does not determine it; the value above is used"
                    ),
                    Some(&printed_l1),
                );
            }
            prev_l1.clone()
        };
        let target_raw = get(Col::Target).trim().to_string();
        let (op, value, unit, repair) = parse_target(&target_raw);
        if let Some(repair) = repair {
            ctx.warn(
                row.line_no,
                Some(table),
                "target_repaired",
                format!("kpi project {project_no}: target `{target_raw}`: {repair}"),
                Some(&target_raw),
            );
        }
        prev_l1.clone_from(&level1);
        prev_l2.clone_from(&level2);
        out.push(KpiTarget {
            project_no,
            project_name: project_name.clone(),
            project_goal: goal.clone(),
            indicator_no: i32::try_from(out.len() + 1).unwrap_or(i32::MAX),
            level1,
            level2,
            level3: cell_opt(get(Col::L3)),
            description: cell_opt(get(Col::Desc)),
            target_raw: (!target_raw.is_empty()).then_some(target_raw),
            target_op: op.map(str::to_string),
            target_value: value,
            target_unit: unit,
            basis: cell_opt(get(Col::Basis)),
            line_no: i32::try_from(row.line_no).unwrap_or(i32::MAX),
        });
    }
    out
}

/// A table whose cells came out as loose text: only the indicator levels are certain (each
/// printed 二级指标 label is one indicator, and the taxonomy gives its 一级指标).
fn read_scrambled(
    sec: &Section,
    project_no: i32,
    project_name: &str,
    ctx: &mut Ctx,
) -> Vec<KpiTarget> {
    let mut out = Vec::new();
    for line in &sec.plain {
        for token in line.text.split_whitespace() {
            let token = clean_text(token);
            let Some(l1) = level1_of(&token) else {
                continue;
            };
            if token == "满意度指标" {
                // the 一级 label of the satisfaction block, not an indicator of its own
                continue;
            }
            out.push(KpiTarget {
                project_no,
                project_name: project_name.to_string(),
                indicator_no: i32::try_from(out.len() + 1).unwrap_or(i32::MAX),
                level1: Some(l1.to_string()),
                level2: Some(token),
                line_no: i32::try_from(line.line_no).unwrap_or(i32::MAX),
                ..KpiTarget::default()
            });
        }
    }
    if out.is_empty() {
        // a title that only mentions 绩效目标表 (`详见…绩效目标表`), with no indicator at all
        return out;
    }
    let raw: String = sec
        .plain
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join(" / ");
    let raw: String = raw.chars().take(2000).collect();
    ctx.warn(
        sec.title_line,
        Some(TableName::Kpi),
        "scrambled_table",
        format!(
            "kpi project {project_no} `{project_name}`: the table's layout is scrambled (no cell rows); {} indicator(s) recovered with their levels only; goal, names, descriptions, targets and bases are not certain and are left NULL",
            out.len()
        ),
        Some(&raw),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        let d = |s: &str| Decimal::from_str(s).ok();
        assert_eq!(
            parse_target("≥95%"),
            (Some(">="), d("95"), Some("%".into()), None)
        );
        assert_eq!(
            parse_target("≤14.55万元"),
            (Some("<="), d("14.55"), Some("万元".into()), None)
        );
        assert_eq!(
            parse_target("548 平方米"),
            (Some("="), d("548"), Some("平方米".into()), None)
        );
        assert_eq!(
            parse_target("≤150 元/人"),
            (Some("<="), d("150"), Some("元/人".into()), None)
        );
        assert_eq!(
            parse_target("100%"),
            (Some("="), d("100"), Some("%".into()), None)
        );
        assert_eq!(parse_target("有效促进"), (None, None, None, None));
        assert_eq!(parse_target("较上年有所减少"), (None, None, None, None));
        assert_eq!(
            parse_target("1年"),
            (Some("="), d("1"), Some("年".into()), None)
        );
        let (op, v, u, repair) = parse_target("≪4 万元");
        assert_eq!((op, v, u), (Some("<="), d("4"), Some("万元".into())));
        assert!(repair.is_some());
    }

    #[test]
    fn project_titles() {
        assert_eq!(
            project_of("3、法律援助工作经费绩效目标表", 0),
            (3, "法律援助工作经费".to_string())
        );
        assert_eq!(
            project_of("23、综治网格员专用手机 APP 经费绩效目标表", 0),
            (23, "综治网格员专用手机APP经费".to_string())
        );
    }
}
