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

/// A cell of a space-aligned line: its text and where it stands, in characters from the
/// start of the line (`pdftotext -layout` gives every character, CJK included, one position).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PosCell<'a> {
    pub text: &'a str,
    /// Position of the first character.
    pub start: usize,
    /// Position just past the last character.
    pub end: usize,
}

fn is_numberish(s: &str) -> bool {
    let t = s.trim_start_matches(['-', '(', '（']);
    t.chars().next().is_some_and(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | ')' | '）'))
}

/// Splits a space-aligned line into cells: a run of two or more spaces separates cells, and
/// so does a single space next to a number (`86,959,408.34 一、公共安全支出`,
/// `82,096,797.42 82,096,797.42`).
pub fn layout_cells(line: &str) -> Vec<PosCell<'_>> {
    /// A run of non-gap characters and the gap after it.
    struct Word {
        /// Character positions (start, end) and byte offsets (from, to).
        start: usize,
        end: usize,
        from: usize,
        to: usize,
        /// Gap characters after the word, and whether a tab is among them.
        gap: usize,
        tab: bool,
        numberish: bool,
    }
    let word = |start: usize, end: usize, from: usize, to: usize| {
        let text = line.get(from..to).unwrap_or("");
        Word {
            start,
            end,
            from,
            to,
            gap: 0,
            tab: false,
            numberish: is_numberish(text),
        }
    };
    let mut words: Vec<Word> = Vec::with_capacity(16);
    let mut current: Option<(usize, usize)> = None; // (character, byte) where a word began
    let mut ci = 0;
    // (on bytes, a run at a time: a layout line is mostly runs of spaces; the gaps are
    // spaces, tabs and the ideographic space E3 80 80, and a character is counted at its
    // lead byte)
    let bytes = line.as_bytes();
    let ideographic_space = |at: usize| bytes.get(at..at + 3) == Some(&[0xE3, 0x80, 0x80]);
    let mut bi = 0;
    while let Some(&b) = bytes.get(bi) {
        let gap_len = if b == b' ' || b == b'\t' {
            1
        } else if ideographic_space(bi) {
            3
        } else {
            0
        };
        if gap_len > 0 {
            if let Some((start, from)) = current.take() {
                words.push(word(start, ci, from, bi));
            }
            // the run of ASCII gaps from here
            let run = if gap_len == 1 {
                bytes
                    .get(bi..)
                    .unwrap_or_default()
                    .iter()
                    .position(|&x| x != b' ' && x != b'\t')
                    .unwrap_or(bytes.len() - bi)
            } else {
                3
            };
            let chars = if gap_len == 1 { run } else { 1 };
            if let Some(w) = words.last_mut() {
                w.gap += chars;
                w.tab |=
                    gap_len == 1 && bytes.get(bi..bi + run).is_some_and(|r| r.contains(&b'\t'));
            }
            ci += chars;
            bi += run;
            continue;
        }
        if current.is_none() {
            current = Some((ci, bi));
        }
        // the run of other characters from here, to the next space, tab or E3 lead byte
        let run = bytes
            .get(bi + 1..)
            .unwrap_or_default()
            .iter()
            .position(|&x| x == b' ' || x == b'\t' || x == 0xE3)
            .map_or(bytes.len() - bi, |p| p + 1);
        ci += bytes
            .get(bi..bi + run)
            .unwrap_or_default()
            .iter()
            .filter(|&&x| x & 0xC0 != 0x80)
            .count();
        bi += run;
    }
    if let Some((start, from)) = current {
        words.push(word(start, ci, from, line.len()));
    }
    let text = |from: usize, to: usize| line.get(from..to).unwrap_or("").trim();
    let mut out = Vec::with_capacity(words.len());
    let mut first: Option<&Word> = None; // first word of the cell being built
    let mut prev: Option<&Word> = None;
    for w in &words {
        if let (Some(p), Some(f)) = (prev, first) {
            // one space joins words into a cell, unless one of them is a number
            let joined = p.gap == 1 && !p.tab && !p.numberish && !w.numberish;
            if !joined {
                out.push(PosCell {
                    text: text(f.from, p.to),
                    start: f.start,
                    end: p.end,
                });
                first = Some(w);
            }
        } else {
            first = Some(w);
        }
        prev = Some(w);
    }
    if let (Some(p), Some(f)) = (prev, first) {
        // a single space (not a tab) ending the line counts in the last cell's extent
        let trailing = usize::from(p.gap == 1 && !p.tab);
        out.push(PosCell {
            text: text(f.from, p.to),
            start: f.start,
            end: p.end + trailing,
        });
    }
    out
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
        // (layout lines start with long runs of spaces: skip ASCII bytes first, then decode)
        match self.text.bytes().position(|b| !b.is_ascii_whitespace()) {
            None => true,
            Some(i) => self.text.get(i..).is_some_and(|rest| {
                !rest.starts_with(|c: char| c.is_ascii()) && rest.trim().is_empty()
            }),
        }
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
        // some extraction tools mark page breaks with a line of their own (trimmed only
        // where it can be one: layout lines carry long runs of spaces)
        if line.as_bytes().contains(&b'_') && line.trim() == "-- PAGE_BREAK --" {
            page += 1;
            out.push(Line {
                no: i + 1,
                page,
                text: "",
                form: LineForm::Plain,
            });
            continue;
        }
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

    // The cells as the reader split them character by character before it went by runs
    // of bytes: the same on every line.
    fn is_gap(c: char) -> bool {
        c == ' ' || c == '\u{3000}' || c == '\t'
    }

    /// Splits a space-aligned line into cells: a run of two or more spaces separates cells, and
    /// so does a single space next to a number (`86,959,408.34 一、公共安全支出`,
    /// `82,096,797.42 82,096,797.42`).
    fn layout_cells_by_chars(line: &str) -> Vec<PosCell<'_>> {
        /// A run of non-gap characters and the gap after it.
        struct Word {
            /// Character positions (start, end) and byte offsets (from, to).
            start: usize,
            end: usize,
            from: usize,
            to: usize,
            /// Gap characters after the word, and whether a tab is among them.
            gap: usize,
            tab: bool,
            numberish: bool,
        }
        let word = |start: usize, end: usize, from: usize, to: usize| {
            let text = line.get(from..to).unwrap_or("");
            Word {
                start,
                end,
                from,
                to,
                gap: 0,
                tab: false,
                numberish: is_numberish(text),
            }
        };
        let mut words: Vec<Word> = Vec::new();
        let mut current: Option<(usize, usize)> = None; // (character, byte) where a word began
        let mut ci = 0;
        for (bi, c) in line.char_indices() {
            if is_gap(c) {
                if let Some((start, from)) = current.take() {
                    words.push(word(start, ci, from, bi));
                }
                if let Some(w) = words.last_mut() {
                    w.gap += 1;
                    w.tab |= c == '\t';
                }
            } else if current.is_none() {
                current = Some((ci, bi));
            }
            ci += 1;
        }
        if let Some((start, from)) = current {
            words.push(word(start, ci, from, line.len()));
        }
        let text = |from: usize, to: usize| line.get(from..to).unwrap_or("").trim();
        let mut out = Vec::new();
        let mut first: Option<&Word> = None; // first word of the cell being built
        let mut prev: Option<&Word> = None;
        for w in &words {
            if let (Some(p), Some(f)) = (prev, first) {
                // one space joins words into a cell, unless one of them is a number
                let joined = p.gap == 1 && !p.tab && !p.numberish && !w.numberish;
                if !joined {
                    out.push(PosCell {
                        text: text(f.from, p.to),
                        start: f.start,
                        end: p.end,
                    });
                    first = Some(w);
                }
            } else {
                first = Some(w);
            }
            prev = Some(w);
        }
        if let (Some(p), Some(f)) = (prev, first) {
            // a single space (not a tab) ending the line counts in the last cell's extent
            let trailing = usize::from(p.gap == 1 && !p.tab);
            out.push(PosCell {
                text: text(f.from, p.to),
                start: f.start,
                end: p.end + trailing,
            });
        }
        out
    }

    #[test]
    fn layout_cells_by_runs_as_by_chars() {
        let alphabet = [
            " ", " ", " ", "  ", "\t", "\u{3000}", "a", "1", "2", ",", ".", "-", "合", "计", "〈",
            "（", "）", "、", "é", "😀", "\u{3001}",
        ];
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let len = next() % 24;
            let line: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let by_runs: Vec<(&str, usize, usize)> = layout_cells(&line)
                .iter()
                .map(|c| (c.text, c.start, c.end))
                .collect();
            let by_chars: Vec<(&str, usize, usize)> = layout_cells_by_chars(&line)
                .iter()
                .map(|c| (c.text, c.start, c.end))
                .collect();
            assert_eq!(by_runs, by_chars, "{line:?}");
        }
    }

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
    fn layout_cells_by_position() {
        let c =
            layout_cells("204   06   01   行政运行               14,348,853.34   14,348,853.34");
        let t: Vec<(&str, usize, usize)> = c.iter().map(|c| (c.text, c.start, c.end)).collect();
        assert_eq!(
            t,
            vec![
                ("204", 0, 3),
                ("06", 6, 8),
                ("01", 11, 13),
                ("行政运行", 16, 20),
                ("14,348,853.34", 35, 48),
                ("14,348,853.34", 51, 64)
            ]
        );
        let c = layout_cells(
            "一、财政拨款收入        86,959,408.34 一、公共安全支出      79,189,400.34",
        );
        let t: Vec<&str> = c.iter().map(|c| c.text).collect();
        assert_eq!(
            t,
            vec![
                "一、财政拨款收入",
                "86,959,408.34",
                "一、公共安全支出",
                "79,189,400.34"
            ]
        );
        let c = layout_cells("行政运行  12,029,501.84 12,029,501.84");
        let t: Vec<&str> = c.iter().map(|c| c.text).collect();
        assert_eq!(t, vec!["行政运行", "12,029,501.84", "12,029,501.84"]);
        let c = layout_cells("  2026年预算单位 收入预算总表 ");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].text, "2026年预算单位 收入预算总表");
    }

    #[test]
    fn empty_text_has_no_lines() {
        assert!(lines("").len() <= 1);
    }
}
