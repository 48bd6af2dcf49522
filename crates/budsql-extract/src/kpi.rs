//! 绩效目标表 (`kpi_targets`): one table per project, indicators in three levels.

use budsql_schema::WarningCode;
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
    // the framework of 2021 on: 成本指标 a 一级指标 of its own
    ("经济成本指标", "成本指标"),
    ("社会成本指标", "成本指标"),
    ("生态环境成本指标", "成本指标"),
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
    // `2025年项目支出绩效目标表`: a year, not a project's number
    let year = t
        .get(digits.len()..)
        .is_some_and(|rest| rest.starts_with('年'));
    let (no, rest) = match digits.parse::<i32>() {
        Ok(n) if !year => {
            let rest = t.get(digits.len()..).unwrap_or("");
            (n, rest.trim_start_matches(['、', '.', ' ', ',']))
        }
        _ => (fallback_no, t),
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
        Decimal::from_str(num)
            .ok()
            .filter(|v| budsql_schema::fits_store(*v))
    };
    let Some(value) = value else {
        return (None, None, None, None);
    };
    let unit = rest.get(num.len()..).unwrap_or("").trim();
    // a number inside a sentence (`至少1次矫正人员的集中活动`) is not a target value
    if unit.chars().count() > 8 {
        return (None, None, None, None);
    }
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
                    WarningCode::ShortRow,
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
                    WarningCode::UnreadableLevel1,
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
                WarningCode::TargetRepaired,
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
        WarningCode::ScrambledTable,
        format!(
            "kpi project {project_no} `{project_name}`: the table's layout is scrambled (no cell rows); {} indicator(s) recovered with their levels only; goal, names, descriptions, targets and bases are not certain and are left NULL",
            out.len()
        ),
        Some(&raw),
    );
    out
}

/// Words of a positioned cell list: a cell of level names one space apart
/// (`效益指标 社会效益指标`) gives one word each; any other cell stays whole.
fn level_words(row: &crate::grid::Row) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    for (t, p) in row.cells.iter().zip(&row.pos) {
        let parts: Vec<&str> = t.split(' ').filter(|w| !w.is_empty()).collect();
        if parts.len() > 1 && parts.iter().all(|w| w.ends_with("指标")) {
            let mut at = p.0;
            for w in t.split(' ') {
                let n = w.chars().count();
                if n > 0 {
                    out.push((at, at + n, w.to_string()));
                }
                at += n + 1;
            }
        } else {
            out.push((p.0, p.1, t.clone()));
        }
    }
    out
}

/// One indicator being assembled from the lines of a space-aligned 绩效目标表.
struct Pending {
    first_line: usize,
    last_line: usize,
    line_no: usize,
    level3: Vec<String>,
    target: Option<String>,
}

/// A merged 一级/二级指标 label: its text and the line at its vertical centre.
struct Label {
    text: String,
    /// Twice the centre line (so a label over two lines has an integral centre).
    centre2: usize,
}

/// Reads a 绩效目标表 printed in the space-aligned form (`财政项目支出绩效目标填报表`): the
/// project from its `项目名称` row, the annual goal from the right-hand goal column, and
/// the indicators under `一级指标 二级指标 三级指标 指标值` placed by position. Merged
/// 一级/二级 cells are printed once, at the vertical centre of their block; each block is
/// taken to reach as far below its label as it starts above it.
pub fn read_positioned(sec: &Section, fallback_no: i32, ctx: &mut Ctx) -> Vec<KpiTarget> {
    let table = TableName::Kpi;
    let rows = &sec.rows;
    let (mut project_no, mut project_name) = project_of(&sec.title, fallback_no);
    // `项目名称` (`单位（项目）名称`) beside the indicator headers heads a column of projects
    // (one table for many, each a block of rows), not a label with the project's name after it
    let is_header = |c: &String| {
        let h = norm_header(c);
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "绩效目标",
            "项目总额",
            "资金总额",
        ]
        .iter()
        .any(|w| h.contains(w))
    };
    let mut in_column = None;
    if let Some(name) = rows.iter().find_map(|r| {
        let k = r.cells.iter().position(|c| {
            let h = norm_header(c);
            h == "项目名称" || h.ends_with("(项目)名称") || h.ends_with("（项目）名称")
        })?;
        if r.cells.iter().any(is_header) {
            in_column.get_or_insert(r.line_no);
            return None;
        }
        cell_opt(r.cells.get(k + 1)?)
    }) {
        project_name = name;
        project_no = fallback_no;
    } else if let Some(line) = in_column {
        ctx.warn(
            line,
            Some(table),
            WarningCode::ProjectsInColumn,
            format!(
                "kpi table {project_no}: projects are printed in a 项目名称 column, whose names are not read; `project_name` is the table's title `{project_name}`"
            ),
            None,
        );
    }
    let Some(header_at) = rows
        .iter()
        .position(|r| r.cells.iter().any(|c| norm_header(c).contains("三级指标")))
    else {
        return Vec::new();
    };
    let Some(header) = rows.get(header_at) else {
        return Vec::new();
    };
    // column centres (twice, to stay in integers) from the header words
    let mut centres: Vec<(usize, Col)> = Vec::new();
    for (s, e, w) in level_words(header) {
        let h = norm_header(&w);
        let col = if h.contains("一级指标") {
            Col::L1
        } else if h.contains("二级指标") {
            Col::L2
        } else if h.contains("三级指标") || h == "指标名称" {
            Col::L3
        } else if h.contains("指标值") || h.contains("目标值") {
            Col::Target
        } else {
            continue;
        };
        centres.push((s + e, col));
    }
    let goal = read_goal(sec, header_at, project_no, ctx);

    let mut indicators: Vec<Pending> = Vec::new();
    let mut l1: Vec<(usize, String)> = Vec::new();
    let mut l2: Vec<(usize, String)> = Vec::new();
    for row in rows.iter().skip(header_at + 1) {
        // prose after the table ends it
        if row.cells.len() == 1
            && row
                .cells
                .iter()
                .any(|c| c.contains('。') && c.chars().count() > 30)
        {
            break;
        }
        let mut l3 = Vec::new();
        let mut target = None;
        for (s, e, w) in level_words(row) {
            let h = norm_header(&w);
            if h == "绩效指标" && s < 4 {
                continue;
            }
            let centre = s + e;
            let col = centres
                .iter()
                .min_by_key(|(c, _)| c.abs_diff(centre))
                .map(|(_, col)| *col);
            match col {
                Some(Col::L1) => l1.push((row.line_no, w)),
                Some(Col::L2) => l2.push((row.line_no, w)),
                Some(Col::L3) => l3.push(w),
                Some(Col::Target) => target = Some(w),
                _ => {}
            }
        }
        if l3.is_empty() && target.is_none() {
            continue;
        }
        indicators.push(Pending {
            first_line: row.line_no,
            last_line: row.line_no,
            line_no: row.line_no,
            level3: l3,
            target,
        });
    }
    // a name wrapped above and below a line holding only its target: one indicator
    let mut merged: Vec<Pending> = Vec::new();
    let mut i = 0;
    while i < indicators.len() {
        let touches = |a: &Pending, b: &Pending| a.last_line + 1 == b.first_line;
        let is_name_only = |p: &Pending| p.target.is_none() && !p.level3.is_empty();
        let (Some(cur), next, after) = (
            indicators.get(i),
            indicators.get(i + 1),
            indicators.get(i + 2),
        ) else {
            break;
        };
        if is_name_only(cur)
            && let Some(n) = next
            && n.level3.is_empty()
            && n.target.is_some()
            && touches(cur, n)
        {
            let mut p = Pending {
                first_line: cur.first_line,
                last_line: n.last_line,
                line_no: n.line_no,
                level3: cur.level3.clone(),
                target: n.target.clone(),
            };
            let mut used = 2;
            if let Some(a) = after
                && is_name_only(a)
                && touches(n, a)
            {
                p.level3.extend(a.level3.iter().cloned());
                p.last_line = a.last_line;
                used = 3;
            }
            merged.push(p);
            i += used;
            continue;
        }
        if let Some(c) = indicators.get(i) {
            merged.push(Pending {
                first_line: c.first_line,
                last_line: c.last_line,
                line_no: c.line_no,
                level3: c.level3.clone(),
                target: c.target.clone(),
            });
        }
        i += 1;
    }
    let l2_labels = labels(&l2);
    let l1_labels = labels(&l1);
    let l2_of = blocks(&merged, &l2_labels);
    let l1_of = blocks(&merged, &l1_labels);

    let mut out = Vec::new();
    for (k, p) in merged.iter().enumerate() {
        let level2 = l2_of.get(k).cloned().flatten();
        let level1 = level2
            .as_deref()
            .and_then(level1_of)
            .map(str::to_string)
            .or_else(|| l1_of.get(k).cloned().flatten());
        // a level label that is no indicator name means the words were not placed in their
        // columns (scrambled cells, a goal's text run into the level columns): the row's
        // cells are not certain, so it is not stored
        let l2_named = level2.as_deref().is_none_or(|l| level1_of(l).is_some());
        let l1_named = level1.as_deref().is_none_or(|l| LEVEL1.contains(&l));
        if !(l2_named && l1_named) {
            let shown = |v: &Option<String>| {
                v.as_deref()
                    .map(|s| s.chars().take(24).collect::<String>())
                    .unwrap_or_default()
            };
            ctx.warn(
                p.line_no,
                Some(table),
                WarningCode::UnplacedIndicator,
                format!(
                    "kpi project {project_no}: indicator levels `{}` / `{}` are not 一级/二级指标 names; the row is not stored",
                    shown(&level1),
                    shown(&level2)
                ),
                level1.as_deref().or(level2.as_deref()),
            );
            continue;
        }
        let target_raw = p.target.as_deref().map(clean_text);
        let (op, value, unit, repair) = target_raw.as_deref().map(parse_target).unwrap_or_default();
        if let (Some(repair), Some(raw)) = (repair, target_raw.as_deref()) {
            ctx.warn(
                p.line_no,
                Some(table),
                WarningCode::TargetRepaired,
                format!("kpi project {project_no}: target `{raw}`: {repair}"),
                Some(raw),
            );
        }
        out.push(KpiTarget {
            project_no,
            project_name: project_name.clone(),
            project_goal: goal.clone(),
            indicator_no: i32::try_from(k + 1).unwrap_or(i32::MAX),
            level1,
            level2,
            level3: cell_opt(&p.level3.concat()),
            description: None,
            target_raw,
            target_op: op.map(str::to_string),
            target_value: value,
            target_unit: unit,
            basis: None,
            line_no: i32::try_from(p.line_no).unwrap_or(i32::MAX),
        });
    }
    out
}

/// Joins label fragments printed on nearby lines (`服务对象满意` / `度指标`) into labels.
fn labels(parts: &[(usize, String)]) -> Vec<Label> {
    let mut out: Vec<(usize, usize, String)> = Vec::new();
    for (line, text) in parts {
        let t = norm_header(text);
        if let Some(last) = out.last_mut()
            && *line <= last.1 + 2
            && !TAXONOMY
                .iter()
                .any(|(l2, l1)| *l2 == last.2 || *l1 == last.2)
        {
            last.1 = *line;
            last.2.push_str(&t);
            continue;
        }
        out.push((*line, *line, t));
    }
    out.into_iter()
        .map(|(a, b, text)| Label {
            text,
            centre2: a + b,
        })
        .collect()
}

/// Gives each indicator the label of its block: a label stands at the centre of its block,
/// so the block reaches as far below the label as it starts above it.
fn blocks(indicators: &[Pending], labels: &[Label]) -> Vec<Option<String>> {
    let mut out: Vec<Option<String>> = vec![None; indicators.len()];
    let mut next = 0;
    for (li, label) in labels.iter().enumerate() {
        let Some(start) = indicators.get(next) else {
            break;
        };
        let last_label = li + 1 == labels.len();
        // twice the last line of the block: 2·centre − start
        let end2 = (2 * label.centre2).saturating_sub(2 * start.first_line);
        while let Some(p) = indicators.get(next) {
            let inside = 2 * p.first_line <= end2.max(label.centre2);
            if !(inside || last_label) {
                break;
            }
            if let Some(slot) = out.get_mut(next) {
                *slot = Some(label.text.clone());
            }
            next += 1;
        }
    }
    out
}

/// The annual goal (年度总体目标): the right-hand one of the two goal columns printed between
/// the `项目总目标 年度总体目标` header and the indicators. `None`, with a warning, when the
/// two columns run together on a line.
fn read_goal(sec: &Section, header_at: usize, project_no: i32, ctx: &mut Ctx) -> Option<String> {
    let rows = &sec.rows;
    let start = rows.iter().take(header_at).position(|r| {
        r.cells
            .iter()
            .any(|c| norm_header(c).contains("年度总体目标"))
    })?;
    let lines: Vec<&crate::grid::Row> = rows.iter().take(header_at).skip(start + 1).collect();
    // the cells of each line without the left margin's `项目 / 绩效 / 目标` label
    let body = |r: &crate::grid::Row| -> Vec<(usize, usize, String)> {
        r.cells
            .iter()
            .zip(&r.pos)
            .filter(|(c, p)| !(p.0 < 4 && c.chars().count() <= 2))
            .map(|(c, p)| (p.0, p.1, c.clone()))
            .collect()
    };
    let left = lines
        .iter()
        .filter_map(|r| body(r).first().map(|c| c.0))
        .min()?;
    // the right column: the second cell of two-cell lines, else cells starting well to the
    // right of the left column; none means one column, which is then the goal
    let mut second: Vec<usize> = lines
        .iter()
        .filter_map(|r| {
            let b = body(r);
            (b.len() >= 2).then(|| b.last().map(|c| c.0)).flatten()
        })
        .collect();
    if second.is_empty() {
        second = lines
            .iter()
            .flat_map(|r| body(r))
            .map(|c| c.0)
            .filter(|s| *s > left + 10)
            .collect();
    }
    second.sort_unstable();
    let right = second.get(second.len() / 2).copied().unwrap_or(usize::MAX);
    let mut goal = String::new();
    for r in &lines {
        for (s, e, text) in body(r) {
            let to_right = s.abs_diff(right) < s.abs_diff(left);
            if !to_right && e > right + 4 {
                ctx.warn(
                    r.line_no,
                    Some(TableName::Kpi),
                    WarningCode::UnreadGoal,
                    format!(
                        "kpi project {project_no}: the 项目总目标 and 年度总体目标 columns run together on this line; the goal is left NULL"
                    ),
                    Some(&text),
                );
                return None;
            }
            if to_right {
                goal.push_str(&text);
            }
        }
    }
    cell_opt(&goal)
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
        assert_eq!(
            project_of("2025年项目支出绩效目标表", 4),
            (4, "2025年项目支出".to_string())
        );
    }
}
