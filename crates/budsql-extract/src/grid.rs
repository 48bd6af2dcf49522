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
    /// For a PDF, the line's cells placed by the boxes of their words (half-width columns,
    /// line heights from the top of the page); `None` for text without a PDF.
    pub geo: Option<budsql_text::GeoLine>,
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
                    geo: None,
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
                let t: String = budsql_text::without_spaces(c);
                t == "序号" || t == "栏次"
            })
        })
    }
}

/// Reads `单位：万元`, `单位: 元`, `金额单位:万元` in a line or cell.
pub fn money_unit_in(text: &str) -> Option<MoneyUnit> {
    // every unit statement names 单位 and 元; most lines name neither
    if !(text.contains('单') && text.contains('元')) {
        return None;
    }
    let t: String = budsql_text::compact_label(text);
    // `编制单位：…  单位：元` names the unit after the second `单位:`
    t.match_indices("单位:").find_map(|(idx, m)| {
        let rest = t.get(idx + m.len()..)?;
        if rest.starts_with("万元") {
            Some(MoneyUnit::Wan)
        } else if rest.starts_with("千元") {
            Some(MoneyUnit::Qian)
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
/// Where (in half-width positions) a line of prose alone must start to be a cell of the
/// table it stands in: narrative paragraphs start near the margin.
const PROSE_CELL_START: usize = 40;

/// Prose by its CJK punctuation (a figure's thousands separator is no comma of a sentence).
fn is_cjk_prose(text: &str) -> bool {
    let t = text.trim();
    t.chars().count() > 20 && t.contains(['。', '，', '；'])
}

fn is_prose(text: &str) -> bool {
    let t = text.trim();
    t.chars().count() > 20 && t.contains(['。', '，', ',', '；', ';'])
}

/// A line of running prose whose figures stand a single space from the words
/// (`2024 年度机关运行经费支出 2266.65 万元，比 2023 年度决算`): no wide gap, and a CJK
/// comma, full stop or semicolon. It is narrative, not a table's row.
fn is_sentence(text: &str) -> bool {
    let t = text.trim();
    !t.contains("  ") && t.chars().count() > 20 && t.contains(['。', '，', '；'])
}

/// The state both readers share: the open section, rows under no title, and the output.
#[derive(Default)]
struct Reader {
    out: Layout,
    current: Option<Section>,
    loose: Vec<Row>,
}

impl Reader {
    fn close(&mut self) {
        if let Some(s) = self.current.take() {
            self.out.sections.push(s);
        }
    }

    fn title(&mut self, kind: TableName, text: &str, line_no: usize) {
        // a table continued on the next page under its title printed again: one table
        // (a 绩效目标表 title names one project each time, so those stay apart)
        if let Some(cur) = &self.current
            && cur.kind == kind
            && kind != TableName::Kpi
            && !cur.rows.is_empty()
            && crate::title::normalize_title(&cur.title) == crate::title::normalize_title(text)
        {
            return;
        }
        self.close();
        if !self.loose.is_empty() {
            self.out.untitled.push(std::mem::take(&mut self.loose));
        }
        self.current = Some(Section {
            kind,
            title: text.to_string(),
            title_line: line_no,
            rows: Vec::new(),
            plain: Vec::new(),
        });
    }

    /// A plain line: prose after a table's rows ends it; inside a KPI table everything is
    /// kept; `as_row` (a lone label in a layout table) is taken as a row where one fits.
    fn plain(&mut self, text: &str, line_no: usize, as_row: Option<Row>) {
        let plain = PlainLine {
            line_no,
            text: text.to_string(),
        };
        match self.current.as_mut() {
            // a KPI table keeps everything: a positioned line (the layout form) as a row
            Some(sec) if sec.kind == TableName::Kpi => match as_row {
                Some(row) => sec.rows.push(row),
                None => sec.plain.push(plain),
            },
            Some(sec) if is_prose(text) && !sec.rows.is_empty() && !is_note(text) => {
                self.close();
                self.out.narrative.push(plain);
            }
            Some(sec) => match as_row {
                // (a header cell alone on its line, `机关运行经费预算`, keeps its position too)
                Some(row) if !is_note(text) && !is_table_label(text) && !is_prose(text) => {
                    sec.rows.push(row)
                }
                _ => sec.plain.push(plain),
            },
            None => {
                if !self.loose.is_empty() && is_prose(text) {
                    self.out.untitled.push(std::mem::take(&mut self.loose));
                }
                self.out.narrative.push(plain)
            }
        }
    }

    /// Whether a table other than a 绩效目标表 is open and has rows.
    fn in_table(&self) -> bool {
        self.current
            .as_ref()
            .is_some_and(|s| s.kind != TableName::Kpi && !s.rows.is_empty())
    }

    /// A line of text inside the open table that is none of its rows.
    fn plain_in_table(&mut self, text: &str, line_no: usize) {
        if let Some(sec) = self.current.as_mut() {
            sec.plain.push(PlainLine {
                line_no,
                text: text.to_string(),
            });
        }
    }

    fn row(&mut self, row: Row) {
        match self.current.as_mut() {
            Some(sec) => sec.rows.push(row),
            None => self.loose.push(row),
        }
    }

    fn finish(mut self) -> Layout {
        self.close();
        if !self.loose.is_empty() {
            self.out.untitled.push(std::mem::take(&mut self.loose));
        }
        // A title with no rows under it is a table of contents entry, unless it is a KPI
        // table (whose layout may be scrambled into plain lines).
        self.out
            .sections
            .retain(|s| !s.rows.is_empty() || (s.kind == TableName::Kpi && !s.plain.is_empty()));
        self.out
    }
}

/// Reads the tab-separated form (the seed's): rows are tabbed lines.
pub fn read_tabbed(lines: &[Line<'_>]) -> Layout {
    let mut r = Reader::default();
    for line in lines.iter().filter(|l| !l.is_blank()) {
        match line.form {
            LineForm::Plain => {
                let text = line.text.trim();
                match classify_title(text) {
                    Some(kind) => r.title(kind, text, line.no),
                    None => r.plain(text, line.no, None),
                }
            }
            LineForm::Tabbed => r.row(Row {
                line_no: line.no,
                page: line.page,
                cells: line.cell_texts().into_iter().map(str::to_string).collect(),
                pos: Vec::new(),
                geo: None,
            }),
        }
    }
    r.finish()
}

/// Whether a line states who made the table or its money unit (`编制单位：…  单位：元`).
fn is_table_label(text: &str) -> bool {
    if !(text.contains('单') || text.contains("部门")) {
        return false;
    }
    let t: String = budsql_text::compact_label(text);
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
/// row, with each cell's position kept; a line of one cell is plain text, or a row when it
/// is a lone label inside a table (`二、事业收入` with a blank figure).
pub fn read_layout(lines: &[Line<'_>], geo: &[Option<budsql_text::GeoLine>]) -> Layout {
    let mut r = Reader::default();
    let mut skip: Option<usize> = None;
    for (i, line) in lines.iter().enumerate().filter(|(_, l)| !l.is_blank()) {
        if skip == Some(i) {
            continue;
        }
        let cells = budsql_text::layout_cells(line.text);
        let text = line.text.trim();
        // a title wrapped onto the next line inside its bracket (`…明细表（按支出功能分类科`
        // / `目-不含上年结转）`): read as one
        let title = if cells.len() <= 1 {
            classify_title(text)
        } else {
            None
        };
        if cells.len() <= 1
            && title.is_none()
            && text.contains('表')
            && text.matches(['（', '(']).count() > text.matches(['）', ')']).count()
            && let Some((j, next)) = lines
                .iter()
                .enumerate()
                .skip(i + 1)
                .find(|(_, l)| !l.is_blank())
            && budsql_text::layout_cells(next.text).len() <= 1
        {
            let joined = format!("{}{}", text, next.text.trim());
            if let Some(kind) = classify_title(&joined) {
                r.title(kind, &joined, line.no);
                skip = Some(j);
                continue;
            }
        }
        let row = Row {
            line_no: line.no,
            page: line.page,
            cells: cells.iter().map(|c| c.text.to_string()).collect(),
            pos: cells.iter().map(|c| (c.start, c.end)).collect(),
            geo: geo.get(i).cloned().flatten(),
        };
        // prose set far right inside a table (a 绩效目标 column's sentences beside each
        // project) is a cell of the table, not the narrative after it
        let far_right = cells.first().is_some_and(|c| c.start >= PROSE_CELL_START);
        if title.is_none() && far_right && is_cjk_prose(text) && r.in_table() {
            r.plain_in_table(text, line.no);
        } else if cells.len() <= 1 {
            match title {
                Some(kind) => r.title(kind, text, line.no),
                None => r.plain(text, line.no, Some(row)),
            }
        } else if is_table_label(text) || is_sentence(text) {
            r.plain(text, line.no, None);
        } else {
            r.row(row);
        }
    }
    r.finish()
}

fn is_note(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("注") || t.starts_with("说明")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_units_as_stated() {
        assert_eq!(money_unit_in("单位：万元"), Some(MoneyUnit::Wan));
        assert_eq!(
            money_unit_in("编制单位：某局    单位：元"),
            Some(MoneyUnit::Yuan)
        );
        assert_eq!(money_unit_in("金额单位：千元"), Some(MoneyUnit::Qian));
        assert_eq!(money_unit_in("单位：人"), None);
    }

    /// A 绩效目标 column of sentences beside each project is part of the table: the rows
    /// after it stay in it, and the sentences are none of its rows.
    #[test]
    fn sentences_set_far_right_stay_inside_their_table() {
        let pad = " ".repeat(60);
        let text = format!(
            "部门预算项目支出及其他支出预算表\n\
             项目名称      总计      绩效目标\n\
             党建经费      17.25\n\
             {pad}为了确保口岸通关安全、顺畅，预计开展对出境旅客通关安全检查工作。\n\
             安全生产经费      37.80\n\
             \n\
             一、部门预算收支增减变化情况，本部门收入预算增加，主要原因是业务增加。\n"
        );
        let lines = budsql_text::lines(&text);
        let layout = read_layout(&lines, &[]);
        let sec = layout.sections.first().expect("the table");
        assert_eq!(sec.kind, TableName::ProjectExpenditure);
        let rows: Vec<&str> = sec
            .rows
            .iter()
            .filter_map(|r| r.cells.first().map(String::as_str))
            .collect();
        assert_eq!(rows, ["项目名称", "党建经费", "安全生产经费"]);
        assert_eq!(sec.plain.len(), 1);
        // the narrative after the table is narrative
        assert!(
            layout
                .narrative
                .iter()
                .any(|p| p.text.starts_with("一、部门预算"))
        );
    }
}
