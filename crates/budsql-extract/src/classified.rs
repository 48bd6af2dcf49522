//! The classified tables (`budget_lines`): income, expenditure and the fiscal tables by
//! function or economic subject.

use budsql_schema::WarningCode;
use std::collections::BTreeSet;

use budsql_schema::{
    AmountCol, Amounts, BudgetLine, Classification, MoneyUnit, SubjectCode, TableName,
};
use budsql_text::clean_text;

use crate::columns::{column_meanings, header_text};
use crate::ctx::Ctx;
use crate::families::classified::allowed_columns;
use crate::grid::{Row, Section};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meaning {
    RowNo,
    Code,
    Name,
    Amount(AmountCol),
}

const PATTERNS: &[(Meaning, &[&str])] = &[
    (
        Meaning::Amount(AmountCol::YearEndBalance),
        &["年末结转", "年末结余"],
    ),
    (
        Meaning::Amount(AmountCol::Reserve),
        &["预留机动", "机动经费"],
    ),
    (Meaning::Amount(AmountCol::Personnel), &["人员经费"]),
    (Meaning::Amount(AmountCol::PublicFunds), &["公用经费"]),
    (Meaning::Amount(AmountCol::Basic), &["基本支出"]),
    (Meaning::Amount(AmountCol::Project), &["项目支出"]),
    (Meaning::Amount(AmountCol::Operating), &["经营支出"]),
    (
        Meaning::Amount(AmountCol::RemitUpper),
        &["上缴上级", "上解上级"],
    ),
    // (before 对附属单位: 西安 prints the income 附属单位上缴收入 as `对附属单位上缴收入`)
    (
        Meaning::Amount(AmountCol::SubsidiaryRemit),
        &["附属单位上缴", "附属单位缴款"],
    ),
    (
        Meaning::Amount(AmountCol::SubsidiarySubsidy),
        &["对附属单位"],
    ),
    (Meaning::Amount(AmountCol::SpecialAccount), &["财政专户"]),
    (
        Meaning::Amount(AmountCol::FiscalAppropriation),
        &["财政拨款"],
    ),
    (Meaning::Amount(AmountCol::BusinessIncome), &["事业收入"]),
    (Meaning::Amount(AmountCol::OperatingIncome), &["经营收入"]),
    (Meaning::Amount(AmountCol::SuperiorSubsidy), &["上级补助"]),
    (Meaning::Amount(AmountCol::OtherIncome), &["其他收入"]),
    (
        Meaning::Amount(AmountCol::Carryover),
        &["上年结转", "上年", "结转"],
    ),
    // `本年支出 / 小计` of a final account's fund table is its spending total
    (Meaning::Amount(AmountCol::Total), &["本年支出"]),
    (Meaning::Amount(AmountCol::CurrentIncome), &["小计"]),
    (Meaning::Amount(AmountCol::Total), &["合计", "总计"]),
    // (after 合计: `本年收入合计` is the total)
    (Meaning::Amount(AmountCol::CurrentIncome), &["本年收入"]),
    // a final account's one-figure tables (the basic-expenditure halves)
    (Meaning::Amount(AmountCol::Total), &["决算数"]),
    (Meaning::RowNo, &["序号"]),
    (Meaning::Code, &["编码", "代码"]),
    (Meaning::Name, &["名称"]),
];

fn is_total_label(s: &str) -> bool {
    let t: String = budsql_text::without_spaces(s);
    matches!(
        t.as_str(),
        "合计"
            | "总计"
            | "支出合计"
            | "收入合计"
            | "本年支出合计"
            | "本年收入合计"
            | "人员经费合计"
            | "公用经费合计"
    )
}

/// Reads one classified table section into `budget_lines` rows.
pub fn read(sec: &Section, unit: MoneyUnit, ctx: &mut Ctx) -> Vec<BudgetLine> {
    let table = sec.kind;
    let classification = if table == TableName::GpbBasic {
        Classification::Economic
    } else {
        Classification::Function
    };
    let first_data = sec.rows.iter().position(|r| r.serial().is_some());
    let header: Vec<&Row> = sec
        .rows
        .iter()
        .take(first_data.unwrap_or(sec.rows.len()))
        .filter(|r| !r.cell(0).contains("栏次"))
        .collect();
    let meanings = column_meanings(&header, PATTERNS);
    let allowed = allowed_columns(table);
    let col_of = |m: Meaning| meanings.iter().position(|x| *x == Some(m));
    let data: Vec<&Row> = sec.rows.iter().filter(|r| r.serial().is_some()).collect();
    let code_col = col_of(Meaning::Code).or_else(|| guess_code_col(&data));
    let name_col = col_of(Meaning::Name).or(code_col.map(|c| c + 1));
    // (another year's or measure's figures, `2017年预算数` beside `2018年预算数`, are not the
    // document's: see `families::classified::foreign_columns`)
    let paths: Vec<String> = meanings
        .iter()
        .enumerate()
        .map(|(i, _)| header_text(&header, i))
        .collect();
    let foreign = crate::families::classified::foreign_columns(
        &paths
            .iter()
            .map(|p| p.split('/').collect())
            .collect::<Vec<Vec<&str>>>(),
        ctx.period,
    );
    let amount_cols: Vec<(usize, AmountCol)> = meanings
        .iter()
        .enumerate()
        .filter_map(|(i, m)| match m {
            Some(Meaning::Amount(a))
                if allowed.contains(a) && foreign.get(i).is_none_or(Option::is_none) =>
            {
                Some((i, *a))
            }
            _ => None,
        })
        .collect();

    // Columns nobody maps but that hold figures are reported, never dropped silently.
    let width = sec.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    for col in 0..width {
        let used = Some(col) == code_col
            || Some(col) == name_col
            || col == 0
            || amount_cols.iter().any(|(c, _)| *c == col);
        if used {
            continue;
        }
        if let Some(r) = data.iter().find(|r| !r.cell(col).is_empty()) {
            let meaning = match foreign.get(col).cloned().flatten() {
                Some(why) => format!("figures that are not the document's own ({why})"),
                None => "figures but its meaning is not recognised".to_string(),
            };
            ctx.warn(
                r.line_no,
                Some(table),
                WarningCode::UnmappedColumn,
                format!(
                    "{}: column {} (header `{}`) holds {meaning}; its cells are not stored",
                    table.as_str(),
                    col + 1,
                    header_text(&header, col)
                ),
                Some(r.cell(col)),
            );
        }
    }

    let mut out: Vec<BudgetLine> = Vec::new();
    let mut seen: BTreeSet<(i32, Vec<String>)> = BTreeSet::new();
    for row in &data {
        let Some(row_no) = row.serial() else { continue };
        if !seen.insert((row_no, row.cells.clone())) {
            ctx.warn(
                row.line_no,
                Some(table),
                WarningCode::DuplicateRow,
                format!(
                    "{}: row {row_no} is printed twice; the repeat is skipped",
                    table.as_str()
                ),
                None,
            );
            continue;
        }
        let code_cell = code_col.map(|c| row.cell(c)).unwrap_or("");
        let name_cell = name_col.map(|c| row.cell(c)).unwrap_or("");
        let code_digits: String = budsql_text::without_spaces(code_cell);
        let is_total =
            code_digits.is_empty() && is_total_label(name_cell) || is_total_label(code_cell);
        let (subject_code, level, parent, name) = if is_total {
            (None, Some(0), None, "合计".to_string())
        } else if let Some(code) = SubjectCode::parse(&code_digits) {
            (
                Some(code.as_str().to_string()),
                Some(code.level()),
                code.parent().map(|p| p.as_str().to_string()),
                clean_text(name_cell),
            )
        } else {
            if code_digits.is_empty() {
                ctx.warn(
                    row.line_no,
                    Some(table),
                    WarningCode::RowWithoutCode,
                    format!(
                        "{}: row {row_no} `{}` has no subject code; its level is unknown",
                        table.as_str(),
                        clean_text(name_cell)
                    ),
                    None,
                );
            } else {
                ctx.warn(
                    row.line_no,
                    Some(table),
                    WarningCode::UnreadableCode,
                    format!(
                        "{}: row {row_no}: `{code_cell}` is not a 3-, 5- or 7-digit subject code; kept as printed",
                        table.as_str()
                    ),
                    Some(code_cell),
                );
            }
            let code = (!code_digits.is_empty()).then_some(code_digits);
            (code, None, None, clean_text(name_cell))
        };
        let mut amounts = Amounts::default();
        for (col, a) in &amount_cols {
            let v = ctx.amount(row.cell(*col), unit, row.line_no, table, a.label());
            amounts.set(*a, v);
        }
        out.push(BudgetLine {
            table,
            row_no,
            classification,
            subject_code,
            subject_name: name,
            subject_level: level,
            parent_code: parent,
            amounts,
            line_no: i32::try_from(row.line_no).unwrap_or(i32::MAX),
            page: i32::try_from(row.page).unwrap_or(i32::MAX),
        });
    }
    out
}

fn guess_code_col(data: &[&Row]) -> Option<usize> {
    let width = data.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    (1..width)
        .map(|c| {
            let hits = data
                .iter()
                .filter(|r| SubjectCode::parse(r.cell(c)).is_some())
                .count();
            (hits, c)
        })
        .filter(|(h, _)| *h > 0)
        .max_by_key(|(h, c)| (*h, std::cmp::Reverse(*c)))
        .map(|(_, c)| c)
}

/// A (start, end) position range on a line.
type Span = (usize, usize);

/// A data row of a space-aligned table: code parts, name, figures with positions.
struct PosRow<'a> {
    row: &'a Row,
    code: String,
    /// A one-digit code part was read with a leading zero.
    padded: bool,
    name: String,
    total: bool,
    figures: Vec<(&'a str, usize, usize)>,
}

fn is_digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

/// A figure cell, or a dash printed in a figure's place (it holds the column).
fn is_figure(s: &str) -> bool {
    (budsql_text::is_number(s) && !s.trim().is_empty()) || budsql_text::is_nil_mark(s)
}

/// Reads a row as `类 [款 [项]] name figures…` (or `合计 figures…`); `None` for header and
/// text lines.
fn pos_row(row: &Row) -> Option<PosRow<'_>> {
    let mut i = 0;
    let mut code = String::new();
    let mut padded = false;
    let first = row.cell(0).replace(' ', "");
    // `310资本性支出`: a code printed against its name
    let digits = first.chars().take_while(char::is_ascii_digit).count();
    let glued = matches!(digits, 3 | 5 | 7)
        && first
            .get(digits..)
            .and_then(|r| r.chars().next())
            .is_some_and(budsql_text::is_cjk);
    let mut name = String::new();
    if glued {
        code.push_str(first.get(..digits).unwrap_or_default());
        name.push_str(first.get(digits..).unwrap_or_default());
        i = 1;
    } else if is_digits(&first, 3) || is_digits(&first, 5) || is_digits(&first, 7) {
        code.push_str(&first);
        i = 1;
        while code.len() < 7 && row.cells.len() > i {
            let part = row.cell(i);
            // a part that ends the line is a code part only when it stands in the code
            // columns, close to the part before it (not a figure `12` far to the right)
            let last = row.cells.len() == i + 1;
            let near = match (row.pos.get(i - 1), row.pos.get(i)) {
                (Some(a), Some(b)) => b.0 <= a.1 + 8,
                _ => false,
            };
            if last && !near {
                break;
            }
            if is_digits(part, 2) {
                code.push_str(part);
            } else if is_digits(part, 1) && !is_figure(row.cell(i + 1)) {
                // `301   2   津贴补贴`: a 款 printed without its leading zero
                code.push('0');
                code.push_str(part);
                padded = true;
            } else {
                break;
            }
            i += 1;
        }
    }
    while i < row.cells.len() && !is_figure(row.cell(i)) {
        name.push_str(row.cell(i));
        i += 1;
    }
    let figures: Vec<(&str, usize, usize)> = (i..row.cells.len())
        .filter_map(|k| {
            let t = row.cells.get(k)?;
            let (s, e) = row.pos.get(k).copied().unwrap_or((0, 0));
            is_figure(t).then_some((t.as_str(), s, e))
        })
        .collect();
    let total = code.is_empty() && is_total_label(&name);
    if code.is_empty() && !total {
        return None;
    }
    Some(PosRow {
        row,
        code,
        padded,
        name: clean_text(&name),
        total,
        figures,
    })
}

/// A 类 code printed alone on its line with its 款 on the next line, beside the name
/// (`302` / `01   办公费`): one code line, as if printed `302   01   办公费`.
fn join_split_codes(rows: &[Row]) -> Vec<Row> {
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    let mut i = 0;
    while let Some(row) = rows.get(i) {
        // `302` alone, or `302` and a name, with no 款 part and no figures
        let incomplete = is_digits(row.cell(0), 3)
            && !is_digits(row.cell(1), 2)
            && !is_digits(row.cell(1), 1)
            && !row.cells.iter().skip(1).any(|c| is_figure(c));
        if incomplete
            && let Some(next) = rows.get(i + 1)
            && next.line_no == row.line_no + 1
            && next.page == row.page
            && is_digits(next.cell(0), 2)
            && !is_figure(next.cell(1))
            && let (Some(a), Some(b)) = (row.pos.first(), next.pos.first())
            && b.0 > a.0
            && b.0 <= a.1 + 8
            // the part stands left of the row's name: in the 款 column
            && row.pos.get(1).is_none_or(|n| b.1 <= n.0)
        {
            // (the row keeps the later line, so a name wrapped below it still touches it)
            let mut merged = next.clone();
            // code, part, the row's own name, then whatever the next line has after the part
            let mut cells = vec![row.cell(0).to_string(), next.cell(0).to_string()];
            let mut pos = vec![*a, *b];
            cells.extend(row.cells.iter().skip(1).cloned());
            pos.extend(row.pos.iter().skip(1).copied());
            cells.extend(next.cells.iter().skip(1).cloned());
            pos.extend(next.pos.iter().skip(1).copied());
            merged.cells = cells;
            merged.pos = pos;
            out.push(merged);
            i += 2;
            continue;
        }
        // a code alone on its line, its name and figures on the next (`30299` /
        // `其他商品和服务支出   0.20`)
        let code_only = !row.cells.is_empty()
            && row.cells.iter().enumerate().all(|(k, c)| {
                if k == 0 {
                    is_code_cell(c)
                } else {
                    is_digits(c, 2)
                }
            });
        if code_only
            && let Some(next) = rows.get(i + 1)
            && next.line_no == row.line_no + 1
            && next.page == row.page
            && !next.cell(0).starts_with(|c: char| c.is_ascii_digit())
            && !crate::columns::norm_header(next.cell(0)).contains("合计")
            && next.cells.iter().skip(1).any(|c| is_figure(c))
        {
            let mut merged = next.clone();
            merged.cells = row.cells.iter().chain(&next.cells).cloned().collect();
            merged.pos = row.pos.iter().chain(&next.pos).copied().collect();
            out.push(merged);
            i += 2;
            continue;
        }
        out.push(row.clone());
        i += 1;
    }
    out
}

fn is_code_cell(c: &str) -> bool {
    is_digits(c, 3) || is_digits(c, 5) || is_digits(c, 7)
}

/// A line of a space-aligned classified table, by what it holds.
enum Line<'a> {
    /// Header text (before the data, or a page's repeated header).
    Header(&'a Row),
    /// A data row, its figures and name completed from the lines around it.
    Data(PosRow<'a>),
}

fn figures_only(row: &Row) -> bool {
    // `208   05   05        160.75   160.75` is a code line (codes stand at the left margin)
    let first = row.cell(0);
    let code_at_margin = (is_digits(first, 3) || is_digits(first, 5) || is_digits(first, 7))
        && row.pos.first().is_some_and(|p| p.0 <= 8);
    !row.cells.is_empty() && !code_at_margin && row.cells.iter().all(|c| is_figure(c))
}

/// Groups the physical lines of a table into logical rows. Final accounts print figures on
/// the line above their code line (or above the 合计 label, before the header's last
/// line), and wrap long names around the code line: above it, below it, or both.
fn assemble(rows: &[Row]) -> Vec<Line<'_>> {
    enum Raw<'a> {
        Data(PosRow<'a>),
        Text(&'a Row),
        Header(&'a Row),
    }
    let mut raw: Vec<Raw<'_>> = Vec::new();
    let mut pending: Vec<(&str, usize, usize)> = Vec::new();
    let mut last_data_page: Option<usize> = None;
    for row in rows {
        if figures_only(row) {
            for (k, t) in row.cells.iter().enumerate() {
                let (s, e) = row.pos.get(k).copied().unwrap_or((0, 0));
                pending.push((t.as_str(), s, e));
            }
            continue;
        }
        if let Some(mut pr) = pos_row(row) {
            if !pending.is_empty() {
                pr.figures.append(&mut pending);
                pr.figures.sort_by_key(|f| f.1);
            }
            // the first row's name may begin on the line above it, among the headers
            if pr.name.is_empty()
                && let Some(Raw::Header(h)) = raw.last()
            {
                let t = crate::columns::norm_header(&h.cells.concat());
                let headerish = ["项目", "科目", "编码", "合计", "分类", "类", "款", "单位"]
                    .iter()
                    .any(|w| t.contains(w));
                if h.line_no + 1 == row.line_no && h.page == row.page && !headerish {
                    let h = *h;
                    raw.pop();
                    raw.push(Raw::Text(h));
                }
            }
            last_data_page = Some(row.page);
            raw.push(Raw::Data(pr));
            continue;
        }
        let text: String = row.cells.concat();
        let fragment =
            last_data_page == Some(row.page) && !crate::columns::norm_header(&text).contains('类');
        raw.push(if fragment {
            Raw::Text(row)
        } else {
            Raw::Header(row)
        });
    }
    // Give each run of text lines between two data rows to the row(s) whose name it is:
    // to the row above when only it lacks (or both have) a name on its code line, to the row
    // below when only that one lacks it, split between them when both lack it.
    let needs: Vec<bool> = raw
        .iter()
        .map(|r| matches!(r, Raw::Data(pr) if pr.name.is_empty() && !pr.total))
        .collect();
    let mut above: Vec<String> = vec![String::new(); raw.len()];
    let mut below: Vec<String> = vec![String::new(); raw.len()];
    let mut i = 0;
    while i < raw.len() {
        if !matches!(raw.get(i), Some(Raw::Text(_))) {
            i += 1;
            continue;
        }
        let start = i;
        while matches!(raw.get(i), Some(Raw::Text(_))) {
            i += 1;
        }
        let prev = start
            .checked_sub(1)
            .filter(|p| matches!(raw.get(*p), Some(Raw::Data(_))));
        let next = Some(i).filter(|n| matches!(raw.get(*n), Some(Raw::Data(_))));
        let texts: Vec<(usize, String)> = (start..i)
            .filter_map(|k| match raw.get(k) {
                Some(Raw::Text(r)) => Some((r.line_no, r.cells.concat())),
                _ => None,
            })
            .collect();
        let line_of = |k: Option<usize>| match k.and_then(|k| raw.get(k)) {
            Some(Raw::Data(pr)) => Some(pr.row.line_no),
            _ => None,
        };
        // A blank line separates rows: text printed right under the row above (no blank
        // line between) belongs to it unless it also runs on into the row below.
        let mut chain = 0;
        let mut at = line_of(prev);
        for (no, _) in &texts {
            if at.is_some_and(|a| a + 1 == *no) {
                chain += 1;
                at = Some(*no);
            } else {
                break;
            }
        }
        let touches_next = texts
            .last()
            .zip(line_of(next))
            .is_some_and(|((no, _), n)| no + 1 == n);
        let need_prev = prev.is_some_and(|p| needs.get(p).copied().unwrap_or(false));
        let need_next = next.is_some_and(|n| needs.get(n).copied().unwrap_or(false));
        // a name wrapped around its code line is centred on it: lines above and below
        let prev_centred = prev.is_some_and(|p| {
            !needs.get(p).copied().unwrap_or(false) || above.get(p).is_some_and(|a| !a.is_empty())
        });
        let to_prev = match (prev, next) {
            (None, _) => 0,
            (Some(_), None) => texts.len(),
            // separated by a blank line on one side: the side it touches
            (Some(_), Some(_)) if chain < texts.len() || !touches_next => chain,
            // one line touching both: to whichever lacks a name (the row above when both do
            // and it has none above yet)
            (Some(_), Some(_)) if texts.len() == 1 => {
                if need_next && (!need_prev || prev_centred) {
                    0
                } else {
                    1
                }
            }
            // several lines touching both: the lower half opens the next row's name when
            // names are centred or both rows lack one, else all continue the row above
            (Some(_), Some(_)) if prev_centred || need_next => texts.len() / 2,
            (Some(_), Some(_)) => texts.len(),
        };
        let texts: Vec<String> = texts.into_iter().map(|(_, t)| t).collect();
        if let Some(slot) = prev.and_then(|p| below.get_mut(p)) {
            slot.push_str(&texts.get(..to_prev).unwrap_or(&[]).concat());
        }
        if let Some(slot) = next.and_then(|n| above.get_mut(n)) {
            slot.push_str(&texts.get(to_prev..).unwrap_or(&[]).concat());
        }
    }
    raw.into_iter()
        .enumerate()
        .filter_map(|(k, r)| match r {
            Raw::Data(mut pr) => {
                let a = above.get(k).map(String::as_str).unwrap_or("");
                let b = below.get(k).map(String::as_str).unwrap_or("");
                if !a.is_empty() || !b.is_empty() {
                    pr.name = clean_text(&format!("{a}{}{b}", pr.name));
                }
                Some(Line::Data(pr))
            }
            Raw::Header(row) => Some(Line::Header(row)),
            Raw::Text(_) => None,
        })
        .collect()
}

/// The amount columns of a header block: header cells grouped by horizontal overlap, each
/// group meaning what its lowest meaningful cell says. Returns (start, end, column) by x.
fn header_columns(header: &[&Row], allowed: &[AmountCol]) -> Vec<(usize, usize, AmountCol)> {
    if header.iter().all(|r| r.pos.is_empty()) {
        return header_sequence(header, allowed);
    }
    let mut out: Vec<(usize, usize, AmountCol)> = Vec::new();
    let clusters = crate::columns::header_clusters(header);
    // `本年收入 | 本年支出: 小计 基本支出 项目支出`: a bare 小计 beside a 本年收入 column is
    // the spending subtotal
    let spending_subtotal = clusters.iter().any(|c| c.whole.contains("本年收入"))
        && clusters.iter().any(|c| c.whole.contains("本年支出"))
        && !clusters.iter().any(|c| c.whole.contains("合计"));
    for c in clusters {
        if spending_subtotal && c.whole == "小计" && allowed.contains(&AmountCol::Total) {
            out.push((c.start, c.end, AmountCol::Total));
            continue;
        }
        // the cells read together first, then each from the lowest up: the first meaning
        // this table can have (a group label over the header, `一般公共预算基本支出` over
        // `合计`, does not hide the column's own label)
        let meaning = std::iter::once(c.whole.as_str())
            .chain(c.bottom_up.iter().map(String::as_str))
            .find_map(|h| {
                let m = PATTERNS
                    .iter()
                    .find(|(_, pats)| pats.iter().any(|p| h.contains(p)))
                    .map(|(m, _)| *m)?;
                match m {
                    Meaning::Amount(a) if allowed.contains(&a) => Some(a),
                    _ => None,
                }
            });
        if let Some(a) = meaning {
            out.push((c.start, c.end, a));
        }
    }
    out.sort_by_key(|c| c.0);
    out.dedup_by_key(|c| c.2);
    out
}

/// Without positions (a tab extraction that dropped blank cells), the amount columns are the
/// meaningful header words in reading order; they are given increasing pseudo-positions.
fn header_sequence(header: &[&Row], allowed: &[AmountCol]) -> Vec<(usize, usize, AmountCol)> {
    let mut out: Vec<(usize, usize, AmountCol)> = Vec::new();
    for word in header
        .iter()
        .flat_map(|r| r.cells.iter())
        .flat_map(|c| c.split_whitespace())
    {
        let h = crate::columns::norm_header(word);
        let meaning = PATTERNS
            .iter()
            .find(|(_, pats)| pats.iter().any(|p| h.contains(p)))
            .map(|(m, _)| *m);
        if let Some(Meaning::Amount(a)) = meaning
            && allowed.contains(&a)
            && !out.iter().any(|c| c.2 == a)
        {
            let x = out.len() * 10;
            out.push((x, x + 1, a));
        }
    }
    out
}

/// Reads a classified table printed in the space-aligned form: codes in 类/款/项 columns,
/// no 序号, figures placed by order or, where cells are blank, by position.
pub fn read_positioned(sec: &Section, unit: MoneyUnit, ctx: &mut Ctx) -> Vec<BudgetLine> {
    if sec.kind == TableName::GpbBasic
        && let Some(halves) = split_halves(sec)
    {
        return read_halves(&halves, unit, ctx);
    }
    read_positioned_one(sec, unit, ctx)
}

/// 决算 documents print the basic-expenditure table as two tables side by side: 人员经费
/// codes with their 决算数 on the left, 公用经费 codes on the right, each with its own
/// `人员经费合计` / `公用经费合计`. Detected by a header naming the code or name column twice;
/// the page is cut, page by page, where the right half's codes begin.
fn split_halves(sec: &Section) -> Option<[Section; 2]> {
    let words_of = |r: &Row| -> Vec<(usize, String)> {
        r.cells
            .iter()
            .zip(&r.pos)
            .flat_map(|(t, p)| {
                let mut at = p.0;
                t.split(' ')
                    .filter_map(|w| {
                        let n = w.chars().count();
                        let here = at;
                        at += n + 1;
                        (n > 0).then(|| (here, crate::columns::norm_header(w)))
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let doubled = sec.rows.iter().take(12).find_map(|r| {
        for key in ["科目名称", "经济分类", "科目编码"] {
            let at: Vec<usize> = words_of(r)
                .into_iter()
                .filter(|(_, w)| w.contains(key))
                .map(|(s, _)| s)
                .collect();
            if let [_, second] = at.as_slice() {
                return Some(*second);
            }
        }
        None
    })?;
    // per page: the leftmost code printed away from the margin
    let is_code = |t: &str| is_digits(t, 3) || is_digits(t, 5) || is_digits(t, 7);
    let mut cut: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for r in &sec.rows {
        for (t, p) in r.cells.iter().zip(&r.pos) {
            if is_code(t) && p.0 > 8 {
                let slot = cut.entry(r.page).or_insert(p.0);
                *slot = (*slot).min(p.0);
            }
        }
    }
    let mut halves = [sec.clone(), sec.clone()];
    for h in &mut halves {
        h.rows.clear();
    }
    let mut last = cut.values().next().copied().unwrap_or(doubled);
    for r in &sec.rows {
        let b = cut.get(&r.page).copied().unwrap_or(last);
        last = b;
        let b = if r.line_no
            < sec
                .rows
                .iter()
                .find(|r| r.cells.iter().any(|c| is_code(c)))
                .map(|r| r.line_no)
                .unwrap_or(0)
        {
            // header rows: the second header word may stand a little left of the codes
            b.min(doubled)
        } else {
            b
        };
        let mut left = Row {
            cells: Vec::new(),
            pos: Vec::new(),
            ..r.clone()
        };
        let mut right = left.clone();
        for (t, p) in r.cells.iter().zip(&r.pos) {
            if p.0 < b {
                left.cells.push(t.clone());
                left.pos.push(*p);
            } else {
                right.cells.push(t.clone());
                right.pos.push((p.0 - b, p.1.saturating_sub(b)));
            }
        }
        // a line empty on one side stays as an empty row, so that a name wrapped onto the
        // line after it still reads as continuing the row above (the line is not blank)
        for (h, row) in halves.iter_mut().zip([left, right]) {
            h.rows.push(row);
        }
    }
    Some(halves)
}

/// Reads the two halves and joins them: every row's 决算数 is its `total` and, by the half it
/// stands in, its `personnel` or `public_funds`; the two half totals make one 合计 row.
fn read_halves(halves: &[Section; 2], unit: MoneyUnit, ctx: &mut Ctx) -> Vec<BudgetLine> {
    let mut out: Vec<BudgetLine> = Vec::new();
    let mut totals: Vec<(bool, BudgetLine)> = Vec::new();
    for (i, half) in halves.iter().enumerate() {
        let lines = read_positioned_one(half, unit, ctx);
        let text: String = half
            .rows
            .iter()
            .flat_map(|r| r.cells.iter())
            .map(|c| c.as_str())
            .collect();
        let public = if text.contains("公用经费") {
            true
        } else if text.contains("人员经费") {
            false
        } else {
            lines.iter().any(|l| {
                l.subject_code
                    .as_deref()
                    .is_some_and(|c| c.starts_with("302") || c.starts_with("310"))
            }) || i == 1
        };
        for mut l in lines {
            let v = l.amounts.get(AmountCol::Total);
            if public {
                l.amounts.set(AmountCol::PublicFunds, v);
            } else {
                l.amounts.set(AmountCol::Personnel, v);
            }
            if l.subject_level == Some(0) {
                totals.push((public, l));
            } else {
                out.push(l);
            }
        }
    }
    if let Some((_, first)) = totals.first() {
        let mut total = first.clone();
        let pick = |public: bool| {
            totals
                .iter()
                .find(|(p, _)| *p == public)
                .and_then(|(_, l)| l.amounts.get(AmountCol::Total))
        };
        let (personnel, public) = (pick(false), pick(true));
        total.amounts.set(AmountCol::Personnel, personnel);
        total.amounts.set(AmountCol::PublicFunds, public);
        total.amounts.set(
            AmountCol::Total,
            match (personnel, public) {
                (None, None) => None,
                (a, b) => Some(a.unwrap_or_default() + b.unwrap_or_default()),
            },
        );
        total.line_no = totals
            .iter()
            .map(|(_, l)| l.line_no)
            .min()
            .unwrap_or(total.line_no);
        out.push(total);
    }
    for (i, l) in out.iter_mut().enumerate() {
        l.row_no = i32::try_from(i + 1).unwrap_or(i32::MAX);
    }
    out
}

fn read_positioned_one(sec: &Section, unit: MoneyUnit, ctx: &mut Ctx) -> Vec<BudgetLine> {
    let table = sec.kind;
    let classification = if table == TableName::GpbBasic {
        Classification::Economic
    } else {
        Classification::Function
    };
    let allowed = allowed_columns(table);
    let mut out = Vec::new();
    let mut header: Vec<&Row> = Vec::new();
    let mut columns: Vec<(usize, usize, AmountCol)> = Vec::new();
    let mut in_header = true;
    // Figures are right-aligned, and pdftotext shifts whole lines. The complete rows say
    // how far each column's right end stands from the first (合计) column's; a row with
    // blank cells is placed from its own first figure by those spacings.
    let joined = join_split_codes(&sec.rows);
    let lines = assemble(&joined);
    let data = || {
        lines.iter().filter_map(|l| match l {
            Line::Data(pr) => Some(pr),
            Line::Header(_) => None,
        })
    };
    let full = data().map(|r| r.figures.len()).max().unwrap_or(0);
    let mut offsets: Vec<Vec<i64>> = vec![Vec::new(); full];
    for r in data() {
        if full > 1 && r.figures.len() == full {
            let first = r.figures.first().map(|f| f.2 as i64).unwrap_or(0);
            for (slot, f) in offsets.iter_mut().zip(&r.figures) {
                slot.push(f.2 as i64 - first);
            }
        }
    }
    let spacing: Option<Vec<i64>> = offsets
        .iter()
        .map(|v| {
            let mut v = v.clone();
            v.sort_unstable();
            v.get(v.len() / 2).copied()
        })
        .collect();
    for line in &lines {
        let pr = match line {
            Line::Header(row) => {
                if !in_header {
                    header.clear();
                    in_header = true;
                }
                header.push(row);
                continue;
            }
            Line::Data(pr) => pr,
        };
        let row = pr.row;
        if in_header {
            let cols = header_columns(&header, allowed);
            if !cols.is_empty() {
                columns = cols;
            }
            in_header = false;
        }
        // a blank 合计 row is an empty table's; any other row printed without figures is a
        // row whose cells are all blank (NULL)
        if pr.figures.is_empty() && pr.total {
            continue;
        }
        let blank = pr.figures.is_empty();
        if columns.is_empty() && !blank {
            ctx.warn(
                row.line_no,
                Some(table),
                WarningCode::AssumedColumns,
                format!(
                    "{}: no amount column headers recognised; the row is not stored",
                    table.as_str()
                ),
                Some(&row.cells.join(" ")),
            );
            continue;
        }
        if pr.padded {
            ctx.warn(
                row.line_no,
                Some(table),
                WarningCode::CodeRepaired,
                format!(
                    "{}: a one-digit code part read with a leading zero: `{}` ({})",
                    table.as_str(),
                    pr.code,
                    pr.name
                ),
                Some(&row.cells.join(" ")),
            );
        }
        let mut amounts = Amounts::default();
        let positioned = !row.pos.is_empty();
        let assigned: Vec<(usize, AmountCol)> = if blank {
            Vec::new()
        } else if !positioned && pr.figures.len() != columns.len() {
            ctx.warn(
                row.line_no,
                Some(table),
                WarningCode::UnplacedFigure,
                format!(
                    "{}: {} figure(s) for {} column(s) and no positions to place them by (blank cells were dropped by the extraction); the row's figures are not stored",
                    table.as_str(),
                    pr.figures.len(),
                    columns.len()
                ),
                Some(&row.cells.join(" ")),
            );
            Vec::new()
        } else if pr.figures.len() == columns.len() {
            columns.iter().enumerate().map(|(i, c)| (i, c.2)).collect()
        } else {
            // by position, keeping the order: right ends against the spacing of complete
            // rows, measured from this row's first figure; else centres against the headers
            let first_end = pr.figures.first().map(|f| f.2 as i64).unwrap_or(0);
            let learned = spacing.as_ref().filter(|sp| sp.len() == columns.len());
            let (spans, cols): (Vec<Span>, Vec<Span>) = match learned {
                Some(sp) => (
                    pr.figures.iter().map(|f| (f.2, f.2)).collect(),
                    sp.iter()
                        .map(|d| {
                            let x = usize::try_from(first_end + d).unwrap_or(0);
                            (x, x)
                        })
                        .collect(),
                ),
                None => (
                    pr.figures.iter().map(|f| (f.1, f.2)).collect(),
                    columns.iter().map(|c| (c.0, c.1)).collect(),
                ),
            };
            let v: Vec<(usize, AmountCol)> = crate::align::align(&spans, &cols, 16)
                .into_iter()
                .enumerate()
                .filter_map(|(fi, ci)| Some((fi, columns.get(ci?)?.2)))
                .collect();
            if v.len() < pr.figures.len() {
                ctx.warn(
                    row.line_no,
                    Some(table),
                    WarningCode::UnplacedFigure,
                    format!(
                        "{}: {} figure(s) on the line but only {} column(s) to place them in",
                        table.as_str(),
                        pr.figures.len(),
                        columns.len()
                    ),
                    Some(&row.cells.join(" ")),
                );
            }
            v
        };
        for (fi, col) in assigned {
            if let Some((raw, _, _)) = pr.figures.get(fi) {
                let v = ctx.amount(raw, unit, row.line_no, table, col.label());
                amounts.set(col, v);
            }
        }
        let (subject_code, level, parent, name) = if pr.total {
            (None, Some(0), None, "合计".to_string())
        } else if let Some(code) = SubjectCode::parse(&pr.code) {
            (
                Some(code.as_str().to_string()),
                Some(code.level()),
                code.parent().map(|p| p.as_str().to_string()),
                pr.name.clone(),
            )
        } else {
            (Some(pr.code.clone()), None, None, pr.name.clone())
        };
        out.push(BudgetLine {
            table,
            row_no: i32::try_from(out.len() + 1).unwrap_or(i32::MAX),
            classification,
            subject_code,
            subject_name: name,
            subject_level: level,
            parent_code: parent,
            amounts,
            line_no: i32::try_from(pr.row.line_no).unwrap_or(i32::MAX),
            page: i32::try_from(pr.row.page).unwrap_or(i32::MAX),
        });
    }
    out
}
