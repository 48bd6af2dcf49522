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
    /// `绩效指标性质` (`＝`, `≥`, `定性`) where the target's operator has a column of its own
    Op,
    /// `绩效度量单位` where the target's unit has a column of its own
    Unit,
    /// `项目名称`: a column of projects, one table for many
    Name,
    /// `项目总额`, `财政资金`, `其他资金`: a project's money, beside its name
    Money,
    /// `绩效目标`: a project's goal, beside its name
    Goal,
    /// A column read for nothing, so that its words are not taken for a neighbour's:
    /// `单位编码`, `评（扣）分标准`, `备注`
    Other,
}

/// The column a header word of a space-aligned 绩效目标表 names; `Some(None)` for a piece
/// of a header printed over two lines that names none alone (`绩效指` over `标性质`);
/// `None` for a word that is no header.
fn header_col(word: &str) -> Option<Option<Col>> {
    let h = norm_header(word);
    let col = if h.contains("一级指标") {
        Col::L1
    } else if h.contains("二级指标") {
        Col::L2
    } else if h.contains("三级指标") || h == "指标名称" {
        Col::L3
    } else if h.contains("指标值内容") {
        Col::Desc
    } else if h.contains("性质") || h.contains("指标值类型") {
        Col::Op
    } else if h.contains("指标值") || h.contains("目标值") {
        Col::Target
    } else if h.contains("量单位") {
        Col::Unit
    } else if h == "项目名称" || h.ends_with("(项目)名称") {
        Col::Name
    } else if h.contains("总额") || h.ends_with("资金") {
        Col::Money
    } else if h == "绩效目标" {
        Col::Goal
    } else if h == "单位编码" || h == "备注" || (h.contains("分标准") && h.starts_with('评'))
    {
        Col::Other
    } else if matches!(
        h.as_str(),
        "其中" | "其中:" | "绩效指" | "本年绩效" | "绩效度"
    ) {
        return Some(None);
    } else {
        return None;
    };
    Some(Some(col))
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
    let t: String = budsql_text::compact_label(raw);
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
    /// The words of an `指标值内容` column, where the table has one.
    description: Vec<String>,
    /// The 二级指标 printed on the indicator's own line, where the table prints the levels
    /// on every row rather than once at the centre of a merged block.
    own_l2: Option<String>,
}

/// Units of measure a 绩效目标表 prints in a column of their own (`度量单位`).
const UNIT_WORDS: &[&str] = &[
    "%",
    "‰",
    "次",
    "个",
    "份",
    "人",
    "人次",
    "名",
    "项",
    "件",
    "起",
    "天",
    "日",
    "月",
    "年",
    "小时",
    "元",
    "万元",
    "平方米",
    "公里",
    "台",
    "套",
    "辆",
    "家",
    "场",
    "期",
    "批",
    "户",
];

/// Whether `t` is a comparison operator alone (`=`, `≥`, `<=`, …).
fn is_operator(t: &str) -> bool {
    !t.is_empty() && t.chars().all(|c| "=≥≤><≧≦".contains(c))
}

/// Whether a word in a level column is a level's name or a piece of one wrapped over lines.
fn part_of_level_name(word: &str) -> bool {
    !word.is_empty()
        && TAXONOMY
            .iter()
            .any(|(l2, l1)| l2.contains(word) || l1.contains(word))
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
        in_column = None;
    }
    let unread_projects = |ctx: &mut Ctx, line: usize| {
        ctx.warn(
            line,
            Some(table),
            WarningCode::ProjectsInColumn,
            format!(
                "kpi table {project_no}: projects are printed in a 项目名称 column, whose names are not read; `project_name` is the table's title `{project_name}`"
            ),
            None,
        );
    };
    let Some(header_at) = rows
        .iter()
        .position(|r| r.cells.iter().any(|c| norm_header(c).contains("三级指标")))
    else {
        if let Some(line) = in_column {
            unread_projects(ctx, line);
        }
        return Vec::new();
    };
    let Some(header) = rows.get(header_at) else {
        return Vec::new();
    };
    // column centres (twice, to stay in integers) from the header words: the line of
    // `三级指标`, and the lines just above and below it that hold header words only (a
    // header printed over several lines: `本年绩效` over `指标值`)
    let header_only = |r: &crate::grid::Row| {
        let words = level_words(r);
        !words.is_empty() && words.iter().all(|(_, _, w)| header_col(w).is_some())
    };
    let mut header_rows = vec![header];
    for r in rows.iter().take(header_at).rev().take(3) {
        if !header_only(r) {
            break;
        }
        header_rows.push(r);
    }
    let mut data_from = header_at + 1;
    for r in rows.iter().skip(header_at + 1).take(3) {
        if !header_only(r) {
            break;
        }
        header_rows.push(r);
        data_from += 1;
    }
    let centres_of = |rows: &[&crate::grid::Row]| -> Vec<(usize, Col)> {
        rows.iter()
            .flat_map(|r| level_words(r))
            .filter_map(|(s, e, w)| header_col(&w).flatten().map(|col| (s + e, col)))
            .collect()
    };
    let all = centres_of(&header_rows);
    // A table of many projects whose target is printed in three columns (`绩效指标性质`,
    // `指标值`, `度量单位`, as 北京's): its rows are read with the columns above, each page's
    // offset, a level's name printed on its own line and the projects' names and goals.
    // Any other table keeps the reading of the 三级指标 line's columns alone (a template
    // with other columns beside the target's, as 长沙's `指标值内容` and `评（扣）分标准`,
    // would have their words taken for the target's).
    let has = |col: Col| all.iter().any(|(_, c)| *c == col);
    let targets = all.iter().filter(|(_, c)| *c == Col::Target).count();
    let extended = has(Col::Name) && has(Col::Op) && has(Col::Unit) && targets == 1;
    let centres = if extended {
        all
    } else {
        data_from = header_at + 1;
        let mut own = centres_of(&[header]);
        own.retain(|(_, c)| matches!(c, Col::L1 | Col::L2 | Col::L3 | Col::Target));
        own
    };
    let goal = read_goal(sec, header_at, project_no, ctx);

    let mut indicators: Vec<Pending> = Vec::new();
    let mut l1: Vec<(usize, String)> = Vec::new();
    let mut l2: Vec<(usize, String)> = Vec::new();
    // a column of projects: their names' pieces and their goals' pieces, by line
    let mut names: Vec<(usize, String)> = Vec::new();
    let mut goals: Vec<(usize, String)> = Vec::new();
    let mut moneys: Vec<(usize, String)> = Vec::new();
    // the lines of the table's 合计 (the money of all its projects)
    let mut totals: Vec<usize> = Vec::new();
    // each page's columns against the header's: the level names (`产出指标`, `数量指标`) stand
    // in their columns, so their offset from the header's 一级/二级指标 says how far the page
    // prints its columns from where the header put them (pdftotext centres a header over
    // its column, and places each page anew)
    let header_at_col = |col: Col| centres.iter().find(|(_, c)| *c == col).map(|(x, _)| *x);
    let has_op = header_at_col(Col::Op).is_some();
    let has_unit = header_at_col(Col::Unit).is_some();
    let has_desc = header_at_col(Col::Desc).is_some();
    let mut offsets: std::collections::BTreeMap<usize, Vec<i64>> = Default::default();
    for row in rows.iter().skip(data_from).filter(|_| extended) {
        for (s, e, w) in level_words(row) {
            let t = norm_header(&w);
            let col = if LEVEL1.contains(&t.as_str()) && t != "成本指标" {
                Col::L1
            } else if level1_of(&t).is_some() && !LEVEL1.contains(&t.as_str()) {
                Col::L2
            } else {
                continue;
            };
            if let Some(x) = header_at_col(col) {
                offsets
                    .entry(row.page)
                    .or_default()
                    .push(i64::try_from(s + e).unwrap_or(0) - i64::try_from(x).unwrap_or(0));
            }
        }
    }
    // each page's median offset (a page without level names takes the page's before it);
    // none where the table's median offset is within a few characters (4, twice 8): a
    // merged level cell's name then stands where the header put its column, and a shift
    // measured from it would only move the other columns' words (长沙's)
    let mut all_offsets: Vec<i64> = offsets.values().flatten().copied().collect();
    all_offsets.sort_unstable();
    if all_offsets
        .get(all_offsets.len() / 2)
        .is_none_or(|m| m.abs() < 8)
    {
        offsets.clear();
    }
    let shifts: std::collections::BTreeMap<usize, i64> = offsets
        .into_iter()
        .filter_map(|(page, mut v)| {
            v.sort_unstable();
            v.get(v.len() / 2).map(|m| (page, *m))
        })
        .collect();
    let shift_of = |page: usize| -> i64 {
        shifts
            .range(..=page)
            .next_back()
            .map(|(_, m)| *m)
            .unwrap_or(0)
    };
    for row in rows.iter().skip(data_from) {
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
        let mut op = None;
        let mut unit = None;
        let mut own_l2 = None;
        let mut description = Vec::new();
        if level_words(row)
            .first()
            .is_some_and(|(_, _, w)| matches!(norm_header(w).as_str(), "合计" | "总计"))
        {
            totals.push(row.line_no);
        }
        for (s, e, w) in level_words(row) {
            let h = norm_header(&w);
            if h == "绩效指标" && s < 4 {
                continue;
            }
            let centre =
                usize::try_from((i64::try_from(s + e).unwrap_or(0) - shift_of(row.page)).max(0))
                    .unwrap_or(0);
            let mut col = centres
                .iter()
                .min_by_key(|(c, _)| c.abs_diff(centre))
                .map(|(_, col)| *col);
            // a level's name is no piece of a project's name or goal, wherever it stands
            if extended && matches!(col, Some(Col::Goal | Col::Name)) {
                if LEVEL1.contains(&h.as_str()) {
                    col = Some(Col::L1);
                } else if level1_of(&h).is_some() {
                    col = Some(Col::L2);
                }
            }
            // and a word in a level column that is no part of a level's name (`服务对象满意`
            // / `度指标` are) is the indicator's own name run into it
            if extended && matches!(col, Some(Col::L1 | Col::L2)) && !part_of_level_name(&h) {
                col = Some(Col::L3);
            }
            // an operator alone (`≥`, `＝`, `定性`) is the operator column's, where the table
            // has one, whatever the page's offset
            if has_op && (is_operator(&h) || h == "定性" || h == "定量") {
                col = Some(Col::Op);
            }
            // `其他` is what a unit column prints for no unit
            if has_unit && h == "其他" && col == Some(Col::Target) {
                col = Some(Col::Unit);
            }
            // a unit of measure alone (`%`, `次`) is the unit column's, where the table has
            // one, when it stands nearer a column read for nothing (`评（扣）分标准`)
            if has_unit && col == Some(Col::Other) && UNIT_WORDS.contains(&h.as_str()) {
                col = Some(Col::Unit);
            }
            // a closing bracket alone, printed left of the names' column, ends a wrapped
            // project name (`警务辅助人员经费（含市府机关大院30名` / `）`)
            if extended && !h.is_empty() && h.chars().all(|c| c == ')') {
                col = Some(Col::Name);
            }
            // where the table has a column of descriptions (`指标值内容`, right of the
            // target's), a second word nearest the target's column is the description's
            // (`100 维护质量达标`: the columns print left of their headers)
            if has_desc && col == Some(Col::Target) && target.is_some() {
                col = Some(Col::Desc);
            }
            match col {
                Some(Col::L1) => l1.push((row.line_no, w)),
                Some(Col::L2) => {
                    own_l2.get_or_insert_with(|| h.clone());
                    l2.push((row.line_no, w));
                }
                Some(Col::L3) => l3.push(w),
                // (pieces of the target's columns are kept in order: a page whose columns
                // sit off the header's may print the value nearer the unit's header)
                Some(Col::Target) if extended => {
                    target.get_or_insert_with(String::new).push_str(&w)
                }
                Some(Col::Target) => target = Some(w),
                Some(Col::Op) => op.get_or_insert_with(String::new).push_str(&w),
                Some(Col::Unit) => unit.get_or_insert_with(String::new).push_str(&w),
                Some(Col::Name) => names.push((row.line_no, w)),
                Some(Col::Goal) => goals.push((row.line_no, w)),
                Some(Col::Money) => moneys.push((row.line_no, w)),
                Some(Col::Desc) => description.push(w),
                _ => {}
            }
        }
        // an operator column's `＝` or `≥` and a unit column's `%` belong to the value
        // (`定性` says the target is words: no operator)
        let op = op.filter(|o| is_operator(&normalize_width(o)));
        // `其他` in the unit column: no unit
        let unit = unit.filter(|u| u.trim() != "其他");
        if target.is_some() || op.is_some() {
            let joined: String = [op, target, unit].into_iter().flatten().collect();
            target = Some(joined);
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
            description,
            own_l2,
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
        // (a line with its own piece of the name too, where names above and below it wrap
        // around it: `对…进行` / `数字化…的数 ＝ 50 万个` / `量`)
        let wrapped_around = |n: &Pending| {
            extended
                && after.is_some_and(|a| is_name_only(a) && touches(n, a))
                && n.target.is_some()
        };
        if is_name_only(cur)
            && let Some(n) = next
            && (n.level3.is_empty() || wrapped_around(n))
            && n.target.is_some()
            && touches(cur, n)
        {
            let mut p = Pending {
                first_line: cur.first_line,
                last_line: n.last_line,
                line_no: n.line_no,
                level3: cur.level3.iter().chain(&n.level3).cloned().collect(),
                target: n.target.clone(),
                description: cur
                    .description
                    .iter()
                    .chain(&n.description)
                    .cloned()
                    .collect(),
                own_l2: n.own_l2.clone(),
            };
            let mut used = 2;
            if let Some(a) = after
                && is_name_only(a)
                && touches(n, a)
            {
                p.level3.extend(a.level3.iter().cloned());
                p.description.extend(a.description.iter().cloned());
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
                description: c.description.clone(),
                own_l2: c.own_l2.clone(),
            });
        }
        i += 1;
    }
    let l2_labels = labels(&l2);
    let l1_labels = labels(&l1);
    let l2_of = blocks(&merged, &l2_labels);
    let l1_of = blocks(&merged, &l1_labels);

    // one table of many projects: each indicator's project, by where the names stand
    let mut projects: Vec<(i32, String, Option<String>)> = Vec::new();
    let mut project_of_row: Vec<usize> = vec![0; merged.len()];
    if let Some(line) = in_column {
        let named = if extended {
            projects_only(name_blocks(&names), &moneys, &totals)
        } else {
            Vec::new()
        };
        if named.is_empty() || merged.is_empty() {
            unread_projects(ctx, line);
        } else {
            project_of_row = assign_blocks(&merged, &named);
            ctx.warn(
                line,
                Some(table),
                WarningCode::ProjectsInColumn,
                format!(
                    "kpi table {project_no}: {} project(s) read from a 项目名称 column; each indicator is placed with the project whose name is printed nearest the middle of its rows (the text keeps no cell borders), so an indicator next to the boundary of two projects may be placed with its neighbour",
                    named.len()
                ),
                None,
            );
            let goals_of = goals_by_block(&goals, &merged, &project_of_row, &named);
            // a name printed again on the next page (the project's rows go on there) is
            // the same project: blocks of one name in a row are one project, with the
            // longest of their goals (each page prints it anew)
            let mut project_of_block: Vec<usize> = Vec::new();
            let mut last: Option<&str> = None;
            for (b, goal) in named.iter().zip(goals_of) {
                if last == Some(b.name.as_str())
                    && let Some(p) = projects.last_mut()
                {
                    if goal.as_ref().map_or(0, String::len) > p.2.as_ref().map_or(0, String::len) {
                        p.2 = goal;
                    }
                } else {
                    let no = fallback_no
                        .saturating_add(i32::try_from(projects.len()).unwrap_or(i32::MAX));
                    projects.push((no, b.name.clone(), goal));
                }
                last = Some(b.name.as_str());
                project_of_block.push(projects.len().saturating_sub(1));
            }
            for slot in &mut project_of_row {
                *slot = project_of_block.get(*slot).copied().unwrap_or(0);
            }
        }
    }
    let mut numbered = vec![0_i32; projects.len()];

    let mut out = Vec::new();
    for (k, p) in merged.iter().enumerate() {
        // a 二级指标 printed on the indicator's own line is its own; else its block's
        let own_l2 = p
            .own_l2
            .clone()
            .filter(|l| extended && level1_of(l).is_some());
        let level2 = own_l2.or_else(|| l2_of.get(k).cloned().flatten());
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
        let block = project_of_row.get(k).copied().unwrap_or(0);
        let (no, name, project_goal) = match projects.get(block) {
            Some((no, name, g)) => (*no, name.clone(), g.clone()),
            None => (project_no, project_name.clone(), goal.clone()),
        };
        // (numbered within its project where the table holds many; else by its place in
        // the table, unstored rows counted)
        let indicator_no = match numbered.get_mut(block) {
            Some(n) => {
                *n += 1;
                *n
            }
            _ => i32::try_from(k + 1).unwrap_or(i32::MAX),
        };
        out.push(KpiTarget {
            project_no: no,
            project_name: name,
            project_goal,
            indicator_no,
            level1,
            level2,
            level3: cell_opt(&p.level3.concat()),
            description: cell_opt(&p.description.concat()),
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

/// A project's name printed in a 项目名称 column, at the centre of its block of rows.
struct NameBlock {
    name: String,
    /// Twice the centre line.
    centre2: usize,
    /// The first and last line of its pieces.
    lines: (usize, usize),
}

/// The projects of a 项目名称 column: pieces on adjacent lines are one name (a project code
/// such as `11000022T0000004602` printed above it is left out).
fn name_blocks(pieces: &[(usize, String)]) -> Vec<NameBlock> {
    let is_code = |t: &str| {
        t.chars().count() >= 10
            && t.chars().all(|c| c.is_ascii_alphanumeric())
            && t.chars().any(|c| c.is_ascii_digit())
    };
    let mut spans: Vec<(usize, usize, String)> = Vec::new();
    for (line, text) in pieces {
        match spans.last_mut() {
            // (a name wrapped over two lines may have a blank line between; a project code
            // starts the next project)
            Some(last) if *line <= last.1 + 2 && (!is_code(text) || last.2.is_empty()) => {
                last.1 = *line;
                if !is_code(text) {
                    last.2.push_str(text.trim());
                }
            }
            _ => spans.push((
                *line,
                *line,
                if is_code(text) {
                    String::new()
                } else {
                    text.trim().to_string()
                },
            )),
        }
    }
    spans
        .into_iter()
        .filter_map(|(a, b, name)| {
            let name = clean_text(&name);
            (!name.is_empty()).then_some(NameBlock {
                name,
                centre2: a + b,
                lines: (a, b),
            })
        })
        .collect()
}

/// The blocks of a 项目名称 column that name projects: not the 合计 row, nor a row whose
/// money is the 合计's (the unit's own row above its projects, `106001 长沙市公安局
/// 40,233.95`).
fn projects_only(
    blocks: Vec<NameBlock>,
    moneys: &[(usize, String)],
    totals: &[usize],
) -> Vec<NameBlock> {
    let money_on = |a: usize, b: usize| {
        moneys
            .iter()
            .filter(|(line, _)| (a..=b).contains(line))
            .find_map(|(_, w)| Decimal::from_str(&w.replace(',', "")).ok())
    };
    let total: Vec<Decimal> = totals.iter().filter_map(|l| money_on(*l, *l)).collect();
    blocks
        .into_iter()
        .filter(|b| {
            let name = norm_header(&b.name);
            !matches!(name.as_str(), "合计" | "总计" | "小计")
                && money_on(b.lines.0, b.lines.1).is_none_or(|m| !total.contains(&m))
        })
        .collect()
}

/// The block of each indicator (indicators in print order, blocks contiguous and in order):
/// the split that puts each block's name nearest the centre of its rows (least squares,
/// by dynamic programming). With fewer indicators than names, each goes to the nearest name.
fn assign_blocks(indicators: &[Pending], blocks: &[NameBlock]) -> Vec<usize> {
    let (m, n) = (indicators.len(), blocks.len());
    let nearest = |p: &Pending| {
        blocks
            .iter()
            .enumerate()
            .min_by_key(|(_, b)| (p.first_line + p.last_line).abs_diff(b.centre2))
            .map(|(k, _)| k)
            .unwrap_or(0)
    };
    if n == 0 || m < n || n.saturating_mul(m).saturating_mul(m) > 20_000_000 {
        return indicators.iter().map(nearest).collect();
    }
    let cost = |i: usize, j: usize, k: usize| -> u64 {
        let (Some(a), Some(b), Some(blk)) = (indicators.get(i), indicators.get(j), blocks.get(k))
        else {
            return u64::MAX / 4;
        };
        let d = (a.first_line + b.last_line).abs_diff(blk.centre2) as u64;
        d.saturating_mul(d)
    };
    const NONE: u64 = u64::MAX / 2;
    // best[k][j]: rows 0..=j in blocks 0..=k, block k ending at j; from[k][j]: its start
    let mut best = vec![vec![NONE; m]; n];
    let mut from = vec![vec![0_usize; m]; n];
    for j in 0..m {
        if let Some(cell) = best.get_mut(0).and_then(|r| r.get_mut(j)) {
            *cell = cost(0, j, 0);
        }
    }
    for k in 1..n {
        for j in k..m {
            let mut top = (NONE, k);
            for i in k..=j {
                let before = best
                    .get(k - 1)
                    .and_then(|r| r.get(i - 1))
                    .copied()
                    .unwrap_or(NONE);
                if before >= NONE {
                    continue;
                }
                let c = before.saturating_add(cost(i, j, k));
                if c < top.0 {
                    top = (c, i);
                }
            }
            if let (Some(b), Some(f)) = (
                best.get_mut(k).and_then(|r| r.get_mut(j)),
                from.get_mut(k).and_then(|r| r.get_mut(j)),
            ) {
                *b = top.0;
                *f = top.1;
            }
        }
    }
    let mut out = vec![0; m];
    let mut end = m;
    for k in (0..n).rev() {
        let start = if k == 0 {
            0
        } else {
            from.get(k)
                .and_then(|r| r.get(end - 1))
                .copied()
                .unwrap_or(0)
        };
        for slot in out.iter_mut().take(end).skip(start) {
            *slot = k;
        }
        end = start;
    }
    out
}

/// Each block's goal: the 绩效目标 pieces printed within its rows' lines (or nearest its
/// name), in line order.
fn goals_by_block(
    pieces: &[(usize, String)],
    indicators: &[Pending],
    of: &[usize],
    blocks: &[NameBlock],
) -> Vec<Option<String>> {
    let mut span: Vec<Option<(usize, usize)>> = vec![None; blocks.len()];
    for (p, k) in indicators.iter().zip(of) {
        if let Some(s) = span.get_mut(*k) {
            let (a, b) = s.unwrap_or((p.first_line, p.last_line));
            *s = Some((a.min(p.first_line), b.max(p.last_line)));
        }
    }
    let mut text: Vec<String> = vec![String::new(); blocks.len()];
    for (line, piece) in pieces {
        let inside = span
            .iter()
            .position(|s| s.is_some_and(|(a, b)| (a..=b).contains(line)));
        let k = inside.or_else(|| {
            blocks
                .iter()
                .enumerate()
                .min_by_key(|(_, b)| (2 * line).abs_diff(b.centre2))
                .map(|(k, _)| k)
        });
        if let Some(t) = k.and_then(|k| text.get_mut(k)) {
            t.push_str(piece.trim());
        }
    }
    text.into_iter().map(|t| cell_opt(&t)).collect()
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

    fn at(line: usize) -> Pending {
        Pending {
            first_line: line,
            last_line: line,
            line_no: line,
            level3: vec!["x".into()],
            target: Some("1".into()),
            description: Vec::new(),
            own_l2: None,
        }
    }

    #[test]
    fn header_words_of_many_columns() {
        // 长沙's: the target's value, its content, the scoring rule, the unit, the operator
        // and a note each in a column of their own
        let cols: Vec<Option<Option<Col>>> = [
            "单位编码",
            "单位（项目）名称",
            "资金总额",
            "指标值",
            "指标值内容",
            "评（扣）分标准",
            "度量单位",
            "指标值类型",
            "备注",
        ]
        .map(header_col)
        .into();
        use Col::*;
        assert_eq!(
            cols,
            [Other, Name, Money, Target, Desc, Other, Unit, Op, Other].map(|c| Some(Some(c)))
        );
    }

    #[test]
    fn the_total_and_the_unit_row_are_no_projects() {
        let pieces: Vec<(usize, String)> = [
            (10, "长沙市公安局"),
            (20, "大型警保卫及基础设施安全保护工作经费"),
            (40, "大院运行和维修经费"),
        ]
        .iter()
        .map(|(l, t)| (*l, t.to_string()))
        .collect();
        let moneys: Vec<(usize, String)> = [
            (5, "3,220.20"),
            (10, "3,220.20"),
            (20, "428.69"),
            (40, "2,791.51"),
        ]
        .iter()
        .map(|(l, t)| (*l, t.to_string()))
        .collect();
        let names = |totals: &[usize]| -> Vec<String> {
            projects_only(name_blocks(&pieces), &moneys, totals)
                .into_iter()
                .map(|b| b.name)
                .collect()
        };
        assert_eq!(
            names(&[5]),
            ["大型警保卫及基础设施安全保护工作经费", "大院运行和维修经费"]
        );
        // without a 合计 line nothing is left out
        assert_eq!(names(&[]).len(), 3);
    }

    #[test]
    fn project_names_and_their_blocks() {
        let pieces: Vec<(usize, String)> = [
            (20, "11000022T0000004602"),
            (21, "16-《北京审计》杂志"),
            (23, "办刊经费"),
            (40, "11000022T0000004606"),
            (41, "87-机动经费"),
        ]
        .iter()
        .map(|(l, t)| (*l, t.to_string()))
        .collect();
        let blocks = name_blocks(&pieces);
        let names: Vec<(&str, usize)> = blocks.iter().map(|b| (&*b.name, b.centre2)).collect();
        // the code is left out; a blank line inside a name does not split it
        assert_eq!(
            names,
            [("16-《北京审计》杂志办刊经费", 43), ("87-机动经费", 81)]
        );
        // six rows about line 21.5, three about line 40.5: the split that centres each name
        let rows: Vec<Pending> = [12, 16, 20, 24, 28, 31, 36, 40, 45].map(at).into();
        assert_eq!(assign_blocks(&rows, &blocks), [0, 0, 0, 0, 0, 0, 1, 1, 1]);
        // fewer rows than names: each to the nearest
        assert_eq!(assign_blocks(&[at(39)], &blocks), [1]);
        assert!(assign_blocks(&[], &blocks).is_empty());
    }

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
