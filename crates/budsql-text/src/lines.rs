//! Text to lines and lines to cells.

/// How a line presents its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineForm {
    /// No cell separator: a heading, a sentence, an identity line.
    Plain,
    /// Cells separated by tabs; empty cells are consecutive tabs.
    Tabbed,
}

/// One cell of a line: its column index (0-based) and its text, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell<'a> {
    pub col: usize,
    pub text: &'a str,
}

/// One line of a document.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    /// 1-based line number in the decoded text.
    pub no: usize,
    /// 1-based page number; a form feed starts a new page.
    pub page: usize,
    /// The line without its form feeds and line ending.
    pub text: &'a str,
    pub form: LineForm,
}

impl<'a> Line<'a> {
    /// Whether the line holds nothing but whitespace.
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// The cells of the line; a plain line is one cell.
    pub fn cells(&self) -> Vec<Cell<'a>> {
        match self.form {
            LineForm::Plain => vec![Cell {
                col: 0,
                text: self.text.trim(),
            }],
            LineForm::Tabbed => self
                .text
                .split('\t')
                .enumerate()
                .map(|(col, t)| Cell {
                    col,
                    text: t.trim(),
                })
                .collect(),
        }
    }

    /// The cell texts, trimmed; a plain line is one cell.
    pub fn cell_texts(&self) -> Vec<&'a str> {
        self.cells().into_iter().map(|c| c.text).collect()
    }
}

/// Splits text into lines, numbering them from 1 and counting pages at form feeds.
pub fn lines(text: &str) -> Vec<Line<'_>> {
    let mut page = 1;
    let mut out = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let mut line = raw;
        while let Some(rest) = line.strip_prefix('\u{c}') {
            page += 1;
            line = rest;
        }
        let feeds_inside = line.matches('\u{c}').count();
        let clean = line.trim_end_matches(['\r', '\u{c}']);
        let form = if clean.contains('\t') {
            LineForm::Tabbed
        } else {
            LineForm::Plain
        };
        out.push(Line {
            no: i + 1,
            page,
            text: clean,
            form,
        });
        page += feeds_inside;
    }
    if out.last().is_some_and(|l| l.text.is_empty()) && text.ends_with('\n') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_lines_and_pages() {
        let ls = lines("a\n\u{c}b\tc\t\td\n");
        assert_eq!(ls.len(), 2);
        assert_eq!(ls[0].page, 1);
        assert_eq!(ls[1].page, 2);
        assert_eq!(ls[1].no, 2);
        assert_eq!(ls[1].form, LineForm::Tabbed);
        assert_eq!(ls[1].cell_texts(), vec!["b", "c", "", "d"]);
    }

    #[test]
    fn empty_text_has_no_lines() {
        assert!(lines("").len() <= 1);
    }
}
