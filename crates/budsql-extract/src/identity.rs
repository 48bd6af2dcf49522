//! Who published the document, for which year, what kind: read from wherever the document
//! says it — the cover title (one line or several), the running header of its pages, the
//! labels over its tables (`部门：`, `单位名称：`, `编制部门：`), a code-and-name line, a
//! `单位代码：` line, the titles of its tables — and, for the year only and as a last
//! resort, the file name (with a warning). A name is taken only where it reads as a
//! unit's name: never a section heading (`第二部分`), a sentence or a table title.

use std::collections::BTreeMap;
use std::path::Path;

use budsql_schema::{DocKind, Scope};
use budsql_text::{Line, clean_text, normalize_width};

use crate::grid::Section;

/// What the document says about itself.
#[derive(Debug, Default, Clone)]
pub struct Stated {
    pub title: Option<String>,
    pub title_line: usize,
    /// The year and the line that states it (0 for the file name).
    pub year: Option<(i64, usize)>,
    /// The year was taken from the file name, the document stating none.
    pub year_from_file_name: bool,
    /// The unit's name was taken from the file name, the document stating none.
    pub unit_from_file_name: bool,
    pub doc_kind: DocKind,
    pub scope: Scope,
    pub region: Option<String>,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    /// The department the unit belongs to, as a `主管部门：` label states it.
    pub department: Option<String>,
}

/// The first year in a text: `YYYY年` or `YYYY 年` (a page number glued before it,
/// `22019年`, is not part of it), as (year, byte offset). A run of one to three digits
/// before 年 is returned as it is (so that `0年` can be reported out of range).
pub fn year_in(text: &str) -> Option<(i64, usize)> {
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
        if after != Some('年') || !(1..=8).contains(&digits.len()) {
            continue;
        }
        if digits.len() > 4 {
            // digits glued before a year: the year is the last four
            let tail = digits.get(digits.len() - 4..).unwrap_or("");
            if let Ok(y) = tail.parse::<i64>()
                && (1990..=2100).contains(&y)
            {
                let skip = digits.len() - 4;
                let at = chars.get(k + skip).map(|(o, _)| *o).unwrap_or(off);
                return Some((y, at));
            }
        }
        if let Ok(y) = digits.parse::<i64>() {
            return Some((y, off));
        }
    }
    None
}

/// A year in a file name: four digits 19xx or 20xx not inside a longer number.
fn year_in_file_name(path: &Path) -> Option<i64> {
    let name = path.file_stem()?.to_string_lossy().to_string();
    let b = name.as_bytes();
    (0..b.len().saturating_sub(3)).find_map(|i| {
        let four = b.get(i..i + 4)?;
        let digit = |k: Option<&u8>| k.is_some_and(|c| c.is_ascii_digit());
        if !four.iter().all(u8::is_ascii_digit)
            || digit(i.checked_sub(1).and_then(|p| b.get(p)))
            || digit(b.get(i + 4))
        {
            return None;
        }
        let y: i64 = std::str::from_utf8(four).ok()?.parse().ok()?;
        (1990..=2100).contains(&y).then_some(y)
    })
}

/// A unit's name in a file name: the text before its year (or before `部门预算`, `单位决算`
/// …), where it reads as a unit's name (`北京市审计局2026年部门预算` → `北京市审计局`).
fn unit_in_file_name(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_string_lossy().to_string();
    let t = clean_text(&normalize_width(&stem)).replace([' ', '_', '-'], "");
    let mut end = t.len();
    if let Some((_, off)) = year_in(&t) {
        end = end.min(off);
    }
    for w in [
        "部门预算",
        "部门决算",
        "单位预算",
        "单位决算",
        "预算",
        "决算",
    ] {
        if let Some(i) = t.find(w) {
            end = end.min(i);
        }
    }
    let name = t.get(..end)?.trim_end_matches(['年', '度']).to_string();
    is_unit_name(&name).then_some(name)
}

/// Region from a unit's name or a title: the administrative name up to its last
/// administrative suffix (`上海市普陀区财政局` → `上海市普陀区`); a central body's
/// (`国家信访局`) is `中央`.
pub fn region_of(text: &str) -> Option<String> {
    let t: String = budsql_text::compact_label(text);
    let before = match year_in(&t) {
        Some((_, off)) if off > 0 => t.get(..off).unwrap_or("").to_string(),
        // a title opening with its year: the name after it (`2026年度苏州市审计局…`)
        Some((_, 0)) => {
            let after = t.split_once('年').map(|(_, r)| r).unwrap_or("");
            after.strip_prefix('度').unwrap_or(after).to_string()
        }
        _ => t,
    };
    let before = before
        .strip_prefix("中共")
        .or_else(|| before.strip_prefix("中国共产党"))
        .unwrap_or(&before)
        .to_string();
    if before.starts_with("国家")
        || before.starts_with("中央")
        || before.starts_with("中华人民共和国")
    {
        return Some("中央".to_string());
    }
    let chars: Vec<char> = before.chars().collect();
    let not_admin = [
        "社区", "园区", "小区", "校区", "景区", "街区", "片区", "辖区", "营区", "区级", "市级",
        "县级", "市场", "区域", "州级",
    ];
    let mut cut = None;
    for (i, c) in chars.iter().enumerate() {
        if matches!(c, '省' | '市' | '区' | '县' | '州' | '旗' | '盟')
            && !(*c == '市' && chars.get(i + 1) == Some(&'场'))
        {
            let pair: String = chars.iter().skip(i.saturating_sub(1)).take(2).collect();
            let next_pair: String = chars.iter().skip(i).take(2).collect();
            if not_admin.contains(&pair.as_str()) || not_admin.contains(&next_pair.as_str()) {
                continue;
            }
            // `市委`, `区委`: the party organ of the place, whose name is the place
            cut = Some(i + 1);
        } else if cut.is_some() && !matches!(c, '委') {
            // administrative names come first; stop at the first word after them that
            // is not another level (`苏州市审计局`: 审 ends it)
            let rest: String = chars.iter().skip(i).collect();
            if !["自治", "新区", "开发区", "高新"]
                .iter()
                .any(|p| rest.starts_with(p))
                && !rest
                    .chars()
                    .take(6)
                    .any(|c| matches!(c, '区' | '县' | '市'))
            {
                break;
            }
        }
    }
    let region: String = chars.iter().take(cut?).collect();
    (region.chars().count() >= 2).then_some(region)
}

/// Whether a text reads as the name of a government body: a few characters, with an
/// organisation's ending (局, 委员会, 中心, …) or a place's name, and not a heading,
/// a sentence, a table title or a money unit.
pub fn is_unit_name(name: &str) -> bool {
    let n = name.trim();
    let len = n.chars().count();
    if !(2..=40).contains(&len) || !n.chars().any(budsql_text::is_cjk) {
        return false;
    }
    let t = normalize_width(n);
    let heading = (t.starts_with('第') && (t.contains("部分") || t.contains('章')))
        || t.starts_with(['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'])
            && t.chars().take(4).any(|c| c == '、')
        || t.starts_with('(')
        || t.starts_with(|c: char| c.is_ascii_digit());
    if heading
        || t.contains(['。', ',', '，', ';', '；', ':', '：'])
        || [
            "目录", "说明", "情况", "公开", "预算", "决算", "万元", "单位:", "表",
        ]
        .iter()
        .any(|w| t.ends_with(w))
        || t == "合计"
    {
        return false;
    }
    let endings = [
        "局",
        "委员会",
        "委",
        "办公室",
        "办",
        "中心",
        "院",
        "所",
        "站",
        "部",
        "厅",
        "会",
        "处",
        "队",
        "馆",
        "校",
        "学",
        "园",
        "政府",
        "法院",
        "检察院",
        "街道办事处",
        "办事处",
        "镇",
        "乡",
        "街道",
        "社",
        "台",
        "室",
        "署",
        "团",
        "协会",
        "联合会",
        "组",
        "科",
        "司",
        "公司",
        "(本级)",
        "（本级）",
        "(汇总)",
        "（汇总）",
        "本级",
        "机关",
        "中队",
        "大队",
        "支队",
    ];
    endings.iter().any(|e| t.ends_with(e) || n.ends_with(e))
        || ["市", "区", "县", "省", "中共", "国家"]
            .iter()
            .any(|w| t.contains(w))
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
    // (cheaply first: the line starts with a digit, half- or full-width)
    let first = text.trim_start().chars().next()?;
    if !(first.is_ascii_digit() || ('０'..='９').contains(&first)) {
        return None;
    }
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
    // (a year and a sentence, `2025 年本单位无…的支出。`, is no code and name)
    if name.starts_with(['年', '月'])
        || name.contains(['。', '，', '；', ','])
        || too_long_for_a_name(&name)
    {
        return None;
    }
    (name.chars().count() >= 2 && name.chars().any(budsql_text::is_cjk)).then_some((code, name))
}

/// Whether a name is too long to be a unit's (a sentence run on without punctuation).
fn too_long_for_a_name(name: &str) -> bool {
    name.chars().count() > 40
}

/// The body a title or running header names: the text without its years and without
/// the words that say what the document is (`2026 年度苏州市审计局部门预算公开` →
/// `苏州市审计局`).
fn body_of(statement: &str) -> Option<String> {
    // (as printed, spaces aside: full-width brackets stay)
    let t: String = budsql_text::without_spaces(statement);
    // cut at the document words
    let ends = [
        "部门预算",
        "单位预算",
        "部门决算",
        "单位决算",
        "部门综合预算",
        "部门整体",
        "预算公开",
        "决算公开",
        "年度预算",
        "年度决算",
        "预算信息",
        "决算信息",
        "预算报表",
        "决算报表",
    ];
    let mut cut = t.len();
    for e in ends {
        if let Some(i) = t.find(e) {
            cut = cut.min(i);
        }
    }
    let head = t.get(..cut).unwrap_or("");
    // drop the years: `2026年度`, `2026年`, `２０２６年`
    let chars: Vec<char> = head.chars().collect();
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let mut out = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if digit(c) {
            let start = i;
            while chars.get(i).is_some_and(|c| digit(*c)) {
                i += 1;
            }
            if chars.get(i) == Some(&'年') && i - start >= 4 {
                i += 1;
                if chars.get(i) == Some(&'度') {
                    i += 1;
                }
                continue;
            }
            out.extend(chars.get(start..i).unwrap_or(&[]));
            continue;
        }
        out.push(c);
        i += 1;
    }
    let out = out.trim_start_matches(['关', '于']).to_string();
    is_unit_name(&out).then_some(out)
}

/// The value labelled by `key` on a line (`部门：苏州市审计局      单位：万元`), as printed,
/// up to a wide gap.
fn labelled(line: &str, norm: &str, key: &str) -> Option<String> {
    let mut from = 0;
    while let Some(idx) = norm.get(from..).and_then(|s| s.find(key)).map(|i| i + from) {
        from = idx + key.len();
        // the key starts the line or follows a gap (not `预算单位:` inside `编制预算单位:`)
        let before = norm.get(..idx).unwrap_or("");
        if !(before.trim().is_empty() || before.ends_with("  ")) {
            continue;
        }
        let rest = same_chars(line, norm, idx + key.len()).trim_start();
        let rest = rest.split("  ").next().unwrap_or("");
        let name = clean_text(rest);
        if !name.is_empty() {
            return Some(name);
        }
    }
    None
}

/// The labels a table's label line names its unit by, most specific first (`单位:` names
/// the money unit too: only a unit's name counts).
const UNIT_LABELS: [&str; 10] = [
    "编制单位:",
    "预算单位:",
    "单位名称:",
    "预算主管部门:",
    "编制部门:",
    "部门名称:",
    "预算部门:",
    "主管部门:",
    "部门:",
    "单位:",
];

/// The unit a table's label line names (`单位名称：某某厅机关本级  单位：万元`), if any.
pub fn table_unit_label(text: &str) -> Option<String> {
    if !(text.contains("单位") || text.contains("部门")) {
        return None;
    }
    let t = normalize_width(text);
    UNIT_LABELS
        .iter()
        .find_map(|key| labelled(text, &t, key).filter(|n| is_unit_name(n)))
}

/// Reads the identity the document states.
pub fn stated(lines: &[Line<'_>], sections: &[Section], path: &Path) -> Stated {
    let mut st = Stated::default();
    // The title: the first non-blank plain line that names 预算/决算 and a year, joined with
    // the cover lines above it when the body's name is printed on lines of its own
    // (`中共上海市普陀区委` / `社会工作部 2024 年度` / `部门决算`, or `2026 年度` / `无锡市
    // 交通运输局（本级）` / `单位预算公开`).
    let cover: Vec<&Line<'_>> = lines
        .iter()
        .take(60)
        .filter(|l| !l.is_blank())
        .take(4)
        .collect();
    for (k, l) in lines.iter().take(60).filter(|l| !l.is_blank()).enumerate() {
        let t = l.text.trim();
        let joined = |n: usize| {
            let mut s = t.to_string();
            for c in cover.iter().skip(k + 1).take(n) {
                s.push_str(c.text.trim());
            }
            s
        };
        let candidate = if (t.contains("预算") || t.contains("决算")) && year_in(t).is_some() {
            t.to_string()
        } else if year_in(t).is_some() && k < 3 {
            // `社会工作部 2024 年度` / `部门决算`, or `2026 年度` / name / `单位预算公开`
            match (1..=2)
                .map(joined)
                .find(|j| j.contains("预算") || j.contains("决算"))
            {
                Some(j) => j,
                None => continue,
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
    // lines printed at the top or bottom of three or more pages: the running header
    let running = running_headers(lines);

    // the year: the title's, a `预算年度` line, the running header's, the tables' titles',
    // and last the file name's
    st.year = year_in(&title).map(|(y, _)| (y, st.title_line));
    if st.year.is_none() {
        // 预算年度: 2023 / 预算年度：\n2023
        for (i, l) in lines.iter().enumerate() {
            // (CJK words are the same before width normalising)
            if !l.text.contains("年度") {
                continue;
            }
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
    if st.year.is_none() {
        st.year = running
            .iter()
            .find_map(|(t, line)| year_in(t).map(|(y, _)| (y, *line)));
    }
    if st.year.is_none() {
        st.year = sections
            .iter()
            .find_map(|s| year_in(&s.title).map(|(y, _)| (y, s.title_line)));
    }
    if st.year.is_none()
        && let Some(y) = year_in_file_name(path)
    {
        st.year = Some((y, 0));
        st.year_from_file_name = true;
    }

    // kind and scope: the title's words, else the running header's, else the tables'
    let statement = if title.is_empty() {
        running.first().map(|(t, _)| t.clone()).unwrap_or_default()
    } else {
        title.clone()
    };
    st.doc_kind = if statement.contains("决算") {
        DocKind::Final
    } else if statement.contains("预算") {
        DocKind::Budget
    } else {
        let finals = sections.iter().filter(|s| s.title.contains("决算")).count();
        let budgets = sections.iter().filter(|s| s.title.contains("预算")).count();
        if finals > budgets {
            DocKind::Final
        } else {
            DocKind::Budget
        }
    };
    let compact: String = budsql_text::without_spaces(&statement);
    let unit_words = |t: &str| t.contains("单位预算") || t.contains("单位决算");
    // (a document without a title says it through its tables' titles: `部门整体支出绩效目标表`)
    let titles = || -> String {
        sections
            .iter()
            .map(|s| s.title.replace(char::is_whitespace, ""))
            .chain(lines.iter().filter_map(|l| {
                let t = l.text.trim();
                (t.ends_with('表') && t.chars().count() <= 40)
                    .then(|| t.replace(char::is_whitespace, ""))
            }))
            .collect()
    };
    st.scope = if unit_words(&compact) {
        Scope::Unit
    } else if compact.contains("部门") || {
        let t = titles();
        !unit_words(&t) && t.contains("部门")
    } {
        Scope::Department
    } else {
        Scope::Unit
    };

    // the lines that label something (`部门：…`, `单位代码：…`): every label ends at a colon
    let labelling: Vec<(usize, &Line<'_>)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.text.contains(':') || l.text.contains('：'))
        .collect();
    // the unit: a code-and-name line (most frequent) in the tables' plain lines
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
    // else the name the tables are labelled with (most often, as printed)
    if st.unit_name.is_none() {
        let keys = UNIT_LABELS;
        let mut named: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for &(i, l) in &labelling {
            // (substring searches: a set of chars would decode every character)
            if !(l.text.contains("单位") || l.text.contains("部门")) {
                continue;
            }
            let t = normalize_width(l.text);
            // (the keys that end at one of the line's colons: one scan for all of them)
            let colons: Vec<usize> = t.match_indices(':').map(|(c, _)| c + 1).collect();
            let at_colon = |key: &str| {
                colons
                    .iter()
                    .any(|c| t.get(..*c).is_some_and(|b| b.ends_with(key)))
            };
            for key in keys.iter().filter(|k| at_colon(k)) {
                if let Some(name) = labelled(l.text, &t, key)
                    && is_unit_name(&name)
                {
                    let slot = named.entry(name).or_insert((0, i));
                    slot.0 += 1;
                    break;
                }
            }
        }
        st.unit_name = named
            .into_iter()
            .max_by_key(|(_, (n, first))| (*n, std::cmp::Reverse(*first)))
            .map(|(name, _)| name);
    }
    // else the body the running header or the title names
    if st.unit_name.is_none() {
        st.unit_name = running
            .iter()
            .map(|(t, _)| t.as_str())
            .chain(std::iter::once(title.as_str()))
            .find_map(body_of);
    }
    if st.unit_name.is_none() {
        // the title names the body before the year (`上海市普陀区财政局2024年度部门决算`)
        let before = year_in(&title)
            .and_then(|(_, off)| title.get(..off))
            .unwrap_or("");
        let name = clean_text(before).replace(' ', "");
        if is_unit_name(&name) {
            st.unit_name = Some(name);
        }
    }
    // last, a file name that names the unit (`北京市审计局2026年部门预算.pdf`)
    if st.unit_name.is_none()
        && let Some(name) = unit_in_file_name(path)
    {
        st.unit_name = Some(name);
        st.unit_from_file_name = true;
    }
    // a unit code stated on its own (`单位代码：135001`)
    if st.unit_code.is_none() {
        for (_, l) in labelling.iter().take_while(|(i, _)| *i < 400) {
            if !l.text.contains("代码") && !l.text.contains("编码") {
                continue;
            }
            let t = normalize_width(l.text);
            for key in [
                "单位代码:",
                "单位编码:",
                "预算单位代码:",
                "部门代码:",
                "部门编码:",
            ] {
                if let Some(v) = labelled(l.text, &t, key) {
                    let digits: String = v.chars().take_while(|c| c.is_ascii_digit()).collect();
                    if (3..=15).contains(&digits.len()) {
                        st.unit_code = Some(digits);
                        break;
                    }
                }
            }
            if st.unit_code.is_some() {
                break;
            }
        }
    }
    // the department the unit belongs to: a `主管部门：` label (most often, as printed)
    let mut departments: BTreeMap<String, usize> = BTreeMap::new();
    for (_, l) in &labelling {
        if !l.text.contains("主管部门") {
            continue;
        }
        let t = normalize_width(l.text);
        for key in ["预算主管部门:", "主管部门:"] {
            if let Some(name) = labelled(l.text, &t, key)
                && is_unit_name(&name)
            {
                *departments.entry(name).or_default() += 1;
                break;
            }
        }
    }
    st.department = departments
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(name, _)| name);
    // the region: the unit's name's, or the title's where it names the same place more
    // fully (`广州市天河区` for a unit named `天河区…`)
    let by_unit = st.unit_name.as_deref().and_then(region_of);
    let by_title = (!title.is_empty()).then(|| region_of(&title)).flatten();
    st.region = match (by_unit, by_title) {
        (Some(u), Some(t)) if t.contains(&u) => Some(t),
        (Some(u), _) => Some(u),
        (None, t) => t,
    };
    st
}

/// Lines printed at the top or bottom of three or more pages (digits aside): the running
/// header or footer, with the first line it stands on.
pub fn running_headers(lines: &[Line<'_>]) -> Vec<(String, usize)> {
    let mut seen: BTreeMap<String, (std::collections::BTreeSet<usize>, usize, String)> =
        BTreeMap::new();
    // the first and last two non-blank lines of each page
    for l in crate::furniture::page_edges(lines, 2)
        .into_iter()
        .filter_map(|i| lines.get(i))
    {
        // (a running header is one cell: a table row at a page's edge is not one)
        let raw = l.text.trim();
        if raw.contains("  ") || raw.contains('\t') || raw.chars().count() < 4 {
            continue;
        }
        let t: String = budsql_text::compact_label(l.text);
        if t.chars().count() < 4 || !t.chars().any(budsql_text::is_cjk) {
            continue;
        }
        let key: String = t.chars().filter(|c| !c.is_ascii_digit()).collect();
        let slot = seen
            .entry(key)
            .or_insert_with(|| (Default::default(), l.no, t.clone()));
        slot.0.insert(l.page);
    }
    let mut out: Vec<(String, usize)> = seen
        .into_values()
        .filter(|(pages, _, _)| pages.len() >= 3)
        .map(|(_, line, text)| (text, line))
        .collect();
    out.sort_by_key(|(_, l)| *l);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years() {
        assert_eq!(year_in("2026 年度苏州市审计局").map(|y| y.0), Some(2026));
        assert_eq!(year_in("22019年部门预算").map(|y| y.0), Some(2019));
        assert_eq!(year_in("第 3 页").map(|y| y.0), None);
        assert_eq!(
            year_in_file_name(Path::new("beijing_shenji_2026_dept_budget.pdf")),
            Some(2026)
        );
        assert_eq!(year_in_file_name(Path::new("doc_120261.pdf")), None);
    }

    #[test]
    fn units_in_file_names() {
        let unit = |n: &str| unit_in_file_name(Path::new(n));
        assert_eq!(
            unit("北京市审计局2026年部门预算.pdf").as_deref(),
            Some("北京市审计局")
        );
        assert_eq!(
            unit("/x/上海市普陀区财政局_部门决算.txt").as_deref(),
            Some("上海市普陀区财政局")
        );
        assert_eq!(unit("beijing_shenji_2026_dept_budget.pdf"), None);
        assert_eq!(unit("2026年部门预算.pdf"), None);
        assert_eq!(unit("附件2.pdf"), None);
    }

    #[test]
    fn names_and_regions() {
        assert!(is_unit_name("苏州市审计局"));
        assert!(is_unit_name("无锡市交通运输局（本级）"));
        assert!(is_unit_name("中共西安市委宣传部"));
        assert!(!is_unit_name("第二部分"));
        assert!(!is_unit_name("一、部门概况"));
        assert!(!is_unit_name("收支总表"));
        assert!(!is_unit_name("万元"));
        assert_eq!(
            body_of("2026 年度苏州市审计局部门预算公开").as_deref(),
            Some("苏州市审计局")
        );
        assert_eq!(
            body_of("无锡市交通运输局（本级）2026 年度单位预算公开").as_deref(),
            Some("无锡市交通运输局（本级）")
        );
        assert_eq!(region_of("苏州市审计局").as_deref(), Some("苏州市"));
        assert_eq!(
            region_of("上海市普陀区财政局").as_deref(),
            Some("上海市普陀区")
        );
        assert_eq!(region_of("中共西安市委宣传部").as_deref(), Some("西安市"));
        assert_eq!(region_of("国家信访局").as_deref(), Some("中央"));
    }
}
