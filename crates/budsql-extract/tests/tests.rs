//! Extraction tests on the real seed document: identity, tables, warnings, checks on
//! changed figures, encodings, and no panic on damaged input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod corpus;
mod fuzz;

use std::path::{Path, PathBuf};

use budsql_extract::{ExtractError, Overrides, extract};
use budsql_schema::{Check, Document, Severity, WarningCode};

fn seed_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../datasets/sample/qhd_zhengfawei_2023_unit_budget.txt")
}

fn seed_text() -> String {
    std::fs::read_to_string(seed_path()).unwrap()
}

fn read(text: &str) -> Document {
    extract(
        text.as_bytes(),
        Path::new("seed.txt"),
        &Overrides::default(),
    )
    .unwrap()
}

/// Replaces exactly one occurrence of `from` (which must be unique) by `to`.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "`{from}` must occur once");
    text.replacen(from, to, 1)
}

fn render_checks(checks: &[Check]) -> String {
    checks
        .iter()
        .map(|c| {
            format!(
                "{} row={:?} code={:?} col={:?} {} {} expected={} actual={} line={}",
                c.table_name,
                c.row_no,
                c.subject_code,
                c.column,
                c.rule,
                c.severity.as_str(),
                c.expected.normalize(),
                c.actual.normalize(),
                c.line_no
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn seed_identity_and_tables() {
    let doc = read(&seed_text());
    let id = &doc.identity;
    assert_eq!(id.doc_id, "646bae1a4a67ad2b");
    assert_eq!(id.region.as_deref(), Some("秦皇岛经济技术开发区"));
    assert_eq!(id.unit_code.as_deref(), Some("216001"));
    assert_eq!(
        id.unit_name.as_deref(),
        Some("中共秦皇岛经济技术开发区工委政法委员会(本级)")
    );
    assert_eq!(id.year, 2023);
    assert_eq!(id.doc_kind.as_str(), "budget");
    assert_eq!(id.scope.as_str(), "unit");
    assert_eq!(doc.unit.dept_code.as_deref(), Some("216"));
    assert_eq!(doc.unit.unit_nature.as_deref(), Some("行政"));
    assert_eq!(doc.unit.unit_rank.as_deref(), Some("副处(县)级"));
    assert_eq!(doc.unit.funding_form.as_deref(), Some("财政拨款"));
    let tables: Vec<String> = doc
        .tables
        .iter()
        .filter(|t| t.table.as_str() != "kpi")
        .map(|t| {
            format!(
                "{} line {} rows {} `{}`",
                t.table.as_str(),
                t.line_no,
                t.rows,
                t.title
            )
        })
        .collect();
    insta::assert_snapshot!(tables.join("\n"), @r#"
    summary line 34 rows 46 `单位预算收支总表`
    income line 82 rows 24 `单位预算收入总表`
    expenditure line 124 rows 24 `单位预算支出总表`
    fiscal_summary line 166 rows 43 `单位预算财政拨款收支总表`
    gpb_expenditure line 217 rows 24 `单位预算一般公共预算财政拨款支出表`
    gpb_basic line 259 rows 29 `单位预算一般公共预算财政拨款基本支出表`
    gov_fund_expenditure line 304 rows 0 `单位预算政府基金预算财政拨款支出表`
    soe_expenditure line 316 rows 0 `单位预算国有资本经营预算财政拨款支出表`
    three_public line 328 rows 1 `单位预算财政拨款"三公"经费支出表`
    organisation line 371 rows 1 `单位机构设置情况`
    assets line 419 rows 7 `单位固定资产占用情况表`
    "#);
    assert_eq!(
        doc.tables
            .iter()
            .filter(|t| t.table.as_str() == "kpi")
            .count(),
        24
    );
}

#[test]
fn seed_arithmetic_holds_and_warnings_name_lines() {
    let doc = read(&seed_text());
    assert_eq!(render_checks(&doc.checks), "");
    let warnings: Vec<String> = doc
        .warnings
        .iter()
        .map(|w| format!("line {} {}: {}", w.line_no, w.code, w.message))
        .collect();
    insta::assert_snapshot!(warnings.join("\n"), @"
    line 596 scrambled_table: kpi project 13 `全区行政执法人员培训考试费`: the table's layout is scrambled (no cell rows); 8 indicator(s) recovered with their levels only; goal, names, descriptions, targets and bases are not certain and are left NULL
    line 645 target_repaired: kpi project 16: target `≪4 万元`: `≪` read as `≤`
    ");
}

#[test]
fn a_changed_figure_is_a_check_finding() {
    // 13.70 → 13.90 in the 支出总表's 项 row 2040604 (基本司法业务), total and 项目支出 alike
    let text = edit(
        &seed_text(),
        "9\t2040604\t基层司法业务\t13. 70\t\t13. 70\t\t\t\n",
        "9\t2040604\t基层司法业务\t13. 90\t\t13. 90\t\t\t\n",
    );
    let doc = read(&text);
    insta::assert_snapshot!(render_checks(&doc.checks), @r#"
    expenditure row=Some(7) code=Some("20406") col=Some("total") parent_equals_children error expected=72.39 actual=72.19 line=139
    expenditure row=Some(7) code=Some("20406") col=Some("project") parent_equals_children error expected=72.39 actual=72.19 line=139
    "#);
    assert!(doc.checks.iter().all(|c| c.severity == Severity::Error));
}

/// A table by economic subject whose rows carry codes of both the 部门 (30x) and the 政府
/// (50x) classifications says so: which code is whose row is not certain.
#[test]
fn mixed_economic_classifications_are_a_warning() {
    let plain = read(&seed_text());
    assert!(
        !plain
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::MixedClassifications)
    );
    let text = edit(
        &seed_text(),
        "3\t30101\t基本工资\t356. 92",
        "3\t50101\t基本工资\t356. 92",
    );
    let doc = read(&text);
    let mixed: Vec<String> = doc
        .warnings
        .iter()
        .filter(|w| w.code == WarningCode::MixedClassifications)
        .map(|w| format!("{} {}", w.line_no, w.message))
        .collect();
    assert_eq!(mixed.len(), 1, "{mixed:?}");
    assert!(mixed[0].contains("`50101`, line 270"), "{mixed:?}");
}

#[test]
fn a_one_cent_difference_is_rounding() {
    // the 三公 table's 公务接待费 0.51 → 0.52: one cent off the 合计 of three figures
    let text = edit(
        &seed_text(),
        "9\t三、公务接待费\t0. 51\t0. 51\t\t\n",
        "9\t三、公务接待费\t0. 52\t0. 52\t\t\n",
    );
    let doc = read(&text);
    insta::assert_snapshot!(render_checks(&doc.checks), @r#"
    three_public row=None code=None col=Some("total") total_equals_parts rounding expected=11.3 actual=11.29 line=328
    narrative row=None code=None col=Some("three_public_reception") narrative_matches_table rounding expected=0.52 actual=0.51 line=398
    "#);
}

#[test]
fn summary_and_narrative_disagreements_are_found() {
    let text = edit(
        &seed_text(),
        "8\t八、附属单位上缴收入\t\t八、社会保障和就业支出\t125. 94\n",
        "8\t八、附属单位上缴收入\t\t八、社会保障和就业支出\t152. 94\n",
    );
    let text = edit(&text, "人员经费 784. 09 万元", "人员经费 748. 09 万元");
    let doc = read(&text);
    insta::assert_snapshot!(render_checks(&doc.checks), @r#"
    summary row=Some(32) code=None col=Some("amount") year_total_equals_items error expected=1247.18 actual=1220.18 line=78
    summary row=Some(8) code=None col=Some("amount") summary_matches_table error expected=125.94 actual=152.94 line=50
    narrative row=None code=None col=Some("personnel") narrative_matches_table error expected=784.09 actual=748.09 line=386
    "#);
}

#[test]
fn gb18030_with_crlf_gives_identical_rows() {
    let text = seed_text();
    let crlf = text.replace('\n', "\r\n");
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&crlf);
    assert!(!unmappable);
    let a = read(&text);
    let b = extract(&bytes, Path::new("seed.txt"), &Overrides::default()).unwrap();
    assert_eq!(b.unit.encoding, "GB18030");
    assert_eq!(a.identity, b.identity);
    assert_eq!(a.budget_lines, b.budget_lines);
    assert_eq!(a.summary_lines, b.summary_lines);
    assert_eq!(a.three_public, b.three_public);
    assert_eq!(a.kpi_targets, b.kpi_targets);
    assert_eq!(a.assets, b.assets);
    assert_eq!(a.narrative, b.narrative);
    assert_eq!(a.warnings, b.warnings);
    assert_eq!(a.checks, b.checks);
}

#[test]
fn files_that_are_not_disclosures_fail_with_a_reason() {
    let err = |bytes: &[u8]| {
        extract(bytes, Path::new("bad.txt"), &Overrides::default())
            .unwrap_err()
            .to_string()
    };
    assert_eq!(err(b""), "bad.txt: the file is empty");
    assert_eq!(err(b"  \n\t\n"), "bad.txt: the file is empty");
    assert!(err(&[0u8, 159, 146, 150, 0, 0, 1, 2, 255]).starts_with("bad.txt: not text:"));
    assert_eq!(
        err("单位预算收支总表\n序号\t收入\n1\t合计\t1.00\n".as_bytes()),
        "bad.txt: no budget year found (expected a title such as `2023年单位预算` or a line `预算年度: 2023`)"
    );
    let e = extract(
        "某单位 99999 年单位预算公开\n".as_bytes(),
        Path::new("bad.txt"),
        &Overrides::default(),
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            ExtractError::YearOutOfRange {
                line: 1,
                year: 99999,
                ..
            }
        ),
        "{e}"
    );
    assert_eq!(
        err("某单位 2023 年单位预算公开\n正文\n".as_bytes()),
        "bad.txt: no disclosure table recognised (expected titles such as `收支总表`, `支出总表` or `绩效目标表`)"
    );
}

/// A small deterministic generator (xorshift) so damaged inputs are reproducible.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn no_panic_on_damaged_documents() {
    let seed = seed_text().into_bytes();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let junk: &[&[u8]] = &[
        b"\t",
        b"\n",
        b"\r\n",
        b"\x0c",
        b" ",
        b"\xe5",
        b"\xff\xfe",
        "合计".as_bytes(),
        "。".as_bytes(),
        b"1183. 74",
        b"-",
        b"(",
        "≤".as_bytes(),
    ];
    for round in 0..300 {
        let mut bytes = seed.clone();
        for _ in 0..1 + rng.below(20) {
            let at = rng.below(bytes.len());
            match rng.below(4) {
                0 => {
                    let n = rng.below(200).min(bytes.len() - at);
                    bytes.drain(at..at + n);
                }
                1 => {
                    let j = junk[rng.below(junk.len())];
                    bytes.splice(at..at, j.iter().copied());
                }
                2 => bytes.truncate(at.max(1)),
                _ => {
                    let b = (rng.next() & 0xff) as u8;
                    if let Some(x) = bytes.get_mut(at) {
                        *x = b;
                    }
                }
            }
            if bytes.is_empty() {
                break;
            }
        }
        let _ = extract(&bytes, Path::new("damaged.txt"), &Overrides::default());
        let _ = round;
    }
}

/// A final account's fund table (年初结转和结余 | 本年收入 | 本年支出 小计/基本/项目 |
/// 年末结转和结余), space-aligned: every column kept, and the carry-forward identity checked.
#[test]
fn final_fund_table_columns() {
    let text = "\
上海市某某局2024年度部门决算

                 政府性基金预算财政拨款收入支出决算表
                                                                          单位：万元
        项目                年初结转和                             本年支出                    年末结转和
                                       本年收入
科目编码        科目名称            结余                    小计         基本支出       项目支出          结余
类  款  项
212           城乡社区支出       10.00      90.00      95.00        0.00      95.00        5.00
212 08        国有土地使用权      10.00      90.00      95.00        0.00      95.00        5.00
212 08 04     农业土地开发       10.00      90.00      95.00        0.00      95.00        4.00
              合计               10.00      90.00      95.00        0.00      95.00        5.00
";
    let doc = read(text);
    assert_eq!(doc.identity.doc_kind.as_str(), "final");
    let cols = [
        budsql_schema::AmountCol::Carryover,
        budsql_schema::AmountCol::CurrentIncome,
        budsql_schema::AmountCol::Total,
        budsql_schema::AmountCol::Basic,
        budsql_schema::AmountCol::Project,
        budsql_schema::AmountCol::YearEndBalance,
    ];
    let rows: Vec<String> = doc
        .budget_lines
        .iter()
        .filter(|l| l.table == budsql_schema::TableName::GovFundExpenditure)
        .map(|l| {
            let v: Vec<String> = cols
                .iter()
                .map(|c| {
                    l.amounts
                        .get(*c)
                        .map(|d| d.normalize().to_string())
                        .unwrap_or_else(|| "NULL".into())
                })
                .collect();
            format!("{:?} {}", l.subject_code, v.join(" "))
        })
        .collect();
    assert_eq!(
        rows,
        [
            "Some(\"212\") 10 90 95 0 95 5",
            "Some(\"21208\") 10 90 95 0 95 5",
            "Some(\"2120804\") 10 90 95 0 95 4",
            "None 10 90 95 0 95 5",
        ]
    );
    assert!(
        doc.warnings.iter().all(|w| w.code == "missing_table"),
        "{:#?}",
        doc.warnings
    );
    // the printed 4.00 breaks 10 + 90 − 95 = 5 (and its parent's sum)
    let found: Vec<(String, Option<String>, String)> = doc
        .checks
        .iter()
        .filter(|c| c.severity == budsql_schema::Severity::Error)
        .map(|c| {
            (
                c.rule.clone(),
                c.subject_code.clone(),
                c.column.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert!(
        found.contains(&(
            "balance_carried_forward".into(),
            Some("2120804".into()),
            "year_end_balance".into()
        )),
        "{found:#?}"
    );
}

/// Columns beyond the contract are kept and take part in the identities: 单位预留机动经费
/// beside 基本/项目支出 (合计 = 基本 + 项目 + 预留), 会议费 and 培训费 beside the 三公 (a 合计
/// printed over all five). The fixture is a small space-aligned document made for this test.
#[test]
fn extra_columns_are_kept_and_checked() {
    let text = include_str!("fixtures/extra_columns_layout.txt");
    let doc = read(text);
    let total = doc
        .budget_lines
        .iter()
        .find(|l| l.subject_level == Some(0))
        .unwrap();
    let s = |d: Option<budsql_schema::Decimal>| {
        d.map(|d| d.normalize().to_string())
            .unwrap_or_else(|| "NULL".into())
    };
    use budsql_schema::AmountCol::{Basic, Project, Reserve, Total};
    assert_eq!(
        [Total, Basic, Project, Reserve].map(|c| s(total.amounts.get(c))),
        ["110", "60", "40", "10"]
    );
    let tp = doc.three_public.clone().unwrap();
    assert_eq!(
        [
            tp.total,
            tp.outbound,
            tp.vehicle,
            tp.reception,
            tp.meeting,
            tp.training
        ]
        .map(s),
        ["15", "1", "2", "3", "4", "5"]
    );
    // both identities hold with the extra columns counted
    assert!(doc.checks.is_empty(), "{:#?}", doc.checks);

    // without the reserve column the row would not add up: the column takes part
    let broken = text.replace("10.00\n201   01", "11.00\n201   01");
    let doc = read(&broken);
    assert!(
        doc.checks
            .iter()
            .any(|c| c.rule == "total_equals_basic_project"
                && c.subject_code.as_deref() == Some("201")),
        "{:#?}",
        doc.checks
    );
}

/// A line's 合计 as printed, normalised (blank where none is).
fn total_of(l: &budsql_schema::BudgetLine) -> String {
    l.amounts
        .get(budsql_schema::AmountCol::Total)
        .map(|a| a.normalize().to_string())
        .unwrap_or_default()
}

/// Each summary line as `Side item amount` (the amount blank where none is printed).
fn summary_text(doc: &Document) -> Vec<String> {
    doc.summary_lines
        .iter()
        .map(|l| {
            format!(
                "{:?} {} {}",
                l.side,
                l.item_name,
                l.amount
                    .map(|a| a.normalize().to_string())
                    .unwrap_or_default()
            )
        })
        .collect()
}

/// A budget printing last year's figures beside its own (`2017年预算数` and `2018年预算数`, a
/// form of the years when the tables carried the year before): only the document's year is
/// stored, the other year's columns each a warning; and a table printing each level's own
/// digits only (`201` / `03` / `01`) has its 款 and 项 coded by their parents and the
/// subject catalogue. The fixture is a small space-aligned document made for this test.
#[test]
fn another_years_columns_are_not_the_documents() {
    let doc = read(include_str!("fixtures/prior_year_columns_layout.txt"));
    let summary = summary_text(&doc);
    assert_eq!(
        summary,
        [
            "Income 一般公共预算拨款收入 1200",
            "Expenditure 一般公共服务支出 1200",
            "Income 政府性基金预算拨款收入 ",
            "Income 本年收入合计 1200",
            "Expenditure 本年支出合计 1200",
            "Income 收入总计 1200",
            "Expenditure 支出总计 1200",
        ]
    );
    let lines: Vec<String> = doc
        .budget_lines
        .iter()
        .map(|l| {
            format!(
                "{} {} {}",
                l.subject_code.as_deref().unwrap_or("-"),
                l.subject_name,
                total_of(l)
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            "- 合计 1200",
            "201 一般公共服务支出 1200",
            "20103 政府办公厅（室）及相关机构事务 1200",
            "2010301 行政运行 700",
            "2010302 一般行政管理事务 500",
        ]
    );
    let foreign = doc
        .warnings
        .iter()
        .filter(|w| {
            w.message.contains("not the document's own")
                || w.message.contains("another year's or measure's")
        })
        .count();
    // (the 一般公共预算支出表's 2017 and 增减 columns; the 收支总表's six 2017 figures, each
    // line's taken in order)
    assert_eq!(foreign, 8, "{:#?}", doc.warnings);
    assert!(doc.checks.is_empty(), "{:#?}", doc.checks);
}

/// A 收支总表 printed as one list down the page, its income lines and totals and then its
/// expenditure's, under one label column: the lines after 收入总计 are the expenditure
/// side's (every line was stored as income). The fixture is made for this test.
#[test]
fn a_summary_printed_as_one_list_has_two_sides() {
    let doc = read(include_str!("fixtures/one_list_summary_layout.txt"));
    let sides: Vec<String> = doc
        .summary_lines
        .iter()
        .map(|l| format!("{:?} {}", l.side, l.item_name))
        .collect();
    assert_eq!(
        sides,
        [
            "Income 一般公共预算拨款收入",
            "Income 政府性基金预算拨款收入",
            "Income 本年收入合计",
            "Income 上年结转",
            "Income 收入总计",
            "Expenditure 一般公共服务支出",
            "Expenditure 社会保障和就业支出",
            "Expenditure 本年支出合计",
            "Expenditure 年终结转结余",
            "Expenditure 支出总计",
        ]
    );
    assert!(doc.checks.is_empty(), "{:#?}", doc.checks);
}

/// A 部门's document that prints its tables again for its 本级 (each labelled `单位名称：…`):
/// the document's own are stored, the others each an `unread_table` warning (their rows
/// were stored beside the 部门's, every code twice, and the 合计 checks failed). The
/// fixture is made for this test.
#[test]
fn tables_printed_again_for_another_unit_are_not_the_documents() {
    let doc = read(include_str!("fixtures/other_unit_tables_layout.txt"));
    let totals: Vec<String> = doc
        .budget_lines
        .iter()
        .map(|l| {
            format!(
                "{} {}",
                l.subject_code.as_deref().unwrap_or("-"),
                total_of(l)
            )
        })
        .collect();
    assert_eq!(totals, ["- 1200", "201 1200", "2010301 700", "2010302 500"]);
    assert_eq!(doc.summary_lines.len(), 6);
    let other = doc
        .warnings
        .iter()
        .filter(|w| w.code == WarningCode::UnreadTable && w.message.contains("某某厅机关本级"))
        .count();
    assert_eq!(other, 2);
    assert!(doc.checks.is_empty(), "{:#?}", doc.checks);
}

/// A final account's 收入支出决算总表 printing each side's 年初预算数 beside its 决算数, in
/// layout text whose lines shift their figures by as much as a column: the 决算数 are
/// stored, each line's figures taken in order (the budget's 1,300.00 was stored as the
/// 本年支出合计, and 0.00 as the 年末结转和结余 where 60.00 is printed). The fixture is made
/// for this test.
#[test]
fn a_final_accounts_budget_columns_are_not_its_own() {
    let doc = read(include_str!("fixtures/final_budget_columns_layout.txt"));
    let lines = summary_text(&doc);
    assert_eq!(
        lines,
        [
            "Income 财政拨款收入 1250",
            "Expenditure 一般公共服务支出 1200",
            "Income 事业收入 ",
            "Income 本年收入合计 1250",
            "Expenditure 本年支出合计 1200",
            "Income 年初结转和结余 10",
            "Expenditure 年末结转和结余 60",
            "Income 总计 1260",
            "Expenditure 总计 1260",
        ]
    );
    assert!(doc.checks.is_empty(), "{:#?}", doc.checks);
}

/// The tab-separated form printing 本年预算数, then 上年预算数 and 增减: the later 合计 column
/// overwrote the earlier, so last year's 1,000.00 was stored as each row's total; now only
/// the document's own column is, the others each an `unmapped_column` warning saying why.
/// The fixture is made for this test.
#[test]
fn another_years_columns_in_the_tab_form() {
    let doc = read(include_str!("fixtures/prior_year_columns_tab.txt"));
    let totals: Vec<String> = doc.budget_lines.iter().map(total_of).collect();
    assert_eq!(totals, ["1200", "1200", "1200"]);
    let why: Vec<&str> = doc
        .warnings
        .iter()
        .filter(|w| w.code == WarningCode::UnmappedColumn)
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(why.len(), 2, "{why:#?}");
    assert!(
        why.iter().all(|m| m.contains("not the document's own")),
        "{why:#?}"
    );
}
