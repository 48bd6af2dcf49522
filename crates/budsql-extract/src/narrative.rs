//! Figures stated in the narrative (情况说明): totals, 基本/项目, 人员/公用, the 三公 figures
//! of this year and last year.
//!
//! Sentences are read with their whitespace removed (`1220. 18 万元` → `1220.18万元`). A
//! figure is a known phrase followed, within a few characters that say nothing of change
//! (`为`, `预算总额为`, `共计安排`), by a number and `万元` or `元`.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::LazyLock;

use budsql_schema::{Decimal, MoneyUnit, NarrativeFigure, to_wan};
use budsql_text::normalize_width;

use crate::grid::PlainLine;

/// A paragraph as characters, with the line each character came from.
struct Para {
    chars: Vec<char>,
    lines: Vec<usize>,
}

fn paragraphs(lines: &[PlainLine]) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::new();
    let mut prev: Option<(usize, bool)> = None;
    for l in lines {
        let text = normalize_width(&l.text);
        let ends = text.trim_end().ends_with(['。', ':', '：']);
        let continues = matches!(prev, Some((no, ended)) if !ended && l.line_no <= no + 2);
        if !continues {
            out.push(Para {
                chars: Vec::new(),
                lines: Vec::new(),
            });
        }
        if let Some(p) = out.last_mut() {
            p.chars.reserve(text.len() / 3 + 1);
            p.lines.reserve(text.len() / 3 + 1);
            for c in text.chars() {
                if c.is_whitespace() || matches!(c, '"' | '“' | '”' | '‘' | '’' | '\'') {
                    continue;
                }
                p.chars.push(c);
                p.lines.push(l.line_no);
            }
        }
        prev = Some((l.line_no, ends));
    }
    out
}

/// One sentence: a range of a paragraph.
struct Sentence<'a> {
    chars: &'a [char],
    lines: &'a [usize],
}

impl Sentence<'_> {
    fn text(&self) -> String {
        self.chars.iter().collect()
    }
    fn line_at(&self, i: usize) -> usize {
        self.lines
            .get(i)
            .or(self.lines.first())
            .copied()
            .unwrap_or(0)
    }
}

fn sentences(p: &Para) -> Vec<Sentence<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in p.chars.iter().enumerate() {
        if *c == '。' {
            if let (Some(chars), Some(lines)) = (p.chars.get(start..=i), p.lines.get(start..=i)) {
                out.push(Sentence { chars, lines });
            }
            start = i + 1;
        }
    }
    if let (Some(chars), Some(lines)) = (p.chars.get(start..), p.lines.get(start..))
        && !chars.is_empty()
    {
        out.push(Sentence { chars, lines });
    }
    out
}

const CHANGE_WORDS: [&str; 8] = ["增加", "减少", "增长", "下降", "比", "较", "持平", "变化"];

/// A number and its unit right after position `i`, allowing a short filler first.
/// Returns (value in 万元, index just past the unit).
fn figure_after(chars: &[char], i: usize, max_filler: usize) -> Option<(Decimal, usize)> {
    let mut j = i;
    while j < chars.len() && !chars.get(j)?.is_ascii_digit() {
        j += 1;
        if j - i > max_filler {
            return None;
        }
    }
    let filler: String = chars.get(i..j)?.iter().collect();
    if CHANGE_WORDS.iter().any(|w| filler.contains(w)) || filler.contains(['。', ';', '；']) {
        return None;
    }
    let mut k = j;
    let mut num = String::new();
    let mut dot = false;
    while let Some(&c) = chars.get(k) {
        if c.is_ascii_digit() {
            num.push(c);
        } else if c == '.' && !dot && chars.get(k + 1).is_some_and(|n| n.is_ascii_digit()) {
            dot = true;
            num.push('.');
        } else if c == ',' && chars.get(k + 1).is_some_and(|n| n.is_ascii_digit()) && !dot {
            // thousands separator
        } else {
            break;
        }
        k += 1;
    }
    let value = Decimal::from_str(&num)
        .ok()
        .filter(|v| budsql_schema::fits_store(to_wan(*v, MoneyUnit::Yuan)))?;
    let rest: String = chars.get(k..(k + 2).min(chars.len()))?.iter().collect();
    if rest.starts_with("万元") {
        Some((value, k + 2))
    } else if rest.starts_with('元') {
        Some((to_wan(value, MoneyUnit::Yuan), k + 1))
    } else {
        None
    }
}

/// Phrase keys as characters, longest first (the order [`scan`] tries them in), and the
/// characters a key starts with (sorted), to pass over the others at once.
struct Keys(Vec<(Vec<char>, &'static str)>, Vec<char>);

impl Keys {
    fn new(keys: &[(&str, &'static str)]) -> Self {
        let mut sorted: Vec<(Vec<char>, &str)> = keys
            .iter()
            .map(|(k, f)| (k.chars().collect(), *f))
            .collect();
        sorted.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
        let mut firsts: Vec<char> = sorted
            .iter()
            .filter_map(|(k, _)| k.first().copied())
            .collect();
        firsts.sort_unstable();
        firsts.dedup();
        Keys(sorted, firsts)
    }
}

/// Finds `(figure, key)` phrases in a sentence, longest key first at each position.
fn scan(s: &Sentence<'_>, keys: &Keys, mut found: impl FnMut(&str, Decimal, usize, usize)) {
    let mut i = 0;
    while let Some(c) = s.chars.get(i) {
        if keys.1.binary_search(c).is_err() {
            i += 1;
            continue;
        }
        let hit = keys.0.iter().find(|(k, _)| {
            k.first() == Some(c) && s.chars.get(i..i + k.len()) == Some(k.as_slice())
        });
        match hit {
            Some((k, figure)) => {
                let after = i + k.len();
                match figure_after(s.chars, after, 8) {
                    Some((v, end)) => {
                        found(figure, v, i, end);
                        i = end;
                    }
                    None => i = after,
                }
            }
            None => i += 1,
        }
    }
}

const TOTALS: &[(&str, &str)] = &[
    ("收入为", "income_total"),
    ("收入预算", "income_total"),
    ("收入总计", "grand_total"),
    ("收入支出总计", "grand_total"),
    ("本年收入合计", "income_year_total"),
    ("支出为", "expenditure_total"),
    ("支出预算", "expenditure_total"),
    ("本年支出合计", "expenditure_total"),
    ("支出总计", "grand_total"),
    ("财政拨款收入", "fiscal_appropriation"),
    ("上年结转结余", "carryover"),
    ("上年结转", "carryover"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
    ("人员经费", "personnel"),
    ("日常公用经费", "public_funds"),
    ("公用经费", "public_funds"),
    ("机关运行经费", "operating_costs"),
    ("政府采购预算", "procurement"),
    ("政府采购预算总额", "procurement"),
    ("政府采购支出总额", "procurement"),
];

const THREE_PUBLIC: &[(&str, &str)] = &[
    ("三公经费", "total"),
    ("三公", "total"),
    ("因公出国(境)费", "outbound"),
    ("因公出国费", "outbound"),
    ("公务用车购置及运维费", "vehicle"),
    ("公务用车购置及运行费", "vehicle"),
    ("公务用车购置及运行维护费", "vehicle"),
    ("公务用车购置费", "vehicle_purchase"),
    ("公务用车运行维护费", "vehicle_operation"),
    ("公务用车运行费", "vehicle_operation"),
    ("公务用车运维费", "vehicle_operation"),
    ("公务接待费", "reception"),
    ("公务接待", "reception"),
];

static TOTALS_KEYS: LazyLock<Keys> = LazyLock::new(|| Keys::new(TOTALS));
static THREE_PUBLIC_KEYS: LazyLock<Keys> = LazyLock::new(|| Keys::new(THREE_PUBLIC));

/// The year a figure at position `i` of a sentence is about: the nearest `YYYY年` before it.
fn year_before(chars: &[char], i: usize) -> Option<i32> {
    let upto = chars.get(..i)?;
    // (the last `年` with four digits before it and no fifth: found from the end)
    let mut end = upto.len();
    while let Some(at) = upto.get(..end)?.iter().rposition(|c| *c == '年') {
        end = at;
        let Some(w) = at.checked_sub(4) else { break };
        let digits = upto.get(w..at)?;
        let before_ok = w == 0 || !upto.get(w - 1).is_some_and(|c| c.is_ascii_digit());
        if before_ok && digits.iter().all(char::is_ascii_digit) {
            return digits
                .iter()
                .try_fold(0i32, |y, c| Some(y * 10 + c.to_digit(10)? as i32));
        }
    }
    None
}

/// Reads the narrative figures of a document whose budget year is `year`.
/// What the narrative yields: its figures, its statements per 项, and what it states.
pub struct Read {
    pub figures: Vec<NarrativeFigure>,
    pub items: Vec<budsql_schema::NarrativeItem>,
    pub statements: Vec<&'static str>,
}

/// Reads the narrative of a document whose budget year is `year` (its paragraphs are
/// assembled once for all three readings).
pub fn read_all(lines: &[PlainLine], year: i32, final_account: bool) -> Read {
    let paras = paragraphs(lines);
    Read {
        figures: figures(&paras, year, final_account),
        items: items_of(&paras),
        statements: statements_of(lines, &paras),
    }
}

/// In a final account, a 三公 figure the sentence calls its budget (`“三公”经费支出预算593.46
/// 万元，支出决算587.55万元`, 西安卫健) is not the final figure: the 决算 figure printed
/// right after it is (the key at `i`, the budget figure ending at `end`); `None` where there
/// is none.
fn final_after_budget(chars: &[char], i: usize, end: usize) -> Option<Option<Decimal>> {
    let said: String = chars.get(i..end)?.iter().collect();
    if !said.contains("预算") || said.contains("决算") {
        return None;
    }
    let window: String = chars
        .get(end..(end + 12).min(chars.len()))?
        .iter()
        .collect();
    Some(window.find("决算").and_then(|b| {
        let at = end + window.get(..b)?.chars().count() + 2;
        figure_after(chars, at, 8).map(|(v, _)| v)
    }))
}

fn figures(paras: &[Para], year: i32, final_account: bool) -> Vec<NarrativeFigure> {
    let mut figures: BTreeMap<String, NarrativeFigure> = BTreeMap::new();
    for p in paras {
        for s in sentences(p) {
            // a figure is a number: most of the prose (duties, glossary) has none
            if !s.chars.iter().any(char::is_ascii_digit) {
                continue;
            }
            let text = s.text();
            if text.contains("三公") {
                if text.contains("相比") || text.contains("增加了") || text.contains("减少了")
                {
                    continue;
                }
                let mut last_year = None;
                scan(&s, &THREE_PUBLIC_KEYS, |fig, v, i, end| {
                    let v = match final_after_budget(s.chars, i, end) {
                        Some(Some(f)) if final_account => f,
                        Some(None) if final_account => return,
                        _ => v,
                    };
                    let y = year_before(s.chars, i).or(last_year).unwrap_or(year);
                    last_year = Some(y);
                    let prefix = if y == year {
                        "three_public_"
                    } else if y == year - 1 {
                        "prior_three_public_"
                    } else {
                        return;
                    };
                    let name = format!("{prefix}{fig}");
                    figures.entry(name.clone()).or_insert(NarrativeFigure {
                        figure: name,
                        amount: v,
                        line_no: i32::try_from(s.line_at(i)).unwrap_or(i32::MAX),
                        sentence: text.clone(),
                    });
                });
                continue;
            }
            scan(&s, &TOTALS_KEYS, |fig, v, i, _| {
                figures.entry(fig.to_string()).or_insert(NarrativeFigure {
                    figure: fig.to_string(),
                    amount: v,
                    line_no: i32::try_from(s.line_at(i)).unwrap_or(i32::MAX),
                    sentence: text.clone(),
                });
            });
        }
    }
    let mut out: Vec<NarrativeFigure> = figures.into_values().collect();
    out.sort_by(|a, b| (a.line_no, &a.figure).cmp(&(b.line_no, &b.figure)));
    out
}

/// What the narrative states, by its headings (`八、机关运行经费支出说明`, `（十）国有资产占
/// 用情况`) and, for the 三公 change, by a sentence giving its reason: canonical names
/// `operating_costs`, `procurement`, `assets`, `performance`, `three_public`,
/// `three_public_change`, in that order, each once.
#[cfg(test)]
fn statements(lines: &[PlainLine]) -> Vec<&'static str> {
    statements_of(lines, &paragraphs(lines))
}

fn statements_of(lines: &[PlainLine], paras: &[Para]) -> Vec<&'static str> {
    const HEADINGS: [(&str, &str); 5] = [
        ("机关运行经费", "operating_costs"),
        ("政府采购", "procurement"),
        ("国有资产", "assets"),
        ("绩效", "performance"),
        ("三公", "three_public"),
    ];
    let mut found: Vec<&'static str> = Vec::new();
    for l in lines {
        // (cheaply first: a heading is short and names one of the words, which are CJK and
        // so the same before width normalising)
        if l.text.trim().len() > 200 || !HEADINGS.iter().any(|(w, _)| l.text.contains(w)) {
            continue;
        }
        let text: String = budsql_text::compact_label(&l.text);
        // a heading: a short line, no full stop, numbered or naming a 说明/情况
        let heading = text.chars().count() <= 40
            && !text.contains('。')
            && (text.starts_with([
                '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '（', '(',
            ]) || text.ends_with("说明")
                || text.ends_with("情况"));
        if heading {
            for (word, name) in HEADINGS {
                if text.contains(word) && !found.contains(&name) {
                    found.push(name);
                }
            }
        }
    }
    for p in paras {
        // the 三公 change with its reason
        if found.contains(&"three_public_change") || !p.chars.contains(&'三') {
            continue;
        }
        for s in sentences(p) {
            let t = s.text();
            if t.contains("三公")
                && [
                    "增加", "减少", "持平", "下降", "增长", "降低", "小于", "大于", "低于", "高于",
                ]
                .iter()
                .any(|w| t.contains(w))
                && ["原因", "主要是", "主要用于", "由于"]
                    .iter()
                    .any(|w| t.contains(w))
                && !found.contains(&"three_public_change")
            {
                found.push("three_public_change");
            }
        }
    }
    let order = [
        "operating_costs",
        "procurement",
        "assets",
        "performance",
        "three_public",
        "three_public_change",
    ];
    order.into_iter().filter(|n| found.contains(n)).collect()
}

/// The name before a marker (`…（类）`, `…（款）`, `…（项）`): the text between the previous
/// closing bracket or the start and the marker.
fn level_names(head: &str) -> (Option<String>, Option<String>, Option<String>) {
    let mut names = [None, None, None];
    let mut rest = head;
    // (paragraphs are width-normalised: the brackets are half-width)
    for (slot, marker) in names.iter_mut().zip(["(类)", "(款)", "(项)"]) {
        if let Some(i) = rest.find(marker) {
            let name = rest.get(..i).unwrap_or("");
            let name = name.trim_start_matches(|c: char| {
                c.is_ascii_digit() || matches!(c, '.' | '、' | '．' | '(' | ')' | '（' | '）')
            });
            if !name.is_empty() {
                *slot = Some(name.to_string());
            }
            rest = rest.get(i + marker.len()..).unwrap_or("");
        }
    }
    let [c, s, i] = names;
    (c, s, i)
}

/// A 决算's statement per 项 of its budget and final, with the reason for the difference
/// (`14.住房保障（类）住房改革支出（款）购房补贴（项）。年初预算为 336 万元，支出决算为 331 万元，
/// 完成年初预算的 98.51%。决算数小于预算数的主要原因是购房补贴发放减少。`).
#[cfg(test)]
fn items(lines: &[PlainLine]) -> Vec<budsql_schema::NarrativeItem> {
    items_of(&paragraphs(lines))
}

fn items_of(all: &[Para]) -> Vec<budsql_schema::NarrativeItem> {
    let mut out = Vec::new();
    // (a heading sentence ending its line, `12.住房保障（类）…住房公积金（项）。`, joins the
    // paragraph of its figures; only paragraphs naming a 项 are looked at)
    let names_item = |p: &Para| p.chars.windows(3).any(|w| w == ['(', '项', ')']);
    let mut paras: Vec<Para> = Vec::new();
    let mut joining = false;
    for p in all {
        let ends_item = names_item(p) && {
            let tail: String = p
                .chars
                .iter()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            tail.ends_with("(项)。") || tail.ends_with("(项)")
        };
        match paras.last_mut() {
            Some(prev) if joining => {
                prev.chars.extend(p.chars.iter().copied());
                prev.lines.extend(p.lines.iter().copied());
            }
            _ if names_item(p) => paras.push(Para {
                chars: p.chars.clone(),
                lines: p.lines.clone(),
            }),
            _ => {}
        }
        joining = ends_item;
    }
    for p in paras {
        let text: String = p.chars.iter().collect();
        let Some(head_end) = text.find("(项)") else {
            continue;
        };
        let Some(b_at) = text.find("年初预算") else {
            continue;
        };
        if b_at < head_end {
            continue;
        }
        let head = text.get(..head_end + "(项)".len()).unwrap_or("");
        let (class_name, section_name, item_name) = level_names(head);
        let Some(item_name) = item_name else { continue };
        // positions in characters for figure_after
        let char_at = |byte: usize| text.get(..byte).map_or(0, |t| t.chars().count());
        let budget = figure_after(&p.chars, char_at(b_at) + "年初预算".chars().count(), 8);
        let fin = text
            .get(b_at..)
            .and_then(|t| t.find("支出决算").map(|i| i + b_at))
            .and_then(|at| figure_after(&p.chars, char_at(at) + "支出决算".chars().count(), 8));
        if budget.is_none() && fin.is_none() {
            continue;
        }
        let reason = ["主要原因是", "主要原因：", "主要原因:", "主要原因为"]
            .iter()
            .find_map(|k| text.find(k).map(|i| i + k.len()))
            .and_then(|at| text.get(at..))
            .map(|r| r.trim_end_matches('。').to_string())
            .filter(|r| !r.is_empty());
        out.push(budsql_schema::NarrativeItem {
            item_no: i32::try_from(out.len() + 1).unwrap_or(i32::MAX),
            class_name,
            section_name,
            item_name,
            budget: budget.map(|(v, _)| v),
            final_amount: fin.map(|(v, _)| v),
            reason,
            line_no: i32::try_from(p.lines.first().copied().unwrap_or(0)).unwrap_or(i32::MAX),
        });
    }
    out
}

#[cfg(test)]
mod item_tests {
    use super::*;

    fn plain(text: &str) -> Vec<PlainLine> {
        text.lines()
            .enumerate()
            .map(|(i, t)| PlainLine {
                line_no: i + 1,
                text: t.to_string(),
            })
            .collect()
    }

    #[test]
    fn the_year_a_figure_is_about() {
        let chars: Vec<char> = "2023年决算为5万元，2024年预算为6万元，12024年"
            .chars()
            .collect();
        let at = |w: &str| {
            let w: Vec<char> = w.chars().collect();
            chars
                .windows(w.len())
                .position(|x| x == w.as_slice())
                .unwrap_or(0)
        };
        assert_eq!(year_before(&chars, at("决算")), Some(2023));
        assert_eq!(year_before(&chars, at("预算")), Some(2024));
        // five digits before 年 are no year: the last year stated stands
        assert_eq!(year_before(&chars, chars.len()), Some(2024));
        assert_eq!(year_before(&chars, 3), None);
    }

    #[test]
    fn a_final_accounts_three_public_total_is_its_final_figure() {
        // 西安卫健 2022 决算: the budget comes first in the sentence
        let lines = plain(
            "  2022年度财政拨款安排“三公”经费支出预算593.46万元，\n\
             支出决算587.55万元，完成预算的99%。\n",
        );
        let total = |final_account: bool| {
            figures(&paragraphs(&lines), 2022, final_account)
                .into_iter()
                .find(|f| f.figure == "three_public_total")
                .map(|f| f.amount)
        };
        assert_eq!(total(true), Some(Decimal::new(58755, 2)));
        // in a budget, the budget is the figure
        assert_eq!(total(false), Some(Decimal::new(59346, 2)));
        // a final account that states only the budget states no final figure
        let lines = plain("  2022年度“三公”经费支出预算593.46万元。\n");
        let got = figures(&paragraphs(&lines), 2022, true);
        assert!(
            got.iter().all(|f| f.figure != "three_public_total"),
            "{got:?}"
        );
    }

    #[test]
    fn statements_by_headings_and_reasons() {
        let lines = plain(
            "  八、机关运行经费支出说明\n\
             2024 年度机关运行经费支出 2266.65 万元，比 2023 年度决算数增加 318.58 万元。\n\
             （十）国有资产占用情况\n\
             2025年“三公”经费预算比上年减少2万元，主要原因是压减公务接待。\n\
             政府采购的说明文字很长很长，不是一个标题，因为它有句号。\n",
        );
        assert_eq!(
            statements(&lines),
            vec!["operating_costs", "assets", "three_public_change"]
        );
    }

    #[test]
    fn items_with_budget_final_and_reason() {
        let lines = plain(
            "  13.住房保障（类）住房改革支出（款）提租补贴（项）。年\n\
             初预算为 66.2 万元，支出决算为 63.52 万元，完成年初预算的\n\
             95.95%。决算数小于预算数的主要原因是提租补贴发放减少。\n\
             11.卫生健康支出（类）行政事业单位医疗（款）行政单位医\n\
             疗（项）。年初预算为 0 万元，支出决算为 497.53 万元。决算数\n\
             大于预算数的主要原因是 2024 年度预算执行中调剂了预算，相应\n\
             增加支出。\n",
        );
        let got = items(&lines);
        assert_eq!(got.len(), 2);
        let a = &got[0];
        assert_eq!(a.class_name.as_deref(), Some("住房保障"));
        assert_eq!(a.section_name.as_deref(), Some("住房改革支出"));
        assert_eq!(a.item_name, "提租补贴");
        assert_eq!(a.budget, Some(Decimal::new(662, 1)));
        assert_eq!(a.final_amount, Some(Decimal::new(6352, 2)));
        assert_eq!(a.reason.as_deref(), Some("提租补贴发放减少"));
        assert_eq!(a.line_no, 1);
        let b = &got[1];
        assert_eq!(b.item_name, "行政单位医疗");
        assert_eq!(b.budget, Some(Decimal::ZERO));
        assert_eq!(
            b.reason.as_deref(),
            Some("2024年度预算执行中调剂了预算,相应增加支出")
        );
    }
}
