//! Columns by header meaning.
//!
//! Header cells are matched against what they mean, not where they stand. A header block
//! has several rows (a group label above, the column label below, OCR junk anywhere); each
//! column takes the meaning of its lowest header cell that means something, so `人员经费`
//! under `一般公共预算基本支出` is 人员经费, and junk under `合计` is still 合计.

use budsql_text::normalize_width;

use crate::grid::Row;

/// Normalises a header cell: full-width forms, no whitespace.
pub fn norm_header(cell: &str) -> String {
    normalize_width(cell)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '“' | '”'))
        .collect()
}

/// Maps each column index to the first meaning whose pattern its header cells contain,
/// looking at the header rows from the bottom up. `patterns` are in priority order.
pub fn column_meanings<M: Copy>(header: &[&Row], patterns: &[(M, &[&str])]) -> Vec<Option<M>> {
    let width = header.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    (0..width)
        .map(|col| {
            header.iter().rev().find_map(|row| {
                let h = norm_header(row.cell(col));
                if h.is_empty() {
                    return None;
                }
                patterns
                    .iter()
                    .find(|(_, pats)| pats.iter().any(|p| h.contains(p)))
                    .map(|(m, _)| *m)
            })
        })
        .collect()
}

/// The text of a column's header cells, top to bottom, for messages.
pub fn header_text(header: &[&Row], col: usize) -> String {
    header
        .iter()
        .map(|r| norm_header(r.cell(col)))
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}

/// Header cells of a space-aligned table grouped into columns: cells on different lines
/// whose spans overlap belong to one column (`事业单位` over `经营收入`).
#[derive(Debug, Clone)]
pub struct HeaderCluster {
    pub start: usize,
    pub end: usize,
    /// The cells read top to bottom, joined.
    pub whole: String,
    /// The cells from the lowest line up.
    pub bottom_up: Vec<String>,
}

/// Groups the positioned header cells of `header` into columns.
pub fn header_clusters(header: &[&Row]) -> Vec<HeaderCluster> {
    // (line index, start, end, text); a cell of words a single space apart (`基本支出 项目支出`)
    // is one token per word
    let mut tokens: Vec<(usize, usize, usize, String)> = Vec::new();
    for (ri, r) in header.iter().enumerate() {
        for (k, t) in r.cells.iter().enumerate() {
            let Some(&(s, _)) = r.pos.get(k) else {
                continue;
            };
            let mut at = s;
            for word in t.split(' ') {
                let n = word.chars().count();
                if n > 0 {
                    tokens.push((ri, at, at + n, norm_header(word)));
                }
                at += n + 1;
            }
        }
    }
    // union-find over overlapping spans
    let mut parent: Vec<usize> = (0..tokens.len()).collect();
    fn root(p: &[usize], mut i: usize) -> usize {
        while let Some(&q) = p.get(i) {
            if q == i {
                break;
            }
            i = q;
        }
        i
    }
    for a in 0..tokens.len() {
        for b in a + 1..tokens.len() {
            let (Some(ta), Some(tb)) = (tokens.get(a), tokens.get(b)) else {
                continue;
            };
            if ta.1 < tb.2 && tb.1 < ta.2 {
                let (ra, rb) = (root(&parent, a), root(&parent, b));
                if let Some(slot) = parent.get_mut(ra) {
                    *slot = rb;
                }
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<&(usize, usize, usize, String)>> =
        std::collections::BTreeMap::new();
    for (i, t) in tokens.iter().enumerate() {
        groups.entry(root(&parent, i)).or_default().push(t);
    }
    let mut out: Vec<HeaderCluster> = groups
        .into_values()
        .map(|mut ms| {
            ms.sort_by_key(|t| t.0);
            let whole: String = ms.iter().map(|t| t.3.as_str()).collect();
            let bottom_up: Vec<String> = ms.iter().rev().map(|t| t.3.clone()).collect();
            HeaderCluster {
                start: ms.iter().map(|t| t.1).min().unwrap_or(0),
                end: ms.iter().map(|t| t.2).max().unwrap_or(0),
                whole,
                bottom_up,
            }
        })
        .collect();
    out.sort_by_key(|c| c.start);
    out
}
