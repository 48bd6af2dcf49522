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
