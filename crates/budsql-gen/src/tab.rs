//! The tab-separated form of the bundled sample: `序号` columns, `栏次` rows, a
//! `CODE NAME` / `预算年度: YYYY` block above each table, tables continued over pages with
//! the header block repeated, and the noise such extractions carry.

use crate::Variants;
use crate::catalog;
use crate::format::{Style, amount};
use crate::model::{Doc, DocKind, Fen, Scope};
use crate::rng::Rng;
use crate::truth::{BudgetCols, Truth, opt_wan, wan_cell};

struct Out<'a> {
    lines: Vec<String>,
    doc: &'a Doc,
    v: &'a Variants,
    style: Style,
    rng: Rng,
    truth: &'a mut Truth,
    file: &'a str,
}

impl Out<'_> {
    fn push(&mut self, s: impl Into<String>) {
        self.lines.push(s.into());
    }

    fn amt(&self, v: Fen) -> String {
        amount(v, self.style)
    }

    /// A cell that may be blank: zero prints blank, as the sample does.
    fn opt(&self, v: Fen) -> String {
        if v == 0 { String::new() } else { self.amt(v) }
    }

    fn unit_block(&mut self) {
        let d = self.doc;
        self.push(format!("{} {}", d.unit_code, d.unit_name));
        self.push("");
        self.push(format!("预算年度: {}", d.year));
        self.push("");
    }

    /// OCR junk for a header label (`合り` for `合计`), when the variant is on.
    fn junk(&mut self, label: &str) -> Option<String> {
        if !(self.v.junk_headers && self.rng.chance(50)) {
            return None;
        }
        Some(
            match label {
                "合计" => "合り",
                "基本支出" => "本 本又山",
                "项目支出" => "坝日又山",
                "经营支出" => "红百又山",
                _ => return None,
            }
            .to_string(),
        )
    }

    /// A name as the extraction printed it: with a space inside when the variant is on.
    fn name(&mut self, name: &str) -> String {
        let n = name.chars().count();
        if self.v.cjk_spaces && n >= 6 && self.rng.chance(25) {
            let at = self.rng.range(2, (n - 2) as i64) as usize;
            let (a, b): (String, String) = (
                name.chars().take(at).collect(),
                name.chars().skip(at).collect(),
            );
            format!("{a} {b}")
        } else {
            name.to_string()
        }
    }

    /// Writes a table's rows, breaking the page every `per_page` rows (variant) with the
    /// unit block and the header repeated.
    fn table(&mut self, header: &[String], rows: Vec<String>) {
        let per_page = if self.v.page_breaks {
            self.rng.range(12, 30) as usize
        } else {
            usize::MAX
        };
        for (i, chunk) in rows.chunks(per_page).enumerate() {
            if i > 0 {
                self.push("");
                self.unit_block();
            }
            // OCR junk lands in the blank cells of a lower header line, under the real
            // labels (`合り` under `合计`), as in the sample
            let first: Vec<String> = header
                .first()
                .map(|h| h.split('\t').map(str::to_string).collect())
                .unwrap_or_default();
            for (k, h) in header.iter().enumerate() {
                let cells: Vec<String> = h
                    .split('\t')
                    .enumerate()
                    .map(|(c, cell)| match first.get(c) {
                        Some(label) if k == 1 && cell.is_empty() => {
                            self.junk(label).unwrap_or_default()
                        }
                        _ => cell.to_string(),
                    })
                    .collect();
                self.push(cells.join("\t"));
            }
            for r in chunk {
                self.push(r.clone());
            }
        }
        self.push("");
    }
}

fn title(doc: &Doc, budget: &str, final_: &str) -> String {
    let (scope, _) = doc.words();
    match doc.kind {
        DocKind::Budget => format!("{scope}{budget}"),
        DocKind::Final => format!("{scope}{final_}"),
    }
}

/// The document in the tab form; its rows are added to `truth`.
pub fn write(doc: &Doc, v: &Variants, rng: Rng, file: &str, truth: &mut Truth) -> String {
    let style = Style {
        yuan: doc.yuan,
        thousands: false,
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
    };
    let (scope, word) = doc.words();
    o.push(format!("{}{}年区级{scope}{word}", doc.region, doc.year));
    o.push("");
    o.push(format!(
        "{}年{}月",
        doc.year,
        if doc.kind == DocKind::Budget {
            "二"
        } else {
            "八"
        }
    ));
    o.push("");
    let mut prose_rng = o.rng.fork(11);
    for l in crate::prose::contents(doc) {
        o.push(l);
    }
    o.push(format!("{} {}年{scope}{word}公开", doc.unit_name, doc.year));
    o.push("");

    summary(&mut o);
    income(&mut o);
    expenditure(&mut o);
    fiscal_summary(&mut o);
    gpb_expenditure(&mut o);
    gpb_basic(&mut o);
    empty_fund(
        &mut o,
        "政府性基金预算财政拨款支出表",
        "政府性基金预算财政拨款收入支出决算表",
        "政府性基金预算",
    );
    empty_fund(
        &mut o,
        "国有资本经营预算财政拨款支出表",
        "国有资本经营预算财政拨款支出决算表",
        "国有资本经营预算",
    );
    three_public(&mut o);
    narrative(&mut o, &mut prose_rng);
    kpi(&mut o);
    let mut text = o.lines.join("\n");
    text.push('\n');
    text
}

/// A label without its printed ordinal (`一、`), as `summary_lines.item_name` holds it.
fn strip(label: &str) -> &str {
    label.split_once('、').map(|(_, r)| r).unwrap_or(label)
}

fn set_split(o: &mut Out<'_>) {
    // `1183. 74` in some cells, when the variant is on
    o.style.split_decimal = o.v.split_decimals && o.rng.chance(50);
}

fn summary(o: &mut Out<'_>) {
    let d = o.doc;
    o.push(title(d, "预算收支总表", "收入支出决算总表"));
    o.push("");
    o.unit_block();
    let header = vec![
        "序号\t收入\t\t支出\t".to_string(),
        "\t项 目\t预算数\t项 目\t预算数".to_string(),
        "栏次\t1\t2\t3\t4".to_string(),
    ];
    let income: [(&str, Fen); 9] = [
        ("一、一般公共预算拨款收入", d.fiscal()),
        ("二、政府性基金预算拨款收入", 0),
        ("三、国有资本经营预算拨款收入", 0),
        ("四、财政专户管理资金收入", 0),
        ("五、事业收入", d.business()),
        ("六、事业单位经营收入", 0),
        ("七、上级补助收入", 0),
        ("八、附属单位上缴收入", 0),
        ("九、其他收入", d.other()),
    ];
    let by_class = |class: &str| -> Fen {
        d.rows
            .iter()
            .filter(|r| r.code.starts_with(class))
            .map(|r| r.total())
            .sum()
    };
    let mut rows = Vec::new();
    let t = "summary";
    for (i, (code, name)) in catalog::summary_classes(d.year).into_iter().enumerate() {
        set_split(o);
        let (il, iv) = income
            .get(i)
            .map(|(l, v)| (l.to_string(), o.opt(*v)))
            .unwrap_or_default();
        if let Some((l, v)) = income.get(i) {
            o.truth
                .summary_line(o.file, t, i * 2, "income", strip(l), opt_wan(*v));
        }
        let ev = by_class(code);
        o.truth
            .summary_line(o.file, t, i * 2 + 1, "expenditure", name, opt_wan(ev));
        rows.push(format!(
            "{}\t{il}\t{iv}\t{}、{name}\t{}",
            i + 1,
            catalog::cn_number(i + 1),
            o.opt(ev)
        ));
    }
    let n = catalog::SUMMARY_CLASSES.len();
    let current = d.fiscal() + d.business() + d.other();
    rows.push(format!(
        "{}\t本年收入合计\t{}\t本年支出合计\t{}",
        n + 1,
        o.amt(current),
        o.amt(d.total())
    ));
    rows.push(format!(
        "{}\t上年结转结余\t{}\t年终结转结余\t",
        n + 2,
        o.opt(d.carry())
    ));
    rows.push(format!(
        "{}\t收入总计\t{}\t支出总计\t{}",
        n + 3,
        o.amt(current + d.carry()),
        o.amt(d.total())
    ));
    let tail = [
        (
            "本年收入合计",
            wan_cell(current),
            "本年支出合计",
            wan_cell(d.total()),
        ),
        (
            "上年结转结余",
            opt_wan(d.carry()),
            "年终结转结余",
            String::new(),
        ),
        (
            "收入总计",
            wan_cell(current + d.carry()),
            "支出总计",
            wan_cell(d.total()),
        ),
    ];
    for (k, (il, iv, el, ev)) in tail.into_iter().enumerate() {
        let pos = (n + k) * 2;
        o.truth.summary_line(o.file, t, pos, "income", il, iv);
        o.truth
            .summary_line(o.file, t, pos + 1, "expenditure", el, ev);
    }
    o.table(&header, rows);
}

/// The function rows of a table: 合计, then each 类, 款 and 项, with `cells` per row; each
/// row's values are recorded in the truth under `cols`.
fn function_rows(
    o: &mut Out<'_>,
    table: &str,
    cols: &[BudgetCols],
    total: Vec<Fen>,
    cells: &dyn Fn(&crate::model::FnRow) -> Vec<Fen>,
    keep: &dyn Fn(&crate::model::FnRow) -> bool,
) -> Vec<String> {
    let d = o.doc;
    let mut rows = Vec::new();
    let mut no = 0;
    let mut emit = |o: &mut Out<'_>, code: &str, name: &str, vals: &[Fen]| {
        no += 1;
        set_split(o);
        let printed = vals
            .iter()
            .map(|v| o.opt(*v))
            .collect::<Vec<_>>()
            .join("\t");
        let shown = if code.is_empty() {
            name.to_string()
        } else {
            o.name(name)
        };
        rows.push(format!("{no}\t{code}\t{shown}\t{printed}"));
        let values: Vec<(BudgetCols, String)> = cols
            .iter()
            .zip(vals)
            .map(|(c, v)| (*c, opt_wan(*v)))
            .collect();
        o.truth.budget_line(
            o.file,
            table,
            no,
            code,
            if code.is_empty() { "合计" } else { name },
            &values,
        );
    };
    emit(o, "", "合计", &total);
    for (class, sections) in d.tree() {
        let sum = |rows: &[&crate::model::FnRow]| -> Vec<Fen> {
            let mut acc = vec![0; total.len()];
            for r in rows.iter().filter(|r| keep(r)) {
                for (a, v) in acc.iter_mut().zip(cells(r)) {
                    *a += v;
                }
            }
            acc
        };
        let all: Vec<&crate::model::FnRow> = sections
            .iter()
            .flat_map(|(_, r)| r.iter().copied())
            .collect();
        if !all.iter().any(|r| keep(r)) {
            continue;
        }
        emit(o, class, catalog::class_name(class, d.year), &sum(&all));
        for (section, items) in &sections {
            if !items.iter().any(|r| keep(r)) {
                continue;
            }
            emit(o, section, catalog::section_name(section), &sum(items));
            for r in items.iter().filter(|r| keep(r)) {
                emit(o, r.code, r.name, &cells(r));
            }
        }
    }
    rows
}

fn income(o: &mut Out<'_>) {
    let d = o.doc;
    o.push(title(d, "预算收入总表", "收入决算表"));
    o.push("");
    o.unit_block();
    let header = vec![
        "\t功能分类科目\t\t\t本年收入\t\t\t\t\t\t\t\t上年".to_string(),
        "序号\t科目编码\t科目名称\t合计\t小计\t财政拨款收入\t财政专户收入\t事业收入\t经营收入\t上级补助收入\t附属单位上缴收入\t其他收入\t结转".to_string(),
        "栏次\t1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12".to_string(),
    ];
    let cells = |r: &crate::model::FnRow| {
        vec![
            r.total(),
            r.fiscal() + r.business + r.other,
            r.fiscal(),
            0,
            r.business,
            0,
            0,
            0,
            r.other,
            r.carry,
        ]
    };
    let total = vec![
        d.total(),
        d.fiscal() + d.business() + d.other(),
        d.fiscal(),
        0,
        d.business(),
        0,
        0,
        0,
        d.other(),
        d.carry(),
    ];
    use BudgetCols::*;
    let cols = [
        Total,
        CurrentIncome,
        FiscalAppropriation,
        Skip,
        BusinessIncome,
        Skip,
        Skip,
        Skip,
        OtherIncome,
        Carryover,
    ];
    let rows = function_rows(o, "income", &cols, total, &cells, &|_| true);
    o.table(&header, rows);
}

fn expenditure(o: &mut Out<'_>) {
    let d = o.doc;
    o.push(title(d, "预算支出总表", "支出决算表"));
    o.push("");
    o.unit_block();
    let header = vec![
        "序号\t\t功能分类科目\t合计\t基本支出\t项目支出\t经营支出\t上解上级\t对附属单位"
            .to_string(),
        "\t科目编码\t科目名称\t\t\t\t\t支出\t补助支出".to_string(),
        "栏次\t1\t2\t3\t4\t5\t6\t7\t8".to_string(),
    ];
    let cells = |r: &crate::model::FnRow| vec![r.total(), r.basic, r.project, 0, 0, 0];
    let total = vec![d.total(), d.basic(), d.project(), 0, 0, 0];
    use BudgetCols::*;
    let cols = [Total, Basic, Project, Skip, Skip, Skip];
    let rows = function_rows(o, "expenditure", &cols, total, &cells, &|_| true);
    o.table(&header, rows);
}

fn fiscal_summary(o: &mut Out<'_>) {
    let d = o.doc;
    o.push(title(d, "预算财政拨款收支总表", "财政拨款收入支出决算总表"));
    o.push("");
    o.unit_block();
    let header = vec![
        "\t收入\t\t支出\t\t\t".to_string(),
        "序号\t项 目\t金额\t项 目\t合计\t一般公共预算 财政拨款\t政府性基金预算 财政拨款\t国有资本经营 预算财政拨款".to_string(),
        "栏次\t1\t2\t3\t4\t5\t6\t7".to_string(),
    ];
    let income = [
        ("一、一般公共预算拨款", d.fiscal()),
        ("二、政府性基金预算拨款", 0),
        ("三、国有资本经营预算拨款", 0),
    ];
    let by_class = |class: &str| -> Fen {
        d.rows
            .iter()
            .filter(|r| r.code.starts_with(class))
            .map(|r| r.gpb_total())
            .sum()
    };
    let mut rows = Vec::new();
    let t = "fiscal_summary";
    for (i, (code, name)) in catalog::summary_classes(d.year).into_iter().enumerate() {
        set_split(o);
        let (il, iv) = income
            .get(i)
            .map(|(l, v)| (l.to_string(), o.opt(*v)))
            .unwrap_or_default();
        if let Some((l, v)) = income.get(i) {
            o.truth
                .summary_line(o.file, t, i * 2, "income", strip(l), opt_wan(*v));
        }
        let ev = by_class(code);
        o.truth
            .summary_line(o.file, t, i * 2 + 1, "expenditure", name, opt_wan(ev));
        let v = o.opt(ev);
        rows.push(format!(
            "{}\t{il}\t{iv}\t{}、{name}\t{v}\t{v}\t\t",
            i + 1,
            catalog::cn_number(i + 1)
        ));
    }
    let n = catalog::SUMMARY_CLASSES.len();
    let gpb: Fen = d.rows.iter().map(|r| r.gpb_total()).sum();
    let (f, c, g) = (o.amt(d.fiscal()), o.opt(d.carry()), o.amt(gpb));
    rows.push(format!(
        "{}\t本年收入合计\t{f}\t本年支出合计\t{g}\t{g}\t\t",
        n + 1
    ));
    rows.push(format!(
        "{}\t年初财政拨款结转和结余\t{c}\t年末财政拨款结转和结余\t\t\t\t",
        n + 2
    ));
    rows.push(format!("{}\t一、一般公共预算拨款\t{c}\t\t\t\t\t", n + 3));
    rows.push(format!("{}\t收入总计\t{g}\t支出总计\t{g}\t{g}\t\t", n + 4));
    // (income label, amount, the expenditure label and amount on the same line)
    type Line<'a> = (&'a str, String, Option<(&'a str, String)>);
    let labels: [Line<'_>; 4] = [
        (
            "本年收入合计",
            wan_cell(d.fiscal()),
            Some(("本年支出合计", wan_cell(gpb))),
        ),
        (
            "年初财政拨款结转和结余",
            opt_wan(d.carry()),
            Some(("年末财政拨款结转和结余", String::new())),
        ),
        ("一般公共预算拨款", opt_wan(d.carry()), None),
        ("收入总计", wan_cell(gpb), Some(("支出总计", wan_cell(gpb)))),
    ];
    for (k, (il, iv, e)) in labels.into_iter().enumerate() {
        let pos = (n + k) * 2;
        o.truth.summary_line(o.file, t, pos, "income", il, iv);
        if let Some((el, ev)) = e {
            o.truth
                .summary_line(o.file, t, pos + 1, "expenditure", el, ev);
        }
    }
    o.table(&header, rows);
}

fn gpb_expenditure(o: &mut Out<'_>) {
    let d = o.doc;
    o.push(title(
        d,
        "预算一般公共预算财政拨款支出表",
        "一般公共预算财政拨款支出决算表",
    ));
    o.push("");
    o.unit_block();
    let header = vec![
        "序号\t\t功能分类科目\t合计\t基本支出\t项目支出".to_string(),
        "\t科目编码\t科目名称\t\t\t".to_string(),
        "栏次\t1\t2\t3\t4\t5".to_string(),
    ];
    let cells = |r: &crate::model::FnRow| vec![r.gpb_total(), r.basic, r.gpb_project()];
    let total = vec![
        d.rows.iter().map(|r| r.gpb_total()).sum(),
        d.basic(),
        d.rows.iter().map(|r| r.gpb_project()).sum(),
    ];
    use BudgetCols::*;
    let cols = [Total, Basic, Project];
    let rows = function_rows(o, "gpb_expenditure", &cols, total, &cells, &|r| {
        r.gpb_total() != 0
    });
    o.table(&header, rows);
}

fn gpb_basic(o: &mut Out<'_>) {
    let d = o.doc;
    o.push(title(
        d,
        "预算一般公共预算财政拨款基本支出表",
        "一般公共预算财政拨款基本支出决算表",
    ));
    o.push("");
    o.unit_block();
    let header = vec![
        "\t支出单位经济分类科目\t\t一般公共预算基本支出\t".to_string(),
        "序号\t科目编码\t科目名称\t合计\t人员经费\t公用经费".to_string(),
        "栏次\t1\t2\t3\t4\t5".to_string(),
    ];
    use BudgetCols::*;
    let cols = [Total, Personnel, PublicFunds];
    let mut rows = Vec::new();
    let mut no = 0;
    let mut emit = |o: &mut Out<'_>, code: &str, name: &str, vals: [Fen; 3]| {
        no += 1;
        set_split(o);
        let printed = vals
            .iter()
            .map(|v| o.opt(*v))
            .collect::<Vec<_>>()
            .join("\t");
        let shown = if code.is_empty() {
            name.to_string()
        } else {
            o.name(name)
        };
        rows.push(format!("{no}\t{code}\t{shown}\t{printed}"));
        let values: Vec<(BudgetCols, String)> = cols
            .iter()
            .zip(vals)
            .map(|(c, v)| (*c, opt_wan(v)))
            .collect();
        o.truth
            .budget_line(o.file, "gpb_basic", no, code, name, &values);
    };
    emit(o, "", "合计", [d.basic(), d.personnel(), d.public_funds()]);
    let mut classes: Vec<&str> = d
        .econ
        .iter()
        .map(|e| catalog::economic_class(e.code).0)
        .collect();
    classes.dedup();
    for class in classes {
        let items: Vec<&crate::model::EconRow> = d
            .econ
            .iter()
            .filter(|e| catalog::economic_class(e.code).0 == class)
            .collect();
        let sum: Fen = items.iter().map(|e| e.amount).sum();
        let personnel = items.first().is_some_and(|e| e.personnel);
        let split = |v: Fen, personnel: bool| if personnel { [v, v, 0] } else { [v, 0, v] };
        emit(
            o,
            class,
            catalog::economic_class(class).1,
            split(sum, personnel),
        );
        for e in items {
            emit(o, e.code, e.name, split(e.amount, e.personnel));
        }
    }
    o.table(&header, rows);
}

fn empty_fund(o: &mut Out<'_>, budget: &str, final_: &str, what: &str) {
    let d = o.doc;
    o.push(title(d, budget, final_));
    o.push("");
    o.unit_block();
    o.push("单位: 万元");
    o.push("");
    o.push("序号\t功能分类科目\t\t合计\t基本支出\t项目支出");
    o.push("\t科目编码\t科目名称\t\t\t");
    o.push("栏次\t1\t2\t3\t4\t5");
    o.push("");
    o.push(format!("注:无{what}财政拨款预算,空表列示。"));
    o.push("");
}

fn three_public(o: &mut Out<'_>) {
    let d = o.doc;
    o.push(title(
        d,
        "预算财政拨款\"三公\"经费支出表",
        "一般公共预算财政拨款“三公”经费支出决算表",
    ));
    o.push("");
    o.unit_block();
    let t = &d.three;
    let header = vec![
        "\t\t\t资 金\t性 质\t".to_string(),
        "序号\t项 目\t合计\t一般公共预算 财政拨款\t政府性基金 预算拨款\t国有资本经营 预算财政拨款"
            .to_string(),
        "栏次\t1\t2\t3\t4\t5".to_string(),
    ];
    let mut rows = Vec::new();
    let items: [(&str, Fen); 9] = [
        ("合计", t.total()),
        ("\"三公\"经费小计", t.total()),
        ("一、因公出国(境)费", t.outbound),
        ("其中: 教学科研人员因公出国(境)费", 0),
        ("其他因公出国 (境) 费", t.outbound),
        ("二、公务用车购置及运维费", t.vehicle()),
        ("其中: 公务用车购置费", t.purchase),
        ("公务用车运行维护费", t.operation),
        ("三、公务接待费", t.reception),
    ];
    for (i, (label, v)) in items.iter().enumerate() {
        set_split(o);
        let c = o.opt(*v);
        rows.push(format!("{}\t{label}\t{c}\t{c}\t\t", i + 1));
    }
    o.truth.three_public(o.file, t.parts().map(opt_wan), None);
    o.table(&header, rows);
}

/// The narrative (情况说明) as lines: the figures it states equal the tables', among the
/// prose real documents print around them.
pub fn narrative_lines(d: &Doc, rng: &mut Rng) -> Vec<String> {
    use crate::format::wan2;
    let mut o: Vec<String> = Vec::new();
    let (scope, word) = d.words();
    o.push_line(format!(
        "{} {}年{scope}{word}信息公开情况说明",
        d.unit_name, d.year
    ));
    o.push_line("");
    o.extend(crate::prose::duties(d, &d.unit_kind, rng));
    o.push_line(format!("二、{scope}{word}安排的总体情况"));
    o.push_line("");
    o.push_line("1、收入说明");
    o.push_line("");
    let current = d.fiscal() + d.business() + d.other();
    let mut s = format!(
        "{}年{scope}{word}收入为{}万元,其中:财政拨款收入{}万元",
        d.year,
        wan2(current + d.carry()),
        wan2(d.fiscal())
    );
    if d.business() > 0 {
        s.push_str(&format!(",事业收入{}万元", wan2(d.business())));
    }
    if d.carry() > 0 {
        s.push_str(&format!(",上年结转结余{}万元", wan2(d.carry())));
    }
    s.push('。');
    o.push_line(s);
    o.push_line("");
    o.push_line("2、支出说明");
    o.push_line("");
    o.push_line(format!(
        "{}年{scope}{word}支出为{}万元,其中:基本支出{}万元,包括人员经费{}万元和日常公用经费{}万元;项目支出{}万元。",
        d.year,
        wan2(d.total()),
        wan2(d.basic()),
        wan2(d.personnel()),
        wan2(d.public_funds()),
        wan2(d.project())
    ));
    o.push_line("");
    o.push_line("三、机关运行经费安排情况");
    o.push_line("");
    o.push_line(format!(
        "机关运行经费共计安排{}万元,主要用于保证机关正常运转的办公及印刷费、邮电费、差旅费等。",
        wan2(d.operating_costs)
    ));
    o.push_line("");
    o.push_line("四、财政拨款\"三公\"经费预算情况及增减变化原因");
    o.push_line("");
    let t = &d.three;
    o.push_line(format!(
        "本单位{}年\"三公经费\"预算总额为{}万元,其中:因公出国(境)费{}万元;公务用车购置及运维费{}万元,其中公务用车购置费{}万元,公务用车运行维护费{}万元;公务接待费{}万元。",
        d.year,
        wan2(t.total()),
        wan2(t.outbound),
        wan2(t.vehicle()),
        wan2(t.purchase),
        wan2(t.operation),
        wan2(t.reception)
    ));
    o.push_line("");
    o.extend(crate::prose::closing(d, rng));
    o
}

trait PushLine {
    fn push_line(&mut self, s: impl Into<String>);
}

impl PushLine for Vec<String> {
    fn push_line(&mut self, s: impl Into<String>) {
        self.push(s.into());
    }
}

fn narrative(o: &mut Out<'_>, rng: &mut Rng) {
    for l in narrative_lines(o.doc, rng) {
        o.push(l);
    }
}

fn kpi(o: &mut Out<'_>) {
    let d = o.doc;
    if d.projects.is_empty() {
        return;
    }
    o.push(format!(
        "{} 年度{}预算绩效信息",
        d.year,
        match d.scope {
            Scope::Unit => "单位",
            Scope::Department => "部门",
        }
    ));
    o.push("");
    o.push("预算项目绩效目标");
    o.push("");
    for (k, p) in d.projects.iter().enumerate() {
        o.push(format!("{}、{}绩效目标表", k + 1, p.name));
        o.push("");
        o.push(format!("绩效目标\t{}\t\t\t\t", p.goal));
        o.push("一级指标\t二级指标\t三级指标\t绩效指标描述\t指标值\t指标值确定依据");
        // 一级指标 is a merged cell: printed on one row of its block, blank on the others
        let mut i = 0;
        while i < p.indicators.len() {
            let l1 = p.indicators.get(i).map(|x| x.level1).unwrap_or("");
            let end = p
                .indicators
                .iter()
                .skip(i)
                .position(|x| x.level1 != l1)
                .map(|n| i + n)
                .unwrap_or(p.indicators.len());
            let mid = i + (end - i) / 2;
            let merged = o.v.merged_cells;
            for (j, ind) in p.indicators.iter().enumerate().take(end).skip(i) {
                let shown = if !merged || j == mid { ind.level1 } else { "" };
                o.truth.kpi(
                    o.file,
                    k + 1,
                    &p.name,
                    &p.goal,
                    j + 1,
                    [ind.level1, ind.level2, ind.level3],
                    &ind.target,
                    ind.basis,
                );
                o.push(format!(
                    "{shown}\t{}\t{}\t{}\t{}\t{}",
                    ind.level2, ind.level3, ind.description, ind.target, ind.basis
                ));
            }
            i = end;
        }
        o.push("");
    }
}
