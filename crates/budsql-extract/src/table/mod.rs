//! Positioned tables, the stages every table family shares: a section's lines → header
//! lines and body lines → the header read as a tree (wrapped labels stacked into leaf
//! columns, group labels spanning the leaves they are centred over) → each body cell placed
//! in a column (figures by their right edge, text by overlap) → physical lines grouped into
//! logical rows (a name wrapped above or below its row, figures printed on the line above).
//!
//! Geometry comes from the PDF's word boxes where there are some, else from character
//! positions of the layout text. The family readers (`classified`, `summary`,
//! `three_public`) give the columns their meaning; nothing here knows a template.

mod blocks;
mod cells;
mod columns;
mod header;
mod lines;
mod rows;

use budsql_text::{is_nil_mark, is_number, normalize_width};

use crate::grid::{Row, Section};

use blocks::*;
pub use blocks::{is_small_int, read, read_with};
use cells::*;
pub use cells::{is_amount, is_ordinal_label, is_total_label, leading_code};
use columns::*;
use header::*;
pub use lines::{TCell, TLine};
use rows::*;

/// One leaf column of the header: its own label (the stack of wrapped fragments, top to
/// bottom) and the group labels over it (outermost first).
#[derive(Debug, Clone)]
pub struct Column {
    pub x0: f32,
    pub x1: f32,
    /// The column's own label, fragments joined, normalised.
    pub label: String,
    /// Group labels over it, outermost first, normalised.
    pub groups: Vec<String>,
    /// Index of the first header line its own label stands on (0 = top).
    top_line: usize,
    /// Vertical extent of its own label (line heights or line numbers).
    y0: f32,
    y1: f32,
}

impl Column {
    pub fn center(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }

    /// Groups and label joined, for messages: `基本支出/人员经费`.
    pub fn path(&self) -> String {
        let mut parts: Vec<&str> = self.groups.iter().map(String::as_str).collect();
        if !self.label.is_empty() {
            parts.push(&self.label);
        }
        parts.join("/")
    }
}

/// A cell of a body line placed in a column (`None` where no column fits).
#[derive(Debug, Clone)]
pub struct Placed {
    pub cell: TCell,
    pub col: Option<usize>,
    pub figure: bool,
    /// The line the cell was printed on.
    pub line_no: usize,
    /// For a figure of layout text placed in no column: the two columns it stands about as
    /// near to (see [`Block::realign_text`]).
    pub between: Option<(usize, usize)>,
}

/// A logical row: the line it is anchored on and the cells of every line that belongs to it.
#[derive(Debug, Clone)]
pub struct Record {
    pub line_no: usize,
    pub page: usize,
    /// The anchor line's cells, left to right.
    pub cells: Vec<Placed>,
    /// Text of continuation lines above and below, per column (wrapped names).
    pub above: Vec<Placed>,
    pub below: Vec<Placed>,
}

impl Record {
    /// The figures, with their columns.
    pub fn figures(&self) -> impl Iterator<Item = &Placed> {
        self.cells
            .iter()
            .chain(&self.above)
            .chain(&self.below)
            .filter(|p| p.figure)
    }
}

/// The rows printed under one header (a table, or a part of it after a differing header
/// on a later page).
#[derive(Debug, Clone)]
pub struct Block {
    pub columns: Vec<Column>,
    pub records: Vec<Record>,
    /// The header lines the columns were read from (those of an earlier block where this
    /// one's page repeats none).
    pub header: Vec<TLine>,
    /// Whether the geometry is the PDF's; without it (layout text) `pdftotext` may have
    /// shifted and squeezed each page differently, see [`Block::realign_text`].
    pub exact: bool,
}

impl Block {
    /// For layout text without its PDF: places each row's figures by order and spacing
    /// rather than by absolute position, since `pdftotext -layout` shifts and squeezes each
    /// page differently. `amount` are the block's amount columns, left to right. A row with
    /// a figure for each takes them in order; a row with fewer is placed from its own first
    /// figure (the total, which every row prints) by the spacing of the columns' right
    /// edges: measured on complete rows of its own page, else of any page, else from the
    /// header.
    pub fn realign_text(&mut self, amount: &[usize], from_x: f32, to_x: f32) {
        let k = amount.len();
        if self.exact || k < 2 {
            return;
        }
        let inside = |p: &Placed| p.cell.x1 > from_x && p.cell.x1 <= to_x;
        let header_spacing: Option<Vec<f32>> = {
            let edges: Vec<f32> = amount
                .iter()
                .filter_map(|c| self.columns.get(*c).map(|c| c.x1))
                .collect();
            let first = edges.first().copied().unwrap_or(0.0);
            (edges.len() == k).then(|| edges.iter().map(|e| e - first).collect())
        };
        let offsets = |page: Option<usize>| -> Option<Vec<f32>> {
            let mut per: Vec<Vec<f32>> = vec![Vec::new(); k];
            for r in &self.records {
                if page.is_some_and(|p| p != r.page) {
                    continue;
                }
                let mut figs: Vec<&Placed> = r.figures().filter(|p| inside(p)).collect();
                if figs.len() != k {
                    continue;
                }
                figs.sort_by(|a, b| a.cell.x1.total_cmp(&b.cell.x1));
                let first = figs.first().map(|p| p.cell.x1).unwrap_or(0.0);
                for (slot, p) in per.iter_mut().zip(&figs) {
                    slot.push(p.cell.x1 - first);
                }
            }
            per.into_iter()
                .map(|mut v| {
                    v.sort_by(f32::total_cmp);
                    v.get(v.len() / 2).copied()
                })
                .collect()
        };
        let learned = offsets(None);
        let header_page = self.records.first().map(|r| r.page);
        let overall = learned.clone().or(header_spacing);
        // (each page's offsets once, not once a record)
        let page_nos: std::collections::BTreeSet<usize> =
            self.records.iter().map(|r| r.page).collect();
        let pages: std::collections::BTreeMap<usize, Option<Vec<f32>>> = page_nos
            .into_iter()
            .map(|p| (p, offsets(Some(p))))
            .collect();
        for r in &mut self.records {
            let n = r.figures().filter(|p| inside(p)).count();
            if n == 0 || n > k {
                continue;
            }
            let mut figs: Vec<&mut Placed> = r
                .cells
                .iter_mut()
                .chain(r.above.iter_mut())
                .chain(r.below.iter_mut())
                .filter(|p| p.figure && inside(p))
                .collect();
            figs.sort_by(|a, b| a.cell.x1.total_cmp(&b.cell.x1));
            if n == k {
                for (p, c) in figs.into_iter().zip(amount) {
                    p.col = Some(*c);
                }
                continue;
            }
            // with nothing learned from complete rows, the header's own page is read by
            // position as it stands
            if learned.is_none() && Some(r.page) == header_page {
                continue;
            }
            let spacing = pages
                .get(&r.page)
                .cloned()
                .flatten()
                .or_else(|| overall.clone());
            let Some(spacing) = spacing else { continue };
            let first = figs.first().map(|p| p.cell.x1).unwrap_or(0.0);
            let mut next = 0usize;
            let left = figs.len();
            for (i, p) in figs.into_iter().enumerate() {
                let off = p.cell.x1 - first;
                // the nearest column at or after the last one taken, leaving room for the
                // figures still to come
                let last = k.saturating_sub(left - i);
                let dist = |j: usize| (spacing.get(j).copied().unwrap_or(f32::MAX) - off).abs();
                // the nearest column and the next nearest (of equals, the leftmost first)
                let (mut best, mut second): (Option<usize>, Option<usize>) = (None, None);
                for c in next..=last {
                    if best.is_none_or(|b| dist(c) < dist(b)) {
                        second = best;
                        best = Some(c);
                    } else if second.is_none_or(|s| dist(c) < dist(s)) {
                        second = Some(c);
                    }
                }
                let Some(j) = best else { continue };
                // (about as near one column as the next: which one is not certain, so the
                // figure is placed in neither — `630.00` of a line pdftotext squeezed, 5
                // characters from 基本支出's edge and 6 from 项目支出's)
                if let Some(o) = second {
                    let gap = (spacing.get(o).copied().unwrap_or(f32::MAX)
                        - spacing.get(j).copied().unwrap_or(0.0))
                    .abs();
                    if dist(o) - dist(j) < 0.2 * gap {
                        p.col = None;
                        p.between = amount
                            .get(j.min(o))
                            .copied()
                            .zip(amount.get(j.max(o)).copied());
                        next = j.max(o) + 1;
                        continue;
                    }
                }
                p.col = amount.get(j).copied();
                next = j + 1;
            }
        }
    }
}

/// `BUDSQL_DEBUG`, read once per process.
fn debug_level() -> Option<&'static str> {
    static LEVEL: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    LEVEL
        .get_or_init(|| std::env::var("BUDSQL_DEBUG").ok())
        .as_deref()
}

/// Whether `BUDSQL_DEBUG_HEADER` is set, read once per process.
pub(crate) fn debug_header() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("BUDSQL_DEBUG_HEADER").is_some())
}

/// Prints a block's columns and rows to stderr when `BUDSQL_DEBUG` is set (`all` for every
/// row): a development aid, silent otherwise.
pub fn debug_block(table: &str, block: &Block, kinds: impl FnOnce() -> Vec<String>) {
    let Some(v) = debug_level() else {
        return;
    };
    let kinds = kinds();
    eprintln!("== {table} exact={}", block.exact);
    for (i, c) in block.columns.iter().enumerate() {
        eprintln!(
            "  col {i} [{:.1},{:.1}] {} {}",
            c.x0,
            c.x1,
            c.path(),
            kinds.get(i).map(String::as_str).unwrap_or("")
        );
    }
    let show = |v: &[Placed]| {
        v.iter()
            .map(|p| {
                format!(
                    "{}@{:.0}-{:.0}:{:?}{}",
                    p.cell.text,
                    p.cell.x0,
                    p.cell.x1,
                    p.col,
                    if p.figure { "#" } else { "" }
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let n = if v == "all" { usize::MAX } else { 4 };
    for r in block.records.iter().take(n) {
        eprintln!(
            "  rec L{} [{}] | {} | [{}]",
            r.line_no,
            show(&r.above),
            show(&r.cells),
            show(&r.below)
        );
    }
}

/// Small hand-made lines and columns for the stages' unit tests.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// A text line (`exact` false) numbered `no`, its cells at the given extents.
    pub fn line(no: usize, cells: &[(&str, f32, f32)]) -> TLine {
        TLine {
            line_no: no,
            page: 1,
            top: no as f32,
            bottom: no as f32 + 0.8,
            cells: cells
                .iter()
                .map(|(t, a, b)| TCell::new(t, *a, *b))
                .collect(),
            exact: false,
            kind: Default::default(),
        }
    }

    /// A one-line header column.
    pub fn column(label: &str, x0: f32, x1: f32) -> Column {
        Column {
            x0,
            x1,
            label: label.into(),
            groups: vec![],
            top_line: 0,
            y0: 0.0,
            y1: 0.8,
        }
    }

    /// Text of column `col`: continuation above, the anchor's cell, continuation below.
    pub fn text_in(r: &Record, col: usize) -> String {
        [&r.above, &r.cells, &r.below]
            .iter()
            .flat_map(|v| v.iter())
            .filter(|p| p.col == Some(col) && !p.figure)
            .map(|p| &*p.cell.text)
            .collect()
    }
}
