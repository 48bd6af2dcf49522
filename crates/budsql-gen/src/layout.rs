//! The space-aligned form `pdftotext -layout` prints (the Shanghai documents): titles with
//! the year, an `编制单位：… 单位：元` line, multi-line headers, codes in 类/款/项 columns,
//! figures right-aligned under their columns (blank cells simply absent), 合计 at the bottom,
//! a form feed between pages, and the noise of such text: names wrapped onto the next line,
//! tables continued on a new page whose columns stand a little elsewhere.

use crate::Variants;
use crate::catalog;
use crate::format::{Style, amount};
use crate::model::{Doc, DocKind, Fen, FnRow, Scope, ThreePublic};
use crate::rng::Rng;
use crate::truth::{BudgetCols, Truth, opt_wan, wan_cell};

/// A piece of text placed on a line: left-aligned at a column, or right-aligned ending at one.
enum At<'a> {
    Left(usize, &'a str),
    Right(usize, &'a str),
}

/// Lays pieces out on one line, one position per character (as pdftotext counts).
fn line(pieces: &[At<'_>]) -> String {
    let mut cells: Vec<char> = Vec::new();
    for p in pieces {
        let (start, text) = match p {
            At::Left(x, t) => (*x, *t),
            At::Right(x, t) => (x.saturating_sub(t.chars().count()), *t),
        };
        // keep at least two spaces between pieces
        let start = if cells.iter().rev().take_while(|c| **c == ' ').count() < 2
            && !cells.is_empty()
            && cells.len() + 2 > start
        {
            cells.len() + 2
        } else {
            start
        };
        while cells.len() < start {
            cells.push(' ');
        }
        cells.extend(text.chars());
    }
    cells.into_iter().collect::<String>().trim_end().to_string()
}

struct Out<'a> {
    lines: Vec<String>,
    doc: &'a Doc,
    v: &'a Variants,
    style: Style,
    rng: Rng,
    truth: &'a mut Truth,
    file: &'a str,
    /// Horizontal shift of the current page (pdftotext moves whole pages).
    shift: usize,
}

impl Out<'_> {
    fn push(&mut self, s: impl Into<String>) {
        self.lines.push(s.into());
    }
    fn amt(&self, v: Fen) -> String {
        amount(v, self.style)
    }
    fn opt(&self, v: Fen) -> String {
        if v == 0 { String::new() } else { self.amt(v) }
    }
    fn page(&mut self) {
        if let Some(last) = self.lines.last_mut() {
            last.push('\u{c}');
        } else {
            self.push("\u{c}");
        }
        self.shift = if self.v.page_breaks {
            self.rng.range(0, 3) as usize
        } else {
            0
        };
    }
    fn title(&mut self, budget: &str, final_: &str) {
        let d = self.doc;
        let (scope, _) = d.words();
        let t = match d.kind {
            DocKind::Budget => format!("{}年预算{scope}{budget}", d.year),
            DocKind::Final => format!("{}年度{scope}{final_}", d.year),
        };
        self.push(line(&[At::Left(20 + self.shift, &t)]));
        let unit = if self.style.yuan {
            "单位：元"
        } else {
            "单位：万元"
        };
        let who = format!("编制单位：{}", d.unit_name);
        self.push(line(&[
            At::Left(self.shift, &who),
            At::Left(90 + self.shift, unit),
        ]));
        self.push("");
    }
}

/// Column right edges of the figure columns of a function table.
const FIG: [usize; 6] = [58, 74, 90, 106, 122, 138];

/// The document in the layout form; its rows are added to `truth`.
pub fn write(doc: &Doc, v: &Variants, rng: Rng, file: &str, truth: &mut Truth) -> String {
    let style = Style {
        yuan: doc.yuan,
        thousands: true,
        split_decimal: false,
    };
    let mut o = Out {
        lines: Vec::new(),
        doc,
        v,
        style,
        rng,
        truth,
        file,
        shift: 0,
    };
    let (scope, word) = doc.words();
    o.push(format!("{}{}年区级{scope}{word}", doc.region, doc.year));
    o.push("");
    o.push(format!("    {}", doc.unit_name));
    let mut prose_rng = o.rng.fork(11);
    for l in crate::prose::contents(doc) {
        // the layout form indents the entries and prints no list marks
        o.push(format!("  {}", l.trim_start_matches("- ")));
    }
    o.page();

    summary(&mut o);
    o.page();
    function_table(&mut o, "income");
    o.page();
    function_table(&mut o, "expenditure");
    o.page();
    fiscal_summary(&mut o);
    o.page();
    function_table(&mut o, "gpb_expenditure");
    o.page();
    empty_fund(
        &mut o,
        "政府性基金预算支出功能分类预算表",
        "政府性基金预算财政拨款收入支出决算表",
        "政府性基金预算支出",
    );
    empty_fund(
        &mut o,
        "国有资本经营预算支出功能分类预算表",
        "国有资本经营预算财政拨款收入支出决算表",
        "国有资本经营预算支出",
    );
    o.page();
    gpb_basic(&mut o);
    o.page();
    three_public(&mut o);
    narrative(&mut o, &mut prose_rng);
    o.page();
    o.lines.join("\n") + "\n"
}

fn summary(o: &mut Out<'_>) {
    let d = o.doc;
    o.title("财务收支预算总表", "收入支出决算总表");
    let s = o.shift;
    o.push(line(&[
        At::Left(10 + s, "本年收入"),
        At::Left(70 + s, "本年支出"),
    ]));
    o.push("");
    o.push(line(&[
        At::Left(4 + s, "项目"),
        At::Left(21 + s, "预算数"),
        At::Left(40 + s, "项目"),
        At::Right(FIG[1] + 8 + s, "合计"),
        At::Right(FIG[2] + 8 + s, "基本支出"),
        At::Right(FIG[3] + 8 + s, "项目支出"),
    ]));
    o.push("");
    let income: [(&str, Fen, bool); 7] = [
        ("一、财政拨款收入", d.fiscal(), false),
        ("1、一般公共预算资金", d.fiscal(), true),
        ("2、政府性基金", 0, true),
        ("3、国有资本经营预算", 0, true),
        ("二、事业收入", d.business(), false),
        ("三、事业单位经营收入", 0, false),
        ("四、其他收入", d.other(), false),
    ];
    let classes: Vec<(&str, &str)> = catalog::summary_classes(d.year)
        .into_iter()
        .filter(|(c, _)| d.rows.iter().any(|r| r.code.starts_with(c)))
        .collect();
    let n = income.len().max(classes.len());
    let mut pos = 0;
    for i in 0..n {
        let mut pieces: Vec<At<'_>> = Vec::new();
        let inc = income.get(i).map(|(l, v, _)| (l.to_string(), o.opt(*v)));
        let exp = classes.get(i).map(|(code, name)| {
            let rows: Vec<&FnRow> = d.rows.iter().filter(|r| r.code.starts_with(code)).collect();
            let t: Fen = rows.iter().map(|r| r.total()).sum();
            let b: Fen = rows.iter().map(|r| r.basic).sum();
            let p: Fen = rows.iter().map(|r| r.project).sum();
            (
                format!("{}、{name}", catalog::cn_number(i + 1)),
                [o.opt(t), o.opt(b), o.opt(p)],
                t,
            )
        });
        if let Some((l, v)) = &inc {
            pieces.push(At::Left(s, l));
            if !v.is_empty() {
                pieces.push(At::Right(32 + s, v));
            }
            if let Some((label, value, _)) = income.get(i) {
                o.truth.summary_line(
                    o.file,
                    "summary",
                    pos,
                    "income",
                    super_strip(label),
                    opt_wan(*value),
                );
            }
        }
        if let Some((l, figs, t)) = &exp {
            pieces.push(At::Left(36 + s, l));
            for (k, f) in figs.iter().enumerate() {
                if !f.is_empty()
                    && let Some(x) = FIG.get(k + 1)
                {
                    pieces.push(At::Right(x + 8 + s, f));
                }
            }
            o.truth.summary_line(
                o.file,
                "summary",
                pos + 1,
                "expenditure",
                super_strip(l),
                opt_wan(*t),
            );
        }
        pos += 2;
        let text = line(&pieces);
        o.push(text);
        o.push("");
    }
    let g = d.fiscal() + d.business() + d.other();
    let (gs, ts, bs, ps) = (
        o.amt(g),
        o.amt(d.total()),
        o.opt(d.basic()),
        o.opt(d.project()),
    );
    o.push("");
    let mut pieces = vec![
        At::Left(3 + s, "收入总计"),
        At::Right(32 + s, &gs),
        At::Left(42 + s, "支出总计"),
        At::Right(FIG[1] + 8 + s, &ts),
    ];
    if !bs.is_empty() {
        pieces.push(At::Right(FIG[2] + 8 + s, &bs));
    }
    if !ps.is_empty() {
        pieces.push(At::Right(FIG[3] + 8 + s, &ps));
    }
    let text = line(&pieces);
    o.push(text);
    o.truth
        .summary_line(o.file, "summary", pos, "income", "收入总计", wan_cell(g));
    o.truth.summary_line(
        o.file,
        "summary",
        pos + 1,
        "expenditure",
        "支出总计",
        wan_cell(d.total()),
    );
}

/// `一、财政拨款收入` → `财政拨款收入`; `1、一般公共预算资金` → `一般公共预算资金`.
fn super_strip(label: &str) -> &str {
    label.split_once('、').map(|(_, r)| r).unwrap_or(label)
}

/// The columns of a function table: (header words top-down, truth column, value of a row).
type Column = (&'static [&'static str], BudgetCols, fn(&FnRow) -> Fen);

fn columns(table: &str) -> (&'static str, &'static str, Vec<Column>) {
    use BudgetCols::*;
    match table {
        "income" => (
            "收入预算总表",
            "收入决算表",
            vec![
                (&["合计"], Total, FnRow::total),
                (&["财政拨款收入"], FiscalAppropriation, FnRow::fiscal),
                (&["事业收入"], BusinessIncome, |r| r.business),
                (&["其他收入"], OtherIncome, |r| r.other),
            ],
        ),
        "expenditure" => (
            "支出预算总表",
            "支出决算表",
            vec![
                (&["合计"], Total, FnRow::total),
                (&["基本支出"], Basic, |r| r.basic),
                (&["项目支出"], Project, |r| r.project),
            ],
        ),
        _ => (
            "一般公共预算支出功能分类预算表",
            "一般公共预算财政拨款支出决算表",
            vec![
                (&["合计"], Total, FnRow::gpb_total),
                (&["基本支出"], Basic, |r| r.basic),
                (&["项目支出"], Project, FnRow::gpb_project),
            ],
        ),
    }
}

fn function_table(o: &mut Out<'_>, table: &str) {
    let d = o.doc;
    let (budget, final_, cols) = columns(table);
    o.title(budget, final_);
    let s = o.shift;
    let mut header = vec![At::Left(20 + s, "项目")];
    for (k, (words, _, _)) in cols.iter().enumerate() {
        if let (Some(x), Some(w)) = (FIG.get(k), words.first()) {
            header.push(At::Right(x - 2 + s, w));
        }
    }
    o.push(line(&[At::Left(s, "功能分类科目编码")]));
    o.push(line(&header));
    o.push(line(&[
        At::Left(s, "类"),
        At::Left(6 + s, "款"),
        At::Left(11 + s, "项"),
        At::Left(24 + s, "功能分类科目名称"),
    ]));
    o.push("");
    let keep = |r: &FnRow| table != "gpb_expenditure" || r.gpb_total() != 0;
    let mut no = 0;
    let per_page = if o.v.page_breaks {
        o.rng.range(10, 20) as usize
    } else {
        usize::MAX
    };
    let mut on_page = 0;
    for (class, sections) in d.tree() {
        let all: Vec<&FnRow> = sections
            .iter()
            .flat_map(|(_, r)| r.iter().copied())
            .filter(|r| keep(r))
            .collect();
        if all.is_empty() {
            continue;
        }
        let mut entries: Vec<(String, String, &'static str, Vec<Fen>)> = Vec::new();
        let sum = |rows: &[&FnRow]| -> Vec<Fen> {
            cols.iter()
                .map(|(_, _, f)| rows.iter().map(|r| f(r)).sum())
                .collect()
        };
        entries.push((
            class.to_string(),
            String::new(),
            catalog::class_name(class, d.year),
            sum(&all),
        ));
        for (section, items) in &sections {
            let items: Vec<&FnRow> = items.iter().copied().filter(|r| keep(r)).collect();
            if items.is_empty() {
                continue;
            }
            entries.push((
                section.clone(),
                String::new(),
                catalog::section_name(section),
                sum(&items),
            ));
            for r in items {
                entries.push((
                    r.code.to_string(),
                    String::new(),
                    r.name,
                    cols.iter().map(|(_, _, f)| f(r)).collect(),
                ));
            }
        }
        for (code, _, name, vals) in entries {
            if on_page >= per_page {
                o.page();
                on_page = 0;
            }
            on_page += 1;
            no += 1;
            let s = o.shift;
            let parts = [code.get(..3), code.get(3..5), code.get(5..7)];
            let figs: Vec<String> = vals.iter().map(|v| o.opt(*v)).collect();
            // a long name wraps onto the next line (variant)
            let chars: Vec<char> = name.chars().collect();
            let wrap = o.v.wrapped_names && chars.len() > 12 && o.rng.chance(60);
            let (first, rest): (String, String) = if wrap {
                (
                    chars.iter().take(12).collect(),
                    chars.iter().skip(12).collect(),
                )
            } else {
                (name.to_string(), String::new())
            };
            let mut pieces: Vec<At<'_>> = Vec::new();
            for (k, p) in parts.iter().enumerate() {
                if let Some(p) = p.filter(|p| !p.is_empty()) {
                    let x = [0, 6, 11].get(k).copied().unwrap_or(0);
                    pieces.push(At::Left(x + s, p));
                }
            }
            pieces.push(At::Left(16 + s, &first));
            for (k, f) in figs.iter().enumerate() {
                if !f.is_empty()
                    && let Some(x) = FIG.get(k)
                {
                    pieces.push(At::Right(x + s, f));
                }
            }
            let text = line(&pieces);
            o.push(text);
            if !rest.is_empty() {
                o.push(line(&[At::Left(16 + s, &rest)]));
            }
            let values: Vec<(BudgetCols, String)> = cols
                .iter()
                .zip(&vals)
                .map(|((_, c, _), v)| (*c, opt_wan(*v)))
                .collect();
            o.truth.budget_line(o.file, table, no, &code, name, &values);
            if o.rng.chance(50) {
                o.push("");
            }
        }
    }
    // 合计 at the bottom
    no += 1;
    let totals: Vec<Fen> = cols
        .iter()
        .map(|(_, _, f)| d.rows.iter().filter(|r| keep(r)).map(f).sum())
        .collect();
    let figs: Vec<String> = totals.iter().map(|v| o.opt(*v)).collect();
    let s = o.shift;
    let mut pieces = vec![At::Left(24 + s, "合计")];
    for (k, f) in figs.iter().enumerate() {
        if !f.is_empty()
            && let Some(x) = FIG.get(k)
        {
            pieces.push(At::Right(x + s, f));
        }
    }
    let text = line(&pieces);
    o.push(text);
    let values: Vec<(BudgetCols, String)> = cols
        .iter()
        .zip(&totals)
        .map(|((_, c, _), v)| (*c, opt_wan(*v)))
        .collect();
    o.truth.budget_line(o.file, table, no, "", "合计", &values);
}

fn fiscal_summary(o: &mut Out<'_>) {
    let d = o.doc;
    o.title("财政拨款收支预算总表", "财政拨款收入支出决算总表");
    let s = o.shift;
    o.push(line(&[
        At::Left(7 + s, "财政拨款收入"),
        At::Left(60 + s, "财政拨款支出"),
    ]));
    o.push("");
    o.push(line(&[
        At::Left(5 + s, "项目"),
        At::Left(20 + s, "预算数"),
        At::Left(40 + s, "项目"),
        At::Right(FIG[1] + 8 + s, "合计"),
        At::Right(FIG[2] + 8 + s, "一般公共预算"),
        At::Right(FIG[3] + 8 + s, "政府性基金预算"),
        At::Right(FIG[4] + 8 + s, "国有资本经营预算"),
    ]));
    o.push("");
    let gpb: Fen = d.rows.iter().map(FnRow::gpb_total).sum();
    let income: [(&str, Fen); 3] = [
        ("一、一般公共预算资金", gpb),
        ("二、政府性基金", 0),
        ("三、国有资本经营预算", 0),
    ];
    let classes: Vec<(&str, &str)> = catalog::summary_classes(d.year)
        .into_iter()
        .filter(|(c, _)| {
            d.rows
                .iter()
                .any(|r| r.code.starts_with(c) && r.gpb_total() != 0)
        })
        .collect();
    let n = income.len().max(classes.len());
    let mut pos = 0;
    for i in 0..n {
        let mut pieces: Vec<At<'_>> = Vec::new();
        let inc = income.get(i).map(|(l, v)| (l.to_string(), o.opt(*v), *v));
        let exp = classes.get(i).map(|(code, name)| {
            let t: Fen = d
                .rows
                .iter()
                .filter(|r| r.code.starts_with(code))
                .map(FnRow::gpb_total)
                .sum();
            (
                format!("{}、{name}", catalog::cn_number(i + 1)),
                o.opt(t),
                t,
            )
        });
        if let Some((l, v, raw)) = &inc {
            pieces.push(At::Left(s, l));
            if !v.is_empty() {
                pieces.push(At::Right(32 + s, v));
            }
            o.truth.summary_line(
                o.file,
                "fiscal_summary",
                pos,
                "income",
                super_strip(l),
                opt_wan(*raw),
            );
        }
        if let Some((l, v, raw)) = &exp {
            pieces.push(At::Left(36 + s, l));
            pieces.push(At::Right(FIG[1] + 8 + s, v));
            pieces.push(At::Right(FIG[2] + 8 + s, v));
            o.truth.summary_line(
                o.file,
                "fiscal_summary",
                pos + 1,
                "expenditure",
                super_strip(l),
                opt_wan(*raw),
            );
        }
        pos += 2;
        let text = line(&pieces);
        o.push(text);
        o.push("");
    }
    let g = o.amt(gpb);
    o.push("");
    o.push(line(&[
        At::Left(3 + s, "收入总计"),
        At::Right(32 + s, &g),
        At::Left(42 + s, "支出总计"),
        At::Right(FIG[1] + 8 + s, &g),
        At::Right(FIG[2] + 8 + s, &g),
    ]));
    o.truth.summary_line(
        o.file,
        "fiscal_summary",
        pos,
        "income",
        "收入总计",
        wan_cell(gpb),
    );
    o.truth.summary_line(
        o.file,
        "fiscal_summary",
        pos + 1,
        "expenditure",
        "支出总计",
        wan_cell(gpb),
    );
}

fn empty_fund(o: &mut Out<'_>, budget: &str, final_: &str, what: &str) {
    o.title(budget, final_);
    let s = o.shift;
    o.push(line(&[At::Left(15 + s, "项目"), At::Left(45 + s, what)]));
    o.push(line(&[At::Left(s, "功能分类科目编码")]));
    o.push(line(&[
        At::Left(17 + s, "功能分类科目名称"),
        At::Left(42 + s, "合计"),
        At::Left(50 + s, "基本支出"),
        At::Left(62 + s, "项目支出"),
    ]));
    o.push(line(&[At::Left(s, "类   款   项")]));
    o.push("");
    o.push(line(&[At::Left(15 + s, "合计")]));
    o.push(format!(
        "注:本单位{}年无{what}安排的预算，故本表为空表。",
        o.doc.year
    ));
}

fn gpb_basic(o: &mut Out<'_>) {
    let d = o.doc;
    o.title(
        "一般公共预算基本支出部门预算经济分类预算表",
        "一般公共预算财政拨款基本支出决算表",
    );
    let s = o.shift;
    o.push(line(&[
        At::Left(22 + s, "项目"),
        At::Left(50 + s, "一般公共预算基本支出"),
    ]));
    o.push("");
    o.push(line(&[At::Left(1 + s, "经济分类科目编码")]));
    o.push(line(&[
        At::Left(24 + s, "部门经济分类科目名称"),
        At::Right(FIG[0] - 2 + s, "合计"),
        At::Right(FIG[1] - 2 + s, "人员经费"),
        At::Right(FIG[2] - 2 + s, "公用经费"),
    ]));
    o.push(line(&[At::Left(2 + s, "类"), At::Left(8 + s, "款")]));
    o.push("");
    let mut no = 0;
    let mut classes: Vec<&str> = d
        .econ
        .iter()
        .map(|e| catalog::economic_class(e.code).0)
        .collect();
    classes.dedup();
    let mut emit = |o: &mut Out<'_>, code: &str, name: &str, personnel: bool, v: Fen| {
        no += 1;
        let s = o.shift;
        let f = o.opt(v);
        let mut pieces = vec![At::Left(1 + s, code.get(..3).unwrap_or(""))];
        if let Some(k) = code.get(3..5) {
            pieces.push(At::Left(8 + s, k));
        }
        pieces.push(At::Left(13 + s, name));
        if !f.is_empty() {
            pieces.push(At::Right(FIG[0] + s, &f));
            pieces.push(At::Right(if personnel { FIG[1] } else { FIG[2] } + s, &f));
        }
        let text = line(&pieces);
        o.push(text);
        let (p, q) = if personnel { (v, 0) } else { (0, v) };
        o.truth.budget_line(
            o.file,
            "gpb_basic",
            no,
            code,
            name,
            &[
                (BudgetCols::Total, opt_wan(v)),
                (BudgetCols::Personnel, opt_wan(p)),
                (BudgetCols::PublicFunds, opt_wan(q)),
            ],
        );
    };
    for class in classes {
        let items: Vec<&crate::model::EconRow> = d
            .econ
            .iter()
            .filter(|e| catalog::economic_class(e.code).0 == class)
            .collect();
        let sum: Fen = items.iter().map(|e| e.amount).sum();
        let personnel = items.first().is_some_and(|e| e.personnel);
        emit(o, class, catalog::economic_class(class).1, personnel, sum);
        for e in items {
            emit(o, e.code, e.name, e.personnel, e.amount);
        }
    }
    no += 1;
    let s = o.shift;
    let (t, p, q) = (
        o.amt(d.basic()),
        o.opt(d.personnel()),
        o.opt(d.public_funds()),
    );
    let mut pieces = vec![At::Left(20 + s, "合计"), At::Right(FIG[0] + s, &t)];
    if !p.is_empty() {
        pieces.push(At::Right(FIG[1] + s, &p));
    }
    if !q.is_empty() {
        pieces.push(At::Right(FIG[2] + s, &q));
    }
    let text = line(&pieces);
    o.push(text);
    o.truth.budget_line(
        o.file,
        "gpb_basic",
        no,
        "",
        "合计",
        &[
            (BudgetCols::Total, wan_cell(d.basic())),
            (BudgetCols::Personnel, opt_wan(d.personnel())),
            (BudgetCols::PublicFunds, opt_wan(d.public_funds())),
        ],
    );
}

fn three_public(o: &mut Out<'_>) {
    let d = o.doc;
    let t = &d.three;
    // the 三公 table is printed in 万元 even where the others are in 元
    let saved = o.style;
    o.style = Style {
        yuan: false,
        thousands: false,
        split_decimal: false,
    };
    let title = match d.kind {
        DocKind::Budget => format!(
            "{}年{}“三公”经费和机关运行经费预算表",
            d.year,
            match d.scope {
                Scope::Unit => "单位",
                Scope::Department => "部门",
            }
        ),
        DocKind::Final => format!("{}年度财政拨款“三公”经费支出决算表", d.year),
    };
    let s = o.shift;
    o.push(line(&[At::Left(18 + s, &title)]));
    let who = format!("编制单位：{}", d.unit_name);
    o.push(line(&[At::Left(s, &who), At::Left(78 + s, "单位:万元")]));
    o.push("");
    if let (DocKind::Final, Some(budget)) = (d.kind, &d.budgeted) {
        budget_and_final(o, budget);
        o.style = saved;
        return;
    }
    o.push(line(&[At::Left(28 + s, "“三公”经费预算数")]));
    o.push("");
    o.push(line(&[At::Left(76 + s, "机关运行经费预算数")]));
    o.push(line(&[At::Left(46 + s, "公务用车购置及运行费")]));
    o.push(line(&[
        At::Left(4 + s, "合计"),
        At::Left(14 + s, "因公出国(境)费"),
        At::Left(32 + s, "公务接待费"),
    ]));
    o.push(line(&[
        At::Left(53 + s, "小计"),
        At::Left(62 + s, "购置费"),
        At::Left(70 + s, "运行费"),
    ]));
    o.push("");
    let figs = [
        (8, t.total()),
        (24, t.outbound),
        (38, t.reception),
        (56, t.vehicle()),
        (66, t.purchase),
        (74, t.operation),
        (86, d.operating_costs),
    ];
    let printed: Vec<(usize, String)> = figs.iter().map(|(x, v)| (*x + s, o.amt(*v))).collect();
    let pieces: Vec<At<'_>> = printed.iter().map(|(x, v)| At::Right(*x, v)).collect();
    o.push(line(&pieces));
    o.truth.three_public(o.file, t.parts().map(wan_cell), None);
    o.style = saved;
}

/// A 决算's 三公 table as Shanghai's print it: each part a 预算数 and a 决算数 column
/// under a two-level header.
fn budget_and_final(o: &mut Out<'_>, budget: &ThreePublic) {
    let d = o.doc;
    let t = &d.three;
    let s = o.shift;
    o.push(line(&[At::Left(35 + s, "财政拨款“三公”经费")]));
    o.push(line(&[At::Left(41 + s, "公务用车购置及运行费")]));
    o.push(line(&[
        At::Left(9 + s, "合计"),
        At::Left(19 + s, "因公出国（境）费"),
    ]));
    o.push(line(&[
        At::Left(34 + s, "小计"),
        At::Left(57 + s, "公务用车运行费"),
        At::Left(79 + s, "公务接待费"),
    ]));
    o.push(line(&[At::Left(42 + s, "公务用车购置费")]));
    o.push("");
    // (x of 预算数, x of 决算数) per part: 合计, 出国, 车辆小计, 购置, 运行, 接待
    const X: [(usize, usize); 6] = [(0, 13), (22, 31), (40, 50), (59, 69), (78, 87), (96, 108)];
    let mut words = Vec::new();
    for (b, f) in X {
        words.push((b + s, "预算数"));
        words.push((f + s, "决算数"));
    }
    let heads: Vec<At<'_>> = words.iter().map(|(x, w)| At::Left(*x, w)).collect();
    o.push(line(&heads));
    o.push("");
    let mut printed = Vec::new();
    for ((b, f), (vb, vf)) in X.iter().zip(budget.parts().into_iter().zip(t.parts())) {
        // a figure right-aligned under its word (three characters, six columns wide)
        printed.push((b + s + 6, o.amt(vb)));
        printed.push((f + s + 6, o.amt(vf)));
    }
    let pieces: Vec<At<'_>> = printed.iter().map(|(x, v)| At::Right(*x, v)).collect();
    o.push(line(&pieces));
    o.truth.three_public(
        o.file,
        t.parts().map(wan_cell),
        Some(budget.parts().map(wan_cell)),
    );
}

fn narrative(o: &mut Out<'_>, rng: &mut Rng) {
    o.page();
    for l in crate::tab::narrative_lines(o.doc, rng) {
        // pdftotext wraps prose at the page's width
        for piece in wrap(&l, PROSE_WIDTH) {
            o.push(piece);
        }
    }
}

/// Characters of prose on one printed line.
const PROSE_WIDTH: usize = 62;

/// `text` cut into lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= width {
        return vec![text.to_string()];
    }
    chars.chunks(width).map(|c| c.iter().collect()).collect()
}
