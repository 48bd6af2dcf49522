//! Word boxes of a PDF, as poppler's `pdftotext -bbox-layout` prints them, and their
//! placement on the lines of the same PDF's `pdftotext -layout` text.
//!
//! The layout text keeps line numbers a researcher can find again (`pdftotext -layout`,
//! then line N) and the document's id; the boxes give where every word really stands, which
//! character counts do not (a CJK glyph is as wide as two digits). Nothing here fails: a
//! line whose words cannot all be found among the boxes is left without geometry.

use std::collections::HashMap;

use crate::Line;

/// One word's box on its page, in PDF points (origin top left).
#[derive(Debug, Clone, PartialEq)]
pub struct BoxWord {
    pub text: String,
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// One page's words in the order poppler printed them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BoxPage {
    pub width: f32,
    pub height: f32,
    pub words: Vec<BoxWord>,
}

/// The value of attribute `name` in a tag's text (`xMin="2.85"`).
fn attr(tag: &str, name: &str) -> Option<f32> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let rest = tag.get(at..)?;
    let end = rest.find('"')?;
    rest.get(..end)?.parse().ok()
}

/// Replaces the five XML entities poppler writes.
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Reads the pages and words of a `pdftotext -bbox-layout` (or `-bbox`) document. Anything
/// else in it is skipped; malformed tags are skipped too.
pub fn parse_bbox(html: &str) -> Vec<BoxPage> {
    let mut pages: Vec<BoxPage> = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let Some(after) = rest.get(open + 1..) else {
            break;
        };
        let Some(close) = after.find('>') else { break };
        let tag = after.get(..close).unwrap_or("");
        rest = after.get(close + 1..).unwrap_or("");
        if tag.starts_with("page ") || tag == "page" {
            pages.push(BoxPage {
                width: attr(tag, "width").unwrap_or(0.0),
                height: attr(tag, "height").unwrap_or(0.0),
                words: Vec::new(),
            });
        } else if tag.starts_with("word ") {
            let end = rest.find("</word>").unwrap_or(rest.len());
            let text = unescape(rest.get(..end).unwrap_or("").trim());
            rest = rest.get(end..).unwrap_or("");
            let (Some(x0), Some(y0), Some(x1), Some(y1)) = (
                attr(tag, "xMin"),
                attr(tag, "yMin"),
                attr(tag, "xMax"),
                attr(tag, "yMax"),
            ) else {
                continue;
            };
            if text.is_empty() {
                continue;
            }
            if pages.is_empty() {
                pages.push(BoxPage::default());
            }
            if let Some(p) = pages.last_mut() {
                p.words.push(BoxWord {
                    text,
                    x0,
                    y0,
                    x1,
                    y1,
                });
            }
        }
    }
    pages
}

/// A cell of a line placed by its words' boxes: `x0`/`x1` in columns (the width of a
/// half-width character on the page, so a CJK character is two columns wide), `top` and
/// `bottom` in line heights from the top of the page.
#[derive(Debug, Clone, PartialEq)]
pub struct GeoCell {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
}

/// A line's cells placed by geometry, and where the line stands on its page.
#[derive(Debug, Clone, PartialEq)]
pub struct GeoLine {
    pub cells: Vec<GeoCell>,
    pub top: f32,
    pub bottom: f32,
}

/// Display width of a text in half-width columns (CJK and full-width forms count two).
pub fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if crate::is_cjk(c) || ('\u{3000}'..='\u{30ff}').contains(&c) || c >= '\u{ff01}' {
                2
            } else {
                1
            }
        })
        .sum()
}

fn median(mut v: Vec<f32>) -> Option<f32> {
    v.retain(|x| x.is_finite() && *x > 0.0);
    if v.is_empty() {
        return None;
    }
    v.sort_by(f32::total_cmp);
    v.get(v.len() / 2).copied()
}

/// Whether a word reads as an amount (digits with a decimal point or thousands
/// separator), which never joins its neighbour.
fn numeric(s: &str) -> bool {
    let t = s.trim_start_matches(['-', '－', '(', '（']);
    !t.is_empty()
        && t.chars().any(|c| c.is_ascii_digit())
        && t.contains(['.', ','])
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | ')' | '）' | '%'))
}

/// Places the words of each line of `lines` (the `-layout` text of a PDF) at their boxes in
/// `pages` (the same PDF's `-bbox-layout` output): for every line, its cells by geometry, or
/// `None` where the line's words were not all found on its page (the caller then falls back
/// to character positions). Words closer than half a line height join one cell, except
/// amounts, which are always cells of their own.
pub fn place_lines(lines: &[Line<'_>], pages: &[BoxPage]) -> Vec<Option<GeoLine>> {
    let mut out: Vec<Option<GeoLine>> = vec![None; lines.len()];
    let mut by_page: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        if !l.is_blank() {
            by_page.entry(l.page).or_default().push(i);
        }
    }
    // one scale for the whole document, so that a table continued on the next page keeps
    // its columns where they were
    let pitch = median(
        pages
            .iter()
            .flat_map(|p| p.words.iter())
            .map(|w| (w.x1 - w.x0) / display_width(&w.text).max(1) as f32)
            .collect(),
    )
    .unwrap_or(5.0);
    // a line's height: the character size (some fonts' boxes are a third as high as
    // their characters are wide, so the width of CJK characters stands in)
    let em = |w: &BoxWord| {
        let cjk = w.text.chars().filter(|c| crate::is_cjk(*c)).count();
        let by_width = if cjk > 0 && cjk == w.text.chars().count() {
            (w.x1 - w.x0) / cjk as f32
        } else {
            0.0
        };
        (w.y1 - w.y0).max(by_width)
    };
    let height =
        median(pages.iter().flat_map(|p| p.words.iter()).map(em).collect()).unwrap_or(10.0);
    for (page_no, idxs) in by_page {
        let Some(page) = page_no.checked_sub(1).and_then(|p| pages.get(p)) else {
            continue;
        };
        let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
        for (k, w) in page.words.iter().enumerate() {
            index.entry(w.text.as_str()).or_default().push(k);
        }
        let mut used = vec![false; page.words.len()];
        let mut last_y: f32 = f32::MIN;
        for i in idxs {
            let Some(line) = lines.get(i) else { continue };
            let Some(placed) = place_one(line.text, page, &index, &mut used, last_y, pitch) else {
                continue;
            };
            let mut words: Vec<&BoxWord> = placed
                .taken
                .iter()
                .filter_map(|k| page.words.get(*k))
                .chain(placed.synthetic.iter())
                .collect();
            let top = words.iter().map(|w| w.y0).fold(f32::MAX, f32::min);
            let bottom = words
                .iter()
                .map(|w| w.y1.max(w.y0 + em(w)))
                .fold(f32::MIN, f32::max);
            last_y = top;
            words.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            let mut cells: Vec<(String, f32, f32, bool)> = Vec::new();
            let mut prev_chars = 0usize;
            for w in words {
                let num = numeric(&w.text);
                let chars = w.text.chars().count();
                let prev = std::mem::replace(&mut prev_chars, chars);
                if let Some(last) = cells.last_mut() {
                    let prev_chars = prev;
                    // the size of a character: the box's height, or (fonts with broken
                    // metrics print boxes a third as high as wide) the width of a CJK one
                    let h = (w.y1 - w.y0)
                        .max((w.x1 - w.x0) / display_width(&w.text).max(1) as f32 * 2.0)
                        .max(1.0);
                    let cjk_join = last.0.chars().last().is_some_and(crate::is_cjk)
                        && w.text.chars().next().is_some_and(crate::is_cjk);
                    // letter-spaced text (`因 公 出 国 （ 境 ） 费`): one character a box
                    // (the box before a single character; the last of a spaced label may
                    // hold two, `运 行费`)
                    let spaced = cjk_join && prev_chars == 1 && w.text.chars().count() <= 2;
                    // CJK words of one cell touch (a gap under a sixth of a character), or
                    // part at punctuation a little wider; a wider gap between CJK words is
                    // the gap between two cells (`一般公共预 政府性基`, `一级指标 二级指标`)
                    let punct =
                        |c: Option<char>| c.is_some_and(|c| "、，,：:；;（）()“”。".contains(c));
                    let limit = if cjk_join
                        && !punct(last.0.chars().last())
                        && !punct(w.text.chars().next())
                    {
                        0.15
                    } else {
                        0.45
                    };
                    let near = w.x0 - last.2 < limit * h || spaced && w.x0 - last.2 < 1.3 * h;
                    if near && !num && !last.3 {
                        if !cjk_join {
                            last.0.push(' ');
                        }
                        last.0.push_str(&w.text);
                        last.2 = last.2.max(w.x1);
                        last.3 = false;
                        continue;
                    }
                }
                cells.push((w.text.clone(), w.x0, w.x1, num));
            }
            if let Some(slot) = out.get_mut(i) {
                *slot = Some(GeoLine {
                    cells: cells
                        .into_iter()
                        .map(|(text, x0, x1, _)| GeoCell {
                            text,
                            x0: x0 / pitch,
                            x1: x1 / pitch,
                        })
                        .collect(),
                    top: top / height,
                    bottom: bottom / height,
                });
            }
        }
    }
    out
}

/// Finds the boxes of one line's words: each whitespace-separated token is one unused word
/// of the same text (or a run of words that spell it), on the line's height, left to
/// right. `None` when a token has no such word.
fn place_one(
    text: &str,
    page: &BoxPage,
    index: &HashMap<&str, Vec<usize>>,
    used: &mut [bool],
    last_y: f32,
    pitch: f32,
) -> Option<Placement> {
    let mut taken: Vec<usize> = Vec::new();
    // (token column, box indices) of the tokens found, and the tokens not found
    let mut found: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut missing: Vec<(usize, String)> = Vec::new();
    let mut line_y: Option<f32> = None;
    let mut last_x: f32 = f32::MIN;
    // character column of each token, to prefer the box at the same place on the line
    let mut tokens: Vec<(usize, &str)> = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    for (col, (b, c)) in text.char_indices().enumerate() {
        if c.is_whitespace() {
            if let Some((s, sc)) = start.take() {
                tokens.push((sc, text.get(s..b).unwrap_or("")));
            }
        } else if start.is_none() {
            start = Some((b, col));
        }
    }
    if let Some((s, sc)) = start {
        tokens.push((sc, text.get(s..).unwrap_or("")));
    }
    for (tcol, token) in tokens {
        let cost = |k: usize| -> Option<f32> {
            let w = page.words.get(k)?;
            if used.get(k).copied().unwrap_or(true) {
                return None;
            }
            let h = (w.y1 - w.y0).max(1.0);
            let dy = match line_y {
                Some(y) => (w.y0 - y).abs() / h,
                None if w.y0 + h < last_y => return None,
                None => ((w.y0 - last_y).max(0.0) / h).min(50.0),
            };
            if line_y.is_some() && dy > 3.0 {
                return None;
            }
            let back = if w.x0 < last_x - 1.0 { 100.0 } else { 0.0 };
            let dx = (w.x0 / pitch - tcol as f32).abs() / 40.0;
            Some(dy * 4.0 + dx + back)
        };
        let best = index
            .get(token)
            .into_iter()
            .flatten()
            .filter_map(|&k| cost(k).map(|c| (c, k)))
            .min_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, k)) = best {
            if let Some(u) = used.get_mut(k) {
                *u = true;
            }
            let w = page.words.get(k)?;
            line_y.get_or_insert(w.y0);
            last_x = w.x1;
            taken.push(k);
            found.push((tcol, vec![k]));
            continue;
        }
        // a token printed without the space between two boxes: words that spell it
        // (the first of them where a word of the token would be — on the line, else below
        // the line before, near the token's column — the others each the next to the right)
        let mut spelled: Vec<usize> = Vec::new();
        let mut rest = token;
        while !rest.is_empty() {
            let first = spelled.is_empty();
            let key = |w: &BoxWord| -> f32 {
                if !first {
                    return w.x0;
                }
                let h = (w.y1 - w.y0).max(1.0);
                let dy = match line_y {
                    Some(y) => (w.y0 - y).abs() / h,
                    None => ((w.y0 - last_y).max(0.0) / h).min(50.0),
                };
                dy * 4.0 + (w.x0 / pitch - tcol as f32).abs() / 40.0
            };
            let next = page
                .words
                .iter()
                .enumerate()
                .filter(|(k, w)| {
                    !used.get(*k).copied().unwrap_or(true)
                        && !spelled.contains(k)
                        && rest.starts_with(w.text.as_str())
                        && match line_y {
                            Some(y) => (w.y0 - y).abs() <= 3.0 * (w.y1 - w.y0).max(1.0),
                            None => w.y0 + (w.y1 - w.y0).max(1.0) >= last_y,
                        }
                        && w.x0 >= last_x - 1.0
                })
                .min_by(|a, b| key(a.1).total_cmp(&key(b.1)));
            let Some((k, w)) = next else {
                if std::env::var_os("BUDSQL_PLACE_DEBUG").is_some() {
                    eprintln!(
                        "unplaced token {token:?} in {text:?} (line_y {line_y:?}, last_x {last_x})"
                    );
                }
                break;
            };
            rest = rest.get(w.text.len()..).unwrap_or("");
            line_y.get_or_insert(w.y0);
            last_x = w.x1;
            spelled.push(k);
        }
        if !rest.is_empty() {
            missing.push((tcol, token.to_string()));
            continue;
        }
        for k in &spelled {
            if let Some(u) = used.get_mut(*k) {
                *u = true;
            }
        }
        found.push((tcol, spelled.clone()));
        taken.extend(spelled);
    }
    // most of the line found: the rest placed where their character columns put them,
    // on the line through the found ones (x = a·column + b)
    if taken.is_empty() || missing.len() * 2 > found.len() + missing.len() {
        return None;
    }
    let pts: Vec<(f32, f32)> = found
        .iter()
        .filter_map(|(c, ks)| {
            ks.first()
                .and_then(|k| page.words.get(*k))
                .map(|w| (*c as f32, w.x0))
        })
        .collect();
    let n = pts.len() as f32;
    let (sx, sy) = pts.iter().fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let (mx, my) = (sx / n, sy / n);
    let var: f32 = pts.iter().map(|(x, _)| (x - mx) * (x - mx)).sum();
    let cov: f32 = pts.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let slope = if var > 0.0 { cov / var } else { pitch };
    let y0 = line_y.unwrap_or(last_y);
    let h = taken
        .first()
        .and_then(|k| page.words.get(*k))
        .map(|w| w.y1 - w.y0)
        .unwrap_or(10.0);
    let synthetic: Vec<BoxWord> = missing
        .into_iter()
        .map(|(c, t)| {
            let x0 = my + slope * (c as f32 - mx);
            BoxWord {
                x1: x0 + display_width(&t) as f32 * pitch,
                text: t,
                x0,
                y0,
                y1: y0 + h,
            }
        })
        .collect();
    Some(Placement { taken, synthetic })
}

/// The boxes found for a line's words, and boxes made for those not found.
struct Placement {
    taken: Vec<usize>,
    synthetic: Vec<BoxWord>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<doc><page width="841.9" height="595.3"><flow><block><line>
<word xMin="3.6" yMin="37.7" xMax="25.6" yMax="48.7">公开</word>
<word xMin="28.35" yMin="37.7" xMax="39.35" yMax="48.7">02</word>
<word xMin="42.1" yMin="37.7" xMax="53.1" yMax="48.7">表</word></line></block></flow>
<flow><block><line><word xMin="100" yMin="60" xMax="144" yMax="71">合计</word>
<word xMin="200" yMin="60" xMax="240" yMax="71">4,651.67</word>
<word xMin="242" yMin="60" xMax="282" yMax="71">4,651.67</word>
<word xMin="300" yMin="60" xMax="310" yMax="71">A&amp;B</word></line></block></flow>
</page></doc>"#;

    #[test]
    fn parses_words_and_entities() {
        let pages = parse_bbox(PAGE);
        assert_eq!(pages.len(), 1);
        let p = pages.first().unwrap();
        assert_eq!(p.width, 841.9);
        assert_eq!(p.words.len(), 7);
        assert_eq!(p.words.last().unwrap().text, "A&B");
        assert!(
            parse_bbox("<page><word xMin=\"x\">bad</word>")
                .first()
                .unwrap()
                .words
                .is_empty()
        );
        assert!(parse_bbox("no tags at all").is_empty());
    }

    #[test]
    fn places_layout_lines_and_splits_numbers() {
        let pages = parse_bbox(PAGE);
        let text = "公开 02 表\n   合计      4,651.67 4,651.67   A&B\n";
        let lines = crate::lines(text);
        let placed = place_lines(&lines, &pages);
        let first = placed.first().unwrap().as_ref().unwrap();
        // `公开 02 表`: three words a small gap apart make one cell
        let texts: Vec<&str> = first.cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["公开 02 表"]);
        let second = placed.get(1).unwrap().as_ref().unwrap();
        let texts: Vec<&str> = second.cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["合计", "4,651.67", "4,651.67", "A&B"]);
        assert!(second.top > first.bottom);
        // a line whose words are not on the page has no geometry
        let other = crate::lines("不在此页\n");
        assert_eq!(place_lines(&other, &pages), vec![None]);
    }

    /// A token printed as several boxes (`1、财政拨款` as `1` and `、财政拨款`) is spelled from
    /// the boxes of its own line: a `1` of a line above, further left, is not its start
    /// (taken, the rest of the token was not on that line, and the line lost its geometry).
    #[test]
    fn spelled_tokens_start_on_their_own_line() {
        let word = |x0: f32, y0: f32, t: &str| {
            format!(
                r#"<word xMin="{x0}" yMin="{y0}" xMax="{}" yMax="{}">{t}</word>"#,
                x0 + 10.0 * display_width(t) as f32 / 2.0,
                y0 + 10.0
            )
        };
        let page = format!(
            r#"<page width="600" height="800">{}{}{}{}{}</page>"#,
            word(200.0, 20.0, "表"),
            word(5.0, 40.0, "1"),
            word(100.0, 60.0, "合计"),
            word(30.0, 80.0, "1"),
            word(36.0, 81.5, "、财政拨款"),
        );
        let pages = parse_bbox(&page);
        // (the `1` at the left of the second line is a footnote's mark, not printed in
        // this text)
        let lines = crate::lines(
            "                                        表\n\n                    合计\n      1、财政拨款\n",
        );
        let placed = place_lines(&lines, &pages);
        let last = placed.get(3).and_then(|p| p.as_ref());
        let texts: Vec<&str> = last
            .map(|l| l.cells.iter().map(|c| c.text.as_str()).collect())
            .unwrap_or_default();
        assert_eq!(texts, ["1 、财政拨款"]);
        assert!(last.is_some_and(|l| l.cells.first().is_some_and(|c| c.x0 * 5.0 > 25.0)));
    }
}
