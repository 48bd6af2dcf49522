//! `budsql report --unit NAME | --region NAME [--year Y] --out report.html`: one
//! self-contained HTML page of a unit's (or a region's) budget — spending by function class,
//! the 基本/项目 and 人员/公用 splits, the 三公 over the years, execution against the budget
//! where a 决算 exists, the completeness items and the check findings. Charts are SVG drawn
//! here, in the page itself: no script, no font or file from elsewhere, so it opens offline
//! and prints. Every figure links to the document it comes from, with its source line.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use budsql_query::{Session, format_decimal};
use datafusion::arrow::array::{Array, Decimal128Array};
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};

use crate::error::CliError;

/// What the report is about.
#[derive(Debug, Clone)]
pub enum Subject {
    Unit(String),
    Region(String),
}

/// A query's result as text cells (NULL as `None`), decimals as budsql prints them.
struct Rows {
    names: Vec<String>,
    rows: Vec<Vec<Option<String>>>,
}

impl Rows {
    fn idx(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    fn get<'a>(&self, row: &'a [Option<String>], name: &str) -> Option<&'a str> {
        self.idx(name)
            .and_then(|i| row.get(i))
            .and_then(|v| v.as_deref())
    }
}

async fn fetch(session: &Session, sql: &str) -> Result<Rows, CliError> {
    let mut names = Vec::new();
    let mut rows = Vec::new();
    for statement in session.parse(sql)? {
        let df = session.execute(statement).await?;
        names = df
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().to_string())
            .collect();
        let opts = FormatOptions::default();
        for b in df.collect().await? {
            let mut cols: Vec<Vec<Option<String>>> = Vec::new();
            for col in b.columns() {
                let mut v = Vec::with_capacity(col.len());
                if let Some(d) = col.as_any().downcast_ref::<Decimal128Array>() {
                    for i in 0..d.len() {
                        v.push(d.is_valid(i).then(|| format_decimal(d.value(i), d.scale())));
                    }
                } else {
                    let f = ArrayFormatter::try_new(col.as_ref(), &opts)?;
                    for i in 0..col.len() {
                        v.push(col.is_valid(i).then(|| f.value(i).to_string()));
                    }
                }
                cols.push(v);
            }
            for r in 0..b.num_rows() {
                rows.push(cols.iter().map(|c| c.get(r).cloned().flatten()).collect());
            }
        }
    }
    Ok(Rows { names, rows })
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn num(s: Option<&str>) -> f64 {
    s.and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0)
}

/// Where a figure comes from: its document and line, or several rows (a region's sums).
struct Source<'a> {
    doc: Option<&'a str>,
    line: Option<&'a str>,
    rows: usize,
}

/// The documents, for titles of links: doc_id → (file, year, kind).
type Docs = BTreeMap<String, (String, String, String)>;

/// A figure as a link to its source.
fn fig(value: Option<&str>, src: &Source<'_>, docs: &Docs) -> String {
    let Some(v) = value else {
        return "<span class=\"null\">NULL</span>".to_string();
    };
    match (src.doc, src.rows) {
        (Some(d), 1) => {
            let file = docs.get(d).map(|x| x.0.as_str()).unwrap_or("");
            let line = src.line.unwrap_or("?");
            format!(
                "<a class=\"fig\" href=\"#doc-{d}\" title=\"{}, line {line}\" data-doc=\"{d}\" data-line=\"{line}\">{v}</a>",
                esc(file)
            )
        }
        _ => format!(
            "<a class=\"fig\" href=\"#units\" title=\"the sum of {} rows: see the units below\">{v}</a>",
            src.rows
        ),
    }
}

const COLORS: [&str; 6] = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
];

/// Horizontal bars, one per item: (label, value, link, tooltip).
fn bars(items: &[(String, f64, String, String)], unit: &str) -> String {
    let max = items.iter().map(|i| i.1).fold(0.0_f64, f64::max).max(1e-9);
    let h = 24.0;
    let label_w = 300.0;
    let bar_w = 420.0;
    let height = h * items.len() as f64 + 10.0;
    let mut s = format!(
        "<svg class=\"chart\" width=\"{}\" height=\"{height}\" role=\"img\">",
        label_w + bar_w + 140.0
    );
    for (k, (label, v, link, tip)) in items.iter().enumerate() {
        let y = 5.0 + h * k as f64;
        let w = (v / max * bar_w).max(0.0);
        let _ = write!(
            s,
            "<a href=\"{link}\"><title>{}</title><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"{}\"/>\
             <text x=\"{}\" y=\"{}\">{} {unit}</text></a>",
            esc(tip),
            label_w - 8.0,
            y + 16.0,
            esc(label),
            label_w,
            y + 3.0,
            h - 6.0,
            COLORS[0],
            label_w + w + 6.0,
            y + 16.0,
            esc(&format_amount(*v)),
        );
    }
    s.push_str("</svg>");
    s
}

/// Stacked horizontal bars, one per row: (label, parts, link, tooltip), with a legend.
fn stacked(rows: &[(String, Vec<f64>, String, String)], series: &[&str]) -> String {
    let max = rows
        .iter()
        .map(|r| r.1.iter().sum::<f64>())
        .fold(0.0_f64, f64::max)
        .max(1e-9);
    let h = 26.0;
    let label_w = 160.0;
    let bar_w = 520.0;
    let height = h * rows.len() as f64 + 34.0;
    let mut s = format!(
        "<svg class=\"chart\" width=\"{}\" height=\"{height}\" role=\"img\">",
        label_w + bar_w + 40.0
    );
    for (k, name) in series.iter().enumerate() {
        let x = label_w + 150.0 * k as f64;
        let _ = write!(
            s,
            "<rect x=\"{x}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"15\">{}</text>",
            COLORS.get(k).copied().unwrap_or("#999"),
            x + 16.0,
            esc(name)
        );
    }
    for (k, (label, parts, link, tip)) in rows.iter().enumerate() {
        let y = 26.0 + h * k as f64;
        let _ = write!(
            s,
            "<a href=\"{link}\"><title>{}</title><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            esc(tip),
            label_w - 8.0,
            y + 16.0,
            esc(label)
        );
        let mut x = label_w;
        for (p, v) in parts.iter().enumerate() {
            let w = v / max * bar_w;
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"{}\"/>",
                y + 3.0,
                h - 6.0,
                COLORS.get(p).copied().unwrap_or("#999")
            );
            x += w;
        }
        s.push_str("</a>");
    }
    s.push_str("</svg>");
    s
}

fn format_amount(v: f64) -> String {
    let s = format!("{v:.2}");
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let neg = int.starts_with('-');
    let digits = int.trim_start_matches('-');
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{}{out}.{frac}", if neg { "-" } else { "" })
}

/// A table row of one document: its year and kind, then four figures.
fn year_row(html: &mut String, year: Option<&str>, kind: Option<&str>, figures: [String; 4]) {
    let _ = write!(
        html,
        "<tr><td>{}</td><td>{}</td>",
        year.unwrap_or(""),
        kind_label(kind.unwrap_or(""))
    );
    for f in figures {
        let _ = write!(html, "<td class=\"n\">{f}</td>");
    }
    html.push_str("</tr>");
}

fn kind_label(kind: &str) -> &'static str {
    if kind == "final" { "决算" } else { "预算" }
}

const STYLE: &str = "
body{font-family:system-ui,'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif;margin:0;color:#222;background:#fff}
header{background:#1f3b5a;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:24px}
header p{margin:6px 0 0;opacity:.85}
main{padding:8px 28px 40px;max-width:1100px}
h2{border-bottom:2px solid #1f3b5a;padding-bottom:4px;margin-top:34px;font-size:19px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}
th,td{border:1px solid #ccd;padding:3px 8px;text-align:left}
th{background:#eef2f7}
td.n{text-align:right;font-variant-numeric:tabular-nums}
a.fig{color:#1f3b5a;text-decoration:none;border-bottom:1px dotted #1f3b5a}
.null{color:#999;font-style:italic}
.met{color:#2e7d32}.unmet{color:#c62828}
.chart text{font-size:12px;fill:#222}
.note{color:#555;font-size:13px}
";

/// Writes the report to `out_path`; returns what it holds, for the terminal.
pub async fn report(
    session: &Session,
    subject: &Subject,
    year: Option<i32>,
    out_path: &Path,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    // the filter: one unit (by its stable key) or one region
    let (filter, title, is_unit) = match subject {
        Subject::Unit(name) => {
            let exact = fetch(
                session,
                &format!(
                    "SELECT DISTINCT unit_key, unit_name FROM units WHERE unit_name = {q} OR unit_key = {q}",
                    q = quote(name)
                ),
            )
            .await?;
            let found = if exact.rows.is_empty() {
                fetch(
                    session,
                    &format!(
                        "SELECT DISTINCT unit_key, unit_name FROM units WHERE unit_name LIKE {} ORDER BY unit_name",
                        quote(&format!("%{name}%"))
                    ),
                )
                .await?
            } else {
                exact
            };
            let keys: Vec<(String, String)> = found
                .rows
                .iter()
                .filter_map(|r| {
                    Some((
                        found.get(r, "unit_key")?.to_string(),
                        found.get(r, "unit_name").unwrap_or("").to_string(),
                    ))
                })
                .collect();
            let mut distinct: Vec<&String> = keys.iter().map(|(k, _)| k).collect();
            distinct.dedup();
            match distinct.as_slice() {
                [] => {
                    return Err(CliError::Usage(format!(
                        "no unit named `{name}` in the store (`\\units` in the shell lists them)"
                    )));
                }
                [k] => (
                    format!("unit_key = {}", quote(k)),
                    keys.first().map(|x| x.1.clone()).unwrap_or_default(),
                    true,
                ),
                _ => {
                    let list: Vec<String> = keys
                        .iter()
                        .take(10)
                        .map(|(k, n)| format!("{n} ({k})"))
                        .collect();
                    return Err(CliError::Usage(format!(
                        "`{name}` names {} units: {}; give the full name or the unit_key",
                        distinct.len(),
                        list.join(", ")
                    )));
                }
            }
        }
        Subject::Region(r) => (format!("region = {}", quote(r)), r.clone(), false),
    };
    let filter = match year {
        Some(y) => format!("{filter} AND year = {y}"),
        None => filter,
    };

    let docs_rows = fetch(
        session,
        &format!(
            "SELECT doc_id, path, year, doc_kind, scope, unit_name, title FROM documents \
             WHERE status <> 'failed' AND {filter} ORDER BY year, doc_kind, scope, unit_name"
        ),
    )
    .await?;
    if docs_rows.rows.is_empty() {
        return Err(CliError::Usage(format!(
            "no document of `{title}`{} in the store",
            year.map(|y| format!(" for {y}")).unwrap_or_default()
        )));
    }
    let mut docs: Docs = BTreeMap::new();
    for r in &docs_rows.rows {
        if let Some(d) = docs_rows.get(r, "doc_id") {
            docs.insert(
                d.to_string(),
                (
                    docs_rows.get(r, "path").unwrap_or("").to_string(),
                    docs_rows.get(r, "year").unwrap_or("").to_string(),
                    docs_rows.get(r, "doc_kind").unwrap_or("").to_string(),
                ),
            );
        }
    }
    let years: Vec<&str> = {
        let mut y: Vec<&str> = docs.values().map(|d| d.1.as_str()).collect();
        y.sort_unstable();
        y.dedup();
        y
    };

    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <title>{t} — budsql report</title><style>{STYLE}</style></head><body>\
         <header><h1>{t}</h1><p>{} · {} document(s) · years {} · amounts in 万元 · made by budsql {}</p></header><main>",
        if is_unit { "unit" } else { "region" },
        docs.len(),
        years.join(", "),
        env!("CARGO_PKG_VERSION"),
        t = esc(&title)
    );

    // spending by function class, per year and kind (a region's: summed over its units)
    let classes = fetch(
        session,
        &format!(
            "SELECT year, doc_kind, subject_code, max(subject_name) AS subject_name, \
             sum(total) AS total, count(*) AS n, min(doc_id) AS doc_id, min(line_no) AS line_no \
             FROM budget_lines WHERE table_name = 'expenditure' AND subject_level = 1 AND {filter} \
             GROUP BY year, doc_kind, subject_code ORDER BY year DESC, doc_kind, total DESC"
        ),
    )
    .await?;
    html.push_str("<h2 id=\"classes\">Spending by function class (支出总表, 类)</h2>");
    if let Some(first) = classes.rows.first() {
        let (y, k) = (
            classes.get(first, "year").unwrap_or(""),
            classes.get(first, "doc_kind").unwrap_or(""),
        );
        let items: Vec<(String, f64, String, String)> = classes
            .rows
            .iter()
            .filter(|r| classes.get(r, "year") == Some(y) && classes.get(r, "doc_kind") == Some(k))
            .map(|r| {
                let doc = classes.get(r, "doc_id").unwrap_or("");
                (
                    format!(
                        "{} {}",
                        classes.get(r, "subject_code").unwrap_or(""),
                        classes.get(r, "subject_name").unwrap_or("")
                    ),
                    num(classes.get(r, "total")),
                    if classes.get(r, "n") == Some("1") {
                        format!("#doc-{doc}")
                    } else {
                        "#units".to_string()
                    },
                    format!(
                        "{} line {}",
                        docs.get(doc).map(|d| d.0.as_str()).unwrap_or(""),
                        classes.get(r, "line_no").unwrap_or("")
                    ),
                )
            })
            .collect();
        let _ = write!(
            html,
            "<p class=\"note\">{y} {}:</p>{}",
            kind_label(k),
            bars(&items, "万元")
        );
        html.push_str(
            "<table><tr><th>year</th><th>kind</th><th>类</th><th>name</th><th>total</th></tr>",
        );
        for r in &classes.rows {
            let src = Source {
                doc: classes.get(r, "doc_id"),
                line: classes.get(r, "line_no"),
                rows: classes
                    .get(r, "n")
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0),
            };
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                classes.get(r, "year").unwrap_or(""),
                kind_label(classes.get(r, "doc_kind").unwrap_or("")),
                classes.get(r, "subject_code").unwrap_or(""),
                esc(classes.get(r, "subject_name").unwrap_or("")),
                fig(classes.get(r, "total"), &src, &docs)
            );
        }
        html.push_str("</table>");
    } else {
        html.push_str("<p class=\"note\">No 支出总表 rows were read.</p>");
    }

    // splits: 基本/项目 (支出总表 合计) and 人员/公用 (一般公共预算基本支出表 合计)
    let splits = fetch(
        session,
        &format!(
            "SELECT e.year, e.doc_kind, sum(e.basic) AS basic, sum(e.project) AS project, \
             sum(g.personnel) AS personnel, sum(g.public_funds) AS public_funds, count(*) AS n, \
             min(e.doc_id) AS doc_id, min(e.line_no) AS line_no, min(g.line_no) AS g_line_no \
             FROM (SELECT * FROM budget_lines WHERE table_name = 'expenditure' AND subject_level = 0 AND {filter}) e \
             LEFT JOIN (SELECT doc_id, personnel, public_funds, line_no FROM budget_lines \
               WHERE table_name = 'gpb_basic' AND subject_level = 0) g ON g.doc_id = e.doc_id \
             GROUP BY e.year, e.doc_kind ORDER BY e.year, e.doc_kind"
        ),
    )
    .await?;
    html.push_str("<h2 id=\"splits\">基本支出 / 项目支出 and 人员经费 / 公用经费</h2>");
    let label = |r: &[Option<String>]| {
        format!(
            "{} {}",
            splits.get(r, "year").unwrap_or(""),
            kind_label(splits.get(r, "doc_kind").unwrap_or(""))
        )
    };
    let link = |r: &[Option<String>]| match (splits.get(r, "n"), splits.get(r, "doc_id")) {
        (Some("1"), Some(d)) => format!("#doc-{d}"),
        _ => "#units".to_string(),
    };
    let bp: Vec<(String, Vec<f64>, String, String)> = splits
        .rows
        .iter()
        .map(|r| {
            (
                label(r),
                vec![num(splits.get(r, "basic")), num(splits.get(r, "project"))],
                link(r),
                "支出总表 合计".to_string(),
            )
        })
        .collect();
    let pp: Vec<(String, Vec<f64>, String, String)> = splits
        .rows
        .iter()
        .map(|r| {
            (
                label(r),
                vec![
                    num(splits.get(r, "personnel")),
                    num(splits.get(r, "public_funds")),
                ],
                link(r),
                "一般公共预算财政拨款基本支出表 合计".to_string(),
            )
        })
        .collect();
    html.push_str(&stacked(&bp, &["基本支出 basic", "项目支出 project"]));
    html.push_str(&stacked(
        &pp,
        &["人员经费 personnel", "公用经费 public funds"],
    ));
    html.push_str("<table><tr><th>year</th><th>kind</th><th>basic</th><th>project</th><th>personnel</th><th>public funds</th></tr>");
    for r in &splits.rows {
        let n = splits.get(r, "n").and_then(|n| n.parse().ok()).unwrap_or(0);
        let e = Source {
            doc: splits.get(r, "doc_id"),
            line: splits.get(r, "line_no"),
            rows: n,
        };
        let g = Source {
            doc: splits.get(r, "doc_id"),
            line: splits.get(r, "g_line_no"),
            rows: n,
        };
        year_row(
            &mut html,
            splits.get(r, "year"),
            splits.get(r, "doc_kind"),
            [
                fig(splits.get(r, "basic"), &e, &docs),
                fig(splits.get(r, "project"), &e, &docs),
                fig(splits.get(r, "personnel"), &g, &docs),
                fig(splits.get(r, "public_funds"), &g, &docs),
            ],
        );
    }
    html.push_str("</table>");

    // 三公 over the years
    let tp = fetch(
        session,
        &format!(
            "SELECT year, doc_kind, sum(total) AS total, sum(outbound) AS outbound, \
             sum(vehicle) AS vehicle, sum(reception) AS reception, count(*) AS n, \
             min(doc_id) AS doc_id, min(line_no) AS line_no FROM three_public WHERE {filter} \
             GROUP BY year, doc_kind ORDER BY year, doc_kind"
        ),
    )
    .await?;
    html.push_str("<h2 id=\"three-public\">“三公”经费 over the years</h2>");
    let tp_rows: Vec<(String, Vec<f64>, String, String)> = tp
        .rows
        .iter()
        .map(|r| {
            (
                format!(
                    "{} {}",
                    tp.get(r, "year").unwrap_or(""),
                    kind_label(tp.get(r, "doc_kind").unwrap_or(""))
                ),
                vec![
                    num(tp.get(r, "outbound")),
                    num(tp.get(r, "vehicle")),
                    num(tp.get(r, "reception")),
                ],
                match (tp.get(r, "n"), tp.get(r, "doc_id")) {
                    (Some("1"), Some(d)) => format!("#doc-{d}"),
                    _ => "#units".to_string(),
                },
                "“三公”经费表".to_string(),
            )
        })
        .collect();
    html.push_str(&stacked(
        &tp_rows,
        &["因公出国（境）费", "公务用车", "公务接待费"],
    ));
    html.push_str("<table><tr><th>year</th><th>kind</th><th>total</th><th>因公出国（境）</th><th>公务用车</th><th>公务接待</th></tr>");
    for r in &tp.rows {
        let src = Source {
            doc: tp.get(r, "doc_id"),
            line: tp.get(r, "line_no"),
            rows: tp.get(r, "n").and_then(|n| n.parse().ok()).unwrap_or(0),
        };
        year_row(
            &mut html,
            tp.get(r, "year"),
            tp.get(r, "doc_kind"),
            [
                fig(tp.get(r, "total"), &src, &docs),
                fig(tp.get(r, "outbound"), &src, &docs),
                fig(tp.get(r, "vehicle"), &src, &docs),
                fig(tp.get(r, "reception"), &src, &docs),
            ],
        );
    }
    html.push_str("</table>");

    // execution against the budget (a unit's: its totals and classes)
    html.push_str("<h2 id=\"execution\">Execution against the budget (预算 vs 决算)</h2>");
    let ex = fetch(
        session,
        &format!(
            "SELECT year, unit_name, source, table_name, subject_code, subject_name, measure, budget, \
             final, rate, final_doc_id, final_line_no FROM execution WHERE {filter} \
             AND (subject_level IS NULL OR subject_level <= 1) \
             ORDER BY year, unit_name, table_name, subject_code NULLS FIRST, measure LIMIT 300"
        ),
    )
    .await?;
    if ex.rows.is_empty() {
        html.push_str("<p class=\"note\">No 决算 in the store for these years: nothing to pair with the budget.</p>");
    } else {
        html.push_str("<table><tr><th>year</th><th>unit</th><th>source</th><th>table</th><th>subject</th><th>measure</th><th>budget</th><th>final</th><th>rate</th></tr>");
        for r in &ex.rows {
            let src = Source {
                doc: ex.get(r, "final_doc_id"),
                line: ex.get(r, "final_line_no"),
                rows: 1,
            };
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                ex.get(r, "year").unwrap_or(""),
                esc(ex.get(r, "unit_name").unwrap_or("")),
                ex.get(r, "source").unwrap_or(""),
                ex.get(r, "table_name").unwrap_or(""),
                ex.get(r, "subject_code").unwrap_or(""),
                esc(ex.get(r, "subject_name").unwrap_or("")),
                ex.get(r, "measure").unwrap_or(""),
                fig(ex.get(r, "budget"), &src, &docs),
                fig(ex.get(r, "final"), &src, &docs),
                ex.get(r, "rate")
                    .map(|v| format!("{:.1}%", num(Some(v)) * 100.0))
                    .unwrap_or_else(|| "<span class=\"null\">NULL</span>".into()),
            );
        }
        html.push_str("</table>");
    }

    // completeness
    html.push_str("<h2 id=\"disclosure\">Completeness of the disclosures (财预〔2016〕143号)</h2>");
    let dis = fetch(
        session,
        &format!(
            "SELECT doc_id, year, doc_kind, unit_name, item, term, met, score FROM disclosure \
             WHERE {filter} ORDER BY year, doc_kind, unit_name, item"
        ),
    )
    .await?;
    let mut by_doc: BTreeMap<String, Vec<&Vec<Option<String>>>> = BTreeMap::new();
    for r in &dis.rows {
        by_doc
            .entry(dis.get(r, "doc_id").unwrap_or("").to_string())
            .or_default()
            .push(r);
    }
    html.push_str("<table><tr><th>document</th><th>score</th><th>items not met</th></tr>");
    for (doc, rows) in &by_doc {
        let first = rows.first();
        let score = first
            .and_then(|r| dis.get(r, "score"))
            .map(|s| num(Some(s)));
        let unmet: Vec<String> = rows
            .iter()
            .filter(|r| dis.get(r, "met") == Some("false"))
            .map(|r| esc(dis.get(r, "term").unwrap_or("")))
            .collect();
        let _ = write!(
            html,
            "<tr><td><a href=\"#doc-{doc}\">{} {} {}</a></td><td class=\"n\">{}</td><td>{}</td></tr>",
            first.and_then(|r| dis.get(r, "year")).unwrap_or(""),
            kind_label(first.and_then(|r| dis.get(r, "doc_kind")).unwrap_or("")),
            esc(first.and_then(|r| dis.get(r, "unit_name")).unwrap_or("")),
            score
                .map(|s| format!("{:.0}%", s * 100.0))
                .unwrap_or_default(),
            if unmet.is_empty() {
                "<span class=\"met\">every item met</span>".to_string()
            } else {
                format!("<span class=\"unmet\">{}</span>", unmet.join("、"))
            }
        );
    }
    html.push_str("</table>");

    // check findings
    html.push_str("<h2 id=\"checks\">Check findings (the documents' own arithmetic)</h2>");
    let ck = fetch(
        session,
        &format!(
            "SELECT doc_id, table_name, rule, severity, message, line_no FROM checks WHERE {filter} \
             ORDER BY severity, doc_id, line_no LIMIT 300"
        ),
    )
    .await?;
    if ck.rows.is_empty() {
        html.push_str("<p class=\"note\">None: every identity the documents print holds.</p>");
    } else {
        html.push_str("<table><tr><th>document, line</th><th>table</th><th>rule</th><th>severity</th><th>finding</th></tr>");
        for r in &ck.rows {
            let doc = ck.get(r, "doc_id").unwrap_or("");
            let _ = write!(
                html,
                "<tr><td><a href=\"#doc-{doc}\" title=\"{}\">{} line {}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(docs.get(doc).map(|d| d.0.as_str()).unwrap_or("")),
                doc,
                ck.get(r, "line_no").unwrap_or(""),
                ck.get(r, "table_name").unwrap_or(""),
                ck.get(r, "rule").unwrap_or(""),
                ck.get(r, "severity").unwrap_or(""),
                esc(ck.get(r, "message").unwrap_or(""))
            );
        }
        html.push_str("</table>");
    }

    // the units (a region's) and the documents every figure links to
    html.push_str("<h2 id=\"units\">Documents</h2><table><tr><th>document</th><th>unit</th><th>year</th><th>kind</th><th>scope</th><th>title</th><th>file</th></tr>");
    for r in &docs_rows.rows {
        let doc = docs_rows.get(r, "doc_id").unwrap_or("");
        let path = docs_rows.get(r, "path").unwrap_or("");
        let _ = write!(
            html,
            "<tr id=\"doc-{doc}\"><td>{doc}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><a href=\"file://{}\">{}</a></td></tr>",
            esc(docs_rows.get(r, "unit_name").unwrap_or("")),
            docs_rows.get(r, "year").unwrap_or(""),
            kind_label(docs_rows.get(r, "doc_kind").unwrap_or("")),
            docs_rows.get(r, "scope").unwrap_or(""),
            esc(docs_rows.get(r, "title").unwrap_or("")),
            esc(path),
            esc(path)
        );
    }
    html.push_str("</table><p class=\"note\">Each figure links to its document here; its tooltip names the file and the line it was read from.</p></main></body></html>\n");

    std::fs::write(out_path, &html).map_err(|source| CliError::Write {
        path: out_path.to_path_buf(),
        source,
    })?;
    writeln!(
        out,
        "wrote {} ({} document(s), {} KB)",
        out_path.display(),
        docs.len(),
        html.len().div_ceil(1024)
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_escapes() {
        assert_eq!(format_amount(1234567.5), "1,234,567.50");
        assert_eq!(format_amount(-12.0), "-12.00");
        assert_eq!(esc("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
    }

    #[test]
    fn bars_scale_to_the_largest() {
        let svg = bars(
            &[
                (
                    "201 一般公共服务".into(),
                    100.0,
                    "#doc-a".into(),
                    "f line 3".into(),
                ),
                (
                    "208 社会保障".into(),
                    50.0,
                    "#doc-a".into(),
                    "f line 9".into(),
                ),
            ],
            "万元",
        );
        assert!(svg.contains("width=\"420.0\""), "{svg}");
        assert!(svg.contains("width=\"210.0\""), "{svg}");
        assert!(svg.contains("<title>f line 9</title>"), "{svg}");
    }
}
