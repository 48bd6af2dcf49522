//! The header read as a tree: wrapped labels stacked into leaf columns, group labels
//! spanning the leaves they are centred over.

use super::*;

/// A header fragment on its line.
#[derive(Debug, Clone)]
pub(super) struct Tok {
    pub(super) text: String,
    pub(super) x0: f32,
    pub(super) x1: f32,
    pub(super) top: f32,
    pub(super) bottom: f32,
    pub(super) line: usize,
    pub(super) line_no: usize,
    pub(super) exact: bool,
}

pub(super) fn overlap(a0: f32, a1: f32, b0: f32, b1: f32) -> f32 {
    (a1.min(b1) - a0.max(b0)).max(0.0)
}

/// The leaf columns of a header: fragments stacked bottom-up into wrapped labels; a
/// fragment over two or more stacks, or over one but set apart from it, is a group label,
/// which spans the leaves it is centred over.
pub(super) fn header_columns(header: &[&TLine], body: &[&TLine]) -> Vec<Column> {
    let mut toks: Vec<Tok> = Vec::new();
    for (li, l) in header.iter().enumerate() {
        for c in &l.cells {
            let t = norm(&c.text);
            if t.is_empty() {
                continue;
            }
            // `基本支出 项目支出` set a space apart in layout text: one fragment a word (a
            // space inside brackets parts nothing: 北京's `因公出国（境 ）费`)
            if !l.exact && c.text.trim().contains(' ') {
                let mut at = c.x0;
                for w in bracketed_words(&c.text) {
                    let n = w.chars().count() as f32;
                    if n > 0.0 {
                        toks.push(Tok {
                            text: norm(w),
                            x0: at,
                            x1: at + n,
                            top: l.top,
                            bottom: l.bottom,
                            line: li,
                            line_no: l.line_no,
                            exact: false,
                        });
                    }
                    at += n + 1.0;
                }
                continue;
            }
            toks.push(Tok {
                text: t,
                x0: c.x0,
                x1: c.x1,
                top: l.top,
                bottom: l.bottom,
                line: li,
                line_no: l.line_no,
                exact: l.exact,
            });
        }
    }
    // a word letter-spaced in layout text (`合   计`): its characters are one label
    let spaced_word = |a: &Tok, b: &Tok| {
        let word = format!("{}{}", a.text, b.text);
        !a.exact
            && a.line == b.line
            && a.text.chars().count() == 1
            && b.text.chars().count() == 1
            && b.x0 - a.x1 <= 10.0
            && matches!(
                word.as_str(),
                "合计" | "总计" | "小计" | "项目" | "金额" | "科目" | "名称" | "收入" | "支出"
            )
    };
    let mut merged: Vec<Tok> = Vec::with_capacity(toks.len());
    for t in toks {
        match merged.last_mut() {
            Some(prev) if spaced_word(prev, &t) => {
                prev.text.push_str(&t.text);
                prev.x1 = t.x1;
            }
            _ => merged.push(t),
        }
    }
    let toks = merged;
    if debug_header() {
        for t in &toks {
            eprintln!(
                "  tok L{} line{} [{:.1},{:.1}] y[{:.2},{:.2}] {}",
                t.line_no, t.line, t.x0, t.x1, t.top, t.bottom, t.text
            );
        }
    }
    // stacks, bottom-up
    struct Stack {
        x0: f32,
        x1: f32,
        top: f32,
        bottom: f32,
        top_line: usize,
        top_line_no: usize,
        parts: Vec<(usize, String)>,
    }
    impl Stack {
        /// The label's topmost fragment so far (parts are pushed bottom-up).
        fn top_text(&self) -> &str {
            self.parts.last().map_or("", |(_, x)| x.as_str())
        }
    }
    let mut stacks: Vec<Stack> = Vec::new();
    let mut group_toks: Vec<Tok> = Vec::new();
    let nlines = header.len();
    for li in (0..nlines).rev() {
        let here: Vec<&Tok> = toks.iter().filter(|t| t.line == li).collect();
        let over_of = |t: &Tok, stacks: &[Stack]| -> Vec<usize> {
            let w = (t.x1 - t.x0).max(0.5);
            stacks
                .iter()
                .enumerate()
                .filter(|(_, s)| {
                    let o = overlap(t.x0, t.x1, s.x0, s.x1);
                    o > 0.0 && o >= 0.4 * w.min((s.x1 - s.x0).max(0.5))
                })
                .map(|(i, _)| i)
                .collect()
        };
        // layout text places wrapped fragments only roughly: a short fragment beside the
        // end of the one above (`本年支出合` / `计`) is taken as overlapping it
        let loose_of = |t: &Tok, stacks: &[Stack]| -> Vec<usize> {
            if t.exact {
                return Vec::new();
            }
            stacks
                .iter()
                .enumerate()
                .filter(|(_, s)| overlap(t.x0 - 1.5, t.x1 + 1.5, s.x0 - 1.5, s.x1 + 1.5) > 0.0)
                .map(|(i, _)| i)
                .collect()
        };
        let overs: Vec<Vec<usize>> = here
            .iter()
            .map(|t| {
                // a fragment of a term whose rest stands below it, near, in layout text that
                // squeezed one line of the header and not the other (珠海's `政府性基金` /
                // `国有资本经` over `预算` / `营预算`, the first over the second's rest)
                if !t.exact
                    && let Some(next) = term_goes_on(&t.text)
                {
                    let centre = |x0: f32, x1: f32| (x0 + x1) / 2.0;
                    let near = stacks
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| s.top_line > li && s.top_text().starts_with(next))
                        .map(|(k, s)| (k, (centre(s.x0, s.x1) - centre(t.x0, t.x1)).abs()))
                        .filter(|(_, d)| *d <= 12.0)
                        .min_by(|a, b| a.1.total_cmp(&b.1));
                    if let Some((k, _)) = near {
                        return vec![k];
                    }
                }
                let strict = over_of(t, &stacks);
                if strict.is_empty() {
                    // (a fragment that ends a term is no wrapped line over another one,
                    // unless the two read as one: 苏州's `理资金` beside `预算`, the end of
                    // another cell's label)
                    let ends = ends_term(&t.text);
                    let loose: Vec<usize> = loose_of(t, &stacks)
                        .into_iter()
                        .filter(|k| {
                            !ends
                                || stacks
                                    .get(*k)
                                    .is_some_and(|s| wraps_into(&t.text, s.top_text()))
                        })
                        .collect();
                    let adjacent = |s: &Stack| {
                        s.top_line_no == t.line_no + 1 || s.top_line_no + 1 == t.line_no
                    };
                    if loose.len() == 1
                        && loose
                            .first()
                            .and_then(|k| stacks.get(*k))
                            .is_some_and(adjacent)
                    {
                        return loose;
                    }
                    // (or further down, or beside another, where the two read as one term:
                    // 珠海's `其他资` / `金`, a line of other labels between them)
                    let wrapped: Vec<usize> = loose
                        .iter()
                        .copied()
                        .filter(|k| {
                            stacks
                                .get(*k)
                                .is_some_and(|s| wraps_into(&t.text, s.top_text()))
                        })
                        .collect();
                    if wrapped.len() == 1 {
                        return wrapped;
                    }
                }
                strict
            })
            .collect();
        let mut joins: Vec<(usize, &Tok)> = Vec::new();
        let mut fresh: Vec<&Tok> = Vec::new();
        // stacks sorted by position, to find a stack's neighbours
        let mut order: Vec<usize> = (0..stacks.len()).collect();
        order.sort_by(|a, b| {
            let (sa, sb) = (stacks.get(*a), stacks.get(*b));
            sa.map(|s| s.x0)
                .unwrap_or(0.0)
                .total_cmp(&sb.map(|s| s.x0).unwrap_or(0.0))
        });
        let taken_here = |k: usize| overs.iter().any(|o| o.contains(&k));
        for (t, over) in here.iter().zip(&overs) {
            match over.as_slice() {
                // between two leaves whose labels stand lower, nearer to them than to any
                // other: a group label centred over an even number of leaves
                [] if {
                    let tc = (t.x0 + t.x1) / 2.0;
                    // (the two leaves stand wholly lower than the label)
                    let below = |s: &&Stack| s.top_line > li && s.top >= t.bottom - 0.1;
                    let center = |s: &Stack| (s.x0 + s.x1) / 2.0;
                    // (a leaf whose own label goes on as high as the label's line, or
                    // higher, is its sibling, not under it: 杭州's one-line `事业收入` and
                    // two-line `国有资本` / `经营预算`, vertically centred in their cells
                    // between three-line labels — a label over both spans this one too)
                    // (in layout text a label spanning many leaves may stand off-centre,
                    // over one side only — 上海's `本年支出` over `人员经费`, not over
                    // `基本支出` — so there only a fragment at most two lines above the
                    // leaf's label counts, as a wrapped line of it would stand: 北京's
                    // `财政专户管理` / `资金` beside `事业收入`)
                    let reaches_up = |s: &Stack| {
                        toks.iter().any(|o| {
                            o.line <= li
                                && (o.exact || o.line + 2 >= s.top_line)
                                && !(o.line == t.line && o.x0 == t.x0)
                                && overlap(o.x0, o.x1, s.x0, s.x1)
                                    >= 0.4 * (o.x1 - o.x0).min(s.x1 - s.x0).max(0.5)
                                && overlap(o.x0, o.x1, t.x0, t.x1) <= 0.0
                        })
                    };
                    let left = stacks
                        .iter()
                        .filter(|s| center(s) < tc)
                        .max_by(|a, b| center(a).total_cmp(&center(b)))
                        .filter(|s| !reaches_up(s));
                    let right = stacks
                        .iter()
                        .filter(|s| center(s) > tc)
                        .min_by(|a, b| center(a).total_cmp(&center(b)))
                        .filter(|s| !reaches_up(s));
                    // (`收入` / `支出` over a 收支总表's halves: the side of the table, however
                    // far apart the leaves beside it — 西安's 决算 prints `支出` over its half's
                    // middle, between 合计 and 一般公共预算财政拨款)
                    // (on the header's top line: lower down, `收入` is the wrapped end of a
                    // label, `其他` / `收入`)
                    let side = matches!(t.text.as_str(), "收入" | "支出")
                        && toks.iter().all(|o| o.line >= li);
                    match (left, right) {
                        (Some(a), Some(b)) => {
                            let span = center(b) - center(a);
                            // the label's printed width; in layout text, over a leaf named
                            // after it, a CJK character counts one place where it prints two
                            // wide (北京审计's `项目支出` centred over 项目支出总数 and
                            // 扣除基建项目后预算数, 18 places apart)
                            let named_after = |s: &Stack| {
                                s.parts
                                    .iter()
                                    .map(|p| p.1.as_str())
                                    .collect::<String>()
                                    .starts_with(t.text.as_str())
                                    && t.text.chars().count() >= 2
                            };
                            let width = if !t.exact && (named_after(a) || named_after(b)) {
                                t.text
                                    .chars()
                                    .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
                                    .sum()
                            } else {
                                t.x1 - t.x0
                            };
                            below(&a)
                                && below(&b)
                                && (side
                                    || t.x0 >= center(a) - 1.0
                                        && t.x1 <= center(b) + 1.0
                                        && span <= 4.0 * width.max(4.0)
                                        && (tc - (center(a) + center(b)) / 2.0).abs()
                                            <= 0.25 * span + 1.0)
                        }
                        _ => false,
                    }
                } =>
                {
                    group_toks.push((*t).clone())
                }
                [] => fresh.push(t),
                [one] => {
                    let Some(s) = stacks.get(*one) else { continue };
                    // (set apart, unless the two read as one term across the break: a
                    // cell's wrapped lines may stand as far apart as a group label above
                    // it — 杭州's `国有资` / `本经营` / `预算`, a line of another cell
                    // between each)
                    let apart = t.exact
                        && s.top - t.bottom > 0.6 * (t.bottom - t.top).max(0.5)
                        && !wraps_into(&t.text, s.top_text());
                    // centred over a leaf whose neighbours on both sides have no label on
                    // this line: a group label over the three
                    let at = order.iter().position(|k| k == one);
                    // (siblings: their labels start on the same line as the leaf's — or
                    // anywhere below a label that by its words heads a group, in layout
                    // text: 北京's `本年收入` over `财政专户管理` / `资金`, beside the
                    // one-line `事业收入`)
                    let top = s.top_text();
                    let heads = !t.exact
                        && matches!(t.text.as_str(), "本年收入" | "本年支出")
                        && !top.starts_with("合计");
                    let side = |k: Option<usize>| {
                        k.and_then(|k| order.get(k))
                            .and_then(|k| stacks.get(*k).map(|n| (*k, n)))
                            .is_some_and(|(k, n)| {
                                n.top_line > li
                                    && (n.top_line == s.top_line || heads)
                                    && !taken_here(k)
                            })
                    };
                    let centred = ((t.x0 + t.x1) / 2.0 - (s.x0 + s.x1) / 2.0).abs()
                        <= 0.25 * (s.x1 - s.x0).max(2.0) + 1.0;
                    let spans =
                        at.is_some_and(|a| side(a.checked_sub(1)) && side(Some(a + 1))) && centred;
                    // two whole labels, not one wrapped: each names a figure of its own
                    // (`公务用车购置及运行维护费` over `公务用车购置费`), the upper much the wider
                    // (layout text sets a label spanning leaves off-centre over one of them)
                    let whole = |x: &str| {
                        x.chars().count() >= 4 && x.ends_with(['费', '出', '入', '金', '款', '数'])
                    };
                    let lower = s.parts.last().map(|(_, x)| x.as_str()).unwrap_or("");
                    let two_labels = !t.exact
                        && whole(&t.text)
                        && whole(lower)
                        && (t.x1 - t.x0) >= 1.5 * (s.x1 - s.x0).max(1.0);
                    // (over a group label: a label standing above a group spans it too —
                    // `预算数` over `公务用车购置及运行维护费` over its leaves)
                    let over_group = group_toks
                        .iter()
                        .any(|g| g.line > li && overlap(g.x0, g.x1, t.x0, t.x1) > 0.0);
                    if apart || spans || two_labels || over_group {
                        group_toks.push((*t).clone());
                    } else {
                        joins.push((*one, t));
                    }
                }
                _ => group_toks.push((*t).clone()),
            }
        }
        for (i, t) in joins {
            if let Some(s) = stacks.get_mut(i) {
                s.x0 = s.x0.min(t.x0);
                s.x1 = s.x1.max(t.x1);
                s.top = t.top;
                s.top_line = t.line;
                s.top_line_no = t.line_no;
                s.parts.push((t.line, t.text.clone()));
            }
        }
        for t in fresh {
            stacks.push(Stack {
                x0: t.x0,
                x1: t.x1,
                top: t.top,
                bottom: t.bottom,
                top_line: t.line,
                top_line_no: t.line_no,
                parts: vec![(t.line, t.text.clone())],
            });
        }
    }
    // stacks that hold figures' places but no header text are made from the figures
    stacks.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let mut cols: Vec<Column> = stacks
        .into_iter()
        .map(|mut s| {
            s.parts.sort_by_key(|p| p.0);
            Column {
                x0: s.x0,
                x1: s.x1,
                label: s.parts.iter().map(|p| p.1.as_str()).collect(),
                groups: Vec::new(),
                top_line: s.top_line,
                y0: s.top,
                y1: s.bottom,
            }
        })
        .collect();
    add_figure_columns(&mut cols, body);
    group_toks.sort_by(|a, b| a.line.cmp(&b.line).then(a.x0.total_cmp(&b.x0)));
    assign_groups(&mut cols, &group_toks, header);
    cols
}

/// The words of a layout text's cell, split at single spaces, a space inside brackets
/// (`（境 ）`) parting nothing.
fn bracketed_words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = (depth - 1).max(0),
            ' ' if depth == 0 => {
                out.push(text.get(start..i).unwrap_or(""));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(text.get(start..).unwrap_or(""));
    out
}

/// The terms of column labels that a narrow cell wraps: a fragment ending one line and the
/// next beginning the following read as one of them where the pair of characters across
/// the break occurs in it (`国有资` / `本经营`: `资本`).
const WRAPPED_TERMS: &[&str] = &[
    "一般公共预算财政拨款",
    "政府性基金预算财政拨款",
    "国有资本经营预算财政拨款",
    "一般公共预算",
    "政府性基金预算",
    "国有资本经营预算",
    "财政专户管理资金",
    "财政拨款",
    "事业单位经营收入",
    "事业单位经营支出",
    "附属单位上缴收入",
    "对附属单位补助支出",
    "上缴上级支出",
    "上级补助收入",
    "上年结转结余",
    "年终结转结余",
    "单位资金",
    "其他收入",
    "事业收入",
    "人员经费",
    "公用经费",
    "基本支出",
    "项目支出",
    "因公出国（境）费",
    "公务用车购置及运行费",
    "公务接待费",
];

/// Whether the fragment `upper` runs on into `lower` as one term of [`WRAPPED_TERMS`].
fn wraps_into(upper: &str, lower: &str) -> bool {
    let (Some(a), Some(b)) = (upper.chars().last(), lower.chars().next()) else {
        return false;
    };
    WRAPPED_TERMS.iter().any(|t| {
        let mut prev: Option<char> = None;
        t.chars().any(|c| {
            let pair = prev == Some(a) && c == b;
            prev = Some(c);
            pair
        })
    })
}

/// The character that follows `fragment` in every term of [`WRAPPED_TERMS`] holding it
/// short of the term's end (`国有资本经` → `营`), where there is one.
fn term_goes_on(fragment: &str) -> Option<char> {
    // (two characters say too little: `支出`, `其他` begin or end many a label)
    fragment.chars().nth(2)?;
    let mut next: Option<char> = None;
    for rest in after(fragment) {
        let Some(c) = rest.chars().next() else {
            continue;
        };
        match next {
            Some(n) if n != c => return None,
            _ => next = Some(c),
        }
    }
    next
}

/// What follows each occurrence of `fragment` in the terms of [`WRAPPED_TERMS`], found
/// through an index of their characters built once (this is asked of every fragment of
/// every header of layout text, most of which begin with a character no term holds).
fn after(fragment: &str) -> impl Iterator<Item = &'static str> + '_ {
    static INDEX: std::sync::OnceLock<Vec<(char, &'static str)>> = std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut v: Vec<(char, &'static str)> = WRAPPED_TERMS
            .iter()
            .flat_map(|t| t.char_indices().filter_map(|(i, c)| Some((c, t.get(i..)?))))
            .collect();
        v.sort_unstable();
        v
    });
    let first = fragment.chars().next().unwrap_or('\0');
    let from = index.partition_point(|(c, _)| *c < first);
    index
        .get(from..)
        .unwrap_or_default()
        .iter()
        .take_while(move |(c, _)| *c == first)
        .filter_map(move |(_, rest)| rest.strip_prefix(fragment))
}

/// Whether `fragment` (two characters or more) ends a term of [`WRAPPED_TERMS`] and
/// goes on in none (`理资金`, `助收入`; not `一般公共预算`, which `财政拨款` may follow).
fn ends_term(fragment: &str) -> bool {
    let mut rests = after(fragment).peekable();
    fragment.chars().nth(1).is_some() && rests.peek().is_some() && rests.all(|rest| rest.is_empty())
}

/// Gives each group label the leaves it spans. A label is printed centred over its
/// cell, so a group spans a run of leaves centred on it: it starts from the leaves under
/// its text and grows a leaf (or a whole lower group) on each side at a time while the run
/// stays centred on it, its leaves' labels stand below it at the height of the leaves under
/// its text (a full-height label beside the group, `合计`, is centred higher), and it does
/// not cut through the leaves of another group (a group lower down is taken whole or not at
/// all; one beside it on its line is never entered).
pub(super) fn assign_groups(cols: &mut [Column], groups: &[Tok], header: &[&TLine]) {
    if groups.is_empty() || cols.is_empty() {
        return;
    }
    let (_htop, _hbottom) = header.iter().fold((f32::MAX, f32::MIN), |(a, b), l| {
        (a.min(l.top), b.max(l.bottom))
    });
    // whether a leaf stands under a group label: wholly below it
    let under = |c: &Column, g: &Tok| c.top_line == usize::MAX || c.y0 >= g.bottom - 0.05;
    let ymid = |c: &Column| (c.y0 + c.y1) / 2.0;
    // leaf cell edges: halfway to the neighbours
    let n = cols.len();
    let centers: Vec<f32> = cols.iter().map(Column::center).collect();
    let edge_left = |k: usize| match (
        k.checked_sub(1).and_then(|p| centers.get(p)),
        centers.get(k),
    ) {
        (Some(a), Some(b)) => (a + b) / 2.0,
        (None, Some(_)) => cols.get(k).map(|c| c.x0).unwrap_or(0.0),
        _ => 0.0,
    };
    let edge_right = |k: usize| match (centers.get(k), centers.get(k + 1)) {
        (Some(a), Some(b)) => (a + b) / 2.0,
        (Some(_), None) => cols.get(k).map(|c| c.x1).unwrap_or(0.0),
        _ => 0.0,
    };
    let pitch = if n > 1 {
        let span = centers.last().copied().unwrap_or(0.0) - centers.first().copied().unwrap_or(0.0);
        span / (n - 1) as f32
    } else {
        8.0
    };
    // the core of each group: the leaves under its text, else the nearest one under it
    let cores: Vec<Option<(usize, usize)>> = groups
        .iter()
        .map(|g| {
            let hit: Vec<usize> = cols
                .iter()
                .enumerate()
                .filter(|(_, c)| under(c, g) && overlap(g.x0, g.x1, c.x0, c.x1) > 0.0)
                .map(|(i, _)| i)
                .collect();
            match (hit.first(), hit.last()) {
                (Some(a), Some(b)) => Some((*a, *b)),
                _ => {
                    let gc = (g.x0 + g.x1) / 2.0;
                    cols.iter()
                        .enumerate()
                        .filter(|(_, c)| under(c, g))
                        .min_by(|a, b| {
                            (a.1.center() - gc)
                                .abs()
                                .total_cmp(&(b.1.center() - gc).abs())
                        })
                        .filter(|(_, c)| (c.center() - gc).abs() <= pitch.max(4.0) * 1.5)
                        .map(|(i, _)| (i, i))
                }
            }
        })
        .collect();
    let mut spans: Vec<(usize, usize, usize)> = Vec::new();
    for (gi, g) in groups.iter().enumerate() {
        let Some(Some((mut a, mut b))) = cores.get(gi).copied() else {
            continue;
        };
        let gc = (g.x0 + g.x1) / 2.0;
        // the height of the leaves under its text
        let core_leaves: Vec<f32> = (a..=b)
            .filter_map(|k| cols.get(k))
            .filter(|c| c.top_line != usize::MAX)
            .map(ymid)
            .collect();
        // (only for a group over leaves alone: one over other groups has children at
        // several heights)
        let over_groups = (a..=b).any(|k| {
            cores.iter().enumerate().any(|(o, c)| {
                o != gi
                    && groups.get(o).is_some_and(|h| h.line > g.line)
                    && c.is_some_and(|(ca, cb)| (ca..=cb).contains(&k))
            })
        });
        let core_y = (!core_leaves.is_empty() && !over_groups)
            .then(|| core_leaves.iter().sum::<f32>() / core_leaves.len() as f32);
        // the group whose core holds leaf k, other than this one
        let owner = |k: usize| {
            cores.iter().enumerate().find_map(|(o, c)| match c {
                Some((ca, cb)) if o != gi && (*ca..=*cb).contains(&k) => Some((o, *ca, *cb)),
                _ => None,
            })
        };
        // one step out: both sides (the usual), else one side (a group over an even
        // number of leaves, or a side that has no more)
        // how far from the core leaves' height a leaf it takes may stand: within a label's
        // height; in layout text, for a label standing between two leaves rather than over
        // any, within a line (a label wrapped over two lines stands half a line higher —
        // 北京审计's `项目支出` over 项目支出总数 and 扣除基建项目后预 / 算数)
        let between = !g.exact
            && !cols
                .iter()
                .any(|c| under(c, g) && overlap(g.x0, g.x1, c.x0, c.x1) > 0.0);
        let tolerance = if between {
            (g.bottom - g.top).max(1.05)
        } else {
            (g.bottom - g.top).max(0.5)
        };
        let step = |a: usize, b: usize, left: bool, right: bool| -> Option<(usize, usize)> {
            let mut na = if left { a.checked_sub(1)? } else { a };
            let mut nb = if right { b + 1 } else { b };
            if nb >= n {
                return None;
            }
            // a lower group's leaves are taken whole; a group beside it on its line is
            // not entered (one higher up, over both, does not stop it)
            for (k, is_left) in [(na, true), (nb, false)] {
                if (is_left && !left) || (!is_left && !right) {
                    continue;
                }
                if let Some((o, ca, cb)) = owner(k) {
                    match groups.get(o) {
                        Some(h) if h.line > g.line => {
                            if is_left {
                                na = na.min(ca);
                            } else {
                                nb = nb.max(cb);
                            }
                        }
                        Some(h) if h.line == g.line => return None,
                        _ => {}
                    }
                }
            }
            // (and at the height of the leaves already taken: a full-height label beside
            // the group, `合计`, is centred higher, in the band the group stands in)
            let level = |c: &Column| {
                c.top_line == usize::MAX || core_y.is_none_or(|y| (ymid(c) - y).abs() <= tolerance)
            };
            let all_under = (na..a)
                .chain(b + 1..=nb)
                .all(|k| cols.get(k).is_some_and(|c| under(c, g) && level(c)));
            let center = (edge_left(na) + edge_right(nb)) / 2.0;
            (all_under && (center - gc).abs() <= 0.5 * pitch.max(2.0)).then_some((na, nb))
        };
        while let Some((na, nb)) = step(a, b, true, true)
            .or_else(|| step(a, b, true, false))
            .or_else(|| step(a, b, false, true))
        {
            a = na;
            b = nb;
        }
        spans.push((gi, a, b));
    }
    // two labels of one line share no leaf: where both grew over the same leaves, each
    // keeps those nearer its own core (`本年收入 | 上年结转结余` over their subtotals)
    for i in 0..spans.len() {
        for j in 0..spans.len() {
            let (Some(&(gi, a, b)), Some(&(gj, c, d))) = (spans.get(i), spans.get(j)) else {
                continue;
            };
            let same_line = groups.get(gi).map(|g| g.line) == groups.get(gj).map(|g| g.line);
            if i == j || !same_line || a >= c || b < c {
                continue;
            }
            // i is left of j and runs into it
            let (Some(Some((_, ib))), Some(Some((jc, _)))) =
                (cores.get(gi).copied(), cores.get(gj).copied())
            else {
                continue;
            };
            let mut cut = c;
            while cut <= b.min(d) && cut.abs_diff(ib) <= cut.abs_diff(jc) && cut < jc {
                cut += 1;
            }
            if let Some(s) = spans.get_mut(i) {
                s.2 = cut.saturating_sub(1).max(s.1);
            }
            if let Some(s) = spans.get_mut(j) {
                s.1 = cut.min(s.2);
            }
        }
    }
    // outermost first: the groups come in header order, top line first
    for (gi, a, b) in spans {
        let Some(g) = groups.get(gi) else { continue };
        for c in cols.iter_mut().take(b + 1).skip(a) {
            c.groups.push(g.text.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::fixtures::*;

    #[test]
    fn group_label_spans_the_leaves_it_is_centred_over() {
        // 科目编码 | 科目名称 | 合计 | 基本支出 (小计 人员经费 公用经费) | 项目支出
        let h1 = line(
            1,
            &[
                ("科目编码", 0.0, 8.0),
                ("科目名称", 12.0, 20.0),
                ("合计", 30.0, 34.0),
                ("基本支出", 52.0, 60.0),
                ("项目支出", 76.0, 84.0),
            ],
        );
        let h2 = line(
            2,
            &[
                ("小计", 40.0, 44.0),
                ("人员经费", 52.0, 60.0),
                ("公用经费", 64.0, 72.0),
            ],
        );
        let b = line(
            4,
            &[
                ("201", 0.0, 3.0),
                ("一般公共服务支出", 8.0, 24.0),
                ("10.00", 30.0, 35.0),
                ("6.00", 40.0, 44.0),
                ("5.00", 54.0, 58.0),
                ("1.00", 66.0, 70.0),
                ("4.00", 78.0, 82.0),
            ],
        );
        let cols = header_columns(&[&h1, &h2], &[&b]);
        let paths: Vec<String> = cols.iter().map(Column::path).collect();
        assert_eq!(
            paths,
            [
                "科目编码",
                "科目名称",
                "合计",
                "基本支出/小计",
                "基本支出/人员经费",
                "基本支出/公用经费",
                "项目支出"
            ]
        );
        let placed = place(&cols, &b);
        let figs: Vec<(String, Option<usize>)> = placed
            .iter()
            .filter(|p| p.figure)
            .map(|p| (p.cell.text.to_string(), p.col))
            .collect();
        assert_eq!(
            figs,
            [
                ("10.00".to_string(), Some(2)),
                ("6.00".into(), Some(3)),
                ("5.00".into(), Some(4)),
                ("1.00".into(), Some(5)),
                ("4.00".into(), Some(6))
            ]
        );
    }

    #[test]
    fn a_group_label_between_a_leaf_named_after_it_and_a_wrapped_one() {
        // 北京审计's 一般公共预算支出表 as pdftotext sets it: `项目支出` stands between
        // 项目支出总数 and the wrapped 扣除基建项目后预 / 算数, 18 places apart, on the line
        // of the group label `基本支出`
        let lines = [
            line(163, &[("功能分类科目", 12.0, 18.0), ("预算数", 71.0, 74.0)]),
            line(165, &[("基本支出", 61.0, 65.0), ("项目支出", 102.0, 106.0)]),
            line(
                166,
                &[
                    ("科目编码", 2.0, 6.0),
                    ("科目名称", 20.0, 24.0),
                    ("合计", 29.0, 31.0),
                ],
            ),
            line(167, &[("扣除基建项目后预", 110.0, 118.0)]),
            line(
                168,
                &[
                    ("小计", 45.0, 47.0),
                    ("人员经费", 61.0, 65.0),
                    ("公用经费", 77.0, 81.0),
                    ("项目支出总数", 93.0, 99.0),
                ],
            ),
        ];
        let b = line(
            170,
            &[
                ("2010801", 0.0, 7.0),
                ("行政运行", 10.0, 14.0),
                ("4,952.850016", 30.0, 42.0),
                ("4,697.043616", 46.0, 58.0),
                ("4,032.021156", 62.0, 74.0),
                ("665.022460", 79.0, 89.0),
                ("255.806400", 96.0, 106.0),
                ("255.806400", 114.0, 124.0),
            ],
        );
        let header: Vec<&TLine> = lines.iter().collect();
        let cols = header_columns(&header, &[&b]);
        let paths: Vec<String> = cols.iter().map(Column::path).collect();
        assert_eq!(
            paths,
            [
                "功能分类科目/科目编码",
                "功能分类科目/科目名称",
                "功能分类科目/合计",
                "预算数/基本支出/小计",
                "预算数/基本支出/人员经费",
                "预算数/基本支出/公用经费",
                "预算数/项目支出/项目支出总数",
                "预算数/项目支出/扣除基建项目后预"
            ]
        );
        // and a label between two leaves not named after it stays a leaf of its own
        // (上海's 决算 `基本支出` between 本年支出合计 and 项目支出)
        let h1 = line(1, &[("本年支出合", 32.0, 37.0), ("项目支", 54.0, 57.0)]);
        let h2 = line(2, &[("支出功能分类", 3.0, 9.0), ("基本支出", 43.0, 47.0)]);
        let h3 = line(
            3,
            &[
                ("科目名称", 23.0, 27.0),
                ("计", 34.0, 35.0),
                ("出", 55.0, 56.0),
            ],
        );
        let b = line(
            5,
            &[
                ("201", 0.0, 3.0),
                ("2,106.66", 32.0, 40.0),
                ("1,503.52", 43.0, 51.0),
                ("603.14", 54.0, 60.0),
            ],
        );
        let cols = header_columns(&[&h1, &h2, &h3], &[&b]);
        assert!(
            cols.iter().any(|c| c.path() == "基本支出"),
            "{:?}",
            cols.iter().map(Column::path).collect::<Vec<_>>()
        );
    }

    #[test]
    fn letter_spaced_words_and_labels_over_labels() {
        // `合   计` is one label; `公务用车购置及运行维护费`, set over `公务用车购置费` in layout
        // text, is a group over 小计 | 购置费 | 运行维护费, not a wrapped part of one of them
        let h1 = line(1, &[("公务用车购置及运行维护费", 38.0, 50.0)]);
        let h2 = line(
            2,
            &[
                ("合", 2.0, 3.0),
                ("计", 6.0, 7.0),
                ("因公出国(境)费", 14.0, 22.0),
                ("公务用车运行维", 60.0, 67.0),
                ("公务接待费", 73.0, 78.0),
            ],
        );
        let h3 = line(3, &[("小计", 33.0, 35.0), ("公务用车购置费", 47.0, 54.0)]);
        let h4 = line(4, &[("护费", 63.0, 65.0)]);
        let b = line(
            6,
            &[
                ("9.00", 3.0, 7.0),
                ("0.00", 18.0, 22.0),
                ("3.00", 31.0, 35.0),
                ("1.00", 50.0, 54.0),
                ("2.00", 63.0, 67.0),
                ("6.00", 74.0, 78.0),
            ],
        );
        let cols = header_columns(&[&h1, &h2, &h3, &h4], &[&b]);
        let paths: Vec<String> = cols.iter().map(Column::path).collect();
        assert_eq!(
            paths,
            [
                "合计",
                "因公出国(境)费",
                "公务用车购置及运行维护费/小计",
                "公务用车购置及运行维护费/公务用车购置费",
                "公务用车购置及运行维护费/公务用车运行维护费",
                "公务接待费"
            ]
        );
    }

    #[test]
    fn labels_of_one_line_share_no_leaf() {
        // 名称 (full height) | 本年收入 over L1..L5 | 上年结转 over L6..L9. Each grows from its
        // centre: 本年收入, stopped on the left, grows right into L6, which 上年结转 spans too
        let h1 = line(
            1,
            &[
                ("名称", 0.0, 5.0),
                ("本年收入", 33.0, 41.0),
                ("上年结转", 72.0, 82.0),
            ],
        );
        let leaves: Vec<(String, f32)> = (1..=9)
            .map(|k| (format!("L{k}"), k as f32 * 10.0))
            .collect();
        let h2_cells: Vec<(&str, f32, f32)> = leaves
            .iter()
            .map(|(t, x)| (t.as_str(), *x, x + 4.0))
            .collect();
        let h2 = line(2, &h2_cells);
        let figures: Vec<(&str, f32, f32)> =
            leaves.iter().map(|(_, x)| ("1.00", *x, x + 4.0)).collect();
        let b = line(4, &figures);
        let cols = header_columns(&[&h1, &h2], &[&b]);
        let paths: Vec<String> = cols.iter().map(Column::path).collect();
        let mut want = vec!["名称".to_string()];
        want.extend((1..=5).map(|k| format!("本年收入/L{k}")));
        want.extend((6..=9).map(|k| format!("上年结转/L{k}")));
        assert_eq!(paths, want);
    }

    #[test]
    fn wrapped_labels_as_far_apart_as_a_group_label_above_them() {
        // 杭州's PDF: cells of three, two and one lines, each centred in a header whose
        // line pitch is twice a line's height, so the lines of one cell stand between
        // those of its neighbours
        let at = |y: f32, cells: &[(&str, f32, f32)]| {
            let mut l = line(1, cells);
            l.exact = true;
            l.top = y;
            l.bottom = y + 0.8;
            l
        };
        let h = [
            at(8.72, &[("本年收入", 58.0, 64.4)]),
            at(10.33, &[("国有资", 50.0, 54.8), ("财政专", 58.1, 62.9)]),
            at(11.08, &[("一般公共", 40.0, 46.4)]),
            at(
                11.89,
                &[
                    ("本经营", 50.0, 54.8),
                    ("户管理", 58.1, 62.9),
                    ("事业收入", 65.4, 71.8),
                ],
            ),
            at(12.67, &[("预算", 41.6, 44.8)]),
            at(13.45, &[("预算", 50.8, 54.0), ("资金", 58.9, 62.1)]),
        ];
        let b = at(15.0, &[("5,753.07", 40.0, 46.4), ("123.61", 66.0, 71.8)]);
        let header: Vec<&TLine> = h.iter().collect();
        let cols = header_columns(&header, &[&b]);
        let labels: Vec<&str> = cols.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "一般公共预算",
                "国有资本经营预算",
                "财政专户管理资金",
                "事业收入"
            ]
        );
        // (the group spans the three leaves it is centred over, not the wrapped labels)
        let groups: Vec<usize> = cols.iter().map(|c| c.groups.len()).collect();
        assert_eq!(groups, [0, 1, 1, 1]);
        assert!(cols.iter().skip(1).all(|c| c.groups == ["本年收入"]));
    }

    #[test]
    fn a_squeezed_line_of_fragments_finds_the_rest_of_each_term() {
        // 珠海's text: pdftotext pushed the header's upper line left of its lower one,
        // `政府性基金` over the `预算` of 一般公共预算's neighbour, `国有资本经` over nothing
        let h1 = line(
            1,
            &[
                ("一般公共预", 31.0, 36.0),
                ("政府性基金", 37.0, 42.0),
                ("国有资本经", 43.0, 48.0),
            ],
        );
        let h2 = line(
            3,
            &[
                ("算", 33.0, 34.0),
                ("预算", 42.0, 44.0),
                ("营预算", 53.0, 56.0),
            ],
        );
        let b = line(
            5,
            &[
                ("736.81", 31.0, 37.0),
                ("6,816.00", 40.0, 48.0),
                ("0.00", 53.0, 57.0),
            ],
        );
        let cols = header_columns(&[&h1, &h2], &[&b]);
        let labels: Vec<&str> = cols.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            ["一般公共预算", "政府性基金预算", "国有资本经营预算"]
        );
    }

    #[test]
    fn words_of_a_cell_not_parted_inside_brackets() {
        assert_eq!(
            bracketed_words("因公出国（境 ）费 公务接待费"),
            ["因公出国（境 ）费", "公务接待费"]
        );
        assert_eq!(
            bracketed_words("基本支出 项目支出"),
            ["基本支出", "项目支出"]
        );
    }

    #[test]
    fn terms_across_a_break() {
        assert!(wraps_into("国有资", "本经营"));
        assert!(wraps_into("一般公共", "预算"));
        assert!(!wraps_into("本年收入", "财政专户管理"));
        assert_eq!(term_goes_on("国有资本经"), Some('营'));
        assert_eq!(term_goes_on("事业收入"), None);
        // (too short to say)
        assert_eq!(term_goes_on("支出"), None);
        assert!(ends_term("理资金"));
        assert!(!ends_term("一般公共预算"));
    }
}
