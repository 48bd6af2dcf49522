//! The classified family (`budget_lines`): income, expenditure and the fiscal tables by
//! function or economic subject, read from the shared table stages.
//!
//! Columns take their meaning from their label and the group labels over them (`小计`
//! under `基本支出` is 基本支出); the stub columns are those whose cells are text. Rows take
//! their subject from a code in any printed form (`201`, `201 01 01` in three columns,
//! `[2010801]行政运行`, `2010801-行政运行`, `310资本性支出`) or, where none is printed, from
//! the name; the total row from its label, or — labelled with the unit's name — from the
//! arithmetic (it equals the sum of the 类 rows).

use budsql_schema::WarningCode;
use std::collections::BTreeMap;

use budsql_schema::{
    AmountCol, Amounts, BudgetLine, Classification, Decimal, MoneyUnit, SubjectCode, TableName,
};
use budsql_text::{clean_text, is_number};

use crate::ctx::Ctx;
use crate::grid::Section;
use crate::table::{self, Block, Column, Record, is_total_label, leading_code};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// Code, name, 序号, unit: the row's label.
    Stub,
    Amount(AmountCol),
    /// Figures whose meaning is not recognised.
    Unknown,
}

/// The amount columns a table may have.
pub fn allowed_columns(table: TableName) -> &'static [AmountCol] {
    use AmountCol::*;
    match table {
        TableName::Income | TableName::ProjectExpenditure | TableName::Procurement => &[
            Total,
            CurrentIncome,
            FiscalAppropriation,
            Gpb,
            GovFund,
            Soe,
            SpecialAccount,
            BusinessIncome,
            OperatingIncome,
            SuperiorSubsidy,
            SubsidiaryRemit,
            OtherIncome,
            Carryover,
        ],
        TableName::GpbBasic | TableName::FiscalBasic | TableName::OperatingCosts => {
            &[Total, Personnel, PublicFunds]
        }
        TableName::BasicExpenditure | TableName::GpbEconomic => {
            &[Total, Basic, Project, Personnel, PublicFunds]
        }
        TableName::GovFundExpenditure | TableName::SoeExpenditure => &[
            Total,
            Basic,
            Project,
            Personnel,
            PublicFunds,
            Carryover,
            CurrentIncome,
            YearEndBalance,
        ],
        _ => &[
            Total,
            Basic,
            Project,
            Personnel,
            PublicFunds,
            Operating,
            RemitUpper,
            SubsidiarySubsidy,
            YearEndBalance,
            Reserve,
        ],
    }
}

fn strip_qizhong(s: &str) -> &str {
    s.trim_start_matches("其中:")
        .trim_start_matches("其中：")
        .trim_start_matches("其中")
}

/// The amount a label (with the group labels over it) names, for `table`.
pub fn amount_meaning(label: &str, groups: &[String], table: TableName) -> Option<AmountCol> {
    use AmountCol::*;
    let l = strip_qizhong(label);
    let g = groups.join("/");
    let has = |s: &str, pats: &[&str]| pats.iter().any(|p| s.contains(p));
    let own = |pats: &[&str]| has(l, pats);
    let grp = |pats: &[&str]| has(&g, pats);
    // (a table of projects lists their funds by source, as the income table does)
    let income = matches!(
        table,
        TableName::Income | TableName::ProjectExpenditure | TableName::Procurement
    );
    // a label naming two sources of funds is two columns' labels run together: which
    // figure is which is not certain, so neither is placed (each is a warning)
    if income && mixed_sources(l) {
        return None;
    }
    let m = if own(&["年末结转", "年末结余", "年终结转", "年终结余"]) {
        YearEndBalance
    } else if own(&["预留", "机动经费"]) && !own(&["政府采购", "企业", "预留给"]) {
        // (not the share of 政府采购 kept for small firms, 深圳审计's `其中：2026年政府采购项目
        // 中预留给中小企业的项目资金规模`)
        Reserve
    } else if own(&["人员经费", "人员支出", "工资福利", "人员类"]) {
        Personnel
    } else if own(&["公用经费", "公用支出", "日常公用"]) {
        PublicFunds
    } else if own(&["基本支出"]) {
        Basic
    } else if own(&["项目支出", "专项业务", "专项支出", "项目经费"]) {
        Project
    } else if own(&["经营支出"]) {
        Operating
    } else if own(&["上缴上级", "上解上级"]) {
        RemitUpper
    } else if own(&["对附属单位"]) && !own(&["上缴", "缴款", "收入"]) {
        // (西安 prints the income 附属单位上缴收入 as `对附属单位上缴收入`: not a subsidy paid)
        SubsidiarySubsidy
    } else if income && own(&["财政专户"]) {
        SpecialAccount
    } else if income && own(&["经营收入"]) {
        OperatingIncome
    } else if income && own(&["事业收入"]) {
        BusinessIncome
    } else if income && own(&["上级补助"]) {
        SuperiorSubsidy
    } else if income && own(&["附属单位上缴", "附属单位缴款"]) {
        SubsidiaryRemit
    } else if income && own(&["其他收入", "其他资金"]) {
        OtherIncome
    } else if income && own(&["财政拨款"]) && !grp(&["上年", "结转"]) {
        FiscalAppropriation
    } else if income
        && (matches!(l, "合计" | "小计") || is_value_word(l))
        && grp(&["财政拨款"])
        && !grp(&["上年", "结转"])
    {
        // (the 合计 under a 财政拨款 group over its funds; 长沙's `本级财政拨款` over `金额`
        // and `其中:经费拨款`)
        FiscalAppropriation
    } else if income && own(&["一般公共预算"]) && !grp(&["上年", "结转"]) {
        Gpb
    } else if income && own(&["政府性基金"]) && !grp(&["上年", "结转"]) {
        GovFund
    } else if income && own(&["国有资本"]) && !grp(&["上年", "结转"]) {
        Soe
    } else if own(&["上年结转", "年初结转", "上年结余", "年初结余", "结转结余"])
        || (own(&["结转"]) && !own(&["本年"]))
    {
        Carryover
    } else if l == "小计" {
        if grp(&["基本支出"]) && !matches!(table, TableName::GpbBasic | TableName::FiscalBasic)
        {
            Basic
        } else if grp(&["上年结转", "年初结转", "结转"]) {
            Carryover
        } else if income && grp(&["一般公共预算"]) {
            Gpb
        } else if grp(&["本年收入"]) {
            CurrentIncome
        } else if grp(&["项目支出"]) {
            Project
        } else {
            Total
        }
    } else if own(&["本年收入"]) {
        CurrentIncome
    } else if own(&["本年支出", "合计", "总计"])
        || is_value_word(l)
        || table == TableName::ProjectExpenditure && own(&["项目金额", "预算金额"])
    {
        Total
    } else {
        return None;
    };
    Some(m)
}

/// Whether a column's own label names two sources of funds: two columns' labels run
/// together, as pdftotext lays out 苏州's and 无锡's 政府采购支出表 (`一般公共` / `政府性基金` /
/// `预算资金`, `上年结转和` / `其他资金` / `结余资金`).
pub fn mixed_sources(label: &str) -> bool {
    const LEAVES: [&[&str]; 10] = [
        &["一般公共"],
        &["政府性基金"],
        &["国有资本"],
        &["上年结转", "结转结余", "年初结转"],
        &["财政专户"],
        &["事业收入"],
        &["经营收入"],
        &["其他收入"],
        &["上级补助"],
        &["附属单位"],
    ];
    let has = |pats: &[&str]| pats.iter().any(|p| label.contains(p));
    let mut n = LEAVES.iter().filter(|pats| has(pats)).count();
    // (`其他资金` is a source of its own, or the group over 事业收入, 经营收入, …: a group's
    // name run into one of its leaves' is that leaf)
    if has(&["其他资金"]) && !has(&["事业收入", "经营收入", "其他收入", "上级补助", "附属单位"])
    {
        n += 1;
    }
    n >= 2
}

/// A label that names the one figure of a row: `预算数`, `决算数`, `金额`, `2026年预算数`.
pub fn is_value_word(l: &str) -> bool {
    let t = l
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches(['年', '度']);
    matches!(
        t,
        "预算"
            | "决算"
            | "预算数"
            | "决算数"
            | "金额"
            | "数额"
            | "本年数"
            | "预算金额"
            | "决算金额"
            | "本年预算"
            | "本年预算数"
            | "年预算数"
    )
}

/// What a column's labels (its groups and its own) say of whose figures it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Period {
    /// They name no year or measure (`合计`, `一般公共预算`, `上年结转`).
    Neutral,
    /// They name the document's own (`2018年预算数` in a 2018 budget, `决算数` in a final).
    Own,
    /// They name another year's or measure's (`2017年预算数`, `上年预算数`, a final
    /// account's `年初预算数`, a budget's `上年决算数`), and why.
    Other(String),
    /// They name a change (`增减`), and why.
    Change(String),
}

/// Words without which a label names no measure (`预算数`, `决算数`, `执行数`) or change
/// (`增减`, `变动`, `比上年`).
const MEASURE_WORDS: [&str; 6] = ["预算", "决算", "执行", "增", "变动", "比上年"];

/// Reads a column's labels for the year and measure they name, for a document of `kind`
/// and `year`. Only labels that name a measure count: `上年结转`, `一般公共预算` and
/// `2026年政府采购…` name sources and amounts, not years.
pub fn period_of(path: &[&str], kind: budsql_schema::DocKind, year: i32) -> Period {
    let mut own = false;
    for raw in path {
        // (most labels name no measure or change: asked of every column of every block)
        if !MEASURE_WORDS.iter().any(|w| raw.contains(w)) {
            continue;
        }
        let t: String = budsql_text::compact_label(raw);
        if t.is_empty() || t.contains("结转") || t.contains("结余") {
            continue;
        }
        if ["增减", "变动", "增长", "比上年", "增幅"]
            .iter()
            .any(|w| t.contains(w))
        {
            return Period::Change(format!("`{raw}` is a change"));
        }
        // (a measure word, with its year or `上年` / `本年` / `年初` before it)
        let measure = ["预算数", "决算数", "执行数", "预算", "决算"]
            .iter()
            .find(|w| t.ends_with(**w) || t.ends_with(&format!("{w}合计")));
        let Some(measure) = measure else { continue };
        let head = t.get(..t.rfind(measure).unwrap_or(0)).unwrap_or("");
        if head.contains("一般公共") || head.contains("基金") || head.contains("资本") {
            continue;
        }
        if let Some((y, _)) = crate::identity::year_in(head) {
            if y != i64::from(year) {
                return Period::Other(format!("`{raw}` is another year's"));
            }
            own = true;
            continue;
        }
        if head.contains("上年") || head.contains("上一年") {
            return Period::Other(format!("`{raw}` is last year's"));
        }
        let budget = measure.contains("预算");
        match kind {
            budsql_schema::DocKind::Final if budget => {
                return Period::Other(format!("`{raw}` is the budget, not the final account"));
            }
            budsql_schema::DocKind::Budget if !budget => {
                return Period::Other(format!("`{raw}` is a final account, not the budget"));
            }
            _ => own = true,
        }
    }
    if own { Period::Own } else { Period::Neutral }
}

/// Why each column (by its labels, `paths`; none given, none is) holds figures that are
/// not the document's own: a change, always; another year's or measure's where a column
/// of the same table names the document's own (a table whose only figures are labelled
/// `预算数` in a final account prints its own under a loose word, not the budget's).
pub fn foreign_columns(
    paths: &[Vec<&str>],
    period: Option<(budsql_schema::DocKind, i32)>,
) -> Vec<Option<String>> {
    let Some((kind, year)) = period else {
        return vec![None; paths.len()];
    };
    let periods: Vec<Period> = paths.iter().map(|p| period_of(p, kind, year)).collect();
    let own = periods.contains(&Period::Own);
    periods
        .into_iter()
        .map(|p| match p {
            Period::Change(why) => Some(why),
            Period::Other(why) if own => Some(why),
            _ => None,
        })
        .collect()
}

/// Each column's labels, its groups' first; none where no label names a measure or a
/// change (most blocks: nothing for [`foreign_columns`] to weigh).
pub fn column_paths(block: &Block) -> Vec<Vec<&str>> {
    let names_one = block.columns.iter().any(|c| {
        std::iter::once(&c.label)
            .chain(&c.groups)
            .any(|l| MEASURE_WORDS.iter().any(|w| l.contains(w)))
    });
    if !names_one {
        return Vec::new();
    }
    block
        .columns
        .iter()
        .map(|c| {
            c.groups
                .iter()
                .map(String::as_str)
                .chain([c.label.as_str()])
                .collect()
        })
        .collect()
}

/// Whether a column's label names the row's label (code, name, 序号) rather than figures.
fn stub_label(l: &str) -> bool {
    [
        "编码",
        "代码",
        "科目",
        "名称",
        "序号",
        "行次",
        "功能分类",
        "经济分类",
    ]
    .iter()
    .any(|p| l.contains(p))
        || matches!(l, "项目" | "类" | "款" | "项" | "单位" | "部门" | "类款项")
}

/// Gives each column of a block its meaning: stub where its cells are text (or its label
/// names a code or name and it holds no figures), else the amount its labels name.
/// What each column's labels say, computed once per block: the amount it names (among
/// the table's allowed columns) and whether it is a stub column by its label.
fn label_meanings(
    block: &Block,
    table: TableName,
    period: Option<(budsql_schema::DocKind, i32)>,
) -> Vec<(Option<AmountCol>, bool)> {
    let allowed = allowed_columns(table);
    // (another year's or measure's figures are not the document's: such a column is not
    // stored, whatever amount its words name)
    let foreign = foreign_columns(&column_paths(block), period);
    block
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let foreign = foreign.get(i).is_some_and(Option::is_some);
            let amount = amount_meaning(&c.label, &c.groups, table)
                .filter(|a| allowed.contains(a) && !foreign);
            let stubby = stub_label(&c.label)
                || c.label.is_empty() && c.groups.iter().any(|g| stub_label(g));
            (amount, stubby)
        })
        .collect()
}

fn meanings(block: &Block, labels: &[(Option<AmountCol>, bool)]) -> Vec<Meaning> {
    let mut figs = vec![0usize; block.columns.len()];
    let mut texts = vec![0usize; block.columns.len()];
    let mut amts = vec![0usize; block.columns.len()];
    for r in &block.records {
        for p in r.cells.iter().chain(&r.above).chain(&r.below) {
            if let Some(c) = p.col {
                if p.figure
                    && p.cell.amount
                    && let Some(n) = amts.get_mut(c)
                {
                    *n += 1;
                }
                let slot = if p.figure {
                    figs.get_mut(c)
                } else {
                    texts.get_mut(c)
                };
                if let Some(n) = slot {
                    *n += 1;
                }
            }
        }
    }
    let mut out: Vec<Meaning> = Vec::with_capacity(block.columns.len());
    let mut seen_amount = false;
    for i in 0..block.columns.len() {
        let f = figs.get(i).copied().unwrap_or(0);
        let t = texts.get(i).copied().unwrap_or(0);
        let (amount, stubby) = labels.get(i).copied().unwrap_or((None, false));
        // (a code column under a stub label — `单位编码` with `201001` — holds integers only)
        let codes_only = f > 0 && amts.get(i).copied().unwrap_or(0) == 0;
        let m = if (stubby && (f <= t || codes_only))
            || !seen_amount && ((t > f && amount.is_none()) || (f == 0 && t > 0))
        {
            Meaning::Stub
        } else if let Some(a) = amount {
            seen_amount = true;
            Meaning::Amount(a)
        } else if f > 0 {
            seen_amount = true;
            Meaning::Unknown
        } else if !seen_amount {
            Meaning::Stub
        } else {
            Meaning::Unknown
        };
        out.push(m);
    }
    // a bare `小计` after `合计`-less headers: the first amount column is the total when none
    // says so and the table has a single figure column
    let amounts: Vec<usize> = out
        .iter()
        .enumerate()
        .filter(|(_, m)| matches!(m, Meaning::Amount(_) | Meaning::Unknown))
        .map(|(i, _)| i)
        .collect();
    if let [only] = amounts.as_slice()
        && out.get(*only) == Some(&Meaning::Unknown)
        && figs.get(*only).copied().unwrap_or(0) > 0
        && let Some(slot) = out.get_mut(*only)
    {
        *slot = Meaning::Amount(AmountCol::Total);
    }
    // `本年收入合计` where no column holds the total (a 决算 income table without 上年结转):
    // this year's income is the total
    if !out.contains(&Meaning::Amount(AmountCol::Total))
        && !out.contains(&Meaning::Amount(AmountCol::Carryover))
        && let Some(i) = out
            .iter()
            .position(|m| *m == Meaning::Amount(AmountCol::CurrentIncome))
        && block
            .columns
            .get(i)
            .is_some_and(|c| c.label.contains("合计"))
        && let Some(slot) = out.get_mut(i)
    {
        *slot = Meaning::Amount(AmountCol::Total);
    }
    // one meaning per column within a part (a table printed twice side by side has a
    // part each): a second column claiming it is not placed with certainty
    let parts = split_parts(&block.columns, &out);
    for (from, to) in parts {
        let mut seen: BTreeMap<AmountCol, usize> = BTreeMap::new();
        for (i, m) in out.iter_mut().enumerate().take(to).skip(from) {
            if let Meaning::Amount(a) = *m {
                if let std::collections::btree_map::Entry::Vacant(e) = seen.entry(a) {
                    e.insert(i);
                } else {
                    *m = Meaning::Unknown;
                }
            }
        }
    }
    out
}

/// The subject of a row from its stub text: code (joined from 类/款/项 parts), name.
struct Stub {
    code: Option<String>,
    name: String,
    padded: bool,
}

fn parse_stub(parts: &[&str]) -> Stub {
    let mut code: Option<String> = None;
    let mut padded = false;
    let mut name_parts: Vec<String> = Vec::new();
    let mut i = 0;
    // a 序号 before the code
    if parts.len() > 1
        && parts.first().is_some_and(|p| {
            let p = p.trim();
            !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit())
        })
        && parts.get(1).is_some_and(|p| leading_code(p).is_some())
    {
        i = 1;
    }
    if let Some(first) = parts.get(i)
        && let Some((c, rest)) = leading_code(first)
        && !c.starts_with('0')
    {
        let mut c = c.to_string();
        i += 1;
        if rest.is_empty() {
            // 类 / 款 / 项 printed in columns of their own
            while c.len() < 7 {
                let Some(part) = parts.get(i).map(|p| p.trim()) else {
                    break;
                };
                if part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit()) {
                    c.push_str(part);
                } else if part.len() == 1
                    && part.bytes().all(|b| b.is_ascii_digit())
                    && parts.get(i + 1).is_some_and(|n| !n.trim().is_empty())
                {
                    c.push('0');
                    c.push_str(part);
                    padded = true;
                } else {
                    break;
                }
                i += 1;
            }
        } else {
            name_parts.push(rest.to_string());
        }
        code = Some(c);
    }
    for p in parts.iter().skip(i) {
        // further classifications printed beside the first (`50101-工资奖金津补贴`) are
        // not the row's subject
        if code.is_some() && leading_code(p).is_some_and(|(_, r)| !r.is_empty()) {
            break;
        }
        name_parts.push((*p).to_string());
    }
    Stub {
        code,
        name: clean_text(&name_parts.join(" ")).replace(' ', ""),
        padded,
    }
}

/// Reads one classified table.
pub fn read(sec: &Section, unit: MoneyUnit, ctx: &mut Ctx) -> Vec<BudgetLine> {
    let table = sec.kind;
    let classification = classification_of(table);
    let mut blocks = table::read(sec);
    let labels: Vec<Vec<(Option<AmountCol>, bool)>> = blocks
        .iter()
        .map(|b| label_meanings(b, table, ctx.period))
        .collect();
    for (b, labels) in blocks.iter_mut().zip(&labels) {
        let meaning = meanings(b, labels);
        for (from, to) in split_parts(&b.columns, &meaning) {
            let is_amount = |i: usize| matches!(meaning.get(i), Some(Meaning::Amount(_)));
            // (a column of unknown meaning under the group label of an amount column beside
            // it: a part of that amount, 北京审计's 扣除基建项目后预算数 beside 项目支出总数
            // under 项目支出; without it, a row of 合计, 小计, 公用经费 and both 项目支出
            // figures counted as complete and put its 公用经费 under 人员经费)
            let sub_column = |i: usize| {
                let group = |j: usize| b.columns.get(j).and_then(|c| c.groups.last());
                group(i).is_some_and(|g| {
                    [i.checked_sub(1), Some(i + 1)]
                        .into_iter()
                        .flatten()
                        .any(|j| is_amount(j) && group(j) == Some(g))
                })
            };
            let amount: Vec<usize> = (from..to.min(meaning.len()))
                // (a column of unknown meaning between amounts holds figures too: a full
                // row's figures are placed in order over all of them, 珠海's 教育收费 and
                // 其他专户收入拨款 among the income table's sources)
                .filter(|&i| {
                    is_amount(i)
                        || matches!(meaning.get(i), Some(Meaning::Unknown))
                            && (from..i).any(is_amount)
                            && ((i + 1..to).any(is_amount) || sub_column(i))
                })
                .collect();
            // the part's figures: right of the previous part's last column
            let from_x = if from == 0 {
                f32::MIN
            } else {
                b.columns.get(from).map(|c| c.x0).unwrap_or(f32::MIN)
            };
            let to_x = b.columns.get(to).map(|c| c.x0).unwrap_or(f32::MAX);
            b.realign_text(&amount, from_x, to_x);
        }
    }
    let mut out: Vec<BudgetLine> = Vec::new();
    let mut warned: Vec<String> = Vec::new();
    // (where each row's name starts, for the tables whose rows are named, not coded)
    let mut indents: Vec<(usize, f32)> = Vec::new();
    // (the item lines of a 政府采购 table, not stored)
    let mut details = 0usize;
    // (the rows of a table by unit printed with their units' codes: line and code)
    let mut unit_rows: Vec<(i32, String)> = Vec::new();
    for (block, labels) in blocks.iter().zip(&labels) {
        let meaning = meanings(block, labels);
        table::debug_block(table.as_str(), block, || {
            meaning.iter().map(|m| format!("{m:?}")).collect()
        });
        // a table printed as two or three tables side by side (决算 basic expenditure:
        // 人员经费 | 公用经费): the stub repeats; each part is read on its own
        let parts = split_parts(&block.columns, &meaning);
        let mut prev: Option<(usize, usize)> = None;
        let single = parts.len() == 1;
        for (from, to) in parts {
            let start = out.len();
            read_part(
                block,
                &meaning,
                prev,
                from,
                to,
                table,
                classification,
                unit,
                ctx,
                &mut out,
                &mut warned,
                &mut indents,
                &mut details,
                &mut unit_rows,
            );
            // (layout text without its PDF: a row's figures placed by spacing alone)
            if !block.exact && single {
                let cols = amount_cols(&meaning, from, to);
                let half = ctx.half_unit(table);
                for l in out.iter_mut().skip(start) {
                    if let Some(note) = place_by_arithmetic(l, &cols, table, half) {
                        ctx.warn(
                            usize::try_from(l.line_no).unwrap_or(0),
                            Some(table),
                            WarningCode::PlacedByArithmetic,
                            note,
                            None,
                        );
                    }
                    // (a row of some figures only, placed by spacing: the other tables may
                    // tell where they stand, once all are read)
                    let n = cols.iter().filter(|c| l.amounts.get(**c).is_some()).count();
                    if n > 1 && n < cols.len() {
                        ctx.by_spacing.push(crate::ctx::BySpacing {
                            table,
                            line_no: usize::try_from(l.line_no).unwrap_or(0),
                            cols: cols.clone(),
                        });
                    }
                }
            }
            prev = Some((from, to));
        }
    }
    if table == TableName::ProjectExpenditure {
        levels_by_indent(&mut out, &indents);
    }
    if details > 0 {
        ctx.warn(
            sec.title_line,
            Some(table),
            WarningCode::UnreadTable,
            format!(
                "{}: {details} line(s) by item (unit, project, economic subject, item, procurement method wrapped across lines) are not stored; the 合计 and the totals of 货物, 工程 and 服务 are",
                table.as_str()
            ),
            None,
        );
    }
    finish(&mut out, table, &unit_rows, ctx);
    out
}

/// The tables of spending by function subject, of all funds or of one.
const SPENDING: [TableName; 5] = [
    TableName::Expenditure,
    TableName::GpbExpenditure,
    TableName::FiscalExpenditure,
    TableName::GovFundExpenditure,
    TableName::SoeExpenditure,
];

/// Whether a 部门预算 economic subject's basic spending is 人员经费 (工资福利支出 301,
/// 对个人和家庭的补助 303) or 公用经费 (商品和服务支出 302, 资本性支出 310), by its class;
/// `None` for any other.
fn personnel_or_public(code: &str) -> Option<AmountCol> {
    match code.get(..3)? {
        "301" | "303" => Some(AmountCol::Personnel),
        "302" | "310" => Some(AmountCol::PublicFunds),
        _ => None,
    }
}

/// Where a document's classified rows are: by table and line, and (the tables of
/// [`SPENDING`]) by code. Built once for the rows weighed against other tables,
/// not a scan of every row for each.
struct RowIndex {
    by_line: std::collections::HashMap<(TableName, usize), Vec<usize>>,
    by_code: std::collections::HashMap<String, Vec<usize>>,
}

impl RowIndex {
    fn new(lines: &[BudgetLine]) -> RowIndex {
        let mut by_line: std::collections::HashMap<(TableName, usize), Vec<usize>> =
            Default::default();
        let mut by_code: std::collections::HashMap<String, Vec<usize>> = Default::default();
        for (i, l) in lines.iter().enumerate() {
            by_line
                .entry((l.table, usize::try_from(l.line_no).unwrap_or(0)))
                .or_default()
                .push(i);
            if let Some(code) = &l.subject_code
                && SPENDING.contains(&l.table)
            {
                by_code.entry(code.clone()).or_default().push(i);
            }
        }
        RowIndex { by_line, by_code }
    }

    /// The one row of `table` read from line `line_no` (`None` where there is none, or
    /// more than one: side-by-side parts).
    fn row(&self, table: TableName, line_no: usize) -> Option<usize> {
        match self.by_line.get(&(table, line_no)).map(Vec::as_slice) {
            Some([i]) => Some(*i),
            _ => None,
        }
    }

    /// The first table of [`SPENDING`] that holds `table`'s spending or is held in it (the
    /// 支出总表 holds every fund's, the 财政拨款 table the three funds'; not a sibling
    /// fund's, which says nothing of this one's) whose row of `code` spends under `col` (a
    /// figure other than 0).
    fn spent_in(
        &self,
        lines: &[BudgetLine],
        table: TableName,
        code: &str,
        col: AmountCol,
    ) -> Option<TableName> {
        let fund = |t: TableName| {
            matches!(
                t,
                TableName::GpbExpenditure
                    | TableName::GovFundExpenditure
                    | TableName::SoeExpenditure
            )
        };
        SPENDING
            .iter()
            .filter(|t| **t != table && !(fund(**t) && fund(table)))
            .find(|t| {
                self.by_code
                    .get(code)
                    .into_iter()
                    .flatten()
                    .filter_map(|i| lines.get(*i))
                    .any(|o| o.table == **t && o.amounts.get(col).is_some_and(|v| !v.is_zero()))
            })
            .copied()
    }
}

/// The figures of layout text that a row's arithmetic leaves between columns (see
/// [`Undecided`](crate::ctx::Undecided)), placed by the same code's rows in the tables that
/// hold its table's spending or are held in it ([`spent_in`]): where exactly one of the
/// columns it may stand in holds spending of that code there (无锡发改's 支出总表 `216 … 1,172.70 … 1,172.70`: 基本支出 or
/// 项目支出 by arithmetic, 项目支出 in the 一般公共预算 and 财政拨款 tables), it goes there,
/// with a warning; else it stays unplaced, with its warning.
pub fn place_by_other_tables(lines: &mut [BudgetLine], ctx: &mut Ctx) {
    if ctx.undecided.is_empty() && ctx.by_spacing.is_empty() {
        return;
    }
    // (rows keep their places and codes below: only amounts change)
    let index = RowIndex::new(lines);
    let undecided = std::mem::take(&mut ctx.undecided);
    for u in &undecided {
        // (one row, one such figure: two would each have been weighed without the other)
        let alone = undecided
            .iter()
            .filter(|o| o.table == u.table && o.line_no == u.line_no)
            .count()
            == 1;
        let at = index.row(u.table, u.line_no).filter(|_| alone);
        let code = at
            .and_then(|i| lines.get(i))
            .and_then(|l| l.subject_code.clone());
        let mut told: Vec<(AmountCol, String)> = match &code {
            Some(code) => u
                .candidates
                .iter()
                .filter_map(|c| {
                    index.spent_in(lines, u.table, code, *c).map(|t| {
                        (
                            *c,
                            format!("where {} puts the same code's spending", t.as_str()),
                        )
                    })
                })
                .collect(),
            None => Vec::new(),
        };
        // (人员经费 or 公用经费 of a basic-expenditure table by economic subject: the
        // subject's class says which)
        if told.is_empty()
            && u.table.is_economic()
            && u.candidates == [AmountCol::Personnel, AmountCol::PublicFunds]
            && let Some(c) = code.as_deref().and_then(personnel_or_public)
        {
            told.push((
                c,
                format!(
                    "its class `{}` being {}",
                    code.as_deref().and_then(|c| c.get(..3)).unwrap_or(""),
                    c.label()
                ),
            ));
        }
        match (told.as_slice(), at.and_then(|i| lines.get_mut(i))) {
            ([(c, why)], Some(l)) if l.amounts.get(*c).is_none() => {
                l.amounts.set(*c, Some(u.value));
                ctx.warn(
                    u.line_no,
                    Some(u.table),
                    WarningCode::PlacedByArithmetic,
                    format!(
                        "{}: `{}` stands between columns on a line the text squeezed, and the table's arithmetic holds with it under {}; placed under {}, {why}",
                        u.table.as_str(),
                        u.text,
                        u.candidates
                            .iter()
                            .map(|c| c.label())
                            .collect::<Vec<_>>()
                            .join(" or "),
                        c.label(),
                    ),
                    Some(&u.text),
                );
            }
            _ => ctx.warn(
                u.line_no,
                Some(u.table),
                WarningCode::UnplacedFigure,
                u.unplaced.clone(),
                Some(&u.text),
            ),
        }
    }
    // a row placed by spacing whose figure stands in a column where no other table spends
    // its code, while another table spends it in a column the row leaves blank (无锡应急's
    // 支出总表 `2240199 … 2,080.58 2,080.58` on a squeezed page: 基本支出 by spacing, 项目支出
    // in the 一般公共预算 and 财政拨款 tables): the figure moves there where the row's
    // arithmetic still holds
    let by_spacing = std::mem::take(&mut ctx.by_spacing);
    for r in &by_spacing {
        let Some(i) = index.row(r.table, r.line_no) else {
            continue;
        };
        let Some(code) = lines.get(i).and_then(|l| l.subject_code.clone()) else {
            continue;
        };
        let spent = |c: AmountCol| index.spent_in(lines, r.table, &code, c);
        let Some(l) = lines.get(i) else { continue };
        // (the row's parts of its 合计: those it prints and those it leaves blank)
        let (placed, blank): (Vec<AmountCol>, Vec<AmountCol>) = r
            .cols
            .iter()
            .filter(|c| **c != AmountCol::Total)
            .partition(|c| l.amounts.get(**c).is_some());
        let unspent: Vec<AmountCol> = placed.into_iter().filter(|c| spent(*c).is_none()).collect();
        let wanted: Vec<(AmountCol, TableName)> = blank
            .into_iter()
            .filter_map(|c| spent(c).map(|t| (c, t)))
            .collect();
        let ([from], [(to, by)]) = (unspent.as_slice(), wanted.as_slice()) else {
            continue;
        };
        let half = ctx.half_unit(r.table);
        let mut moved = l.amounts.clone();
        let v = moved.get(*from);
        moved.set(*from, None);
        moved.set(*to, v);
        if keeps_arithmetic(&moved, &r.cols, half) != Some(true) {
            continue;
        }
        let note = format!(
            "{}: `{code}`'s `{}` stood under {} by the spacing of a squeezed page; placed under {}, where {} spends the same code and the row's arithmetic still holds",
            r.table.as_str(),
            v.map(|v| v.to_string()).unwrap_or_default(),
            from.label(),
            to.label(),
            by.as_str()
        );
        if let Some(l) = lines.get_mut(i) {
            l.amounts = moved;
        }
        ctx.warn(
            r.line_no,
            Some(r.table),
            WarningCode::PlacedByArithmetic,
            note,
            None,
        );
    }
}

/// The amount columns of the part `from..to`, left to right.
fn amount_cols(meaning: &[Meaning], from: usize, to: usize) -> Vec<AmountCol> {
    meaning
        .iter()
        .take(to)
        .skip(from)
        .filter_map(|m| match m {
            Meaning::Amount(a) => Some(*a),
            _ => None,
        })
        .collect()
}

/// Whether a row's amounts keep the table's arithmetic: 合计 = 基本支出 (or 人员经费 +
/// 公用经费) + 项目支出 + the other spending columns, and 基本支出 = 人员经费 + 公用经费, a
/// blank cell counting 0 (`None`: no identity of the table can be checked).
fn keeps_arithmetic(a: &Amounts, cols: &[AmountCol], half: Decimal) -> Option<bool> {
    use AmountCol::*;
    let mut id = super::Identities::new(a, cols, half);
    let mut parts = if id.has(Basic) {
        vec![Basic]
    } else {
        vec![Personnel, PublicFunds]
    };
    parts.extend([Project, Operating, RemitUpper, SubsidiarySubsidy, Reserve]);
    id.weigh(Total, &parts);
    id.weigh(Basic, &[Personnel, PublicFunds]);
    id.result()
}

/// For layout text without its PDF, where `pdftotext` squeezed a page (a continuation
/// page printing no complete row to measure its columns by): a row whose figures, placed
/// by spacing, break the table's arithmetic takes the one order-keeping placement of the
/// same figures, the first where it stands, that keeps it (无锡人社's `2080507 … 94,597.00
/// 94,597.00`: the second under 公用经费 by spacing, under 项目支出 by arithmetic). Where
/// none or several do, the row stays as placed (and its checks say so). Returns what was
/// moved, for a warning.
fn place_by_arithmetic(
    l: &mut BudgetLine,
    cols: &[AmountCol],
    table: TableName,
    half: Decimal,
) -> Option<String> {
    if matches!(
        table,
        TableName::Income | TableName::ProjectExpenditure | TableName::Procurement
    ) || cols.len() < 3
    {
        return None;
    }
    // (a meaning printed over two columns: which is which is not for arithmetic to say)
    let mut distinct = cols.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() != cols.len() {
        return None;
    }
    let values: Vec<(usize, Decimal)> = cols
        .iter()
        .enumerate()
        .filter_map(|(i, c)| l.amounts.get(*c).map(|v| (i, v)))
        .collect();
    let n = values.len();
    if n < 2 || n == cols.len() || keeps_arithmetic(&l.amounts, cols, half) != Some(false) {
        return None;
    }
    let (first, _) = *values.first()?;
    // every order-keeping placement of the other figures right of the first
    let mut found: Vec<Vec<usize>> = Vec::new();
    let mut pick: Vec<usize> = vec![first];
    fn choose(
        from: usize,
        left: usize,
        k: usize,
        pick: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
    ) {
        if left == 0 {
            out.push(pick.clone());
            return;
        }
        for i in from..k {
            if k - i < left {
                break;
            }
            pick.push(i);
            choose(i + 1, left - 1, k, pick, out);
            pick.pop();
        }
    }
    choose(first + 1, n - 1, cols.len(), &mut pick, &mut found);
    let mut keeping: Vec<Amounts> = Vec::new();
    for placement in found {
        let mut a = l.amounts.clone();
        for c in cols {
            a.set(*c, None);
        }
        for ((_, v), i) in values.iter().zip(&placement) {
            a.set(*cols.get(*i)?, Some(*v));
        }
        if keeps_arithmetic(&a, cols, half) == Some(true) && !keeping.contains(&a) {
            keeping.push(a);
        }
    }
    let [placed] = keeping.as_slice() else {
        return None;
    };
    let moved: Vec<String> = cols
        .iter()
        .filter(|c| l.amounts.get(**c) != placed.get(**c))
        .filter_map(|c| placed.get(*c).map(|v| format!("`{v}` under {}", c.label())))
        .collect();
    let note = format!(
        "{}: `{}` {}: figures placed by the table's arithmetic ({}), not by where the text's squeezed page put them",
        table.as_str(),
        l.subject_code.as_deref().unwrap_or(""),
        l.subject_name,
        moved.join(", ")
    );
    l.amounts = placed.clone();
    Some(note)
}

/// The category a 政府采购 line totals (货物, 工程, 服务), where its line starts with the word
/// alone (`货物`, `A-货物`, `一、货物类`).
fn procurement_category(r: &Record) -> Option<&'static str> {
    let first = r.cells.iter().find(|p| !p.figure)?;
    let t: String = budsql_text::without_spaces(&first.cell.text);
    let t = t.trim_start_matches(|c: char| {
        c.is_ascii_alphabetic() || "-－.．、一二三四五六七八九十()（）".contains(c)
    });
    let t = t.strip_suffix('类').unwrap_or(t);
    ["货物", "工程", "服务"].into_iter().find(|w| t == *w)
}

/// Levels of a table of projects: a line naming a unit (`珠海市商务局`, `深圳市审计局`) set at
/// the left is level 1, the projects (under it, where there is one) level 2; the total
/// stays 0. A name's indent alone does not tell a unit from a project, since names wrap
/// with a hanging indent. Rows of projects carry no subject code.
fn levels_by_indent(out: &mut [BudgetLine], indents: &[(usize, f32)]) {
    let left = indents.iter().map(|(_, x)| *x).fold(f32::MAX, f32::min);
    for (i, x) in indents {
        if let Some(l) = out.get_mut(*i) {
            let unit = *x <= left + 1.5 && crate::identity::is_unit_name(&l.subject_name);
            l.subject_code = None;
            l.parent_code = None;
            l.subject_level = Some(if unit { 1 } else { 2 });
        }
    }
}

/// Column ranges of the parts of a block: a new part starts at a stub column after an
/// amount column.
fn split_parts(columns: &[Column], meaning: &[Meaning]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut seen_amount = false;
    for (i, m) in meaning.iter().enumerate() {
        match m {
            Meaning::Stub if seen_amount => {
                out.push((start, i));
                start = i;
                seen_amount = false;
            }
            // (a column of unknown meaning — 西安's 政府采购 quantities, 数量, before its
            // economic codes — does not make a table of its own: a part has amounts)
            Meaning::Amount(_) => seen_amount = true,
            Meaning::Unknown | Meaning::Stub => {}
        }
    }
    out.push((start, columns.len()));
    out
}

#[allow(clippy::too_many_arguments)]
fn read_part(
    block: &Block,
    meaning: &[Meaning],
    prev: Option<(usize, usize)>,
    from: usize,
    to: usize,
    table: TableName,
    classification: Classification,
    unit: MoneyUnit,
    ctx: &mut Ctx,
    out: &mut Vec<BudgetLine>,
    warned: &mut Vec<String>,
    indents: &mut Vec<(usize, f32)>,
    details: &mut usize,
    unit_rows: &mut Vec<(i32, String)>,
) {
    let multi = from > 0 || to < block.columns.len();
    let part_cols = amount_cols(meaning, from, to);
    let in_part = |c: Option<usize>| c.is_some_and(|c| c >= from && c < to);
    // side-by-side halves of a basic-expenditure table, each with one figure column: the
    // half is 人员经费 or 公用经费 by its header, else by its total row's label, else by its
    // economic classes (301 and 303 are personnel, 302 and 310 public)
    let half = if multi && table.is_economic() {
        let labels: String = block
            .columns
            .iter()
            .take(to)
            .skip(from)
            .map(|c| c.path())
            .collect();
        let stubs: Vec<String> = block
            .records
            .iter()
            .map(|r| stub_of(r, meaning, from, to).join(""))
            .collect();
        let says = |w: &str| labels.contains(w) || stubs.iter().any(|s| s.contains(w));
        let classes = |p: &[&str]| {
            stubs
                .iter()
                .filter(|s| p.iter().any(|c| s.trim_start().starts_with(c)))
                .count()
        };
        if says("公用经费") && !says("人员经费") {
            Some(AmountCol::PublicFunds)
        } else if says("人员经费") && !says("公用经费")
            || classes(&["301", "303"]) > classes(&["302", "310", "309", "307", "399"])
        {
            Some(AmountCol::Personnel)
        } else if classes(&["302", "310", "309", "307", "399"]) > 0 {
            Some(AmountCol::PublicFunds)
        } else {
            None
        }
    } else {
        None
    };
    for r in &block.records {
        let mut stub_parts: Vec<&str> = stub_of(r, meaning, from, to);
        let figures: Vec<&table::Placed> = r.figures().filter(|p| in_part(p.col)).collect();
        // a total's label printed in the part before, over its figure in this one
        // (`公用经费合计` under one block, its figure under the next)
        if stub_parts.is_empty()
            && !figures.is_empty()
            && let Some((pf, pt)) = prev
        {
            let label = stub_of(r, meaning, pf, pt);
            let prev_figures = r
                .figures()
                .any(|p| p.col.is_some_and(|c| c >= pf && c < pt));
            if !prev_figures && is_total_label(&label.concat()) {
                stub_parts = label;
            }
        }
        if stub_parts.is_empty() && figures.is_empty() {
            continue;
        }
        let mut stub = parse_stub(&stub_parts);
        // (a 政府采购 合计 beside its quantity, which a text's columns may put under the
        // economic codes, where it reads as a code: `合计  33896  23,661,600.00`)
        if table == TableName::Procurement
            && let Some(label) = stub_parts.iter().find(|p| is_total_label(p))
            && stub_parts.iter().all(|p| is_total_label(p) || is_number(p))
        {
            stub.code = None;
            stub.name = clean_text(label);
        }
        let total = stub.code.is_none()
            && (is_total_label(&stub.name)
                || stub.name.is_empty() && !figures.is_empty() && out.is_empty());
        // a 政府采购 table: its 合计 and its categories' totals (`货物`, `A-货物`), printed as the
        // first cell of their own line; the lines by item wrap five text columns into each
        // other and are not stored
        if table == TableName::Procurement && !total {
            match procurement_category(r) {
                Some(c) => {
                    stub.code = None;
                    stub.name = c.to_string();
                }
                None => {
                    if !figures.is_empty() {
                        *details += 1;
                    }
                    continue;
                }
            }
        }
        // a line of text without code or figures is not a row (a heading, a note)
        if stub.code.is_none() && figures.is_empty() {
            continue;
        }
        // a blank 合计 row is an empty table's
        if total && figures.is_empty() {
            continue;
        }
        let mut amounts = Amounts::default();
        // a unit's code in the stub of a table by unit (`305001   无锡市教育局（本级）`): no
        // subject code, and no figure either
        let mut unit_code: Option<&str> = None;
        for p in &figures {
            let Some(c) = p.col else { continue };
            // (the row's first cell, whatever column a squeezed text line put it under: in
            // 无锡教育's text the codes of a page without a header went to 合计 as figures)
            if unit_code.is_none()
                && stub.code.is_none()
                && is_unit_code(&p.cell.text)
                && r.cells.iter().all(|q| q.cell.x0 >= p.cell.x0)
                && crate::identity::is_unit_name(&stub.name)
            {
                unit_code = Some(&p.cell.text);
                continue;
            }
            match meaning.get(c) {
                Some(Meaning::Amount(a)) => {
                    if amounts.get(*a).is_some() {
                        // two figures of one row under one column: the second is not placed
                        ctx.warn(
                            r.line_no,
                            Some(table),
                            WarningCode::UnplacedFigure,
                            format!(
                                "{}: `{}` stands under `{}` where the row has a figure already; it is not stored",
                                table.as_str(),
                                p.cell.text,
                                a.as_str()
                            ),
                            Some(&p.cell.text),
                        );
                        continue;
                    }
                    let v = ctx.amount(&p.cell.text, unit, r.line_no, table, a.label());
                    amounts.set(*a, v);
                    if let Some(h) = half
                        && *a == AmountCol::Total
                    {
                        amounts.set(h, v);
                    }
                }
                Some(Meaning::Unknown) => {
                    let col = block.columns.get(c).map(Column::path).unwrap_or_default();
                    if !warned.contains(&col) {
                        warned.push(col.clone());
                        let foreign = foreign_columns(&column_paths(block), ctx.period)
                            .into_iter()
                            .nth(c)
                            .flatten();
                        ctx.warn(
                            r.line_no,
                            Some(table),
                            WarningCode::UnmappedColumn,
                            match foreign {
                                Some(why) => format!(
                                    "{}: the column under `{}` holds figures that are not the document's own ({why}); its cells are not stored",
                                    table.as_str(),
                                    col
                                ),
                                None => format!(
                                    "{}: the column under `{}` holds figures but its meaning is not {}; its cells are not stored",
                                    table.as_str(),
                                    if col.is_empty() { "(no header)" } else { &col },
                                    if mixed_sources(&col) {
                                        "certain (its label names two sources of funds: two columns' labels run together)"
                                    } else {
                                        "recognised"
                                    }
                                ),
                            },
                            Some(&p.cell.text),
                        );
                    }
                }
                _ => {
                    ctx.warn(
                        r.line_no,
                        Some(table),
                        WarningCode::UnplacedFigure,
                        format!(
                            "{}: `{}` stands where no amount column is; it is not stored",
                            table.as_str(),
                            p.cell.text
                        ),
                        Some(&p.cell.text),
                    );
                }
            }
        }
        for p in r.figures().filter(|p| p.col.is_none()) {
            if let Some((a, b)) = p.between {
                let name = |c: usize| block.columns.get(c).map(Column::path).unwrap_or_default();
                // (the column where the figure keeps the table's arithmetic, among the blank
                // amount columns between the row's figures left and right of it — the two it
                // stands between, or further, a squeezed page moving it far — where only
                // one does)
                if in_part(Some(a))
                    && !block.exact
                    && let Some(v) = Ctx::peek_amount(&p.cell.text, unit)
                {
                    let placed_cols = |right: bool| {
                        r.figures()
                            .filter(|q| {
                                if right {
                                    q.cell.x1 > p.cell.x1
                                } else {
                                    q.cell.x1 < p.cell.x1
                                }
                            })
                            .filter_map(|q| q.col)
                            .filter(|c| in_part(Some(*c)))
                            .collect::<Vec<usize>>()
                    };
                    let lo = placed_cols(false).into_iter().max().unwrap_or(from);
                    let hi = placed_cols(true).into_iter().min().unwrap_or(to);
                    let half = ctx.half_unit(table);
                    let keeping: Vec<AmountCol> = (lo + 1..hi)
                        .filter_map(|i| match meaning.get(i) {
                            Some(Meaning::Amount(c)) if amounts.get(*c).is_none() => Some(*c),
                            _ => None,
                        })
                        .filter(|c| {
                            let mut t = amounts.clone();
                            t.set(*c, Some(v));
                            keeps_arithmetic(&t, &part_cols, half) == Some(true)
                        })
                        .collect();
                    // (several: the same code's rows in the other tables may tell, once
                    // all are read)
                    if keeping.len() > 1 {
                        ctx.undecided.push(crate::ctx::Undecided {
                            table,
                            line_no: r.line_no,
                            text: p.cell.text.to_string(),
                            value: v,
                            candidates: keeping.clone(),
                            unplaced: format!(
                                "{}: `{}` stands about as near `{}` as `{}` on a line the text squeezed; which column is not certain, so it is not stored",
                                table.as_str(),
                                p.cell.text,
                                name(a),
                                name(b)
                            ),
                        });
                        continue;
                    }
                    if let [c] = keeping.as_slice() {
                        let v = ctx.amount(&p.cell.text, unit, r.line_no, table, c.label());
                        amounts.set(*c, v);
                        ctx.warn(
                            r.line_no,
                            Some(table),
                            WarningCode::PlacedByArithmetic,
                            format!(
                                "{}: `{}` stands about as near `{}` as `{}` on a line the text squeezed; placed under {} by the table's arithmetic",
                                table.as_str(),
                                p.cell.text,
                                name(a),
                                name(b),
                                c.label()
                            ),
                            Some(&p.cell.text),
                        );
                        continue;
                    }
                }
                if in_part(Some(a)) {
                    ctx.warn(
                        r.line_no,
                        Some(table),
                        WarningCode::UnplacedFigure,
                        format!(
                            "{}: `{}` stands about as near `{}` as `{}` on a line the text squeezed; which column is not certain, so it is not stored",
                            table.as_str(),
                            p.cell.text,
                            name(a),
                            name(b)
                        ),
                        Some(&p.cell.text),
                    );
                }
                continue;
            }
            if in_part(Some(from)) && from == 0 {
                ctx.warn(
                    r.line_no,
                    Some(table),
                    WarningCode::UnplacedFigure,
                    format!(
                        "{}: `{}` stands beyond the table's columns; it is not stored",
                        table.as_str(),
                        p.cell.text
                    ),
                    Some(&p.cell.text),
                );
            }
        }
        if stub.padded {
            ctx.warn(
                r.line_no,
                Some(table),
                WarningCode::CodeRepaired,
                format!(
                    "{}: a one-digit code part read with a leading zero: `{}` ({})",
                    table.as_str(),
                    stub.code.as_deref().unwrap_or(""),
                    stub.name
                ),
                Some(&stub_parts.join(" ")),
            );
        }
        let (subject_code, level, parent, name) = if total {
            (None, Some(0), None, "合计".to_string())
        } else if table == TableName::Procurement {
            (None, Some(1), None, stub.name.clone())
        } else if let Some(code) = stub.code.as_deref().and_then(SubjectCode::parse) {
            (
                Some(code.as_str().to_string()),
                Some(code.level()),
                code.parent().map(|p| p.as_str().to_string()),
                stub.name.clone(),
            )
        } else {
            (stub.code.clone(), None, None, stub.name.clone())
        };
        if table == TableName::ProjectExpenditure && !total {
            // where the name starts: its first piece, top to bottom
            let in_stub = |p: &&table::Placed| {
                !p.figure
                    && p.col.is_some_and(|c| {
                        c >= from && c < to && meaning.get(c) == Some(&Meaning::Stub)
                    })
            };
            let mut pieces: Vec<&table::Placed> = r
                .above
                .iter()
                .chain(&r.cells)
                .chain(&r.below)
                .filter(in_stub)
                .collect();
            pieces.sort_by_key(|p| p.line_no);
            if let Some(first) = pieces.first() {
                indents.push((out.len(), first.cell.x0));
            }
        }
        let line_no = i32::try_from(r.line_no).unwrap_or(i32::MAX);
        if let (Some(code), None) = (unit_code, &subject_code) {
            unit_rows.push((line_no, format!("{code} {name}")));
        }
        out.push(BudgetLine {
            table,
            row_no: 0,
            classification,
            subject_code,
            subject_name: name,
            subject_level: level,
            parent_code: parent,
            amounts,
            line_no,
            page: i32::try_from(r.page).unwrap_or(i32::MAX),
        });
    }
}

/// A unit's code as a table by unit prints it in its stub: six digits (`305001`), where
/// a subject's code has three, five or seven.
fn is_unit_code(text: &str) -> bool {
    let t = text.trim();
    t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit())
}

/// The stub cells of a record within a part: text in the part's stub columns (or left of
/// its first amount column), in printed order.
fn stub_of<'r>(r: &'r Record, meaning: &[Meaning], from: usize, to: usize) -> Vec<&'r str> {
    let is_stub = |c: Option<usize>| match c {
        Some(c) => c >= from && c < to && meaning.get(c) == Some(&Meaning::Stub),
        None => false,
    };
    let in_part = |c: Option<usize>| c.is_some_and(|c| c >= from && c < to);
    // a 款 part printed on a line of its own may stand off its column, but not under a
    // column of figures (where a lone `0` is the end of a figure wrapped onto the next
    // line, 无锡交通's `143,999.0` / `0`: it was read into the name below, `0000无锡市…`)
    let code_part = |p: &table::Placed| {
        let t = p.cell.text.trim();
        !p.figure
            && in_part(p.col)
            && !p.col.is_some_and(|c| {
                matches!(meaning.get(c), Some(Meaning::Amount(_) | Meaning::Unknown))
            })
            && (1..=2).contains(&t.len())
            && t.bytes().all(|b| b.is_ascii_digit())
    };
    // a second classification printed beside the first (`30101 基本工资 | 50101 工资奖金津
    // 补贴`): the row's subject is the first, named by the text before the second's code
    let full_codes: Vec<f32> = r
        .cells
        .iter()
        .filter(|p| in_part(p.col) && leading_code(&p.cell.text).is_some())
        .map(|p| p.cell.x0)
        .collect();
    let cut_x = if full_codes.len() >= 2 {
        let mut xs = full_codes.clone();
        xs.sort_by(f32::total_cmp);
        xs.get(1).copied().unwrap_or(f32::MAX)
    } else {
        f32::MAX
    };
    let mut parts: Vec<(f32, f32, &str)> = Vec::new();
    for (order, v) in [&r.above, &r.cells, &r.below].iter().enumerate() {
        for p in v.iter().filter(|p| p.cell.x0 < cut_x - 0.5) {
            // (a total's label may stand off the stub, over the figures: `公用经费合计`)
            let total_label = !p.figure && in_part(p.col) && is_total_label(&p.cell.text);
            if !p.figure && is_stub(p.col) || code_part(p) || total_label {
                parts.push((order as f32, p.cell.x0, &*p.cell.text));
            } else if p.figure
                && is_stub(p.col)
                && leading_code(&p.cell.text).is_some()
                && order == 1
            {
                // a code standing in the stub
                parts.push((order as f32, p.cell.x0, &*p.cell.text));
            }
        }
    }
    // codes first (the anchor line's by position, then parts printed on the lines around
    // it: `302 因公出国（境）费` / `12` / `用`), then the name parts in reading order
    let (mut codes, names): (Vec<_>, Vec<_>) = parts.into_iter().partition(|p| {
        let t = p.2.trim();
        let digits = t.bytes().all(|b| b.is_ascii_digit());
        if p.0 == 1.0 {
            digits && (1..=7).contains(&t.len()) || leading_code(t).is_some()
        } else {
            digits && (1..=2).contains(&t.len())
        }
    });
    codes.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    // (parts above the anchor line come after its own code)
    codes.sort_by_key(|p| if p.0 == 1.0 { 0 } else { 1 });
    codes.into_iter().chain(names).map(|p| p.2).collect()
}

/// The classification a table's subjects are in: economic for the tables by economic
/// subject, else function.
fn classification_of(table: TableName) -> Classification {
    if table.is_economic() {
        Classification::Economic
    } else {
        Classification::Function
    }
}

/// A 款 or a 项 printed with its two digits alone under the subject above (长沙's
/// `      11   纪检监察事务` under `201   一般公共服务支出`, its 项 below printed in full,
/// `201 11 99`; a table printing each level's own digits only, `201` / `03` / `01`): its
/// code is its parent's and those digits — a 款's where the next coded row is a 项 of it,
/// or, for either, where the subject catalogue names that code so under that parent; a
/// warning says so. Until then such a row was stored without a code, named `11纪检监察事务`.
fn kuan_under_lei(out: &mut [BudgetLine], table: TableName, ctx: &mut Ctx) {
    let classification = classification_of(table);
    let mut lei: Option<String> = None;
    let mut kuan: Option<String> = None;
    for i in 0..out.len() {
        let Some(l) = out.get(i) else { continue };
        match (l.subject_level, l.subject_code.as_deref()) {
            (Some(1), code) => {
                lei = code.map(str::to_string);
                kuan = None;
                continue;
            }
            (Some(2), code) => {
                kuan = code.map(str::to_string);
                continue;
            }
            (Some(_), _) | (None, Some(_)) => continue,
            (None, None) => {}
        }
        let name = l.subject_name.as_str();
        let digits = name.bytes().take_while(u8::is_ascii_digit).count();
        let rest = name.get(digits..).unwrap_or("").trim();
        if digits != 2 || !rest.starts_with(budsql_text::is_cjk) {
            continue;
        }
        let two = name.get(..2).unwrap_or("");
        // (the catalogue's code for the name under the parent is the parent's and the digits)
        let named = |parent: &str| {
            budsql_schema::code_by_name(classification, Some(parent), rest)
                .is_some_and(|c| c.as_str() == format!("{parent}{two}"))
        };
        let as_xiang = kuan
            .as_deref()
            .filter(|k| !table.is_economic() && named(k))
            .map(|k| {
                (
                    format!("{k}{two}"),
                    format!("the 款 above is {k}, and the subject catalogue names {k}{two} so"),
                )
            });
        let as_kuan = lei.as_deref().and_then(|lei| {
            let code = format!("{lei}{two}");
            let below = out
                .get(i + 1..)
                .unwrap_or(&[])
                .iter()
                .find_map(|n| n.subject_code.as_deref())
                .is_some_and(|n| n.len() == 7 && n.starts_with(&code));
            if !table.is_economic() && below {
                Some((
                    code.clone(),
                    format!("the 类 above is {lei}, the 项 below print {code}…"),
                ))
            } else if named(lei) {
                Some((
                    code.clone(),
                    format!("the 类 above is {lei}, and the subject catalogue names {code} so"),
                ))
            } else {
                None
            }
        });
        let (code, why) = match (as_xiang, as_kuan) {
            (Some(x), None) => x,
            (None, Some(k)) => k,
            _ => continue,
        };
        let Some(parsed) = SubjectCode::parse(&code) else {
            continue;
        };
        if parsed.level() == 2 {
            kuan = Some(parsed.as_str().to_string());
        }
        let rest = rest.to_string();
        let Some(l) = out.get_mut(i) else { continue };
        ctx.warn(
            usize::try_from(l.line_no).unwrap_or(0),
            Some(table),
            WarningCode::CodeRepaired,
            format!(
                "{}: `{}` prints a {}'s two digits without its parent's: read as {} {rest} ({why})",
                table.as_str(),
                l.subject_name,
                if parsed.level() == 2 { "款" } else { "项" },
                parsed.as_str()
            ),
            Some(&l.subject_name),
        );
        l.subject_code = Some(parsed.as_str().to_string());
        l.subject_level = Some(parsed.level());
        l.parent_code = parsed.parent().map(|p| p.as_str().to_string());
        l.subject_name = rest;
    }
}

/// A table that prints its rows by name alone (杭州's tables: `卫生健康支出`, then
/// ` 行政事业单位医疗`, `  行政单位医疗`): each name is looked up in the subject catalogue
/// under the rows placed above it — a 项 under the last 款, a 款 under the last 类, a 类
/// among the 类 — and takes the one code the catalogue gives it there. A name the catalogue
/// does not give one code there ends the placing until the next 类 is found, since the rows
/// below it may be its own (a `行政运行` under an unknown 款 is not placed under the 款
/// above). A table printing any code is left as it is.
fn codes_by_name(out: &mut [BudgetLine], table: TableName, ctx: &mut Ctx) {
    if out.iter().any(|l| l.subject_code.is_some()) {
        return;
    }
    let classification = classification_of(table);
    let mut lei: Option<String> = None;
    let mut kuan: Option<String> = None;
    let mut placed: Vec<(usize, SubjectCode)> = Vec::new();
    for (i, l) in out.iter().enumerate() {
        if l.subject_level.is_some() {
            continue;
        }
        // (`一、工资福利支出`: a printed ordinal is no part of the name)
        let name = budsql_text::strip_ordinal(l.subject_name.trim());
        let found = kuan
            .as_deref()
            .and_then(|k| budsql_schema::code_by_name(classification, Some(k), name))
            .or_else(|| {
                lei.as_deref()
                    .and_then(|c| budsql_schema::code_by_name(classification, Some(c), name))
            })
            .or_else(|| budsql_schema::code_by_name(classification, None, name));
        let Some(code) = found else {
            lei = None;
            kuan = None;
            continue;
        };
        match code.level() {
            1 => {
                lei = Some(code.as_str().to_string());
                kuan = None;
            }
            2 => kuan = Some(code.as_str().to_string()),
            _ => {}
        }
        placed.push((i, code));
    }
    if placed.is_empty() || !reconciles(out, &placed, ctx.half_unit(table)) {
        return;
    }
    let first_line = placed
        .first()
        .and_then(|(i, _)| out.get(*i))
        .map(|l| l.line_no);
    let first = placed
        .first()
        .and_then(|(i, c)| Some((out.get(*i)?.subject_name.clone(), c.as_str().to_string())));
    let n = placed.len();
    for (i, code) in placed {
        let Some(l) = out.get_mut(i) else { continue };
        l.subject_level = Some(code.level());
        l.parent_code = code.parent().map(|p| p.as_str().to_string());
        l.subject_code = Some(code.as_str().to_string());
    }
    let placed = n;
    if let (Some(line), Some((name, code))) = (first_line, first) {
        ctx.warn(
            usize::try_from(line).unwrap_or(0),
            Some(table),
            WarningCode::CodeFromName,
            format!(
                "{}: the table prints no subject codes; {} row(s) took their codes from the subject catalogue by name under the rows above (`{name}` -> {code}{})",
                table.as_str(),
                placed,
                if placed > 1 { ", …" } else { "" }
            ),
            None,
        );
    }
}

/// Whether codes placed by name agree with the table's own arithmetic: no code twice (a
/// table by unit repeats its subjects under each unit), the 合计 the sum of the 类, and each
/// placed subject with placed rows under it their sum (within the rounding of its figures).
/// Rows placed by name are stored only where all of it holds and some sum of figures
/// other than 0 confirms it.
fn reconciles(out: &[BudgetLine], placed: &[(usize, SubjectCode)], half: Decimal) -> bool {
    let mut codes: Vec<&str> = placed.iter().map(|(_, c)| c.as_str()).collect();
    codes.sort_unstable();
    let n = codes.len();
    codes.dedup();
    if codes.len() != n {
        return false;
    }
    let total = |i: usize| out.get(i).and_then(|l| l.amounts.get(AmountCol::Total));
    let close = |a: Decimal, parts: &[Decimal]| {
        let sum: Decimal = parts.iter().copied().sum();
        (a - sum).abs() <= half * Decimal::from(parts.len() as i64 + 1)
    };
    // each parent (None: the table's 合计) and the figures of the rows placed under it
    let mut under: BTreeMap<Option<&str>, Vec<Decimal>> = BTreeMap::new();
    for (i, code) in placed {
        let parent = code.parent();
        let key = match &parent {
            None => None,
            Some(p) => codes.iter().copied().find(|c| *c == p.as_str()),
        };
        if parent.is_some() && key.is_none() {
            continue;
        }
        under
            .entry(key)
            .or_default()
            .push(total(*i).unwrap_or_default());
    }
    // (and at least one sum of figures other than 0 confirms them: a table of zeros
    // confirms nothing)
    let mut confirmed = false;
    let holds = under.iter().all(|(parent, parts)| {
        let of = match parent {
            None => out
                .iter()
                .find(|l| l.subject_level == Some(0))
                .and_then(|l| l.amounts.get(AmountCol::Total)),
            Some(p) => placed
                .iter()
                .find(|(_, c)| c.as_str() == *p)
                .and_then(|(i, _)| total(*i)),
        };
        of.is_none_or(|t| {
            confirmed |= !t.is_zero();
            close(t, parts)
        })
    });
    holds && confirmed
}

/// Numbers the rows; a name-only first or last row that equals the sum of the 类 rows is
/// the table's total (a total labelled with the unit's name); side-by-side halves' totals
/// (人员经费合计, 公用经费合计) become one 合计 row.
/// A coded row printed twice in a row, code, name and every figure the same (无锡发改 prints
/// the 款 `21999 其他支出` and, below it, the same line again where a 项 would stand; a page
/// break can repeat a row too): the repeat would count the subject twice in every sum of its
/// level, so it is not stored, with a warning.
fn drop_repeats(out: &mut Vec<BudgetLine>, table: TableName, ctx: &mut Ctx) {
    out.dedup_by(|l, p| {
        let repeat = l.subject_code.is_some()
            && p.subject_code == l.subject_code
            && p.subject_name == l.subject_name
            && p.amounts == l.amounts;
        if repeat {
            ctx.warn(
                usize::try_from(l.line_no).unwrap_or(0),
                Some(table),
                WarningCode::DuplicateRow,
                format!(
                    "{}: `{} {}` is printed twice in a row with the same figures; the repeat is not stored",
                    table.as_str(),
                    l.subject_code.as_deref().unwrap_or(""),
                    l.subject_name
                ),
                None,
            );
        }
        repeat
    });
}

fn finish(out: &mut Vec<BudgetLine>, table: TableName, unit_rows: &[(i32, String)], ctx: &mut Ctx) {
    kuan_under_lei(out, table, ctx);
    codes_by_name(out, table, ctx);
    drop_repeats(out, table, ctx);
    // halves: several level-0 rows each carrying personnel or public funds
    let totals: Vec<usize> = out
        .iter()
        .enumerate()
        .filter(|(_, l)| l.subject_level == Some(0))
        .map(|(i, _)| i)
        .collect();
    if totals.len() >= 2
        && table.is_economic()
        && totals.iter().all(|&i| {
            out.get(i).is_some_and(|l| {
                l.amounts.get(AmountCol::Personnel).is_some()
                    != l.amounts.get(AmountCol::PublicFunds).is_some()
            })
        })
    {
        let pick = |col: AmountCol, out: &[BudgetLine]| {
            totals
                .iter()
                .filter_map(|&i| out.get(i))
                .find_map(|l| l.amounts.get(col))
        };
        let personnel = pick(AmountCol::Personnel, out);
        let public = pick(AmountCol::PublicFunds, out);
        let Some(first) = totals.first().and_then(|&i| out.get(i)).cloned() else {
            return;
        };
        let mut total = first;
        total.amounts = Amounts::default();
        total.amounts.set(AmountCol::Personnel, personnel);
        total.amounts.set(AmountCol::PublicFunds, public);
        total.amounts.set(
            AmountCol::Total,
            match (personnel, public) {
                (None, None) => None,
                (a, b) => Some(a.unwrap_or_default() + b.unwrap_or_default()),
            },
        );
        let mut k = 0;
        out.retain(|_| {
            let keep = !totals.contains(&k);
            k += 1;
            keep
        });
        out.push(total);
    }
    // a name-only row at either end equal to the sum of the 类 rows: the total
    let top_sum: Option<Decimal> = {
        let tops: Vec<Decimal> = out
            .iter()
            .filter(|l| l.subject_level == Some(1))
            .filter_map(|l| l.amounts.get(AmountCol::Total))
            .collect();
        (!tops.is_empty()).then(|| tops.iter().copied().sum())
    };
    let has_total = out.iter().any(|l| l.subject_level == Some(0));
    if !has_total && let Some(sum) = top_sum {
        let half = ctx.half_unit(table) * Decimal::from(out.len().max(1) as i64 + 1);
        let n = out.len();
        for i in [0, n.saturating_sub(1)] {
            let Some(l) = out.get_mut(i) else { continue };
            if l.subject_code.is_none()
                && l.subject_level.is_none()
                && l.amounts
                    .get(AmountCol::Total)
                    .is_some_and(|t| (t - sum).abs() <= half)
            {
                l.subject_level = Some(0);
                l.subject_name = "合计".to_string();
                break;
            }
        }
    }
    for (i, l) in out.iter_mut().enumerate() {
        l.row_no = i32::try_from(i + 1).unwrap_or(i32::MAX);
    }
    // the rows by unit: said once for the table, not as rows without a subject code
    if let Some((line, first)) = unit_rows.first() {
        ctx.warn(
            usize::try_from(*line).unwrap_or(0),
            Some(table),
            WarningCode::UnitRow,
            format!(
                "{}: {} row(s) name units, each with its unit's code (`{first}`{}): stored by name, without a subject code",
                table.as_str(),
                unit_rows.len(),
                if unit_rows.len() > 1 { ", …" } else { "" }
            ),
            None,
        );
    }
    let by_unit = |l: &BudgetLine| unit_rows.iter().any(|(line, _)| *line == l.line_no);
    for l in out.iter().filter(|l| !by_unit(l)) {
        if l.subject_level.is_none() && l.subject_code.is_none() {
            ctx.warn(
                usize::try_from(l.line_no).unwrap_or(0),
                Some(table),
                WarningCode::RowWithoutCode,
                format!(
                    "{}: row {} `{}` has no subject code; its level is unknown",
                    table.as_str(),
                    l.row_no,
                    l.subject_name
                ),
                None,
            );
        } else if l.subject_level.is_none() {
            ctx.warn(
                usize::try_from(l.line_no).unwrap_or(0),
                Some(table),
                WarningCode::UnreadableCode,
                format!(
                    "{}: row {}: `{}` is not a 3-, 5- or 7-digit subject code; kept as printed",
                    table.as_str(),
                    l.row_no,
                    l.subject_code.as_deref().unwrap_or("")
                ),
                l.subject_code.as_deref(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows named only, with their 合计 (level 0) first; figures in 万元 as printed.
    fn named(rows: &[(&str, &str)]) -> Vec<BudgetLine> {
        rows.iter()
            .enumerate()
            .map(|(i, (name, total))| {
                let mut l = BudgetLine {
                    table: TableName::GpbExpenditure,
                    row_no: 0,
                    classification: Classification::Function,
                    subject_code: None,
                    subject_name: (*name).to_string(),
                    subject_level: None,
                    parent_code: None,
                    amounts: Amounts::default(),
                    line_no: i32::try_from(i + 1).unwrap_or(0),
                    page: 1,
                };
                if *name == "合计" {
                    l.subject_level = Some(0);
                }
                l.amounts
                    .set(AmountCol::Total, total.parse::<Decimal>().ok());
                l
            })
            .collect()
    }

    fn codes(out: &[BudgetLine]) -> Vec<Option<&str>> {
        out.iter().map(|l| l.subject_code.as_deref()).collect()
    }

    #[test]
    fn a_squeezed_rows_figures_go_where_the_arithmetic_holds() {
        use AmountCol::*;
        let d = |s: &str| s.parse::<Decimal>().ok();
        let half = Decimal::new(5, 3);
        let cols = [Total, Basic, Personnel, PublicFunds, Project];
        let mut l = named(&[("对机关事业单位基本养老保险基金的补助", "94597.00")])
            .pop()
            .unwrap_or_else(|| unreachable!());
        l.subject_code = Some("2080507".into());
        // by spacing under 公用经费: 合计 ≠ 基本 + 项目 and 基本 ≠ 人员 + 公用
        l.amounts.set(PublicFunds, d("94597.00"));
        assert_eq!(keeps_arithmetic(&l.amounts, &cols, half), Some(false));
        let note = place_by_arithmetic(&mut l, &cols, TableName::GpbExpenditure, half);
        assert!(note.is_some_and(|n| n.contains("项目支出")));
        assert_eq!(l.amounts.get(Project), d("94597.00"));
        assert_eq!(l.amounts.get(PublicFunds), None);
        assert_eq!(l.amounts.get(Total), d("94597.00"));
        // a row that keeps it stays
        let before = l.clone();
        assert_eq!(
            place_by_arithmetic(&mut l, &cols, TableName::GpbExpenditure, half),
            None
        );
        assert_eq!(l, before);
        // two placements keep it (项目支出 or 经营支出 alone equal to 合计): the row stays as
        // placed
        let cols = [Total, Basic, Personnel, PublicFunds, Project, Operating];
        let mut l = before.clone();
        l.amounts = Amounts::default();
        l.amounts.set(Total, d("10.00"));
        l.amounts.set(PublicFunds, d("10.00"));
        assert_eq!(keeps_arithmetic(&l.amounts, &cols, half), Some(false));
        assert_eq!(
            place_by_arithmetic(&mut l, &cols, TableName::GpbExpenditure, half),
            None
        );
        assert_eq!(l.amounts.get(PublicFunds), d("10.00"));
        // an income table is not summed this way
        let mut l = before;
        l.amounts.set(Project, None);
        l.amounts.set(PublicFunds, d("94597.00"));
        assert_eq!(
            place_by_arithmetic(
                &mut l,
                &[Total, Basic, Personnel, PublicFunds, Project],
                TableName::Income,
                half
            ),
            None
        );
    }

    #[test]
    fn a_figure_the_arithmetic_leaves_open_goes_where_other_tables_spend() {
        use AmountCol::*;
        let d = |s: &str| s.parse::<Decimal>().ok();
        let line = |table: TableName, code: &str, line_no: i32| {
            let mut l = named(&[("其他商业服务业等支出", "1172.70")])
                .pop()
                .unwrap_or_else(|| unreachable!());
            l.table = table;
            l.subject_code = Some(code.into());
            l.line_no = line_no;
            l
        };
        let undecided = |line_no: usize| crate::ctx::Undecided {
            table: TableName::Expenditure,
            line_no,
            text: "1,172.70".into(),
            value: Decimal::new(117270, 2),
            candidates: vec![Basic, Project],
            unplaced: "not certain".into(),
        };
        let mut gpb = line(TableName::GpbExpenditure, "216", 90);
        gpb.amounts.set(Project, d("1172.70"));
        let mut lines = vec![
            line(TableName::Expenditure, "216", 10),
            line(TableName::Expenditure, "219", 11),
            gpb,
        ];
        let mut ctx = Ctx::default();
        ctx.undecided.push(undecided(10));
        ctx.undecided.push(undecided(11));
        place_by_other_tables(&mut lines, &mut ctx);
        let first = lines
            .first()
            .map(|l| (l.amounts.get(Basic), l.amounts.get(Project)));
        assert_eq!(first, Some((None, d("1172.70"))));
        // 219: no other table spends it; unplaced, with its warning
        let second = lines
            .get(1)
            .map(|l| (l.amounts.get(Basic), l.amounts.get(Project)));
        assert_eq!(second, Some((None, None)));
        let codes: Vec<WarningCode> = ctx.warnings.iter().map(|w| w.code).collect();
        assert_eq!(
            codes,
            [WarningCode::PlacedByArithmetic, WarningCode::UnplacedFigure]
        );
        assert!(ctx.undecided.is_empty());

        // a row placed by spacing under 基本支出, spent as 项目支出 in another table: moved
        let cols = vec![Total, Basic, Project];
        let mut gpb = line(TableName::GpbExpenditure, "2240199", 90);
        gpb.amounts.set(Project, d("1172.70"));
        let mut spaced = line(TableName::Expenditure, "2240199", 10);
        spaced.amounts.set(Basic, d("1172.70"));
        let mut kept = line(TableName::Expenditure, "2240101", 11);
        kept.amounts.set(Basic, d("1172.70"));
        let mut lines = vec![spaced, kept, gpb];
        let mut ctx = Ctx::default();
        for line_no in [10, 11] {
            ctx.by_spacing.push(crate::ctx::BySpacing {
                table: TableName::Expenditure,
                line_no,
                cols: cols.clone(),
            });
        }
        place_by_other_tables(&mut lines, &mut ctx);
        let at = |i: usize| {
            lines
                .get(i)
                .map(|l| (l.amounts.get(Basic), l.amounts.get(Project)))
        };
        assert_eq!(at(0), Some((None, d("1172.70"))));
        // (2240101: no other table spends it; as placed)
        assert_eq!(at(1), Some((d("1172.70"), None)));
        assert_eq!(ctx.warnings.len(), 1);

        // a sibling fund's spending says nothing of this one's: the 政府性基金 table spends
        // 229 as 项目支出, the 一般公共预算's figure stays unplaced
        let mut fund = line(TableName::GovFundExpenditure, "229", 90);
        fund.amounts.set(Project, d("770.00"));
        let mut lines = vec![line(TableName::GpbExpenditure, "229", 10), fund];
        let mut ctx = Ctx::default();
        ctx.undecided.push(crate::ctx::Undecided {
            table: TableName::GpbExpenditure,
            ..undecided(10)
        });
        place_by_other_tables(&mut lines, &mut ctx);
        let first = lines
            .first()
            .map(|l| (l.amounts.get(Basic), l.amounts.get(Project)));
        assert_eq!(first, Some((None, None)));
        assert_eq!(
            ctx.warnings.iter().map(|w| w.code).collect::<Vec<_>>(),
            [WarningCode::UnplacedFigure]
        );

        // a basic-expenditure row by economic subject, its figure 人员经费 or 公用经费 by the
        // arithmetic: its class says which (301 人员, 302 公用; 399 neither)
        let mut lines = vec![
            line(TableName::GpbBasic, "30101", 10),
            line(TableName::GpbBasic, "30201", 11),
            line(TableName::GpbBasic, "39999", 12),
        ];
        let mut ctx = Ctx::default();
        for line_no in [10, 11, 12] {
            ctx.undecided.push(crate::ctx::Undecided {
                table: TableName::GpbBasic,
                candidates: vec![Personnel, PublicFunds],
                ..undecided(line_no)
            });
        }
        place_by_other_tables(&mut lines, &mut ctx);
        let split: Vec<_> = lines
            .iter()
            .map(|l| (l.amounts.get(Personnel), l.amounts.get(PublicFunds)))
            .collect();
        assert_eq!(
            split,
            [(d("1172.70"), None), (None, d("1172.70")), (None, None)]
        );
    }

    #[test]
    fn names_alone_take_the_catalogues_codes_where_the_figures_agree() {
        let rows = [
            ("合计", "477.19"),
            ("社会保障和就业支出", "396.67"),
            ("行政事业单位养老支出", "396.67"),
            ("行政单位离退休", "193.24"),
            ("机关事业单位基本养老保险缴费支出", "135.62"),
            ("机关事业单位职业年金缴费支出", "67.81"),
            ("卫生健康支出", "80.52"),
            ("行政事业单位医疗", "80.52"),
            ("行政单位医疗", "61.17"),
            ("事业单位医疗", "19.35"),
        ];
        let mut out = named(&rows);
        let mut ctx = Ctx::default();
        codes_by_name(&mut out, TableName::GpbExpenditure, &mut ctx);
        assert_eq!(
            codes(&out),
            [
                None,
                Some("208"),
                Some("20805"),
                Some("2080501"),
                Some("2080505"),
                Some("2080506"),
                Some("210"),
                Some("21011"),
                Some("2101101"),
                Some("2101102")
            ]
        );
        assert_eq!(
            out.get(3).and_then(|l| l.parent_code.as_deref()),
            Some("20805")
        );
        assert_eq!(out.get(3).and_then(|l| l.subject_level), Some(3));
        assert_eq!(ctx.warnings.len(), 1);
        assert!(
            ctx.warnings
                .iter()
                .all(|w| w.code == WarningCode::CodeFromName)
        );

        // a printed ordinal is no part of the name
        let mut out = named(&[
            ("合计", "12.00"),
            ("一、工资福利支出", "12.00"),
            ("基本工资", "12.00"),
        ]);
        codes_by_name(&mut out, TableName::BasicExpenditure, &mut Ctx::default());
        assert_eq!(codes(&out), [None, Some("301"), Some("30101")]);

        // a name the catalogue lacks ends the placing until the next 类
        let mut out = named(&[
            ("合计", "5275.87"),
            ("科学技术支出", "28.00"),
            ("技术研究与开发", "28.00"),
            ("科技成果转化与扩散", "28.00"),
            ("自然资源海洋气象等支出", "5247.87"),
            ("气象事务", "5247.87"),
            ("行政运行", "2617.19"),
        ]);
        codes_by_name(&mut out, TableName::GpbExpenditure, &mut Ctx::default());
        assert_eq!(
            codes(&out),
            [
                None,
                Some("206"),
                Some("20604"),
                Some("2060404"),
                Some("220"),
                None,
                None
            ]
        );

        // figures that do not add up: nothing is placed
        let mut out = named(&[
            ("合计", "500.00"),
            ("卫生健康支出", "80.52"),
            ("行政事业单位医疗", "80.52"),
            ("行政单位医疗", "61.17"),
        ]);
        codes_by_name(&mut out, TableName::GpbExpenditure, &mut Ctx::default());
        assert_eq!(codes(&out), [None, None, None, None]);

        // a table by unit repeats its subjects: nothing is placed
        let mut out = named(&[
            ("合计", "20.00"),
            ("工资福利支出", "10.00"),
            ("基本工资", "10.00"),
            ("工资福利支出", "10.00"),
            ("基本工资", "10.00"),
        ]);
        codes_by_name(&mut out, TableName::BasicExpenditure, &mut Ctx::default());
        assert_eq!(codes(&out), [None; 5]);

        // a table of zeros confirms nothing
        let mut out = named(&[("合计", "0.00"), ("其他支出", "0.00")]);
        codes_by_name(&mut out, TableName::GovFundExpenditure, &mut Ctx::default());
        assert_eq!(codes(&out), [None, None]);

        // a table printing a code keeps its rows as printed
        let mut out = named(&[("合计", "80.52"), ("卫生健康支出", "80.52")]);
        if let Some(l) = out.get_mut(1) {
            l.subject_code = Some("210".into());
        }
        let before = out.clone();
        codes_by_name(&mut out, TableName::GpbExpenditure, &mut Ctx::default());
        assert_eq!(out, before);
    }

    fn stub(parts: &[&str]) -> (Option<String>, String) {
        let s = parse_stub(parts);
        (s.code, s.name)
    }

    #[test]
    fn subjects_in_every_printed_form() {
        assert_eq!(
            stub(&["201", "一般公共服务支出"]),
            (Some("201".into()), "一般公共服务支出".into())
        );
        assert_eq!(
            stub(&["208", "05", "05", "机关事业单位基本养老保险缴费支出"]),
            (
                Some("2080505".into()),
                "机关事业单位基本养老保险缴费支出".into()
            )
        );
        assert_eq!(
            stub(&["[2010999]其他海关事务支出"]),
            (Some("2010999".into()), "其他海关事务支出".into())
        );
        assert_eq!(
            stub(&["2010801-行政运行", "50101-工资奖金津补贴", "30101-基本工资"]),
            (Some("2010801".into()), "行政运行".into())
        );
        assert_eq!(stub(&["合计"]), (None, "合计".into()));
        assert_eq!(
            stub(&["024", "苏州市审计局"]),
            (None, "024苏州市审计局".into())
        );
        assert_eq!(
            stub(&["一般公共服务支出"]),
            (None, "一般公共服务支出".into())
        );
    }

    #[test]
    fn columns_of_another_year_or_measure() {
        use budsql_schema::DocKind::{Budget, Final};
        let f = |path: &[&str], kind, year| {
            matches!(
                period_of(path, kind, year),
                Period::Other(_) | Period::Change(_)
            )
        };
        assert!(f(&["2017年预算数", "合计"], Budget, 2018));
        assert!(!f(&["2018年预算数", "合计"], Budget, 2018));
        assert!(f(&["上年预算数"], Budget, 2018));
        assert!(f(&["增减"], Budget, 2018));
        assert!(f(&["2025年执行数", "执行数"], Budget, 2026));
        assert!(f(&["年初预算数", "基本支出"], Final, 2024));
        assert!(!f(&["决算数", "基本支出"], Final, 2024));
        assert!(f(&["上年决算数"], Budget, 2018));
        // sources and carry-overs name no measure
        assert!(!f(&["上年结转", "一般公共预算"], Budget, 2018));
        assert!(!f(&["本年收入", "政府性基金预算"], Final, 2024));
        assert!(!f(&["一般公共预算拨款"], Final, 2024));
        assert!(!f(
            &["其中：2026年政府采购项目中预留给中小企业的项目资金规模"],
            Budget,
            2026
        ));
        assert!(!f(&["预算数"], Budget, 2026));
        // another year's figures only where the table names the document's own
        let own = vec![vec!["2017年预算数"], vec!["2018年预算数"], vec!["增减"]];
        let why = foreign_columns(&own, Some((Budget, 2018)));
        assert_eq!(
            why.iter().map(Option::is_some).collect::<Vec<_>>(),
            [true, false, true]
        );
        // (a final account whose one column says `预算数`: its own, under a loose word)
        let loose = vec![vec!["项目"], vec!["预算数"]];
        assert_eq!(foreign_columns(&loose, Some((Final, 2018))), [None, None]);
    }

    #[test]
    fn columns_by_label_and_group() {
        let m = |l: &str, g: &[&str], t| {
            amount_meaning(l, &g.iter().map(|s| s.to_string()).collect::<Vec<_>>(), t)
        };
        use AmountCol::*;
        assert_eq!(
            m("小计", &["基本支出"], TableName::Expenditure),
            Some(Basic)
        );
        assert_eq!(
            m(
                "其中：基本支出",
                &["一般公共预算支出"],
                TableName::GpbExpenditure
            ),
            Some(Basic)
        );
        assert_eq!(
            m("小计", &["一般公共预算支出"], TableName::GpbExpenditure),
            Some(Total)
        );
        assert_eq!(
            m("小计", &["本年收入"], TableName::Income),
            Some(CurrentIncome)
        );
        assert_eq!(
            m("小计", &["上年结转结余"], TableName::Income),
            Some(Carryover)
        );
        assert_eq!(
            m("日常公用支出", &[], TableName::Expenditure),
            Some(PublicFunds)
        );
        assert_eq!(m("专项业务", &[], TableName::Expenditure), Some(Project));
        assert_eq!(m("预算", &[], TableName::GpbBasic), Some(Total));
        assert_eq!(m("科目名称", &[], TableName::GpbBasic), None);
        // side by side: a part has amounts (a column of unknown meaning is no part's end)
        let cols = vec![crate::table::fixtures::column("", 0.0, 1.0); 5];
        use Meaning::{Amount, Stub, Unknown};
        assert_eq!(
            split_parts(&cols, &[Stub, Unknown, Stub, Stub, Amount(Total)]),
            [(0, 5)]
        );
        assert_eq!(
            split_parts(
                &cols,
                &[Stub, Amount(Personnel), Stub, Amount(PublicFunds), Unknown]
            ),
            [(0, 2), (2, 5)]
        );
        // two sources of funds run together (a header laid out out of order) are neither;
        // a group's name run into its leaf's is the leaf
        let p = TableName::Procurement;
        assert_eq!(m("一般公共政府性基金预算资金", &[], p), None);
        assert_eq!(m("上年结转和其他资金结余资金", &["资金来源"], p), None);
        assert_eq!(m("一般公共预算资金", &["资金来源"], p), Some(Gpb));
        assert_eq!(m("其他资金", &[], p), Some(OtherIncome));
        assert_eq!(
            m("其他资金收入事业单位经营收入", &[], TableName::Income),
            Some(OperatingIncome)
        );
        // a subsidy paid to subsidiaries, and the remittances received from them (西安's
        // `对附属单位上缴收入`), which a spending table has no column for
        let e = TableName::Expenditure;
        assert_eq!(m("对附属单位补助支出", &[], e), Some(SubsidiarySubsidy));
        assert_eq!(m("对附属单位", &[], e), Some(SubsidiarySubsidy));
        assert_eq!(m("对附属单位上缴收入", &["部门预算"], e), None);
        assert_eq!(
            m("对附属单位上缴收入", &[], TableName::Income),
            Some(SubsidiaryRemit)
        );
        // the 政府采购 kept for small firms is no 预留机动经费
        assert_eq!(m("预留机动经费", &[], e), Some(Reserve));
        assert_eq!(
            m(
                "其中：2026年政府采购项目中预留给中小企业的项目资金规模",
                &["2026年政府采购项目"],
                e
            ),
            None
        );
        // 长沙's income table: `本级财政拨款` over `金额` and `其中:经费拨款` (a part of it)
        let i = TableName::Income;
        assert_eq!(m("金额", &["本级财政拨款"], i), Some(FiscalAppropriation));
        assert_eq!(m("其中:经费拨款", &["本级财政拨款"], i), None);
    }
}
