//! Page furniture: what a page prints that is not the document's content — page numbers
//! (`- 9 -`, `第 3 页`, `3/36`) and running headers or footers (`苏州市审计局 2026 年度部门
//! 预算公开` on every page). They are blanked before tables are read, so that a page
//! number never joins a row's name or becomes a figure, and a running header never reads
//! as a table's line.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use budsql_text::{Line, LineForm, normalize_width};

/// Whether a line's text is a page number.
pub fn is_page_number(text: &str) -> bool {
    // (cheaply first: a page number is short — `第 3 页 共 36 页` at the most)
    if text.trim().len() > 40 {
        return false;
    }
    let t: String = budsql_text::compact_label(text);
    let t = t.as_str();
    let dashes = ['-', '—', '–', '－', '·', '•'];
    let core = t.trim_matches(|c| dashes.contains(&c));
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    if digits(core) {
        return true;
    }
    // 第 3 页, 第3页 共36页
    if let Some(rest) = core.strip_prefix('第')
        && let Some((n, tail)) = rest.split_once('页')
        && digits(n)
    {
        return tail.is_empty()
            || tail
                .strip_prefix('共')
                .and_then(|r| r.strip_suffix('页'))
                .is_some_and(digits);
    }
    // 3/36
    if let Some((a, b)) = core.split_once('/') {
        return digits(a) && digits(b);
    }
    false
}

/// The first and last `n` non-blank lines of each page, by index into `lines`.
pub(crate) fn page_edges(lines: &[Line<'_>], n: usize) -> BTreeSet<usize> {
    // (per page its first n and, in a ring, its last n; lines come in page order, so the
    // map is looked up only where the page changes)
    if n == 0 {
        return BTreeSet::new();
    }
    // (a page's first lines and its last)
    type Edges = (Vec<usize>, VecDeque<usize>);
    let mut pages: BTreeMap<usize, Edges> = BTreeMap::new();
    let mut page: Option<(usize, Edges)> = None;
    for (i, l) in lines.iter().enumerate() {
        if l.is_blank() {
            continue;
        }
        if page.as_ref().is_none_or(|(p, _)| *p != l.page) {
            if let Some((p, v)) = page.take() {
                pages.insert(p, v);
            }
            page = Some((l.page, pages.remove(&l.page).unwrap_or_default()));
        }
        let Some((_, (first, last))) = page.as_mut() else {
            continue;
        };
        if first.len() < n {
            first.push(i);
        }
        if last.len() == n {
            last.pop_front();
        }
        last.push_back(i);
    }
    if let Some((p, v)) = page {
        pages.insert(p, v);
    }
    let mut out = BTreeSet::new();
    for (first, last) in pages.values() {
        out.extend(first.iter().copied());
        out.extend(last.iter().copied());
    }
    out
}

/// Blanks the page numbers and running headers of `lines` (one-cell lines at a page's top
/// or bottom: a page number, or a line naming the document — a year or 预算/决算/公开 —
/// printed on three or more pages). Returns how many lines were blanked.
pub fn blank(lines: &mut [Line<'_>]) -> usize {
    let edges = page_edges(lines, 3);
    // (a line of one cell: no wide gap inside it; and short — a page number or a running
    // header, not a paragraph of the narrative)
    let one_cell = |l: &Line<'_>| {
        l.form == LineForm::Plain && l.text.len() <= 240 && !l.text.trim().contains("  ")
    };
    // running headers: the same text (digits aside) at the edges of three or more pages
    let key = |l: &Line<'_>| -> String {
        normalize_width(l.text)
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_ascii_digit())
            .collect()
    };
    // (a line naming the document: six characters or more, with a year or 预算/决算/公开)
    let names_document = |k: &str| {
        k.chars().count() >= 6
            && (k.contains('年') || k.contains("预算") || k.contains("决算") || k.contains("公开"))
    };
    // (the raw text says as much, cheaply: normalising changes only full-width ASCII)
    let may_name_document = |t: &str| {
        t.contains('年') || t.contains("预算") || t.contains("决算") || t.contains("公开")
    };
    let mut keys: BTreeMap<usize, String> = BTreeMap::new();
    let mut seen: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    // (a table's title printed again on each page of the table is no running header; each
    // text is classified once)
    let mut is_title: BTreeMap<String, bool> = BTreeMap::new();
    for &i in &edges {
        let Some(l) = lines.get(i) else { continue };
        if !one_cell(l) || !may_name_document(l.text) {
            continue;
        }
        let k = key(l);
        if names_document(&k) {
            let title = *is_title
                .entry(k.clone())
                .or_insert_with(|| crate::title::classify_title(l.text.trim()).is_some());
            if !title {
                seen.entry(k.clone()).or_default().insert(l.page);
            }
        }
        keys.insert(i, k);
    }
    let running: BTreeSet<String> = seen
        .into_iter()
        .filter(|(_, pages)| pages.len() >= 3)
        .map(|(k, _)| k)
        .collect();
    let mut n = 0;
    for &i in &edges {
        let Some(l) = lines.get_mut(i) else { continue };
        if l.is_blank() || !one_cell(l) {
            continue;
        }
        if is_page_number(l.text) || keys.get(&i).is_some_and(|k| running.contains(k)) {
            l.text = "";
            l.form = LineForm::Plain;
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        for t in [
            "- 9 -",
            "— 12 —",
            "第 3 页",
            "第3页共36页",
            "3/36",
            "  27  ",
            "-8-",
        ] {
            assert!(is_page_number(t), "{t}");
        }
        for t in ["2026", "一、", "- 9 - 收入", "合计", "2,946.25", "12345"] {
            assert_eq!(is_page_number(t), t == "2026", "{t}");
        }
    }

    #[test]
    fn running_headers_and_numbers_are_blanked() {
        let mut text = String::new();
        for p in 1..=4 {
            text.push_str("苏州市审计局 2026 年度部门预算公开\n");
            text.push_str(&format!("正文第{p}页的内容\n"));
            text.push_str(&format!("- {p} -\n\u{c}"));
        }
        let mut lines = budsql_text::lines(&text);
        assert_eq!(blank(&mut lines), 8);
        let left: Vec<&str> = lines
            .iter()
            .filter(|l| !l.is_blank())
            .map(|l| l.text)
            .collect();
        assert_eq!(left.len(), 4);
        assert!(left.iter().all(|t| t.starts_with("正文")));
    }
}
