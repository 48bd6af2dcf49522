//! Lines of a table: each cell with its horizontal extent, from the PDF's word boxes
//! or the layout text's character positions.

use super::*;

/// A cell with its horizontal extent, in half-width columns.
#[derive(Debug, Clone, PartialEq)]
pub struct TCell {
    /// (shared: a cell is placed, copied into records and headers, never changed)
    pub text: std::rc::Rc<str>,
    pub x0: f32,
    pub x1: f32,
    /// A figure (a number or a dash), read once.
    pub figure: bool,
    /// An amount (a figure with a decimal point or separator, or a dash), read once.
    pub amount: bool,
}

impl TCell {
    pub fn new(text: &str, x0: f32, x1: f32) -> TCell {
        let (figure, amount) = figure_and_amount(text);
        TCell {
            figure,
            amount,
            // (straight from the borrowed text: one allocation a cell)
            text: text.into(),
            x0,
            x1,
        }
    }
}

/// One physical line of a table.
#[derive(Debug, Clone)]
pub struct TLine {
    pub line_no: usize,
    pub page: usize,
    /// Vertical extent in line heights (PDF) or line numbers (text).
    pub top: f32,
    pub bottom: f32,
    pub cells: Vec<TCell>,
    /// Whether the geometry is the PDF's (exact) rather than character counts.
    pub exact: bool,
    /// The line's [`Kind`], read once.
    pub(super) kind: std::cell::OnceCell<Kind>,
}

impl TLine {
    /// The line of `row`: the PDF's geometry where there is one, else character positions,
    /// else (the tab form) cell indices.
    pub fn of(row: &Row) -> TLine {
        if let Some(g) = &row.geo {
            return TLine {
                line_no: row.line_no,
                page: row.page,
                top: g.top,
                bottom: g.bottom,
                cells: g
                    .cells
                    .iter()
                    .map(|c| TCell::new(&c.text, c.x0, c.x1))
                    .collect(),
                exact: true,
                kind: Default::default(),
            }
            .without_placeholders();
        }
        let cells = if row.pos.is_empty() {
            row.cells
                .iter()
                .enumerate()
                .filter(|(_, t)| !t.trim().is_empty())
                .map(|(k, t)| TCell::new(t.trim(), k as f32 * 20.0, k as f32 * 20.0 + 16.0))
                .collect()
        } else {
            row.cells
                .iter()
                .zip(&row.pos)
                .map(|(t, p)| TCell::new(t, p.0 as f32, p.1 as f32))
                .collect()
        };
        TLine {
            line_no: row.line_no,
            page: row.page,
            top: row.line_no as f32,
            bottom: row.line_no as f32 + 0.8,
            cells,
            exact: false,
            kind: Default::default(),
        }
        .without_placeholders()
    }

    pub(super) fn without_placeholders(mut self) -> TLine {
        self.cells.retain(|c| !is_placeholder(&c.text));
        for c in &mut self.cells {
            let t = c.text.trim_matches(|ch| matches!(ch, '…' | '·'));
            if t.len() != c.text.len() {
                *c = TCell::new(t.trim(), c.x0, c.x1);
            }
        }
        self.cells.retain(|c| !c.text.is_empty());
        self.with_years_joined()
    }

    /// A year set a space apart from the `年` after it (`2026 年政府采购项目`, `2026 年预算数`)
    /// is part of that label, not a figure.
    fn with_years_joined(mut self) -> TLine {
        let year = |t: &str| {
            let t = t.trim();
            t.len() == 4
                && t.bytes().all(|b| b.is_ascii_digit())
                && (t.starts_with("19") || t.starts_with("20"))
        };
        let mut k = 0;
        while k + 1 < self.cells.len() {
            let join = match (self.cells.get(k), self.cells.get(k + 1)) {
                (Some(a), Some(b)) => {
                    year(&a.text) && b.text.trim_start().starts_with('年') && b.x0 - a.x1 <= 1.5
                }
                _ => false,
            };
            if join {
                let b = self.cells.remove(k + 1);
                if let Some(a) = self.cells.get_mut(k) {
                    *a = TCell::new(&format!("{}{}", a.text.trim(), b.text.trim()), a.x0, b.x1);
                }
            }
            k += 1;
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use crate::table::fixtures::*;

    #[test]
    fn a_year_before_its_label_is_no_figure() {
        let l = line(
            1,
            &[
                ("2026", 10.0, 14.0),
                ("年政府采购项目", 15.0, 22.0),
                ("1.00", 30.0, 34.0),
            ],
        )
        .without_placeholders();
        let texts: Vec<(&str, bool)> = l.cells.iter().map(|c| (&*c.text, c.figure)).collect();
        assert_eq!(texts, [("2026年政府采购项目", false), ("1.00", true)]);
        // a year standing alone, or far from the next cell, stays as printed
        let l = line(1, &[("2026", 10.0, 14.0), ("年初预算", 30.0, 34.0)]).without_placeholders();
        assert_eq!(l.cells.len(), 2);
    }

    #[test]
    fn placeholders_are_dropped() {
        let l = line(
            1,
            &[("……", 0.0, 4.0), ("合计…", 6.0, 10.0), ("1.00", 12.0, 16.0)],
        )
        .without_placeholders();
        let texts: Vec<&str> = l.cells.iter().map(|c| &*c.text).collect();
        assert_eq!(texts, ["合计", "1.00"]);
    }
}
