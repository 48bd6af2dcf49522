//! Lines of a table: each cell with its horizontal extent, from the PDF's word boxes
//! or the layout text's character positions.

use super::*;

/// A cell with its horizontal extent, in half-width columns.
#[derive(Debug, Clone, PartialEq)]
pub struct TCell {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
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
                    .map(|c| TCell {
                        text: c.text.clone(),
                        x0: c.x0,
                        x1: c.x1,
                    })
                    .collect(),
                exact: true,
            }
            .without_placeholders();
        }
        let cells = if row.pos.is_empty() {
            row.cells
                .iter()
                .enumerate()
                .filter(|(_, t)| !t.trim().is_empty())
                .map(|(k, t)| TCell {
                    text: t.trim().to_string(),
                    x0: k as f32 * 20.0,
                    x1: k as f32 * 20.0 + 16.0,
                })
                .collect()
        } else {
            row.cells
                .iter()
                .zip(&row.pos)
                .map(|(t, p)| TCell {
                    text: t.clone(),
                    x0: p.0 as f32,
                    x1: p.1 as f32,
                })
                .collect()
        };
        TLine {
            line_no: row.line_no,
            page: row.page,
            top: row.line_no as f32,
            bottom: row.line_no as f32 + 0.8,
            cells,
            exact: false,
        }
        .without_placeholders()
    }

    pub(super) fn without_placeholders(mut self) -> TLine {
        self.cells.retain(|c| !is_placeholder(&c.text));
        for c in &mut self.cells {
            let t = c.text.trim_matches(|ch| matches!(ch, '…' | '·'));
            if t.len() != c.text.len() {
                c.text = t.trim().to_string();
            }
        }
        self.cells.retain(|c| !c.text.is_empty());
        self
    }
}

#[cfg(test)]
mod tests {
    use crate::table::fixtures::*;

    #[test]
    fn placeholders_are_dropped() {
        let l = line(
            1,
            &[("……", 0.0, 4.0), ("合计…", 6.0, 10.0), ("1.00", 12.0, 16.0)],
        )
        .without_placeholders();
        let texts: Vec<&str> = l.cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["合计", "1.00"]);
    }
}
