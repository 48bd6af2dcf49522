//! Positioned tables, the stages every table family shares: a section's lines → header
//! lines and body lines → the header read as a tree (wrapped labels stacked into leaf
//! columns, group labels spanning the leaves they are centred over) → each body cell placed
//! in a column (figures by their right edge, text by overlap) → physical lines grouped into
//! logical rows (a name wrapped above or below its row, figures printed on the line above).
//!
//! Geometry comes from the PDF's word boxes where there are some, else from character
//! positions of the layout text. The family readers (`classified`, `summary`,
//! `three_public`) give the columns their meaning; nothing here knows a template.

use budsql_text::{is_nil_mark, normalize_width, parse_number};

use crate::grid::{Row, Section};

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

    fn without_placeholders(mut self) -> TLine {
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

/// A figure cell: a number (with a decimal point or thousands separator, or an integer in a
/// row that has a label) or a dash printed in a figure's place.
pub fn is_figure(text: &str) -> bool {
    let t = text.trim();
    if is_nil_mark(t) {
        return true;
    }
    parse_number(t).is_some()
}

/// A figure that cannot be a code or a column number: it has a decimal point or a
/// thousands separator, or is a dash.
pub fn is_amount(text: &str) -> bool {
    let t = text.trim();
    is_nil_mark(t) || (parse_number(t).is_some() && t.contains(['.', ',', '．', '，']))
}

fn norm(s: &str) -> String {
    normalize_width(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '“' | '”' | '\'' | '‘' | '’'))
        .collect()
}

/// Whether a stub text is a subject code, alone or leading its name: `201`, `2010801`,
/// `[2010801]行政运行`, `2010801-行政运行`, `201一般公共服务支出`, `30101 基本工资`.
pub fn leading_code(text: &str) -> Option<(String, String)> {
    // (digits and brackets are read as printed: the name keeps its own full-width forms)
    let t = text.trim();
    let (inner, rest) = if let Some(r) = t.strip_prefix(['[', '【', '(', '［', '（']) {
        let end = r.find([']', '】', ')', '］', '）'])?;
        (
            r.get(..end)?.trim().to_string(),
            r.get(end + 1..)?.to_string(),
        )
    } else {
        let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
        (t.get(..digits)?.to_string(), t.get(digits..)?.to_string())
    };
    if !matches!(inner.len(), 3 | 5 | 7) || !inner.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = rest
        .trim_start_matches(['-', '－', '—', ' ', ':', '：'])
        .trim();
    // a code is never followed by a decimal point or more digits
    if rest.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',') {
        return None;
    }
    Some((inner, rest.to_string()))
}

/// A line that numbers the columns (`栏次 1 2 3`, `** 1 2 3`, or only 1, 2, 3 …).
fn is_column_numbers(line: &TLine) -> bool {
    let mut ints: Vec<u32> = Vec::new();
    let mut labels = 0;
    for c in &line.cells {
        let t = norm(&c.text);
        if matches!(
            t.as_str(),
            "栏次" | "行次" | "**" | "*" | "序号" | "甲" | "乙" | "丙"
        ) {
            labels += 1;
            continue;
        }
        let mut ok = false;
        for part in c.text.split_whitespace() {
            match part.parse::<u32>() {
                Ok(n) if n < 100 => {
                    ints.push(n);
                    ok = true;
                }
                _ => return false,
            }
        }
        if !ok {
            return false;
        }
    }
    let _ = labels;
    ints.len() >= 2 && ints.windows(2).all(|w| matches!(w, [a, b] if *b == *a + 1))
}

/// A label in the stub that closes or opens a table's figures: `合计`, `总计`, `本年支出合计`.
pub fn is_total_label(text: &str) -> bool {
    let t = norm(text);
    let t = t.trim_start_matches(['一', '二', '三', '、', '（', '）', '(', ')']);
    matches!(
        t,
        "合计"
            | "总计"
            | "小计"
            | "支出合计"
            | "收入合计"
            | "本年支出合计"
            | "本年收入合计"
            | "支出总计"
            | "收入总计"
            | "人员经费合计"
            | "公用经费合计"
            | "基本支出合计"
    )
}

/// A label that starts an item: `一、`, `（一）`, `1.`, `1、`.
pub fn is_ordinal_label(text: &str) -> bool {
    let t = normalize_width(text.trim());
    t.strip_prefix('(')
        .map(|r| r.starts_with(['一', '二', '三', '四', '五', '六', '七', '八', '九', '十']))
        .unwrap_or(false)
        || (t.starts_with(['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'])
            && t.chars().take(4).any(|c| c == '、'))
        || (t.starts_with(|c: char| c.is_ascii_digit())
            && t.chars().take(4).any(|c| matches!(c, '、' | '.'))
            && !t.chars().nth(1).is_some_and(|c| {
                c.is_ascii_digit()
                    && t.len() > 3
                    && t.contains('.')
                    && t.chars().filter(|c| c.is_ascii_digit()).count() > 3
            }))
}

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
        let pages: std::collections::BTreeMap<usize, Option<Vec<f32>>> = self
            .records
            .iter()
            .map(|r| (r.page, offsets(Some(r.page))))
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
                let pick = (next..=last).min_by(|a, b| {
                    let da = (spacing.get(*a).copied().unwrap_or(f32::MAX) - off).abs();
                    let db = (spacing.get(*b).copied().unwrap_or(f32::MAX) - off).abs();
                    da.total_cmp(&db)
                });
                if let Some(j) = pick {
                    p.col = amount.get(j).copied();
                    next = j + 1;
                }
            }
        }
    }
}

/// Prints a block's columns and rows to stderr when `BUDSQL_DEBUG` is set (`all` for every
/// row): a development aid, silent otherwise.
pub fn debug_block(table: &str, block: &Block, kinds: &[String]) {
    let Ok(v) = std::env::var("BUDSQL_DEBUG") else {
        return;
    };
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

/// What kind of body line a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A row of its own: a code, an ordinal, a total label, or figures beside a label.
    Anchor,
    /// Figures without any label (printed on the line above or below their row).
    FiguresOnly,
    /// Text without figures: a wrapped part of a name.
    Text,
}

/// A whole number of one or two digits: a code part (`01`), a column or page number, not a
/// figure of a row on its own.
fn is_small_int(text: &str) -> bool {
    let t = text.trim();
    (1..=2).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
}

fn kind(line: &TLine) -> Kind {
    let figures = line
        .cells
        .iter()
        .filter(|c| is_figure(&c.text) && !is_small_int(&c.text))
        .count();
    let texts: Vec<&TCell> = line
        .cells
        .iter()
        .filter(|c| !is_figure(&c.text) || is_small_int(&c.text))
        .collect();
    let first = line.cells.first().map(|c| c.text.as_str()).unwrap_or("");
    let coded = leading_code(first).is_some()
        || line
            .cells
            .iter()
            .take(3)
            .any(|c| leading_code(&c.text).is_some_and(|(_, rest)| !rest.is_empty()));
    if coded {
        return Kind::Anchor;
    }
    if texts.is_empty() {
        return if figures > 0 {
            Kind::FiguresOnly
        } else {
            Kind::Text
        };
    }
    let amounts = line.cells.iter().filter(|c| is_amount(&c.text)).count();
    if amounts > 0
        || texts
            .iter()
            .any(|t| is_total_label(&t.text) || is_ordinal_label(&t.text))
    {
        return Kind::Anchor;
    }
    // a label with whole numbers of three or more digits beside it (a 元 table printing
    // whole yuan); one or two digits beside a name are a code part (`01   办公费`)
    let wholes = line
        .cells
        .iter()
        .filter(|c| is_figure(&c.text) && c.text.trim().len() >= 3)
        .count();
    if wholes > 0 && !is_column_numbers(line) {
        return Kind::Anchor;
    }
    Kind::Text
}

/// A heading of the text after a table (`一、2025年“三公”经费预算情况说明`): no figure, and
/// it says it explains.
fn is_explanation_heading(line: &TLine) -> bool {
    let t: String = line.cells.iter().map(|c| norm(&c.text)).collect();
    !line.cells.iter().any(|c| is_amount(&c.text))
        && (t.contains("情况说明") || t.ends_with("说明") || t.contains("名词解释"))
}

/// Whether a line starts with a subject code.
fn coded(line: &TLine) -> bool {
    leading_code(line.cells.first().map(|c| c.text.as_str()).unwrap_or("")).is_some()
}

/// A line of nothing but header words (`类 款 项`, `科目编码`).
fn is_header_words(line: &TLine) -> bool {
    !line.cells.is_empty()
        && line.cells.iter().all(|c| {
            c.text.split_whitespace().all(|w| {
                matches!(
                    norm(w).as_str(),
                    "类" | "款"
                        | "项"
                        | "科目编码"
                        | "科目名称"
                        | "项目"
                        | "编码"
                        | "功能分类科目编码"
                        | "经济分类科目编码"
                        | "栏次"
                        | "行次"
                )
            })
        })
}

/// A cell that reads as a column's label: `项目`, `预算数`, `科目名称`, `合计`.
fn is_header_label(text: &str) -> bool {
    let t = norm(text);
    t.chars().count() <= 12
        && [
            "项目",
            "预算数",
            "决算数",
            "科目",
            "编码",
            "名称",
            "合计",
            "金额",
            "行次",
            "栏次",
            "本年",
            "上年",
            "收入",
            "支出",
            "小计",
            "总计",
        ]
        .iter()
        .any(|w| t.contains(w))
}

/// Whether a cell holds nothing but an ellipsis or dots (a blank template's placeholder).
fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| matches!(c, '…' | '.' | '·' | '。' | '-' | '—' | '─'))
        && t.chars().count() >= 1
        && !is_nil_mark(t)
}

/// Whether a line before any figure can be a header line (text only, or a year in a label).
fn headerish(line: &TLine) -> bool {
    !line.cells.iter().any(|c| is_amount(&c.text))
        && leading_code(line.cells.first().map(|c| c.text.as_str()).unwrap_or("")).is_none()
}

/// Reads a section into blocks: header, columns, and the logical rows under them.
pub fn read(sec: &Section) -> Vec<Block> {
    read_with(sec, None)
}

/// [`read`], with a family's own test of a line of text that is a row of its own rather
/// than a wrapped part of a name (a 收支总表 prints labels without figures as items: its
/// body may also start at such a label, `一、…`, before any figure).
pub fn read_with(sec: &Section, items: Option<fn(&TLine) -> bool>) -> Vec<Block> {
    let item: fn(&TLine) -> bool = items.unwrap_or(|_| false);
    // one coordinate system per table: where the PDF's boxes could not be found for every
    // line, all lines are read by character positions
    let mixed =
        sec.rows.iter().any(|r| r.geo.is_some()) && sec.rows.iter().any(|r| r.geo.is_none());
    let lines: Vec<TLine> = sec
        .rows
        .iter()
        .map(|r| {
            if mixed && r.geo.is_some() {
                TLine::of(&Row {
                    geo: None,
                    ..r.clone()
                })
            } else {
                TLine::of(r)
            }
        })
        .filter(|l| !l.cells.is_empty())
        .collect();
    // split into runs: header lines, then body lines up to the next header run
    let mut blocks: Vec<Block> = Vec::new();
    let mut header: Vec<&TLine> = Vec::new();
    let mut body: Vec<&TLine> = Vec::new();
    let mut columns: Vec<Column> = Vec::new();
    fn flush<'a>(
        header: &mut Vec<&'a TLine>,
        body: &mut Vec<&'a TLine>,
        columns: &mut Vec<Column>,
        blocks: &mut Vec<Block>,
        item: fn(&TLine) -> bool,
    ) {
        let last_header = blocks.last().map(|b| b.header.clone()).unwrap_or_default();
        if body.is_empty() {
            return;
        }
        if !header.is_empty() {
            release_name_lines(header, body);
            let cols = header_columns(header, body);
            // a header repeated on a continuation page keeps the columns; one that differs
            // (another page width, another half of the table) replaces them
            if cols.len() >= 2 || columns.is_empty() {
                *columns = cols;
            }
        }
        if columns.is_empty() {
            *columns = figure_columns(body);
        }
        let records = assemble(body, columns, item);
        let used_header: Vec<TLine> = if header.is_empty() {
            last_header
        } else {
            header.iter().map(|l| (*l).clone()).collect()
        };
        blocks.push(Block {
            columns: columns.clone(),
            records,
            header: used_header,
            exact: body.iter().all(|l| l.exact),
        });
        header.clear();
        body.clear();
    }
    let mut last_page = 0;
    let mut page_top = false;
    let mut first_header: Vec<&TLine> = Vec::new();
    for line in &lines {
        if first_header.is_empty() && !header.is_empty() && !body.is_empty() {
            first_header = header.clone();
        }
        // a heading of the explanations that follow the tables ends the table
        if !body.is_empty() && is_explanation_heading(line) {
            break;
        }
        if is_column_numbers(line) || is_table_number(line) {
            continue;
        }
        // (the top of a continuation page: from the page break to its first body line)
        if line.page != last_page && last_page != 0 {
            page_top = true;
        }
        last_page = line.page;
        let new_page = page_top;
        // (header words, or a line of the first header printed again)
        let joined = |l: &TLine| -> String { l.cells.iter().map(|c| norm(&c.text)).collect() };
        let repeated = first_header.iter().any(|h| joined(h) == joined(line));
        let labels = line.cells.iter().all(|c| is_header_label(&c.text)) && !item(line);
        if new_page
            && !body.is_empty()
            && headerish(line)
            && kind(line) == Kind::Text
            && (repeated || labels)
        {
            // a repeated header at the top of a continuation page
            flush(&mut header, &mut body, &mut columns, &mut blocks, item);
            header.push(line);
            continue;
        }
        // the body starts at the first line with a figure or a code
        let first_cell = line.cells.first().map(|c| c.text.as_str()).unwrap_or("");
        let starts = line
            .cells
            .iter()
            .any(|c| is_figure(&c.text) && !is_column_numbers(line))
            || leading_code(first_cell).is_some()
            || items.is_some() && is_ordinal_label(first_cell) && !is_header_label(first_cell);
        if body.is_empty() && headerish(line) && !starts {
            header.push(line);
            continue;
        }
        // header words printed after the first figures (`类 款 项` under a 决算's totals)
        if !body
            .iter()
            .any(|l| coded(l) || kind(l) != Kind::FiguresOnly)
            && is_header_words(line)
        {
            header.push(line);
            continue;
        }
        // (a page's header ends at its first body line)
        page_top = false;
        body.push(line);
    }
    flush(&mut header, &mut body, &mut columns, &mut blocks, item);
    blocks
}

/// A line that is only a table's number (`表1`, `公开02表`, `附表3`), printed above the
/// title of each page of a table.
fn is_table_number(line: &TLine) -> bool {
    let text: String = line.cells.iter().map(|c| c.text.as_str()).collect();
    let t = text.trim();
    t.contains('表')
        && t.chars().count() <= 8
        && t.chars()
            .any(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
        && crate::title::normalize_title(t.trim_start_matches('附')).is_empty()
}

/// The last header lines may be the first row's name wrapped above its code line: lines
/// set apart from the header above them by a blank line (a gap) and touching the first
/// body line.
fn release_name_lines<'a>(header: &mut Vec<&'a TLine>, body: &mut Vec<&'a TLine>) {
    let Some(first) = body.first().copied() else {
        return;
    };
    let n = header.len();
    let mut k = n;
    let mut below = first;
    while k > 1 {
        let (Some(l), Some(prev)) = (header.get(k - 1).copied(), header.get(k - 2).copied()) else {
            break;
        };
        let h = (l.bottom - l.top).max(0.5);
        let touching = below.top - l.bottom < 0.6 * h && l.page == below.page;
        let apart = l.top - prev.bottom > 0.9 * h || l.page != prev.page;
        if !touching
            || leading_code(l.cells.first().map(|c| c.text.as_str()).unwrap_or("")).is_some()
        {
            break;
        }
        // (a name, not header words)
        if is_header_words(l)
            || l.cells
                .iter()
                .any(|c| is_figure(&c.text) || is_header_label(&c.text))
        {
            break;
        }
        k -= 1;
        below = l;
        if apart {
            let moved: Vec<&TLine> = header.drain(k..).collect();
            for (i, m) in moved.into_iter().enumerate() {
                body.insert(i, m);
            }
            return;
        }
    }
}

/// A header fragment on its line.
#[derive(Debug, Clone)]
struct Tok {
    text: String,
    x0: f32,
    x1: f32,
    top: f32,
    bottom: f32,
    line: usize,
    line_no: usize,
    exact: bool,
}

fn overlap(a0: f32, a1: f32, b0: f32, b1: f32) -> f32 {
    (a1.min(b1) - a0.max(b0)).max(0.0)
}

/// The leaf columns of a header: fragments stacked bottom-up into wrapped labels; a
/// fragment over two or more stacks, or over one but set apart from it, is a group label,
/// which spans the leaves it is centred over.
fn header_columns(header: &[&TLine], body: &[&TLine]) -> Vec<Column> {
    let mut toks: Vec<Tok> = Vec::new();
    for (li, l) in header.iter().enumerate() {
        for c in &l.cells {
            let t = norm(&c.text);
            if t.is_empty() {
                continue;
            }
            // `基本支出 项目支出` set a space apart in layout text: one fragment a word
            if !l.exact && c.text.trim().contains(' ') {
                let mut at = c.x0;
                for w in c.text.split(' ') {
                    let n = w.chars().count() as f32;
                    if n > 0.0 {
                        toks.push(Tok {
                            text: norm(w),
                            x0: at,
                            x1: at + n,
                            top: l.top,
                            bottom: l.bottom,
                            line: li,
                            line_no: l.line_no,
                            exact: false,
                        });
                    }
                    at += n + 1.0;
                }
                continue;
            }
            toks.push(Tok {
                text: t,
                x0: c.x0,
                x1: c.x1,
                top: l.top,
                bottom: l.bottom,
                line: li,
                line_no: l.line_no,
                exact: l.exact,
            });
        }
    }
    if std::env::var_os("BUDSQL_DEBUG_HEADER").is_some() {
        for t in &toks {
            eprintln!(
                "  tok L{} line{} [{:.1},{:.1}] y[{:.2},{:.2}] {}",
                t.line_no, t.line, t.x0, t.x1, t.top, t.bottom, t.text
            );
        }
    }
    // stacks, bottom-up
    struct Stack {
        x0: f32,
        x1: f32,
        top: f32,
        bottom: f32,
        top_line: usize,
        top_line_no: usize,
        parts: Vec<(usize, String)>,
    }
    let mut stacks: Vec<Stack> = Vec::new();
    let mut group_toks: Vec<Tok> = Vec::new();
    let nlines = header.len();
    for li in (0..nlines).rev() {
        let here: Vec<&Tok> = toks.iter().filter(|t| t.line == li).collect();
        let over_of = |t: &Tok, stacks: &[Stack]| -> Vec<usize> {
            let w = (t.x1 - t.x0).max(0.5);
            stacks
                .iter()
                .enumerate()
                .filter(|(_, s)| {
                    let o = overlap(t.x0, t.x1, s.x0, s.x1);
                    o > 0.0 && o >= 0.4 * w.min((s.x1 - s.x0).max(0.5))
                })
                .map(|(i, _)| i)
                .collect()
        };
        // layout text places wrapped fragments only roughly: a short fragment beside the
        // end of the one above (`本年支出合` / `计`) is taken as overlapping it
        let loose_of = |t: &Tok, stacks: &[Stack]| -> Vec<usize> {
            if t.exact {
                return Vec::new();
            }
            stacks
                .iter()
                .enumerate()
                .filter(|(_, s)| overlap(t.x0 - 1.5, t.x1 + 1.5, s.x0 - 1.5, s.x1 + 1.5) > 0.0)
                .map(|(i, _)| i)
                .collect()
        };
        let overs: Vec<Vec<usize>> = here
            .iter()
            .map(|t| {
                let strict = over_of(t, &stacks);
                if strict.is_empty() {
                    let loose = loose_of(t, &stacks);
                    if loose.len() == 1
                        && loose.first().and_then(|k| stacks.get(*k)).is_some_and(|s| {
                            s.top_line_no == t.line_no + 1 || s.top_line_no + 1 == t.line_no
                        })
                    {
                        return loose;
                    }
                }
                strict
            })
            .collect();
        let mut joins: Vec<(usize, &Tok)> = Vec::new();
        let mut fresh: Vec<&Tok> = Vec::new();
        // stacks sorted by position, to find a stack's neighbours
        let mut order: Vec<usize> = (0..stacks.len()).collect();
        order.sort_by(|a, b| {
            let (sa, sb) = (stacks.get(*a), stacks.get(*b));
            sa.map(|s| s.x0)
                .unwrap_or(0.0)
                .total_cmp(&sb.map(|s| s.x0).unwrap_or(0.0))
        });
        let taken_here = |k: usize| overs.iter().any(|o| o.contains(&k));
        for (t, over) in here.iter().zip(&overs) {
            match over.as_slice() {
                // between two leaves whose labels stand lower, nearer to them than to any
                // other: a group label centred over an even number of leaves
                [] if {
                    let tc = (t.x0 + t.x1) / 2.0;
                    // (the two leaves stand wholly lower than the label)
                    let below = |s: &&Stack| s.top_line > li && s.top >= t.bottom - 0.1;
                    let center = |s: &Stack| (s.x0 + s.x1) / 2.0;
                    let left = stacks
                        .iter()
                        .filter(|s| center(s) < tc)
                        .max_by(|a, b| center(a).total_cmp(&center(b)));
                    let right = stacks
                        .iter()
                        .filter(|s| center(s) > tc)
                        .min_by(|a, b| center(a).total_cmp(&center(b)));
                    match (left, right) {
                        (Some(a), Some(b)) => {
                            let span = center(b) - center(a);
                            below(&a)
                                && below(&b)
                                && t.x0 >= center(a) - 1.0
                                && t.x1 <= center(b) + 1.0
                                && span <= 4.0 * (t.x1 - t.x0).max(4.0)
                                && (tc - (center(a) + center(b)) / 2.0).abs() <= 0.25 * span + 1.0
                        }
                        _ => false,
                    }
                } =>
                {
                    group_toks.push((*t).clone())
                }
                [] => fresh.push(t),
                [one] => {
                    let Some(s) = stacks.get(*one) else { continue };
                    let apart = t.exact && s.top - t.bottom > 0.6 * (t.bottom - t.top).max(0.5);
                    // centred over a leaf whose neighbours on both sides have no label on
                    // this line: a group label over the three
                    let at = order.iter().position(|k| k == one);
                    // (siblings: their labels start on the same line as the leaf's)
                    let side = |k: Option<usize>| {
                        k.and_then(|k| order.get(k))
                            .and_then(|k| stacks.get(*k).map(|n| (*k, n)))
                            .is_some_and(|(k, n)| {
                                n.top_line > li && n.top_line == s.top_line && !taken_here(k)
                            })
                    };
                    let centred = ((t.x0 + t.x1) / 2.0 - (s.x0 + s.x1) / 2.0).abs()
                        <= 0.25 * (s.x1 - s.x0).max(2.0) + 1.0;
                    let spans =
                        at.is_some_and(|a| side(a.checked_sub(1)) && side(Some(a + 1))) && centred;
                    if apart || spans {
                        group_toks.push((*t).clone());
                    } else {
                        joins.push((*one, t));
                    }
                }
                _ => group_toks.push((*t).clone()),
            }
        }
        for (i, t) in joins {
            if let Some(s) = stacks.get_mut(i) {
                s.x0 = s.x0.min(t.x0);
                s.x1 = s.x1.max(t.x1);
                s.top = t.top;
                s.top_line = t.line;
                s.top_line_no = t.line_no;
                s.parts.push((t.line, t.text.clone()));
            }
        }
        for t in fresh {
            stacks.push(Stack {
                x0: t.x0,
                x1: t.x1,
                top: t.top,
                bottom: t.bottom,
                top_line: t.line,
                top_line_no: t.line_no,
                parts: vec![(t.line, t.text.clone())],
            });
        }
    }
    // stacks that hold figures' places but no header text are made from the figures
    stacks.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let mut cols: Vec<Column> = stacks
        .into_iter()
        .map(|mut s| {
            s.parts.sort_by_key(|p| p.0);
            Column {
                x0: s.x0,
                x1: s.x1,
                label: s.parts.iter().map(|p| p.1.as_str()).collect(),
                groups: Vec::new(),
                top_line: s.top_line,
                y0: s.top,
                y1: s.bottom,
            }
        })
        .collect();
    add_figure_columns(&mut cols, body);
    group_toks.sort_by(|a, b| a.line.cmp(&b.line).then(a.x0.total_cmp(&b.x0)));
    assign_groups(&mut cols, &group_toks, header);
    cols
}

/// Gives each group label the leaves it spans. A label is printed centred over its
/// cell, so a group spans a run of leaves centred on it: it starts from the leaves under
/// its text and grows a leaf (or a whole lower group) on each side at a time while the run
/// stays centred on it, its leaves' labels stand below it at the height of the leaves under
/// its text (a full-height label beside the group, `合计`, is centred higher), and it does
/// not cut through the leaves of another group (a group lower down is taken whole or not at
/// all; one beside it on its line is never entered).
fn assign_groups(cols: &mut [Column], groups: &[Tok], header: &[&TLine]) {
    if groups.is_empty() || cols.is_empty() {
        return;
    }
    let (_htop, _hbottom) = header.iter().fold((f32::MAX, f32::MIN), |(a, b), l| {
        (a.min(l.top), b.max(l.bottom))
    });
    // whether a leaf stands under a group label: wholly below it
    let under = |c: &Column, g: &Tok| c.top_line == usize::MAX || c.y0 >= g.bottom - 0.05;
    let ymid = |c: &Column| (c.y0 + c.y1) / 2.0;
    // leaf cell edges: halfway to the neighbours
    let n = cols.len();
    let centers: Vec<f32> = cols.iter().map(Column::center).collect();
    let edge_left = |k: usize| match (
        k.checked_sub(1).and_then(|p| centers.get(p)),
        centers.get(k),
    ) {
        (Some(a), Some(b)) => (a + b) / 2.0,
        (None, Some(_)) => cols.get(k).map(|c| c.x0).unwrap_or(0.0),
        _ => 0.0,
    };
    let edge_right = |k: usize| match (centers.get(k), centers.get(k + 1)) {
        (Some(a), Some(b)) => (a + b) / 2.0,
        (Some(_), None) => cols.get(k).map(|c| c.x1).unwrap_or(0.0),
        _ => 0.0,
    };
    let pitch = if n > 1 {
        let span = centers.last().copied().unwrap_or(0.0) - centers.first().copied().unwrap_or(0.0);
        span / (n - 1) as f32
    } else {
        8.0
    };
    // the core of each group: the leaves under its text, else the nearest one under it
    let cores: Vec<Option<(usize, usize)>> = groups
        .iter()
        .map(|g| {
            let hit: Vec<usize> = cols
                .iter()
                .enumerate()
                .filter(|(_, c)| under(c, g) && overlap(g.x0, g.x1, c.x0, c.x1) > 0.0)
                .map(|(i, _)| i)
                .collect();
            match (hit.first(), hit.last()) {
                (Some(a), Some(b)) => Some((*a, *b)),
                _ => {
                    let gc = (g.x0 + g.x1) / 2.0;
                    cols.iter()
                        .enumerate()
                        .filter(|(_, c)| under(c, g))
                        .min_by(|a, b| {
                            (a.1.center() - gc)
                                .abs()
                                .total_cmp(&(b.1.center() - gc).abs())
                        })
                        .filter(|(_, c)| (c.center() - gc).abs() <= pitch.max(4.0) * 1.5)
                        .map(|(i, _)| (i, i))
                }
            }
        })
        .collect();
    let mut spans: Vec<(usize, usize, usize)> = Vec::new();
    for (gi, g) in groups.iter().enumerate() {
        let Some(Some((mut a, mut b))) = cores.get(gi).copied() else {
            continue;
        };
        let gc = (g.x0 + g.x1) / 2.0;
        // the height of the leaves under its text
        let core_leaves: Vec<f32> = (a..=b)
            .filter_map(|k| cols.get(k))
            .filter(|c| c.top_line != usize::MAX)
            .map(ymid)
            .collect();
        // (only for a group over leaves alone: one over other groups has children at
        // several heights)
        let over_groups = (a..=b).any(|k| {
            cores.iter().enumerate().any(|(o, c)| {
                o != gi
                    && groups.get(o).is_some_and(|h| h.line > g.line)
                    && c.is_some_and(|(ca, cb)| (ca..=cb).contains(&k))
            })
        });
        let core_y = (!core_leaves.is_empty() && !over_groups)
            .then(|| core_leaves.iter().sum::<f32>() / core_leaves.len() as f32);
        // the group whose core holds leaf k, other than this one
        let owner = |k: usize| {
            cores.iter().enumerate().find_map(|(o, c)| match c {
                Some((ca, cb)) if o != gi && (*ca..=*cb).contains(&k) => Some((o, *ca, *cb)),
                _ => None,
            })
        };
        // one step out: both sides (the usual), else one side (a group over an even
        // number of leaves, or a side that has no more)
        let step = |a: usize, b: usize, left: bool, right: bool| -> Option<(usize, usize)> {
            let mut na = if left { a.checked_sub(1)? } else { a };
            let mut nb = if right { b + 1 } else { b };
            if nb >= n {
                return None;
            }
            // a lower group's leaves are taken whole; a group beside it on its line is
            // not entered (one higher up, over both, does not stop it)
            for (k, is_left) in [(na, true), (nb, false)] {
                if (is_left && !left) || (!is_left && !right) {
                    continue;
                }
                if let Some((o, ca, cb)) = owner(k) {
                    match groups.get(o) {
                        Some(h) if h.line > g.line => {
                            if is_left {
                                na = na.min(ca);
                            } else {
                                nb = nb.max(cb);
                            }
                        }
                        Some(h) if h.line == g.line => return None,
                        _ => {}
                    }
                }
            }
            // (and at the height of the leaves already taken: a full-height label beside
            // the group, `合计`, is centred higher, in the band the group stands in)
            let level = |c: &Column| {
                c.top_line == usize::MAX
                    || core_y
                        .is_none_or(|y| (ymid(c) - y).abs() <= 1.0 * (g.bottom - g.top).max(0.5))
            };
            let all_under = (na..a)
                .chain(b + 1..=nb)
                .all(|k| cols.get(k).is_some_and(|c| under(c, g) && level(c)));
            let center = (edge_left(na) + edge_right(nb)) / 2.0;
            (all_under && (center - gc).abs() <= 0.5 * pitch.max(2.0)).then_some((na, nb))
        };
        while let Some((na, nb)) = step(a, b, true, true)
            .or_else(|| step(a, b, true, false))
            .or_else(|| step(a, b, false, true))
        {
            a = na;
            b = nb;
        }
        spans.push((gi, a, b));
    }
    // two labels of one line share no leaf: where both grew over the same leaves, each
    // keeps those nearer its own core (`本年收入 | 上年结转结余` over their subtotals)
    for i in 0..spans.len() {
        for j in 0..spans.len() {
            let (Some(&(gi, a, b)), Some(&(gj, c, d))) = (spans.get(i), spans.get(j)) else {
                continue;
            };
            let same_line = groups.get(gi).map(|g| g.line) == groups.get(gj).map(|g| g.line);
            if i == j || !same_line || a >= c || b < c {
                continue;
            }
            // i is left of j and runs into it
            let (Some(Some((_, ib))), Some(Some((jc, _)))) =
                (cores.get(gi).copied(), cores.get(gj).copied())
            else {
                continue;
            };
            let mut cut = c;
            while cut <= b.min(d) && cut.abs_diff(ib) <= cut.abs_diff(jc) && cut < jc {
                cut += 1;
            }
            if let Some(s) = spans.get_mut(i) {
                s.2 = cut.saturating_sub(1).max(s.1);
            }
            if let Some(s) = spans.get_mut(j) {
                s.1 = cut.min(s.2);
            }
        }
    }
    // outermost first: the groups come in header order, top line first
    for (gi, a, b) in spans {
        let Some(g) = groups.get(gi) else { continue };
        for c in cols.iter_mut().take(b + 1).skip(a) {
            c.groups.push(g.text.clone());
        }
    }
}

/// Figure clusters no header column can own become columns without a label.
fn add_figure_columns(cols: &mut Vec<Column>, body: &[&TLine]) {
    // right of every label, two clusters of figures that the last label would take both:
    // the further ones are a column whose header is missing (figures are right-aligned in
    // cells of any width, so one cluster far right of its label is still that label's)
    let clusters = figure_columns(body);
    let Some(last_center) = cols.iter().map(Column::center).reduce(f32::max) else {
        return;
    };
    let beyond: Vec<Column> = clusters
        .into_iter()
        .filter(|c| c.x1 > last_center + 1.0)
        .collect();
    // (clusters a column's width apart: right edges of one column straggle a little)
    let mut kept: Vec<Column> = Vec::new();
    for c in beyond {
        match kept.last_mut() {
            Some(k) if c.x1 - k.x1 < 8.0 => {
                k.x0 = k.x0.min(c.x0);
                k.x1 = k.x1.max(c.x1);
            }
            _ => kept.push(c),
        }
    }
    if kept.len() >= 2 {
        cols.extend(kept.into_iter().skip(1));
    }
    cols.sort_by(|a, b| a.x0.total_cmp(&b.x0));
}

/// Columns from figures alone: right edges within a column and a half of each other.
fn figure_columns(body: &[&TLine]) -> Vec<Column> {
    let mut edges: Vec<(f32, f32)> = body
        .iter()
        .flat_map(|l| l.cells.iter())
        .filter(|c| is_amount(&c.text))
        .map(|c| (c.x0, c.x1))
        .collect();
    edges.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut out: Vec<Column> = Vec::new();
    for (x0, x1) in edges {
        match out.last_mut() {
            Some(c) if x1 - c.x1 <= 1.5 => {
                c.x0 = c.x0.min(x0);
                c.x1 = x1;
            }
            _ => out.push(Column {
                x0,
                x1,
                label: String::new(),
                groups: Vec::new(),
                top_line: usize::MAX,
                y0: f32::MAX,
                y1: f32::MAX,
            }),
        }
    }
    out
}

/// The column a figure stands in: the rightmost column whose centre is left of the
/// figure's right edge (figures are right-aligned or centred in their cells).
pub fn figure_column(columns: &[Column], cell: &TCell) -> Option<usize> {
    let r = cell.x1;
    let i = columns.iter().rposition(|c| c.center() <= r + 1.0)?;
    let c = columns.get(i)?;
    // not a figure far beyond the table's last column (cells are as wide as the columns
    // are far apart)
    if i + 1 == columns.len() {
        let pitch = match (columns.first(), columns.len()) {
            (Some(f), n) if n > 1 => (c.center() - f.center()) / (n - 1) as f32,
            _ => 40.0,
        };
        if r - c.x1 > 3.0 * pitch.max(8.0) {
            return None;
        }
    }
    Some(i)
}

/// The column a text cell stands in: the one it overlaps most, else the first to its
/// right.
pub fn text_column(columns: &[Column], cell: &TCell) -> Option<usize> {
    let best = columns
        .iter()
        .enumerate()
        .map(|(i, c)| (overlap(cell.x0, cell.x1, c.x0, c.x1), i))
        .filter(|(o, _)| *o > 0.0)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((_, i)) = best {
        return Some(i);
    }
    // text is left-aligned in its cell, whose label is centred further right: the first
    // column starting at or after the text
    columns
        .iter()
        .position(|c| c.x0 >= cell.x0 - 0.5)
        .or_else(|| columns.len().checked_sub(1))
}

fn place(columns: &[Column], line: &TLine) -> Vec<Placed> {
    // a line of text alone (a wrapped name with a code part beside it) holds no figure
    let text_line = kind(line) == Kind::Text;
    let mut after_code = false;
    line.cells
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let t = c.text.trim();
            let digits = !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
            // a 款 or 项 part printed in a column of its own, after its 类 or before its
            // name (`01   办公费`)
            let before_name = line
                .cells
                .get(k + 1)
                .is_some_and(|n| !is_figure(&n.text) && leading_code(&n.text).is_none());
            let code_part = (after_code || before_name) && digits && t.len() <= 2;
            after_code = (digits && matches!(t.len(), 3 | 5)) || code_part;
            let figure = !code_part
                && !text_line
                && is_figure(&c.text)
                && leading_code(&c.text).is_none_or(|_| is_amount(&c.text));
            let col = if figure {
                figure_column(columns, c)
            } else {
                text_column(columns, c)
            };
            Placed {
                cell: c.clone(),
                col,
                figure,
                line_no: line.line_no,
            }
        })
        .collect()
}

/// Groups body lines into logical rows. Every anchor line is a row. A figures-only line
/// gives its figures to the nearer neighbouring row that has none in those columns (a 决算
/// prints some figures on the line above their row). A run of text lines between two rows
/// is a wrapped name: all of it goes to the row that lacks a name where it stands (to the
/// row above when both or neither lack one, unless a gap sets it apart from that row);
/// when both lack one, the run is shared at its widest gap (a name centred on its code
/// line wraps both above and below it).
fn assemble(body: &[&TLine], columns: &[Column], item: fn(&TLine) -> bool) -> Vec<Record> {
    let kinds: Vec<Kind> = body
        .iter()
        .map(|l| match kind(l) {
            Kind::Text if item(l) => Kind::Anchor,
            k => k,
        })
        .collect();
    let mut records: Vec<Record> = Vec::new();
    let mut anchor_of: Vec<Option<usize>> = vec![None; body.len()];
    for (i, l) in body.iter().enumerate() {
        if kinds.get(i) == Some(&Kind::Anchor) {
            if let Some(slot) = anchor_of.get_mut(i) {
                *slot = Some(records.len());
            }
            records.push(Record {
                line_no: l.line_no,
                page: l.page,
                cells: place(columns, l),
                above: Vec::new(),
                below: Vec::new(),
            });
        }
    }
    if records.is_empty() {
        // figures without any label: one row per line
        return body
            .iter()
            .map(|l| Record {
                line_no: l.line_no,
                page: l.page,
                cells: place(columns, l),
                above: Vec::new(),
                below: Vec::new(),
            })
            .collect();
    }
    // vertical distance between two lines, in lines of the layout text (a blank line
    // between them is a gap): the PDF's own heights are not trusted here, some fonts
    // print a name a line below its row's baseline
    let gap = |a: &TLine, b: &TLine| -> f32 {
        if a.page != b.page {
            f32::MAX
        } else {
            (a.line_no.abs_diff(b.line_no) as f32 - 0.8).max(0.0)
        }
    };
    let anchor_above = |i: usize| {
        (0..i)
            .rev()
            .find(|&k| anchor_of.get(k).copied().flatten().is_some())
            .filter(|&k| {
                body.get(k)
                    .zip(body.get(i))
                    .is_some_and(|(a, l)| a.page == l.page)
            })
    };
    let anchor_below = |i: usize| {
        (i + 1..body.len())
            .find(|&k| anchor_of.get(k).copied().flatten().is_some())
            .filter(|&k| {
                body.get(k)
                    .zip(body.get(i))
                    .is_some_and(|(a, l)| a.page == l.page)
            })
    };
    // figures-only lines first, in order
    let mut orphans: Vec<Record> = Vec::new();
    for (i, l) in body.iter().enumerate() {
        if kinds.get(i) != Some(&Kind::FiguresOnly) {
            continue;
        }
        let placed = place(columns, l);
        let cols: Vec<usize> = placed
            .iter()
            .filter(|p| p.figure)
            .filter_map(|p| p.col)
            .collect();
        let free = |k: usize, records: &[Record]| {
            anchor_of
                .get(k)
                .copied()
                .flatten()
                .and_then(|r| records.get(r))
                .is_some_and(|r| {
                    !r.figures()
                        .any(|p| p.col.is_some_and(|c| cols.contains(&c)))
                })
        };
        let (up, down) = (anchor_above(i), anchor_below(i));
        let dist = |k: usize| body.get(k).map(|a| gap(a, l)).unwrap_or(f32::MAX);
        let target = match (up, down) {
            (Some(u), Some(d)) => match (free(u, &records), free(d, &records)) {
                (true, false) => u,
                (false, true) => d,
                _ if dist(d) < dist(u) - 0.05 => d,
                _ => u,
            },
            (Some(u), None) => u,
            (None, Some(d)) => d,
            (None, None) => {
                // no row on its page: a row of figures without a label (a table of one
                // row under its column headers)
                orphans.push(Record {
                    line_no: l.line_no,
                    page: l.page,
                    cells: placed,
                    above: Vec::new(),
                    below: Vec::new(),
                });
                continue;
            }
        };
        let Some(r) = anchor_of
            .get(target)
            .copied()
            .flatten()
            .and_then(|r| records.get_mut(r))
        else {
            continue;
        };
        if target > i {
            r.above.extend(placed);
        } else {
            r.below.extend(placed);
        }
    }
    // How the table wraps names: centred on the code line (parts above and below it) or
    // under it. Counted on rows printed without a name on their code line.
    let centred = {
        let (mut both, mut under) = (0usize, 0usize);
        for (k, l) in body.iter().enumerate() {
            if kinds.get(k) != Some(&Kind::Anchor)
                || l.cells.iter().any(|c| {
                    !is_figure(&c.text) && leading_code(&c.text).is_none_or(|(_, r)| !r.is_empty())
                })
            {
                continue;
            }
            let h = 0.8_f32;
            let text_at = |j: Option<usize>| {
                j.and_then(|j| body.get(j).map(|x| (j, x)))
                    .is_some_and(|(j, x)| kinds.get(j) == Some(&Kind::Text) && gap(l, x) < 0.5 * h)
            };
            let (above, below) = (text_at(k.checked_sub(1)), text_at(Some(k + 1)));
            // a line below that goes on with the code (`13   公务用车购置`) is a name under it
            let code_goes_on = body.get(k + 1).is_some_and(|x| {
                x.cells.first().is_some_and(|c| {
                    let t = c.text.trim();
                    (1..=2).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
                })
            });
            if code_goes_on && below {
                under += 1;
            } else if above && below {
                both += 1;
            } else if below {
                under += 1;
            }
        }
        both > 0 && both >= under
    };
    // runs of text lines between rows, column by column (two tables side by side wrap
    // their names independently)
    let mut i = 0;
    while i < body.len() {
        if kinds.get(i) != Some(&Kind::Text) {
            i += 1;
            continue;
        }
        let start = i;
        let mut run: Vec<usize> = Vec::new();
        while i < body.len() && kinds.get(i) != Some(&Kind::Anchor) {
            if kinds.get(i) == Some(&Kind::Text)
                && body
                    .get(i)
                    .zip(body.get(start))
                    .is_some_and(|(a, b)| a.page == b.page)
            {
                run.push(i);
            }
            i += 1;
        }
        let (Some(&first), Some(&last)) = (run.first(), run.last()) else {
            continue;
        };
        let (up, down) = (anchor_above(first), anchor_below(last));
        // the gaps along the run, from the row above to the row below: a gap decisively
        // wider than the others separates the two rows' names
        // (figures-only lines between them fill their place: they are not a gap)
        let chain: Vec<&TLine> = up
            .and_then(|u| body.get(u).copied())
            .into_iter()
            .chain((first..=last).filter_map(|k| body.get(k).copied()))
            .chain(down.and_then(|d| body.get(d).copied()))
            .collect();
        let h = 0.8_f32;
        let gaps: Vec<f32> = chain
            .windows(2)
            .map(|w| match w {
                [a, b] => gap(a, b),
                _ => 0.0,
            })
            .collect();
        let decisive: Option<usize> = if up.is_some() && down.is_some() {
            let widest = gaps.iter().copied().fold(f32::MIN, f32::max);
            let at: Vec<usize> = gaps
                .iter()
                .enumerate()
                .filter(|(_, g)| **g >= widest - 0.5 * h)
                .map(|(k, _)| k)
                .collect();
            match at.as_slice() {
                [one] => Some(*one),
                _ => None,
            }
        } else {
            None
        };
        // the run's cells, in groups that overlap across its lines (two tables side by
        // side wrap their names independently; one name's pieces overlap)
        let mut all: Vec<(usize, Placed)> = Vec::new();
        for k in &run {
            let Some(l) = body.get(*k) else { continue };
            for p in place(columns, l) {
                all.push((k.to_owned(), p));
            }
        }
        all.sort_by(|a, b| a.1.cell.x0.total_cmp(&b.1.cell.x0));
        let mut groups_x: Vec<(f32, Vec<(usize, Placed)>)> = Vec::new();
        for item in all {
            match groups_x.last_mut() {
                Some((end, g)) if item.1.cell.x0 <= *end + 1.0 => {
                    *end = end.max(item.1.cell.x1);
                    g.push(item);
                }
                _ => groups_x.push((item.1.cell.x1, vec![item])),
            }
        }
        for (_, mut cells) in groups_x {
            cells.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cell.x0.total_cmp(&b.1.cell.x0)));
            // whether a row has a name where these cells stand (its own line, or what it
            // has received above it)
            let (cx0, cx1) = cells.iter().fold((f32::MAX, f32::MIN), |(a, b), (_, p)| {
                (a.min(p.cell.x0), b.max(p.cell.x1))
            });
            let text_of = |r: &Record, which: u8| -> Vec<usize> {
                let v = match which {
                    0 => &r.cells,
                    _ => &r.above,
                };
                let mut lines: Vec<usize> = v
                    .iter()
                    .filter(|p| {
                        !p.figure
                            && overlap(p.cell.x0 - 2.0, p.cell.x1 + 2.0, cx0, cx1) > 0.0
                            && leading_code(&p.cell.text).is_none_or(|(_, rest)| !rest.is_empty())
                            && !p.cell.text.trim().bytes().all(|b| b.is_ascii_digit())
                    })
                    .map(|p| p.line_no)
                    .collect();
                lines.dedup();
                lines
            };
            let lines: Vec<usize> = {
                let mut v: Vec<usize> = cells.iter().map(|(k, _)| *k).collect();
                v.dedup();
                v
            };
            let n = lines.len();
            let rec = |k: Option<usize>| {
                k.and_then(|k| anchor_of.get(k).copied().flatten())
                    .and_then(|r| records.get(r))
            };
            // a total's label is whole: no wrapped name joins it
            let is_total_row = |k: Option<usize>| {
                rec(k).is_some_and(|r| {
                    r.cells
                        .iter()
                        .any(|p| !p.figure && is_total_label(&p.cell.text))
                })
            };
            let to_up = match (up, down, decisive) {
                _ if is_total_row(up) && down.is_some() => 0,
                _ if is_total_row(down) && up.is_some() => n,
                (Some(_), None, _) => n,
                (None, _, _) => 0,
                // the run's lines up to the wide gap go up
                (Some(_), Some(_), Some(g)) => {
                    let cut = first + g;
                    lines.iter().filter(|k| **k < cut).count()
                }
                // names printed under their code lines: the run ends the row above
                (Some(_), Some(_), None) if !centred => n,
                (Some(_), Some(_), None) => {
                    let named = rec(up).is_some_and(|r| !text_of(r, 0).is_empty());
                    let above = rec(up).map(|r| text_of(r, 1).len()).unwrap_or(0);
                    if named || above > 0 {
                        // the row above wraps as far below its code line as above it
                        above.min(n)
                    } else {
                        n / 2 + n % 2
                    }
                }
            };
            for (k, p) in cells {
                let j = lines.iter().position(|x| *x == k).unwrap_or(0);
                let target = if j < to_up { up } else { down };
                let Some(r) = target
                    .and_then(|t| anchor_of.get(t).copied().flatten())
                    .and_then(|r| records.get_mut(r))
                else {
                    continue;
                };
                if target.is_some_and(|t| t > k) {
                    r.above.push(p);
                } else {
                    r.below.push(p);
                }
            }
        }
    }
    if !orphans.is_empty() {
        records.extend(orphans);
        records.sort_by_key(|r| r.line_no);
    }
    for r in &mut records {
        r.above.sort_by(|a, b| {
            a.line_no
                .cmp(&b.line_no)
                .then(a.cell.x0.total_cmp(&b.cell.x0))
        });
        r.below.sort_by(|a, b| {
            a.line_no
                .cmp(&b.line_no)
                .then(a.cell.x0.total_cmp(&b.cell.x0))
        });
    }
    merge_split_codes(records)
}

/// A code printed alone on its line with its name and figures on the next (`30299` /
/// `其他商品和服务支出   0.20`): one row.
fn merge_split_codes(records: Vec<Record>) -> Vec<Record> {
    let code_only = |r: &Record| {
        !r.cells.is_empty()
            && r.above.is_empty()
            && r.below.is_empty()
            && r.cells.iter().all(|p| {
                let t = p.cell.text.trim();
                !p.figure && t.bytes().all(|b| b.is_ascii_digit()) && matches!(t.len(), 3 | 5 | 7)
            })
    };
    let uncoded = |r: &Record| {
        !r.cells.iter().any(|p| leading_code(&p.cell.text).is_some())
            && r.cells.iter().any(|p| !p.figure)
    };
    let mut out: Vec<Record> = Vec::with_capacity(records.len());
    let mut it = records.into_iter().peekable();
    while let Some(r) = it.next() {
        if code_only(&r)
            && let Some(next) = it.peek()
            && next.page == r.page
            && next.line_no <= r.line_no + 2
            && uncoded(next)
            && let (Some(code_x), Some(next_x)) = (
                r.cells.first().map(|p| p.cell.x0),
                next.cells.iter().map(|p| p.cell.x0).reduce(f32::min),
            )
            && next_x >= code_x - 1.0
            && let Some(next) = it.next()
        {
            let mut merged = r;
            merged.cells.extend(next.cells);
            merged.above.extend(next.above);
            merged.below.extend(next.below);
            out.push(merged);
            continue;
        }
        out.push(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text of column `col`: continuation above, the anchor's cell, continuation below.
    fn text_in(r: &Record, col: usize) -> String {
        [&r.above, &r.cells, &r.below]
            .iter()
            .flat_map(|v| v.iter())
            .filter(|p| p.col == Some(col) && !p.figure)
            .map(|p| p.cell.text.as_str())
            .collect()
    }

    fn line(no: usize, cells: &[(&str, f32, f32)]) -> TLine {
        TLine {
            line_no: no,
            page: 1,
            top: no as f32,
            bottom: no as f32 + 0.8,
            cells: cells
                .iter()
                .map(|(t, a, b)| TCell {
                    text: t.to_string(),
                    x0: *a,
                    x1: *b,
                })
                .collect(),
            exact: false,
        }
    }

    #[test]
    fn codes_in_every_printed_form() {
        let code = |s: &str| leading_code(s).map(|(c, n)| format!("{c}|{n}"));
        assert_eq!(code("201"), Some("201|".into()));
        assert_eq!(
            code("[2010999]其他海关事务支出"),
            Some("2010999|其他海关事务支出".into())
        );
        assert_eq!(code("2010801-行政运行"), Some("2010801|行政运行".into()));
        assert_eq!(code("310资本性支出"), Some("310|资本性支出".into()));
        assert_eq!(code("4,651.67"), None);
        assert_eq!(code("2026年"), None);
        assert_eq!(code("1234"), None);
        assert_eq!(code("201.5"), None);
    }

    #[test]
    fn group_label_spans_the_leaves_it_is_centred_over() {
        // 科目编码 | 科目名称 | 合计 | 基本支出 (小计 人员经费 公用经费) | 项目支出
        let h1 = line(
            1,
            &[
                ("科目编码", 0.0, 8.0),
                ("科目名称", 12.0, 20.0),
                ("合计", 30.0, 34.0),
                ("基本支出", 52.0, 60.0),
                ("项目支出", 76.0, 84.0),
            ],
        );
        let h2 = line(
            2,
            &[
                ("小计", 40.0, 44.0),
                ("人员经费", 52.0, 60.0),
                ("公用经费", 64.0, 72.0),
            ],
        );
        let b = line(
            4,
            &[
                ("201", 0.0, 3.0),
                ("一般公共服务支出", 8.0, 24.0),
                ("10.00", 30.0, 35.0),
                ("6.00", 40.0, 44.0),
                ("5.00", 54.0, 58.0),
                ("1.00", 66.0, 70.0),
                ("4.00", 78.0, 82.0),
            ],
        );
        let cols = header_columns(&[&h1, &h2], &[&b]);
        let paths: Vec<String> = cols.iter().map(Column::path).collect();
        assert_eq!(
            paths,
            [
                "科目编码",
                "科目名称",
                "合计",
                "基本支出/小计",
                "基本支出/人员经费",
                "基本支出/公用经费",
                "项目支出"
            ]
        );
        let placed = place(&cols, &b);
        let figs: Vec<(String, Option<usize>)> = placed
            .iter()
            .filter(|p| p.figure)
            .map(|p| (p.cell.text.clone(), p.col))
            .collect();
        assert_eq!(
            figs,
            [
                ("10.00".to_string(), Some(2)),
                ("6.00".into(), Some(3)),
                ("5.00".into(), Some(4)),
                ("1.00".into(), Some(5)),
                ("4.00".into(), Some(6))
            ]
        );
    }

    #[test]
    fn column_numbers_are_not_figures() {
        assert!(is_column_numbers(&line(
            1,
            &[
                ("栏次", 0.0, 4.0),
                ("1", 10.0, 11.0),
                ("2", 20.0, 21.0),
                ("3", 30.0, 31.0)
            ]
        )));
        assert!(!is_column_numbers(&line(
            1,
            &[("合计", 0.0, 4.0), ("1", 10.0, 11.0), ("2", 20.0, 21.0)]
        )));
        assert!(!is_column_numbers(&line(
            1,
            &[("5", 10.0, 11.0), ("9", 20.0, 21.0)]
        )));
    }

    #[test]
    fn wrapped_names_join_their_row() {
        let cols = vec![
            Column {
                x0: 0.0,
                x1: 8.0,
                label: "科目编码".into(),
                groups: vec![],
                top_line: 0,
                y0: 0.0,
                y1: 0.8,
            },
            Column {
                x0: 10.0,
                x1: 30.0,
                label: "科目名称".into(),
                groups: vec![],
                top_line: 0,
                y0: 0.0,
                y1: 0.8,
            },
            Column {
                x0: 36.0,
                x1: 40.0,
                label: "合计".into(),
                groups: vec![],
                top_line: 0,
                y0: 0.0,
                y1: 0.8,
            },
        ];
        let a = line(10, &[("机关事业单位基本养老保险缴", 10.0, 36.0)]);
        let b = line(11, &[("2080505", 0.0, 7.0), ("402.46", 34.0, 40.0)]);
        let c = line(12, &[("费支出", 10.0, 16.0)]);
        let d = line(
            14,
            &[
                ("2080506", 0.0, 7.0),
                ("职业年金缴费支出", 10.0, 26.0),
                ("201.24", 34.0, 40.0),
            ],
        );
        let recs = assemble(&[&a, &b, &c, &d], &cols, |_| false);
        assert_eq!(recs.len(), 2);
        assert_eq!(
            text_in(recs.first().unwrap(), 1),
            "机关事业单位基本养老保险缴费支出"
        );
        assert_eq!(text_in(recs.get(1).unwrap(), 1), "职业年金缴费支出");
    }
}
