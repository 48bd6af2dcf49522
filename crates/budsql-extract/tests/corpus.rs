//! The real Shanghai documents of `datasets/corpus-shanghai/` (copied from the shared corpus with their provenance): identity
//! columns and the 合计 of each classified table, as printed (元 converted to 万元).

use std::path::{Path, PathBuf};

use budsql_extract::{Overrides, extract};
use budsql_schema::{AmountCol, Document, Side, TableName};

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../datasets/corpus-shanghai/text")
        .join(name)
}

fn read(name: &str) -> Document {
    let path = corpus(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    extract(&bytes, Path::new(name), &Overrides::default()).unwrap()
}

fn total(doc: &Document, t: TableName, c: AmountCol) -> String {
    doc.table_total(t, c)
        .map(|d| d.normalize().to_string())
        .unwrap_or_else(|| "NULL".into())
}

/// (file, unit name, year, scope, income = expenditure = gpb_expenditure 合计, gpb_basic [合计, 人员, 公用])
type Budget = (
    &'static str,
    &'static str,
    i32,
    &'static str,
    &'static str,
    [&'static str; 3],
);

const BUDGETS: &[Budget] = &[
    (
        "sh_putuo_caizhengju_2025_dept_budget.txt",
        "上海市普陀区财政局",
        2025,
        "department",
        "3121.42058",
        ["2512.1091", "2282.6756", "229.4335"],
    ),
    (
        "sh_putuo_shangwuwei_2025_dept_budget.txt",
        "上海市普陀区商务委员会",
        2025,
        "department",
        "37151.4655",
        ["1983.0655", "1812.0593", "171.0062"],
    ),
    (
        "sh_putuo_shangwuwei_2025_unit_budget.txt",
        "上海市普陀区商务委员会",
        2025,
        "unit",
        "37151.4655",
        ["1983.0655", "1812.0593", "171.0062"],
    ),
    (
        "sh_putuo_sifaju_2026_dept_budget.txt",
        "上海市普陀区司法局",
        2026,
        "department",
        "9628.221344",
        ["2574.166644", "2356.3342", "217.832444"],
    ),
    (
        "sh_putuo_sifaju_2026_unit_budget.txt",
        "上海市普陀区司法局",
        2026,
        "unit",
        "8695.940834",
        ["2211.886134", "2027.2981", "184.588034"],
    ),
    (
        "sh_putuo_wanlijiedao_2023_dept_budget.txt",
        "上海市普陀区人民政府万里街道办事处",
        2023,
        "department",
        "16497.864",
        ["9940.6297", "8402.4865", "1538.1432"],
    ),
    (
        "sh_putuo_wanlijiedao_2024_dept_budget.txt",
        "上海市普陀区人民政府万里街道办事处",
        2024,
        "department",
        "15621.1123",
        ["9970.602", "8853.7451", "1116.8569"],
    ),
    (
        "sh_putuo_wanlijiedao_2025_dept_budget.txt",
        "上海市普陀区人民政府万里街道办事处",
        2025,
        "department",
        "18976.7551",
        ["10134.1746", "9051.4044", "1082.7702"],
    ),
    (
        "sh_putuo_zhengfubangongshi_2025_dept_budget.txt",
        "上海市普陀区人民政府办公室",
        2025,
        "department",
        "9101.677535",
        ["2460.677535", "2247.399781", "213.277754"],
    ),
    (
        "sh_putuo_zhengfubangongshi_2025_unit_budget.txt",
        "上海市普陀区人民政府办公室",
        2025,
        "unit",
        "9101.677535",
        ["2460.677535", "2247.399781", "213.277754"],
    ),
];

#[test]
fn budget_documents_identity_and_classified_totals() {
    for (file, unit, year, scope, total_all, basic) in BUDGETS {
        let doc = read(file);
        let id = &doc.identity;
        assert_eq!(id.region.as_deref(), Some("上海市普陀区"), "{file}");
        assert_eq!(id.unit_name.as_deref(), Some(*unit), "{file}");
        assert_eq!(id.year, *year, "{file}");
        assert_eq!(id.doc_kind.as_str(), "budget", "{file}");
        assert_eq!(id.scope.as_str(), *scope, "{file}");
        assert_eq!(id.unit_code, None, "{file}");
        assert_eq!(doc.unit.amount_unit.as_str(), "元", "{file}");
        for t in [
            TableName::Income,
            TableName::Expenditure,
            TableName::GpbExpenditure,
        ] {
            assert_eq!(
                total(&doc, t, AmountCol::Total),
                *total_all,
                "{file} {}",
                t.as_str()
            );
        }
        let got = [
            AmountCol::Total,
            AmountCol::Personnel,
            AmountCol::PublicFunds,
        ]
        .map(|c| total(&doc, TableName::GpbBasic, c));
        assert_eq!(got, basic.map(str::to_string), "{file} gpb_basic");
        assert!(
            doc.tables_missing().is_empty(),
            "{file}: {:?}",
            doc.tables_missing()
        );
        // both summary tables reconcile and carry the same grand total
        for t in [TableName::Summary, TableName::FiscalSummary] {
            for side in [Side::Income, Side::Expenditure] {
                let grand = doc
                    .summary_lines
                    .iter()
                    .find(|l| l.table == t && l.side == side && l.item_name.contains("总计"))
                    .and_then(|l| l.amount)
                    .map(|d| d.normalize().to_string());
                assert_eq!(
                    grand.as_deref(),
                    Some(*total_all),
                    "{file} {} {}",
                    t.as_str(),
                    side.as_str()
                );
            }
            let findings: Vec<&str> = doc
                .checks
                .iter()
                .filter(|c| c.table_name == t.as_str())
                .map(|c| c.message.as_str())
                .collect();
            assert!(findings.is_empty(), "{file}: {findings:?}");
        }
    }
}

/// (file, 三公 合计, 因公出国, 公务用车, 购置, 运行, 接待) as printed in 万元; blank cells NULL.
const THREE_PUBLIC: &[(&str, [&str; 6])] = &[
    (
        "sh_putuo_caizhengju_2025_dept_budget.txt",
        ["0.95", "NULL", "NULL", "NULL", "NULL", "0.95"],
    ),
    (
        "sh_putuo_shangwuwei_2025_dept_budget.txt",
        ["1", "NULL", "NULL", "NULL", "NULL", "1"],
    ),
    (
        "sh_putuo_sifaju_2026_dept_budget.txt",
        ["10.81", "0", "9.98", "0", "9.98", "0.83"],
    ),
    (
        "sh_putuo_sifaju_2026_unit_budget.txt",
        ["10.71", "0", "9.98", "0", "9.98", "0.73"],
    ),
    (
        "sh_putuo_wanlijiedao_2023_dept_budget.txt",
        ["22.91", "0", "21.56", "0", "21.56", "1.35"],
    ),
    (
        "sh_putuo_wanlijiedao_2024_dept_budget.txt",
        ["47.91", "0", "46.56", "25", "21.56", "1.35"],
    ),
    (
        "sh_putuo_wanlijiedao_2025_dept_budget.txt",
        ["37.91", "0", "36.56", "15", "21.56", "1.35"],
    ),
    (
        "sh_putuo_zhengfubangongshi_2025_dept_budget.txt",
        ["867.5", "839", "NULL", "NULL", "NULL", "28.5"],
    ),
];

#[test]
fn budget_documents_three_public() {
    let s = |d: Option<budsql_schema::Decimal>| {
        d.map(|d| d.normalize().to_string())
            .unwrap_or_else(|| "NULL".into())
    };
    for (file, want) in THREE_PUBLIC {
        let doc = read(file);
        let tp = doc.three_public.clone().unwrap_or_default();
        let got = [
            tp.total,
            tp.outbound,
            tp.vehicle,
            tp.vehicle_purchase,
            tp.vehicle_operation,
            tp.reception,
        ]
        .map(s);
        assert_eq!(got, want.map(str::to_string), "{file}");
    }
}

/// Every budget document reconciles except where the printed document disagrees with
/// itself; those findings are errors naming the table, the row and both figures.
#[test]
fn budget_documents_checks() {
    for (file, ..) in BUDGETS {
        let doc = read(file);
        let errors: Vec<String> = doc
            .checks
            .iter()
            .filter(|c| c.severity == budsql_schema::Severity::Error)
            .map(|c| {
                format!(
                    "{} row {:?} {:?} {}: {} vs {}",
                    c.table_name,
                    c.row_no,
                    c.subject_code,
                    c.rule,
                    c.expected.normalize(),
                    c.actual.normalize()
                )
            })
            .collect();
        if *file == "sh_putuo_sifaju_2026_unit_budget.txt" {
            // the printed 行政运行 (2040601) row carries the whole 项目支出 of 司法 (64,840,547)
            assert_eq!(
                errors,
                vec![
                    "expenditure row Some(2) Some(\"20406\") parent_equals_children: 12968.1094 vs 6484.0547",
                    "expenditure row Some(3) Some(\"2040601\") total_equals_basic_project: 7918.940034 vs 1434.885334",
                    "gpb_expenditure row Some(2) Some(\"20406\") parent_equals_children: 12968.1094 vs 6484.0547",
                    "gpb_expenditure row Some(3) Some(\"2040601\") total_equals_basic_project: 7918.940034 vs 1434.885334",
                ],
                "{file}"
            );
        } else {
            assert!(errors.is_empty(), "{file}: {errors:#?}");
        }
    }
}

/// Final accounts (决算): identity from the cover lines, 合计 of the income, expenditure and
/// general-budget tables, and the summary's 总计 (which includes 年初结转和结余).
#[test]
fn final_accounts() {
    // (file, unit name, income 合计, expenditure 合计 = gpb_expenditure 合计, summary 总计,
    //  gpb_basic [合计, 人员经费合计, 公用经费合计] (two tables side by side))
    type Final<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, [&'a str; 3]);
    let finals: [Final; 2] = [
        (
            "sh_putuo_caizhengju_2024_dept_final.txt",
            "上海市普陀区财政局",
            "2946.25",
            "2940.05",
            "2995.39",
            ["2336.91", "2152.26", "184.65"],
        ),
        (
            "sh_putuo_shehuigongzuobu_2024_dept_final.txt",
            "中共上海市普陀区委社会工作部",
            "307.82",
            "307.82",
            "307.82",
            ["105.59", "95.36", "10.23"],
        ),
    ];
    for (file, unit, income, spending, grand, basic) in finals {
        let doc = read(file);
        assert_eq!(
            [
                AmountCol::Total,
                AmountCol::Personnel,
                AmountCol::PublicFunds
            ]
            .map(|c| total(&doc, TableName::GpbBasic, c)),
            basic.map(str::to_string),
            "{file}"
        );
        let doc = read(file);
        let id = &doc.identity;
        assert_eq!(
            (id.region.as_deref(), id.unit_name.as_deref()),
            (Some("上海市普陀区"), Some(unit)),
            "{file}"
        );
        assert_eq!(
            (id.year, id.doc_kind.as_str(), id.scope.as_str()),
            (2024, "final", "department"),
            "{file}"
        );
        assert_eq!(doc.unit.amount_unit.as_str(), "万元", "{file}");
        assert_eq!(
            total(&doc, TableName::Income, AmountCol::Total),
            income,
            "{file}"
        );
        assert_eq!(
            total(&doc, TableName::Expenditure, AmountCol::Total),
            spending,
            "{file}"
        );
        assert_eq!(
            total(&doc, TableName::GpbExpenditure, AmountCol::Total),
            spending,
            "{file}"
        );
        let summary_grand = doc
            .summary_lines
            .iter()
            .find(|l| {
                l.table == TableName::Summary
                    && l.side == Side::Income
                    && l.item_name.contains("总计")
            })
            .and_then(|l| l.amount)
            .map(|d| d.normalize().to_string());
        assert_eq!(summary_grand.as_deref(), Some(grand), "{file}");
        assert!(
            doc.tables_missing().is_empty(),
            "{file}: {:?}",
            doc.tables_missing()
        );
        assert!(
            doc.checks
                .iter()
                .all(|c| c.severity == budsql_schema::Severity::Rounding),
            "{file}: {:#?}",
            doc.checks
        );
    }
}

/// The 决算 basic-expenditure table, printed as 人员经费 | 公用经费 halves side by side with
/// codes split over lines, read row by row; the 决算 三公 table's 预算数/决算数 pairs.
#[test]
fn final_accounts_halves_and_pairs() {
    let doc = read("sh_putuo_caizhengju_2024_dept_final.txt");
    let row = |code: &str| {
        let l = doc
            .budget_lines
            .iter()
            .find(|l| l.table == TableName::GpbBasic && l.subject_code.as_deref() == Some(code))
            .unwrap_or_else(|| panic!("{code}"));
        let s = |c| {
            l.amounts
                .get(c)
                .map(|d| d.normalize().to_string())
                .unwrap_or_else(|| "NULL".into())
        };
        format!(
            "{} {} {} {} {}",
            l.subject_name,
            s(AmountCol::Total),
            s(AmountCol::Personnel),
            s(AmountCol::PublicFunds),
            l.line_no
        )
    };
    // `301 08 机关事业单位基本养老保险缴` with `费` two lines below (the line between holds
    // only the right half)
    assert_eq!(
        row("30108"),
        "机关事业单位基本养老保险缴费 160.75 160.75 NULL 364"
    );
    assert_eq!(row("30103"), "奖金 NULL NULL NULL 353");
    // `302` on one line, `01 办公费` on the next (a row's line is its code line)
    assert_eq!(row("30201"), "办公费 21.21 NULL 21.21 345");
    // `302 因公出国（境）费` / `12` / `用`: 款 below the code, name wrapped around
    assert_eq!(row("30212"), "因公出国（境）费用 NULL NULL NULL 384");
    assert_eq!(row("30213"), "维修（护）费 2.83 NULL 2.83 389");
    assert_eq!(row("30299"), "其他商品和服务支出 11.53 NULL 11.53 442");
    assert_eq!(row("31007"), "信息网络及软件购置更新 NULL NULL NULL 460");
    let basic_rows = doc
        .budget_lines
        .iter()
        .filter(|l| l.table == TableName::GpbBasic)
        .count();
    assert_eq!(basic_rows, 65);

    let tp = doc.three_public.clone().unwrap_or_default();
    let s = |d: Option<budsql_schema::Decimal>| {
        d.map(|d| d.normalize().to_string())
            .unwrap_or_else(|| "NULL".into())
    };
    // only 预算数 figures are printed: 合计 and 公务接待费 0.95; every 决算数 cell is blank
    assert_eq!(
        [
            tp.budget_total,
            tp.budget_outbound,
            tp.budget_vehicle,
            tp.budget_vehicle_purchase,
            tp.budget_vehicle_operation,
            tp.budget_reception,
            tp.total,
            tp.reception
        ]
        .map(s),
        [
            "0.95", "NULL", "NULL", "NULL", "NULL", "0.95", "NULL", "NULL"
        ]
    );

    // the second final: 5-digit codes, a code alone above its name and figure, a code
    // printed against its name (`310资本性支出`)
    let doc = read("sh_putuo_shehuigongzuobu_2024_dept_final.txt");
    let find = |code: &str| {
        doc.budget_lines
            .iter()
            .find(|l| l.table == TableName::GpbBasic && l.subject_code.as_deref() == Some(code))
            .map(|l| {
                (
                    l.subject_name.clone(),
                    l.amounts
                        .get(AmountCol::PublicFunds)
                        .map(|d| d.normalize().to_string()),
                )
            })
    };
    assert_eq!(
        find("30299"),
        Some(("其他商品和服务支出".into(), Some("0.2".into())))
    );
    assert_eq!(find("310"), Some(("资本性支出".into(), Some("0".into()))));
    assert_eq!(
        find("31007"),
        Some(("信息网络及软件购置更新".into(), Some("0".into())))
    );
    assert!(doc.warnings.is_empty(), "{:#?}", doc.warnings);
}

/// Another tool's tab extraction of the same document as the layout text: blank cells are
/// dropped, so figures are placed by order; the classified tables and the summaries agree
/// with the layout version.
#[test]
fn tabbed_extraction_matches_the_layout_text() {
    let tabbed = read("sh_putuo_wanlijiedao_2025_dept_budget_ALT_tabbed_extraction.txt");
    let layout = read("sh_putuo_wanlijiedao_2025_dept_budget.txt");
    assert_eq!(tabbed.identity.unit_name, layout.identity.unit_name);
    assert_eq!(tabbed.identity.year, layout.identity.year);
    for t in [
        TableName::Income,
        TableName::Expenditure,
        TableName::GpbExpenditure,
        TableName::GpbBasic,
    ] {
        let rows = |d: &Document| {
            d.budget_lines
                .iter()
                .filter(|l| l.table == t)
                .map(|l| (l.subject_code.clone(), l.amounts.get(AmountCol::Total)))
                .collect::<Vec<_>>()
        };
        assert_eq!(rows(&tabbed), rows(&layout), "{}", t.as_str());
    }
    assert!(
        tabbed
            .checks
            .iter()
            .all(|c| c.severity == budsql_schema::Severity::Rounding)
    );
    // its 三公 row has no positions: reported, not guessed
    assert!(tabbed.warnings.iter().any(|w| w.code == "unread_table"));
}

/// The official blank template yields no figures and no findings.
#[test]
fn blank_template() {
    let doc = read("sh_template_2024_dept_final_XXju.txt");
    assert_eq!(doc.identity.doc_kind.as_str(), "final");
    assert!(doc.checks.is_empty(), "{:#?}", doc.checks);
    assert!(
        doc.budget_lines
            .iter()
            .all(|l| l.amounts == budsql_schema::Amounts::default())
    );
}

/// A layout document saved as GB18030 with CRLF line ends reads to identical rows.
#[test]
fn layout_document_in_gb18030_with_crlf() {
    let name = "sh_putuo_caizhengju_2024_dept_final.txt";
    let text = std::fs::read_to_string(corpus(name)).unwrap();
    let crlf = text.replace('\n', "\r\n");
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&crlf);
    assert!(!unmappable);
    let a = read(name);
    let b = extract(&bytes, Path::new(name), &Overrides::default()).unwrap();
    assert_eq!(b.unit.encoding, "GB18030");
    assert_eq!(a.identity, b.identity);
    assert_eq!(a.budget_lines, b.budget_lines);
    assert_eq!(a.summary_lines, b.summary_lines);
    assert_eq!(a.three_public, b.three_public);
    assert_eq!(a.narrative, b.narrative);
    assert_eq!(a.warnings, b.warnings);
    assert_eq!(a.checks, b.checks);
    assert!(a.budget_lines.len() > 120, "{}", a.budget_lines.len());
}

/// Replaces the text between char positions `from..to` of line `no` (1-based) with `with`
/// padded to the same width, so every other cell keeps its position.
fn put(text: &str, no: usize, from: usize, to: usize, with: &str) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let line: Vec<char> = lines[no - 1].chars().collect();
    let width = to - from;
    let pad = width - with.chars().count();
    let new: String = line[..from].iter().collect::<String>()
        + &" ".repeat(pad)
        + with
        + &line[to..].iter().collect::<String>();
    lines[no - 1] = new;
    lines.join("\n")
}

/// Char position of `needle` in line `no`: (start, end).
fn span(text: &str, no: usize, needle: &str, nth: usize) -> (usize, usize) {
    let line = text.split('\n').nth(no - 1).unwrap();
    let (byte, _) = line.match_indices(needle).nth(nth).unwrap();
    let start = line[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// A dash in a blank cell is NULL and holds its column; a negative amount is negative;
/// full-width digits are digits. (Edits of a real 元 table, positions kept.)
#[test]
fn dash_negative_and_full_width_cells() {
    let name = "sh_putuo_zhengfubangongshi_2025_unit_budget.txt";
    let mut text = std::fs::read_to_string(corpus(name)).unwrap();
    // the 支出预算总表's rows (the second table listing 行政运行)
    let after = text
        .split('\n')
        .position(|l| l.trim() == "2025年预算单位支出预算总表")
        .unwrap();
    let nth_after = |t: &str, needle: &str| {
        t.split('\n')
            .enumerate()
            .skip(after)
            .find(|(_, l)| l.contains(needle))
            .map(|(i, _)| i + 1)
            .unwrap()
    };
    // 一般行政管理事务: a dash where 基本支出 is blank, under the 基本支出 figures above
    let admin = nth_after(&text, "一般行政管理事务");
    let run = nth_after(&text, "   行政运行");
    let basic_end = span(&text, run, "11,919,501.84", 0).1;
    text = put(&text, admin, basic_end - 1, basic_end, "—");
    // 行政运行: its 项目支出 printed negative
    let (s, e) = span(&text, run, " 110,000.00", 0);
    text = put(&text, run, s, e, "-110,000.00");
    // 事业运行: its 合计 in full-width digits
    let biz = nth_after(&text, "事业运行");
    let (s, e) = span(&text, biz, "3,807,295.58", 0);
    text = put(&text, biz, s, e, "３,８０７,２９５.５８");

    let doc = extract(text.as_bytes(), Path::new(name), &Overrides::default()).unwrap();
    let row = |code: &str| {
        let l = doc
            .budget_lines
            .iter()
            .find(|l| l.table == TableName::Expenditure && l.subject_code.as_deref() == Some(code))
            .unwrap();
        [AmountCol::Total, AmountCol::Basic, AmountCol::Project].map(|c| {
            l.amounts
                .get(c)
                .map(|d| d.normalize().to_string())
                .unwrap_or_else(|| "NULL".into())
        })
    };
    assert_eq!(row("2010302"), ["4614", "NULL", "4614"]);
    assert_eq!(row("2010301"), ["1202.950184", "1191.950184", "-11"]);
    assert_eq!(row("2010350"), ["380.729558", "376.729558", "4"]);
    // no warning for the dash; the negative figure breaks 合计 = 基本 + 项目, as printed
    assert!(
        doc.warnings.iter().all(|w| w.code != "unreadable_amount"),
        "{:#?}",
        doc.warnings
    );
    assert!(
        doc.checks
            .iter()
            .any(|c| c.rule == "total_equals_basic_project"
                && c.subject_code.as_deref() == Some("2010301")
                && c.severity == budsql_schema::Severity::Error)
    );
}

/// The 财政项目支出绩效目标填报表 of a layout document: project names, annual goals (NULL
/// with a warning where the two goal columns run together), indicators with their merged
/// 一级/二级 blocks and parsed targets.
#[test]
fn layout_kpi_tables() {
    let doc = read("sh_putuo_wanlijiedao_2023_dept_budget.txt");
    let projects: Vec<(i32, String, usize)> = {
        let mut v: Vec<(i32, String, usize)> = Vec::new();
        for k in &doc.kpi_targets {
            match v.last_mut() {
                Some(last) if last.0 == k.project_no => last.2 += 1,
                _ => v.push((k.project_no, k.project_name.clone(), 1)),
            }
        }
        v
    };
    assert_eq!(
        projects,
        vec![
            (1, "新建万里街道社区公共服务中心".to_string(), 5),
            (2, "就业援助基地补贴".to_string(), 4),
            (3, "社区环境整治和建设经费".to_string(), 4),
            (4, "各类工作经费".to_string(), 43),
            (5, "公共服务设施运行经费".to_string(), 9),
        ]
    );
    let show = |p: i32, i: i32| {
        let k = doc
            .kpi_targets
            .iter()
            .find(|k| k.project_no == p && k.indicator_no == i)
            .unwrap();
        format!(
            "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {}",
            k.level1,
            k.level2,
            k.level3,
            k.target_raw,
            k.target_op,
            k.target_value.map(|d| d.normalize().to_string()),
            k.target_unit,
            k.line_no
        )
    };
    assert_eq!(
        show(1, 1),
        r#"Some("产出指标") Some("数量指标") Some("规划建筑面积") Some("≥13459.00(平方米)") Some(">=") Some("13459") Some("(平方米)") 888"#
    );
    // a 二级指标 wrapped over two lines around its 一级指标 (`服务对象满意度` / `指标`)
    assert_eq!(
        show(1, 5),
        r#"Some("满意度指标") Some("服务对象满意度指标") Some("居民满意度") Some("满意度") None None None 896"#
    );
    // blocks by the centre of their merged label: 数量 (15 rows), 质量 (8), 社会效益 (14), 满意度 (6)
    let level2s: Vec<String> = doc
        .kpi_targets
        .iter()
        .filter(|k| k.project_no == 4)
        .map(|k| k.level2.clone().unwrap_or_default())
        .collect();
    let count = |l: &str| level2s.iter().filter(|x| *x == l).count();
    assert_eq!(
        [
            count("数量指标"),
            count("质量指标"),
            count("社会效益指标"),
            count("服务对象满意度指标")
        ],
        [15, 8, 14, 6]
    );
    // a name wrapped above and below its target's line
    assert_eq!(
        show(4, 37),
        r#"Some("效益指标") Some("社会效益指标") Some("全面提升社区党员党性修养，提升书记综合素质，牢固树立全心全意为民服务意识") Some("有效") None None None 1084"#
    );
    // a number inside a sentence is not a target value
    assert_eq!(
        show(4, 3),
        r#"Some("产出指标") Some("数量指标") Some("开展社区服刑人员团队训练") Some("至少1次矫正人员的集中活动") None None None 1045"#
    );
    let goal = |p: i32| {
        doc.kpi_targets
            .iter()
            .find(|k| k.project_no == p)
            .and_then(|k| k.project_goal.clone())
    };
    assert_eq!(goal(2).as_deref(), Some("管理各类下拨费用，实报实销"));
    assert!(
        goal(1)
            .unwrap()
            .starts_with("建成后作为万里街道社区事务受理、社区管理")
    );
    assert_eq!(goal(3), None);
    let unread: Vec<i32> = doc
        .warnings
        .iter()
        .filter(|w| w.code == "unread_goal")
        .map(|w| w.line_no)
        .collect();
    assert_eq!(unread, vec![965, 1014]);
    assert!(
        doc.warnings.iter().all(|w| w.code == "unread_goal"),
        "{:#?}",
        doc.warnings
    );
}

/// Every corpus document has each standard table once, in printed order (a contents entry
/// that names a table does not count as the table).
#[test]
fn every_document_has_each_standard_table_once() {
    let dir = corpus("");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 14);
    for name in names {
        let doc = read(&name);
        assert!(
            doc.tables_missing().is_empty(),
            "{name}: {:?}",
            doc.tables_missing()
        );
        for t in TableName::STANDARD {
            let n = doc.tables.iter().filter(|f| f.table == t).count();
            assert_eq!(n, 1, "{name}: {} found {n} times", t.as_str());
        }
        let lines: Vec<i32> = doc.tables.iter().map(|t| t.line_no).collect();
        let mut sorted = lines.clone();
        sorted.sort_unstable();
        assert_eq!(lines, sorted, "{name}");
        // the first table stands after the contents pages
        assert!(lines.first().is_some_and(|l| *l > 40), "{name}: {lines:?}");
    }
}

/// The 机关运行经费 printed beside the 三公 (`“三公”经费和机关运行经费预算表`), a label split
/// over two lines included, equals the narrative's statement of it.
#[test]
fn operating_costs_beside_the_three_public() {
    let want = [
        ("sh_putuo_caizhengju_2025_dept_budget.txt", "229.43"),
        ("sh_putuo_shangwuwei_2025_dept_budget.txt", "171.01"),
        ("sh_putuo_shangwuwei_2025_unit_budget.txt", "171.01"),
        ("sh_putuo_sifaju_2026_dept_budget.txt", "217.83"),
        ("sh_putuo_sifaju_2026_unit_budget.txt", "184.59"),
        ("sh_putuo_wanlijiedao_2023_dept_budget.txt", "786.09"),
        ("sh_putuo_wanlijiedao_2024_dept_budget.txt", "443.18"),
        ("sh_putuo_wanlijiedao_2025_dept_budget.txt", "464.64"),
        ("sh_putuo_zhengfubangongshi_2025_dept_budget.txt", "213.28"),
        ("sh_putuo_zhengfubangongshi_2025_unit_budget.txt", "213.28"),
    ];
    for (file, value) in want {
        let doc = read(file);
        let table = doc
            .three_public
            .as_ref()
            .and_then(|t| t.operating_costs)
            .map(|d| d.normalize().to_string());
        let narrative = doc
            .narrative
            .iter()
            .find(|f| f.figure == "operating_costs")
            .map(|f| f.amount.normalize().to_string());
        assert_eq!(table.as_deref(), Some(value), "{file}");
        assert_eq!(narrative.as_deref(), Some(value), "{file}");
    }
}
