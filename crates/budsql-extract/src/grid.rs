//! The layout-independent table model and the reader for the tab-separated form.
//!
//! A reader turns lines into [`Section`]s: a recognised title, the rows of cells under it
//! (repeated page headers included; the table readers skip them), and the plain lines in
//! between (unit lines, `单位: 万元`, notes). Lines outside every section are narrative.

use budsql_schema::{MoneyUnit, TableName};
use budsql_text::{Line, LineForm, normalize_width};

use crate::title::classify_title;

/// One row of cells with where it was printed.
#[derive(Debug, Clone)]
pub struct Row {
    pub line_no: usize,
    pub page: usize,
    pub cells: Vec<String>,
    /// For space-aligned text, each cell's (start, end) position in characters; empty for
    /// the tab form, whose cells are placed by index.
    pub pos: Vec<(usize, usize)>,
}

impl Row {
    /// The trimmed text of cell `col`, empty when the row has no such cell.
    pub fn cell(&self, col: usize) -> &str {
        self.cells.get(col).map(String::as_str).unwrap_or("")
    }

    /// The 序号 printed in the first cell, when it is a positive integer.
    pub fn serial(&self) -> Option<i32> {
        let c = normalize_width(self.cell(0));
        let c = c.trim();
        if c.is_empty() || c.len() > 6 || !c.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        c.parse().ok().filter(|n| *n > 0)
    }
}

/// A plain line kept with its number.
#[derive(Debug, Clone)]
pub struct PlainLine {
    pub line_no: usize,
    pub text: String,
}

/// A recognised table: its title, rows and the plain lines printed among them.
#[derive(Debug, Clone)]
pub struct Section {
    pub kind: TableName,
    pub title: String,
    pub title_line: usize,
    pub rows: Vec<Row>,
    pub plain: Vec<PlainLine>,
}

impl Section {
    /// The money unit the section states (`单位: 元`, `金额单位：万元`), if any.
    pub fn stated_unit(&self) -> Option<MoneyUnit> {
        self.plain
            .iter()
            .map(|p| p.text.as_str())
            .chain(
                self.rows
                    .iter()
                    .take(4)
                    .flat_map(|r| r.cells.iter().map(String::as_str)),
            )
            .find_map(money_unit_in)
    }
}

impl Section {
    /// For a tab extraction without positions: the plain lines printed among the header
    /// rows (a header cell wrapped onto a line without tabs) taken in as rows.
    pub fn with_header_lines(&self) -> Section {
        if self.rows.iter().any(|r| !r.pos.is_empty()) {
            return self.clone();
        }
        let mut sec = self.clone();
        let first_row = self.rows.first().map(|r| r.line_no).unwrap_or(0);
        let last_row = self.rows.last().map(|r| r.line_no).unwrap_or(0);
        for p in &self.plain {
            if p.line_no > first_row
                && p.line_no < last_row
                && !is_table_label(&p.text)
                && !is_note(&p.text)
            {
                sec.rows.push(Row {
                    line_no: p.line_no,
                    page: self
                        .rows
                        .iter()
                        .find(|r| r.line_no > p.line_no)
                        .map(|r| r.page)
                        .unwrap_or(1),
                    cells: vec![p.text.clone()],
                    pos: Vec::new(),
                });
            }
        }
        sec.rows.sort_by_key(|r| r.line_no);
        sec
    }

    /// Whether the table prints a 序号 column (its rows are then placed by cell index).
    pub fn numbered(&self) -> bool {
        self.rows.iter().any(|r| {
            r.cells.iter().any(|c| {
                let t: String = c.chars().filter(|c| !c.is_whitespace()).collect();
                t == "序号" || t == "栏次"
            })
        })
    }
}

/// Reads `单位：万元`, `单位: 元`, `金额单位:万元` in a line or cell.
pub fn money_unit_in(text: &str) -> Option<MoneyUnit> {
    let t: String = normalize_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    // `编制单位：…  单位：元` names the unit after the second `单位:`
    t.match_indices("单位:").find_map(|(idx, m)| {
        let rest = t.get(idx + m.len()..)?;
        if rest.starts_with("万元") {
            Some(MoneyUnit::Wan)
        } else if rest.starts_with('元') {
            Some(MoneyUnit::Yuan)
        } else {
            None
        }
    })
}

/// What a reader makes of a document's lines.
#[derive(Debug, Default)]
pub struct Layout {
    pub sections: Vec<Section>,
    /// Plain lines outside every section: the narrative and headings.
    pub narrative: Vec<PlainLine>,
    /// Blocks of cell rows under no title, as (first line, rows).
    pub untitled: Vec<Vec<Row>>,
}

/// Whether a plain line reads as running text rather than a heading or label.
fn is_prose(text: &str) -> bool {
    let t = text.trim();
    t.chars().count() > 20 && t.contains(['。', '，', ',', '；', ';'])
}

/// Reads the tab-separated form (the seed's): rows are tabbed lines.
pub fn read_tabbed(lines: &[Line<'_>]) -> Layout {
    let mut out = Layout::default();
    let mut current: Option<Section> = None;
    let mut loose: Vec<Row> = Vec::new();
    let close = |sec: Option<Section>, out: &mut Layout| {
        if let Some(s) = sec {
            out.sections.push(s);
        }
    };
    for line in lines {
        if line.is_blank() {
            continue;
        }
        match line.form {
            LineForm::Plain => {
                let text = line.text.trim();
                if let Some(kind) = classify_title(text) {
                    close(current.take(), &mut out);
                    if !loose.is_empty() {
                        out.untitled.push(std::mem::take(&mut loose));
                    }
                    current = Some(Section {
                        kind,
                        title: text.to_string(),
                        title_line: line.no,
                        rows: Vec::new(),
                        plain: Vec::new(),
                    });
                    continue;
                }
                let plain = PlainLine {
                    line_no: line.no,
                    text: text.to_string(),
                };
                match current.as_mut() {
                    Some(sec) if sec.kind == TableName::Kpi => sec.plain.push(plain),
                    Some(sec) if is_prose(text) && !sec.rows.is_empty() && !is_note(text) => {
                        close(current.take(), &mut out);
                        out.narrative.push(plain);
                    }
                    Some(sec) => sec.plain.push(plain),
                    None => {
                        if !loose.is_empty() && is_prose(text) {
                            out.untitled.push(std::mem::take(&mut loose));
                        }
                        out.narrative.push(plain)
                    }
                }
            }
            LineForm::Tabbed => {
                let row = Row {
                    line_no: line.no,
                    page: line.page,
                    cells: line.cell_texts().into_iter().map(str::to_string).collect(),
                    pos: Vec::new(),
                };
                match current.as_mut() {
                    Some(sec) => sec.rows.push(row),
                    None => loose.push(row),
                }
            }
        }
    }
    close(current.take(), &mut out);
    if !loose.is_empty() {
        out.untitled.push(loose);
    }
    // A title with no rows under it is a table of contents entry, unless it is a KPI table
    // (whose layout may be scrambled into plain lines) or a table printed empty.
    out.sections
        .retain(|s| !s.rows.is_empty() || (s.kind == TableName::Kpi && !s.plain.is_empty()));
    out
}

/// Whether a line states who made the table or its money unit (`编制单位：…  单位：元`).
fn is_table_label(text: &str) -> bool {
    let t: String = normalize_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    t.starts_with("编制单位")
        || t.starts_with("编制部门")
        || t.starts_with("预算单位:")
        || t.starts_with("单位:")
        || t.starts_with("金额单位")
        || t.starts_with("部门:")
        || t.contains("单位:元")
        || t.contains("单位:万元")
}

/// Reads the space-aligned form (`pdftotext -layout`): a line of two or more cells is a
/// row, with each cell's position kept; a line of one cell is plain text.
pub fn read_layout(lines: &[Line<'_>]) -> Layout {
    let mut out = Layout::default();
    let mut current: Option<Section> = None;
    let mut loose: Vec<Row> = Vec::new();
    for line in lines {
        if line.is_blank() {
            continue;
        }
        let cells = budsql_text::layout_cells(line.text);
        let text = line.text.trim();
        let single = cells.len() <= 1;
        if single || is_table_label(text) {
            if single && let Some(kind) = classify_title(text) {
                if let Some(s) = current.take() {
                    out.sections.push(s);
                }
                if !loose.is_empty() {
                    out.untitled.push(std::mem::take(&mut loose));
                }
                current = Some(Section {
                    kind,
                    title: text.to_string(),
                    title_line: line.no,
                    rows: Vec::new(),
                    plain: Vec::new(),
                });
                continue;
            }
            let plain = PlainLine {
                line_no: line.no,
                text: text.to_string(),
            };
            match current.as_mut() {
                Some(sec) if sec.kind == TableName::Kpi => sec.plain.push(plain),
                Some(sec) if is_prose(text) && !sec.rows.is_empty() && !is_note(text) => {
                    if let Some(s) = current.take() {
                        out.sections.push(s);
                    }
                    out.narrative.push(plain);
                }
                // a lone label inside a table (`二、事业收入` with a blank figure) is a row
                Some(sec)
                    if single
                        && !is_note(text)
                        && !is_table_label(text)
                        && !sec.rows.is_empty() =>
                {
                    let (start, end) = cells.first().map(|c| (c.start, c.end)).unwrap_or((0, 0));
                    sec.rows.push(Row {
                        line_no: line.no,
                        page: line.page,
                        cells: vec![text.to_string()],
                        pos: vec![(start, end)],
                    });
                }
                Some(sec) => sec.plain.push(plain),
                None => {
                    if !loose.is_empty() && is_prose(text) {
                        out.untitled.push(std::mem::take(&mut loose));
                    }
                    out.narrative.push(plain)
                }
            }
            continue;
        }
        let row = Row {
            line_no: line.no,
            page: line.page,
            cells: cells.iter().map(|c| c.text.to_string()).collect(),
            pos: cells.iter().map(|c| (c.start, c.end)).collect(),
        };
        match current.as_mut() {
            Some(sec) => sec.rows.push(row),
            None => loose.push(row),
        }
    }
    if let Some(s) = current.take() {
        out.sections.push(s);
    }
    if !loose.is_empty() {
        out.untitled.push(loose);
    }
    out.sections
        .retain(|s| !s.rows.is_empty() || (s.kind == TableName::Kpi && !s.plain.is_empty()));
    out
}

fn is_note(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("注") || t.starts_with("说明")
}
