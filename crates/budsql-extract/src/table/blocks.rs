//! A section's lines split into blocks: header lines, then body lines up to the next
//! header (a header repeated on a continuation page starts a new block with the same
//! columns); page furniture and column numbers (栏次) are not rows.

use super::*;

/// What kind of body line a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A row of its own: a code, an ordinal, a total label, or figures beside a label.
    Anchor,
    /// Figures without any label (printed on the line above or below their row).
    FiguresOnly,
    /// Text without figures: a wrapped part of a name.
    Text,
}

/// A whole number of one or two digits: a code part (`01`), a column or page number, not a
/// figure of a row on its own.
pub fn is_small_int(text: &str) -> bool {
    let t = text.trim();
    (1..=2).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
}

pub(super) fn kind(line: &TLine) -> Kind {
    *line.kind.get_or_init(|| kind_of(line))
}

fn kind_of(line: &TLine) -> Kind {
    let figures = line
        .cells
        .iter()
        .filter(|c| c.figure && !is_small_int(&c.text))
        .count();
    let texts: Vec<&TCell> = line
        .cells
        .iter()
        .filter(|c| !c.figure || is_small_int(&c.text))
        .collect();
    let first = line.cells.first().map(|c| &*c.text).unwrap_or("");
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
    let amounts = line.cells.iter().filter(|c| c.amount).count();
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
        .filter(|c| c.figure && c.text.trim().len() >= 3)
        .count();
    if wholes > 0 && !is_column_numbers(line) {
        return Kind::Anchor;
    }
    Kind::Text
}

/// A heading of the text after a table (`一、2025年“三公”经费预算情况说明`): no figure, and
/// it says it explains.
pub(super) fn is_explanation_heading(line: &TLine) -> bool {
    // (cheaply first: most lines hold neither 说明 nor 解释)
    if !line.cells.iter().any(|c| c.text.contains(['明', '释'])) {
        return false;
    }
    let t: String = line.cells.iter().map(|c| norm(&c.text)).collect();
    !line.cells.iter().any(|c| c.amount)
        && (t.contains("情况说明") || t.ends_with("说明") || t.contains("名词解释"))
}

/// Whether a line starts with a subject code.
pub(super) fn coded(line: &TLine) -> bool {
    leading_code(line.cells.first().map(|c| &*c.text).unwrap_or("")).is_some()
}

/// A line of nothing but header words (`类 款 项`, `科目编码`).
pub(super) fn is_header_words(line: &TLine) -> bool {
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
pub(super) fn is_header_label(text: &str) -> bool {
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
pub(super) fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| matches!(c, '…' | '.' | '·' | '。' | '-' | '—' | '─'))
        && t.chars().count() >= 1
        && !is_nil_mark(t)
}

/// Whether a line before any figure can be a header line (text only, or a year in a label).
pub(super) fn headerish(line: &TLine) -> bool {
    !line.cells.iter().any(|c| c.amount)
        && leading_code(line.cells.first().map(|c| &*c.text).unwrap_or("")).is_none()
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
        first_header: &[&TLine],
    ) {
        if body.is_empty() {
            return;
        }
        if !header.is_empty() {
            release_repeat_tail(header, body, first_header);
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
            blocks.last().map(|b| b.header.clone()).unwrap_or_default()
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
    let mut body_has_rows = false;
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
        let repeated = || {
            let me = joined(line);
            first_header.iter().any(|h| joined(h) == me)
        };
        // (a single cell of label words on a continuation page is more likely the top of a
        // name wrapped above its figures — `商品和服务支出(公用经` — than a header that is not
        // the first one's: such a header has labels side by side)
        let labels = || {
            line.cells.iter().all(|c| is_header_label(&c.text))
                && !item(line)
                && (first_header.is_empty() || line.cells.len() >= 2)
        };
        if new_page
            && !body.is_empty()
            && headerish(line)
            && kind(line) == Kind::Text
            && (labels() || repeated())
        {
            // a repeated header at the top of a continuation page
            flush(
                &mut header,
                &mut body,
                &mut columns,
                &mut blocks,
                item,
                &first_header,
            );
            body_has_rows = false;
            header.push(line);
            continue;
        }
        // the body starts at the first line with a figure or a code
        let first_cell = line.cells.first().map(|c| &*c.text).unwrap_or("");
        let starts = line
            .cells
            .iter()
            .any(|c| c.figure && !is_column_numbers(line))
            || leading_code(first_cell).is_some()
            || items.is_some() && is_ordinal_label(first_cell) && !is_header_label(first_cell);
        if body.is_empty() && headerish(line) && !starts {
            header.push(line);
            continue;
        }
        // header words printed after the first figures (`类 款 项` under a 决算's totals)
        if !body_has_rows && is_header_words(line) {
            header.push(line);
            continue;
        }
        // (a page's header ends at its first body line)
        page_top = false;
        // (whether the body has more than figures-only lines, for header words after it)
        body_has_rows = body_has_rows || coded(line) || kind(line) != Kind::FiguresOnly;
        body.push(line);
    }
    flush(
        &mut header,
        &mut body,
        &mut columns,
        &mut blocks,
        item,
        &first_header,
    );
    blocks
}

/// A line's text, its cells normalised and joined (to tell a header printed again).
fn joined(l: &TLine) -> String {
    l.cells.iter().map(|c| norm(&c.text)).collect()
}

/// A header printed again on a continuation page is the first page's, line for line: the
/// lines after such a repeat that the first header does not have, no header words, are the
/// top of the page's first name wrapped above its figures (珠海's 项目支出表: `提升港珠澳大桥
/// 珠海口` under the repeated header, `岸入境小客车通关效率项目  289.91 …` below it).
fn release_repeat_tail<'a>(
    header: &mut Vec<&'a TLine>,
    body: &mut Vec<&'a TLine>,
    first_header: &[&TLine],
) {
    let first: Vec<String> = first_header.iter().map(|l| joined(l)).collect();
    if first.len() < 2 {
        return;
    }
    let repeat = header
        .iter()
        .take_while(|l| first.contains(&joined(l)))
        .count();
    // (the whole header printed again, then lines of a name: short, text only)
    if repeat < first.len() || repeat >= header.len() {
        return;
    }
    let name_line = |l: &&TLine| {
        l.cells.len() <= 3
            && !is_header_words(l)
            && !l.cells.iter().any(|c| c.figure || is_header_label(&c.text))
    };
    if !header.iter().skip(repeat).all(name_line) {
        return;
    }
    let moved: Vec<&TLine> = header.drain(repeat..).collect();
    for (i, m) in moved.into_iter().enumerate() {
        body.insert(i, m);
    }
}

/// A line that is only a table's number (`表1`, `公开02表`, `附表3`), printed above the
/// title of each page of a table.
pub(super) fn is_table_number(line: &TLine) -> bool {
    if line.cells.len() > 3 || !line.cells.iter().any(|c| c.text.contains('表')) {
        return false;
    }
    let text: String = line.cells.iter().map(|c| &*c.text).collect();
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
pub(super) fn release_name_lines<'a>(header: &mut Vec<&'a TLine>, body: &mut Vec<&'a TLine>) {
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
        if !touching || leading_code(l.cells.first().map(|c| &*c.text).unwrap_or("")).is_some() {
            break;
        }
        // (a name, not header words; a name wraps in its own cell, not across the columns)
        if is_header_words(l)
            || l.cells.len() > 3
            || l.cells.iter().any(|c| c.figure || is_header_label(&c.text))
        {
            break;
        }
        k -= 1;
        below = l;
        // (or the first body line starts with a figure: its name is the line right above
        // it, the top of a name wrapped around its figures on a page's first row)
        let names_first =
            k == n - 1 && first.cells.first().is_some_and(|c| c.figure) && l.cells.len() == 1;
        if apart || names_first {
            let moved: Vec<&TLine> = header.drain(k..).collect();
            for (i, m) in moved.into_iter().enumerate() {
                body.insert(i, m);
            }
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::fixtures::*;

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

    /// 珠海's 项目支出表, page 25: the header printed again, then the top of the first
    /// name, then its figures with the rest of the name.
    #[test]
    fn a_name_under_a_repeated_header_is_the_first_row_s() {
        let h1 = line(
            1,
            &[
                ("支出项目类别（资金使用单", 0.0, 24.0),
                ("财政拨款", 40.0, 48.0),
            ],
        );
        let h2 = line(
            2,
            &[
                ("位）", 8.0, 12.0),
                ("总计", 20.0, 24.0),
                ("合计", 30.0, 34.0),
            ],
        );
        let again1 = line(
            11,
            &[
                ("支出项目类别（资金使用单", 0.0, 24.0),
                ("财政拨款", 40.0, 48.0),
            ],
        );
        let again2 = line(
            12,
            &[
                ("位）", 8.0, 12.0),
                ("总计", 20.0, 24.0),
                ("合计", 30.0, 34.0),
            ],
        );
        let top = line(13, &[("提升港珠澳大桥珠海口", 5.0, 25.0)]);
        let row = line(
            14,
            &[
                ("岸入境小客车通关效率项目", 0.0, 24.0),
                ("289.91", 26.0, 32.0),
            ],
        );
        let first = vec![&h1, &h2];
        let mut header = vec![&again1, &again2, &top];
        let mut body = vec![&row];
        release_repeat_tail(&mut header, &mut body, &first);
        assert_eq!(header.len(), 2);
        assert_eq!(body.iter().map(|l| l.line_no).collect::<Vec<_>>(), [13, 14]);
        // a header that is not the first one printed again keeps its lines
        let other = line(12, &[("位）", 8.0, 12.0), ("小计", 20.0, 24.0)]);
        let mut header = vec![&again1, &other, &top];
        let mut body = vec![&row];
        release_repeat_tail(&mut header, &mut body, &first);
        assert_eq!((header.len(), body.len()), (3, 1));
    }

    #[test]
    fn table_numbers_are_not_rows() {
        let one = |t: &str| is_table_number(&line(1, &[(t, 0.0, 4.0)]));
        assert!(one("表1") && one("公开02表") && one("附表3") && one("表 一"));
        assert!(!one("表1 收支总表") && !one("2026年") && !one("合计") && !one("表"));
    }
}
