//! The document's own arithmetic, verified: each failed identity is a [`Check`] row.
//!
//! A difference is `rounding` when the rounding of the printed figures can explain it
//! (each figure is off by at most half a unit of its last printed digit, so a sum of n
//! figures compared with a printed total can be off by up to n + 1 of them) and `error`
//! beyond that.

use std::collections::BTreeMap;

use budsql_schema::{
    AmountCol, BudgetLine, Check, Decimal, Document, Severity, Side, SummaryLine, TableName,
    WarningCode,
};

use crate::ctx::Ctx;
use crate::families::classified::allowed_columns;
use crate::summary::{is_carryover, is_grand_total, is_year_total};

struct Checker<'a> {
    ctx: &'a Ctx,
    out: Vec<Check>,
}

/// A figure to compare: its value (blank counts as 0) and how many printed figures made it.
#[derive(Clone, Copy)]
struct Fig {
    value: Decimal,
    terms: usize,
}

fn sum(values: impl IntoIterator<Item = Option<Decimal>>) -> Fig {
    let mut value = Decimal::ZERO;
    let mut terms = 0;
    for v in values.into_iter().flatten() {
        value += v;
        terms += 1;
    }
    Fig { value, terms }
}

fn one(v: Option<Decimal>) -> Fig {
    sum([v])
}

struct Subject<'a> {
    table: &'a str,
    row_no: Option<i32>,
    code: Option<&'a str>,
    column: Option<&'a str>,
    line_no: i32,
}

impl Checker<'_> {
    #[allow(clippy::too_many_arguments)]
    fn compare(
        &mut self,
        at: Subject<'_>,
        rule: &str,
        expected: Fig,
        actual: Fig,
        half: Decimal,
        what: impl FnOnce() -> String,
    ) {
        let diff = (expected.value - actual.value).abs();
        if diff.is_zero() {
            return;
        }
        let terms = expected.terms.max(1) + actual.terms.max(1);
        let tolerance = half * Decimal::from(terms);
        let severity = if diff <= tolerance {
            Severity::Rounding
        } else {
            Severity::Error
        };
        self.out.push(Check {
            table_name: at.table.to_string(),
            row_no: at.row_no,
            subject_code: at.code.map(str::to_string),
            column: at.column.map(str::to_string),
            rule: rule.to_string(),
            expected: expected.value,
            actual: actual.value,
            severity,
            line_no: at.line_no,
            message: format!(
                "{}: expected {} but the document prints {} (off by {diff})",
                what(),
                expected.value.normalize(),
                actual.value.normalize()
            ),
        });
    }

    /// A table of projects: the projects under a unit (or category) line sum to it.
    fn projects(&mut self, doc: &Document) {
        let table = TableName::ProjectExpenditure;
        let rows: Vec<&BudgetLine> = doc
            .budget_lines
            .iter()
            .filter(|l| l.table == table)
            .collect();
        let half = self.ctx.half_unit(table);
        let t = table.as_str();
        // (without unit lines, the projects sum to the 合计)
        let units = rows.iter().any(|r| r.subject_level == Some(1));
        let parent_level = if units { 1 } else { 0 };
        for (i, r) in rows.iter().enumerate() {
            if r.subject_level != Some(parent_level) {
                continue;
            }
            let projects: Vec<&&BudgetLine> = rows
                .iter()
                .skip(i + 1)
                .take_while(|x| x.subject_level == Some(2))
                .collect();
            if projects.is_empty() {
                continue;
            }
            for col in allowed_columns(table) {
                if r.amounts.get(*col).is_none()
                    && projects.iter().all(|p| p.amounts.get(*col).is_none())
                {
                    continue;
                }
                let c = col.as_str();
                let at = Subject {
                    table: t,
                    row_no: Some(r.row_no),
                    code: None,
                    column: Some(c),
                    line_no: r.line_no,
                };
                let name = &r.subject_name;
                let what = || format!("{t} `{name}` `{c}` = sum of the projects under it");
                self.compare(
                    at,
                    if units {
                        "unit_equals_projects"
                    } else {
                        "total_equals_projects"
                    },
                    sum(projects.iter().map(|p| p.amounts.get(*col))),
                    one(r.amounts.get(*col)),
                    half,
                    what,
                );
            }
        }
    }

    fn classified(&mut self, doc: &Document, table: TableName) {
        let rows: Vec<&BudgetLine> = doc
            .budget_lines
            .iter()
            .filter(|l| l.table == table)
            .collect();
        if rows.is_empty() {
            return;
        }
        let half = self.ctx.half_unit(table);
        let present: Vec<AmountCol> = allowed_columns(table)
            .iter()
            .copied()
            .filter(|c| rows.iter().any(|r| r.amounts.get(*c).is_some()))
            .collect();
        let mut children: BTreeMap<&str, Vec<&BudgetLine>> = BTreeMap::new();
        for r in &rows {
            if let Some(p) = r.parent_code.as_deref() {
                children.entry(p).or_default().push(r);
            }
        }
        let t = table.as_str();
        for col in &present {
            let c = col.as_str();
            for r in &rows {
                let at = Subject {
                    table: t,
                    row_no: Some(r.row_no),
                    code: r.subject_code.as_deref(),
                    column: Some(c),
                    line_no: r.line_no,
                };
                if r.subject_level == Some(0) {
                    let classes: Vec<&&BudgetLine> =
                        rows.iter().filter(|x| x.subject_level == Some(1)).collect();
                    if !classes.is_empty() {
                        let exp = sum(classes.iter().map(|x| x.amounts.get(*col)));
                        let what = || format!("{t} 合计 `{c}` = sum of its 类 rows");
                        self.compare(
                            at,
                            "total_equals_classes",
                            exp,
                            one(r.amounts.get(*col)),
                            half,
                            what,
                        );
                    }
                    continue;
                }
                let Some(code) = r.subject_code.as_deref() else {
                    continue;
                };
                if let Some(kids) = children.get(code) {
                    let exp = sum(kids.iter().map(|x| x.amounts.get(*col)));
                    let what =
                        || format!("{t} {code} {} `{c}` = sum of its children", r.subject_name);
                    self.compare(
                        at,
                        "parent_equals_children",
                        exp,
                        one(r.amounts.get(*col)),
                        half,
                        what,
                    );
                }
            }
        }
        // identities across the columns of each row
        for r in &rows {
            let label = r
                .subject_code
                .clone()
                .unwrap_or_else(|| r.subject_name.clone());
            let at = || Subject {
                table: t,
                row_no: Some(r.row_no),
                code: r.subject_code.as_deref(),
                column: Some("total"),
                line_no: r.line_no,
            };
            let get = |c: AmountCol| r.amounts.get(c);
            let total = one(get(AmountCol::Total));
            match table {
                TableName::GpbBasic => {
                    // (a table of one 合计 column has no identity across its columns)
                    if !present.contains(&AmountCol::Personnel)
                        && !present.contains(&AmountCol::PublicFunds)
                    {
                        continue;
                    }
                    let exp = sum([get(AmountCol::Personnel), get(AmountCol::PublicFunds)]);
                    let what = || format!("{t} {label} 合计 = 人员经费 + 公用经费");
                    self.compare(
                        at(),
                        "total_equals_personnel_public",
                        exp,
                        total,
                        half,
                        what,
                    );
                }
                TableName::Income | TableName::ProjectExpenditure => {
                    use AmountCol::*;
                    // (a table of projects printing one amount has no sources to sum)
                    let source_cols = [
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
                        CurrentIncome,
                    ];
                    if table == TableName::ProjectExpenditure
                        && !source_cols.iter().any(|c| present.contains(c))
                    {
                        continue;
                    }
                    // 财政拨款 as one column, else as its printed parts
                    let funds = [get(Gpb), get(GovFund), get(Soe)];
                    let fiscal: Vec<Option<Decimal>> = if get(FiscalAppropriation).is_some() {
                        vec![get(FiscalAppropriation)]
                    } else {
                        funds.to_vec()
                    };
                    if let Some(f) = get(FiscalAppropriation)
                        && funds.iter().any(Option::is_some)
                    {
                        let sub = Subject {
                            column: Some("fiscal_appropriation"),
                            ..at()
                        };
                        let what = || {
                            format!(
                                "{t} {label} 财政拨款 = 一般公共预算 + 政府性基金 + 国有资本经营"
                            )
                        };
                        self.compare(
                            sub,
                            "fiscal_equals_funds",
                            sum(funds),
                            one(Some(f)),
                            half,
                            what,
                        );
                    }
                    // The sources cannot be summed where the funds were not stored, their
                    // columns not being certain, or where no column of a source was read at
                    // all (杭州气象's run together in its header, each with its warning):
                    // saying they disagree would blame the document for the reader.
                    // (nor where a column of figures of the table was not stored, its
                    // meaning not recognised: 杭州气象's 项目支出表 prints its projects'
                    // 单位资金 beside their 财政拨款, and each 合计 seemed to exceed its sources)
                    let unmapped = self.ctx.warnings.iter().any(|w| {
                        w.code == WarningCode::UnmappedColumn && w.table_name.as_deref() == Some(t)
                    });
                    let sources_unread = (get(FiscalAppropriation).is_none()
                        && self
                            .ctx
                            .warnings
                            .iter()
                            .any(|w| w.code == WarningCode::UncertainFunds))
                        || unmapped
                        || !source_cols
                            .iter()
                            .filter(|c| **c != CurrentIncome)
                            .any(|c| present.contains(c));
                    let sources = sum(fiscal.into_iter().chain([
                        get(SpecialAccount),
                        get(BusinessIncome),
                        get(OperatingIncome),
                        get(SuperiorSubsidy),
                        get(SubsidiaryRemit),
                        get(OtherIncome),
                    ]));
                    if present.contains(&CurrentIncome) {
                        let exp = sum([get(CurrentIncome), get(Carryover)]);
                        let what = || format!("{t} {label} 合计 = 本年收入小计 + 上年结转");
                        self.compare(
                            at(),
                            "total_equals_current_plus_carryover",
                            exp,
                            total,
                            half,
                            what,
                        );
                        let what = || format!("{t} {label} 小计 = sum of the income sources");
                        let sub = Subject {
                            column: Some("current_income"),
                            ..at()
                        };
                        if !sources_unread {
                            self.compare(
                                sub,
                                "current_equals_sources",
                                sources,
                                one(get(CurrentIncome)),
                                half,
                                what,
                            );
                        }
                    } else if !sources_unread {
                        let exp = Fig {
                            value: sources.value + get(Carryover).unwrap_or_default(),
                            terms: sources.terms + usize::from(get(Carryover).is_some()),
                        };
                        let what = || format!("{t} {label} 合计 = income sources + 上年结转");
                        self.compare(at(), "total_equals_sources", exp, total, half, what);
                    }
                }
                _ => {
                    use AmountCol::*;
                    // 基本支出 as one column, else as its printed parts (人员 | 公用)
                    let basic: Vec<Option<Decimal>> = if present.contains(&Basic) {
                        vec![get(Basic)]
                    } else {
                        vec![get(Personnel), get(PublicFunds)]
                    };
                    let exp = sum(basic.into_iter().chain([
                        get(Project),
                        get(Operating),
                        get(RemitUpper),
                        get(SubsidiarySubsidy),
                        get(Reserve),
                    ]));
                    if present.contains(&Basic)
                        && (present.contains(&Personnel) || present.contains(&PublicFunds))
                    {
                        let sub = Subject {
                            column: Some("basic"),
                            ..at()
                        };
                        let what = || format!("{t} {label} 基本支出 = 人员经费 + 公用经费");
                        self.compare(
                            sub,
                            "basic_equals_personnel_public",
                            sum([get(Personnel), get(PublicFunds)]),
                            one(get(Basic)),
                            half,
                            what,
                        );
                    }
                    let parts = [
                        Personnel,
                        PublicFunds,
                        Basic,
                        Project,
                        Operating,
                        RemitUpper,
                        SubsidiarySubsidy,
                        Reserve,
                    ];
                    if parts.iter().any(|c| present.contains(c))
                        && (exp.terms > 0 || total.terms > 0)
                    {
                        let what = || {
                            format!(
                                "{t} {label} 合计 = 基本支出 + 项目支出 (+ other spending columns)"
                            )
                        };
                        self.compare(at(), "total_equals_basic_project", exp, total, half, what);
                    }
                    // a final account's fund table: 年初结转和结余 + 本年收入 − 本年支出 = 年末
                    if let (Some(end), Some(income)) = (get(YearEndBalance), get(CurrentIncome)) {
                        let exp = Fig {
                            value: get(Carryover).unwrap_or_default() + income
                                - get(Total).unwrap_or_default(),
                            terms: 3,
                        };
                        let sub = Subject {
                            column: Some("year_end_balance"),
                            ..at()
                        };
                        let what = || {
                            format!(
                                "{t} {label} 年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出"
                            )
                        };
                        self.compare(
                            sub,
                            "balance_carried_forward",
                            exp,
                            one(Some(end)),
                            half,
                            what,
                        );
                    }
                }
            }
        }
    }

    fn summary(&mut self, doc: &Document, table: TableName) {
        let t = table.as_str();
        let half = self.ctx.half_unit(table);
        let mut grand: BTreeMap<&'static str, (Fig, &SummaryLine)> = BTreeMap::new();
        let mut year_totals: BTreeMap<&'static str, (Fig, &SummaryLine)> = BTreeMap::new();
        for side in [Side::Income, Side::Expenditure] {
            let lines: Vec<&SummaryLine> = doc
                .summary_lines
                .iter()
                .filter(|l| l.table == table && l.side == side)
                .collect();
            let s = side.as_str();
            let at = |l: &SummaryLine, col: &'static str| Subject {
                table: t,
                row_no: Some(l.row_no),
                code: None,
                column: Some(col),
                line_no: l.line_no,
            };
            let Some(yt_pos) = lines.iter().position(|l| is_year_total(&l.item_name)) else {
                // no 本年合计 line: the 总计 is the sum of the items above it
                if let Some(gt_pos) = lines.iter().position(|l| is_grand_total(&l.item_name))
                    && let Some(gt) = lines.get(gt_pos)
                {
                    let items = lines.get(..gt_pos).unwrap_or(&[]);
                    let exp = sum(items.iter().filter(|l| l.item_level == 1).map(|l| l.amount));
                    let what = || format!("{t} {s} `{}` = sum of the items above it", gt.item_name);
                    self.compare(
                        at(gt, "amount"),
                        "grand_total_equals_items",
                        exp,
                        one(gt.amount),
                        half,
                        what,
                    );
                    grand.insert(s, (one(gt.amount), gt));
                }
                continue;
            };
            let Some(yt) = lines.get(yt_pos) else {
                continue;
            };
            let above = lines.get(..yt_pos).unwrap_or(&[]);
            // 杭州 prints `本年支出合计` first and its items below it, down to the
            // carry-over and the 总计
            let below = above.iter().all(|l| l.item_level != 1);
            let items = if below {
                let rest = lines.get(yt_pos + 1..).unwrap_or(&[]);
                let end = rest
                    .iter()
                    .position(|l| is_carryover(&l.item_name) || is_grand_total(&l.item_name))
                    .unwrap_or(rest.len());
                rest.get(..end).unwrap_or(&[])
            } else {
                above
            };
            let exp = sum(items.iter().filter(|l| l.item_level == 1).map(|l| l.amount));
            let what = || {
                format!(
                    "{t} {s} `{}` = sum of the items {} it",
                    yt.item_name,
                    if below { "below" } else { "above" }
                )
            };
            self.compare(
                at(yt, "amount"),
                "year_total_equals_items",
                exp,
                one(yt.amount),
                half,
                what,
            );
            year_totals.insert(s, (one(yt.amount), yt));
            if let Some(gt) = lines
                .iter()
                .skip(yt_pos + 1)
                .find(|l| is_grand_total(&l.item_name))
            {
                let carry: Vec<&&SummaryLine> = lines
                    .iter()
                    .skip(yt_pos + 1)
                    .take_while(|l| !is_grand_total(&l.item_name))
                    .filter(|l| is_carryover(&l.item_name))
                    .collect();
                let exp = sum(std::iter::once(yt.amount).chain(carry.iter().map(|l| l.amount)));
                let what = || {
                    format!(
                        "{t} {s} `{}` = `{}` + carry-over",
                        gt.item_name, yt.item_name
                    )
                };
                self.compare(
                    at(gt, "amount"),
                    "grand_total_equals_year_plus_carryover",
                    exp,
                    one(gt.amount),
                    half,
                    what,
                );
                grand.insert(s, (one(gt.amount), gt));
            }
            if side == Side::Expenditure {
                let (class_table, col) = if table == TableName::FiscalSummary {
                    (TableName::GpbExpenditure, "gpb")
                } else {
                    (TableName::Expenditure, "amount")
                };
                // (a 财政拨款收支总表 printing one figure a line, without the three funds'
                // columns, has neither identity: its figure spans all three funds)
                let funds_printed = lines
                    .iter()
                    .any(|l| l.gpb.is_some() || l.gov_fund.is_some() || l.soe.is_some());
                if table == TableName::FiscalSummary && !funds_printed {
                    continue;
                }
                for l in items.iter().chain(std::iter::once(yt)) {
                    if table == TableName::FiscalSummary {
                        let exp = sum([l.gpb, l.gov_fund, l.soe]);
                        if exp.terms > 0 || l.amount.is_some() {
                            let what = || {
                                format!(
                                    "{t} `{}` 合计 = 一般公共预算 + 政府性基金 + 国有资本经营",
                                    l.item_name
                                )
                            };
                            self.compare(
                                at(l, "amount"),
                                "total_equals_funds",
                                exp,
                                one(l.amount),
                                half,
                                what,
                            );
                        }
                    }
                    let value = if table == TableName::FiscalSummary {
                        l.gpb
                    } else {
                        l.amount
                    };
                    let class_row = if is_year_total(&l.item_name) {
                        doc.budget_lines
                            .iter()
                            .find(|b| b.table == class_table && b.subject_level == Some(0))
                    } else {
                        doc.budget_lines.iter().find(|b| {
                            b.table == class_table
                                && b.subject_level == Some(1)
                                && b.subject_name == l.item_name
                        })
                    };
                    if let Some(b) = class_row {
                        let what = || {
                            format!(
                                "{t} `{}` ({col}) = {} {}",
                                l.item_name,
                                class_table.as_str(),
                                b.subject_code.as_deref().unwrap_or("合计")
                            )
                        };
                        let h = half.max(self.ctx.half_unit(class_table));
                        self.compare(
                            at(l, col),
                            "summary_matches_table",
                            one(b.amounts.get(AmountCol::Total)),
                            one(value),
                            h,
                            what,
                        );
                    }
                }
            }
        }
        if let (Some((i, il)), Some((e, _))) = (grand.get("income"), grand.get("expenditure")) {
            let what = || format!("{t} 收入总计 = 支出总计");
            let at = Subject {
                table: t,
                row_no: Some(il.row_no),
                code: None,
                column: Some("amount"),
                line_no: il.line_no,
            };
            self.compare(at, "balanced", *i, *e, half, what);
        }
        if table == TableName::Summary {
            // 本年收入合计 against the income table's 小计, 本年支出合计 is checked above
            if let (Some((fig, l)), Some(cur)) = (
                year_totals.get("income"),
                doc.table_total(TableName::Income, AmountCol::CurrentIncome),
            ) {
                let what = || format!("{t} `{}` = income 合计 本年收入小计", l.item_name);
                let at = Subject {
                    table: t,
                    row_no: Some(l.row_no),
                    code: None,
                    column: Some("amount"),
                    line_no: l.line_no,
                };
                self.compare(
                    at,
                    "summary_matches_table",
                    one(Some(cur)),
                    *fig,
                    half,
                    what,
                );
            }
        }
    }

    fn cross_tables(&mut self, doc: &Document) {
        self.income_funds_match_summary(doc);
        self.parts_within_all_funds(doc);
        if let (Some(basic), Some(econ)) = (
            doc.table_total(TableName::GpbExpenditure, AmountCol::Basic),
            doc.table_total(TableName::GpbBasic, AmountCol::Total),
        ) {
            let line = doc
                .budget_lines
                .iter()
                .find(|l| l.table == TableName::GpbBasic && l.subject_level == Some(0));
            let at = Subject {
                table: "gpb_basic",
                row_no: line.map(|l| l.row_no),
                code: None,
                column: Some("total"),
                line_no: line.map(|l| l.line_no).unwrap_or(0),
            };
            let half = self
                .ctx
                .half_unit(TableName::GpbBasic)
                .max(self.ctx.half_unit(TableName::GpbExpenditure));
            self.compare(
                at,
                "basic_matches_function",
                one(Some(basic)),
                one(Some(econ)),
                half,
                || "gpb_basic 合计 = gpb_expenditure 合计 基本支出".to_string(),
            );
        }
    }

    /// The 收入总表's 合计 by source of funds against the 收支总表's and the 财政拨款收支总表's
    /// income lines of the same funds (`一般公共预算拨款收入`, `政府性基金预算`, …): where a
    /// table's columns were placed wrongly (a text whose header words are laid out out of
    /// order), the funds disagree.
    fn income_funds_match_summary(&mut self, doc: &Document) {
        let Some((total, stated)) = crate::summary::income_funds_stated(doc) else {
            return;
        };
        let half = self
            .ctx
            .half_unit(TableName::Income)
            .max(self.ctx.half_unit(TableName::Summary));
        for (col, t, line) in stated {
            let name = col.as_str();
            let at = Subject {
                table: "income",
                row_no: Some(total.row_no),
                code: None,
                column: Some(name),
                line_no: total.line_no,
            };
            self.compare(
                at,
                "income_matches_summary",
                one(line.amount),
                one(total.amounts.get(col)),
                half,
                || format!("income 合计 {name} = {} `{}`", t.as_str(), line.item_name),
            );
        }
    }

    /// A function subject's spending from part of the funds cannot exceed its spending
    /// from all of them: the 一般公共预算, 政府性基金, 国有资本经营 and 财政拨款 tables' 合计,
    /// 基本支出 and 项目支出 of a code are each at most the 支出总表's (which counts every
    /// fund). Where a text's page put a figure under the neighbouring column in one table,
    /// the parts do not fit (无锡应急's 229 770.00 as 基本支出 in the 支出总表, 项目支出 in the
    /// others). The finding is the 支出总表 row's.
    fn parts_within_all_funds(&mut self, doc: &Document) {
        // (a code printed once in its table: one printed by unit or by section, several
        // times, is not one row to compare)
        let once = |table: TableName| -> BTreeMap<&str, &BudgetLine> {
            let mut seen: BTreeMap<&str, Option<&BudgetLine>> = BTreeMap::new();
            for l in doc.budget_lines.iter().filter(|l| l.table == table) {
                if let Some(c) = l.subject_code.as_deref() {
                    seen.entry(c).and_modify(|v| *v = None).or_insert(Some(l));
                }
            }
            seen.into_iter()
                .filter_map(|(c, l)| l.map(|l| (c, l)))
                .collect()
        };
        let all = once(TableName::Expenditure);
        if all.is_empty() {
            return;
        }
        for table in [
            TableName::GpbExpenditure,
            TableName::GovFundExpenditure,
            TableName::SoeExpenditure,
            TableName::FiscalExpenditure,
        ] {
            let half = self
                .ctx
                .half_unit(table)
                .max(self.ctx.half_unit(TableName::Expenditure));
            for (code, l) in once(table) {
                let Some(whole) = all.get(code) else { continue };
                for col in [AmountCol::Total, AmountCol::Basic, AmountCol::Project] {
                    let Some(part) = l.amounts.get(col) else {
                        continue;
                    };
                    // (a 支出总表 printing 基本支出 only as its parts, 人员支出 and 日常公用支出
                    // under a 基本支出 heading — 杭州's — holds their sum)
                    let of_all = whole
                        .amounts
                        .get(col)
                        .or_else(|| {
                            let parts = sum([
                                whole.amounts.get(AmountCol::Personnel),
                                whole.amounts.get(AmountCol::PublicFunds),
                            ]);
                            (col == AmountCol::Basic && parts.terms > 0).then_some(parts.value)
                        })
                        .unwrap_or_default();
                    if part <= of_all + half * Decimal::from(2) {
                        continue;
                    }
                    // (on the 支出总表's row: it is the one that must hold at least as much)
                    let at = Subject {
                        table: TableName::Expenditure.as_str(),
                        row_no: Some(whole.row_no),
                        code: Some(code),
                        column: Some(col.as_str()),
                        line_no: whole.line_no,
                    };
                    let what = || {
                        format!(
                            "expenditure {code} `{}` (all funds) ≥ {} {code} (line {})",
                            col.as_str(),
                            table.as_str(),
                            l.line_no
                        )
                    };
                    self.compare(
                        at,
                        "part_within_all_funds",
                        one(Some(part)),
                        one(Some(of_all)),
                        half,
                        what,
                    );
                }
            }
        }
    }

    fn three_public(&mut self, doc: &Document) {
        let Some(tp) = &doc.three_public else { return };
        let half = self.ctx.half_unit(TableName::ThreePublic);
        let at = |col: &'static str| Subject {
            table: "three_public",
            row_no: None,
            code: None,
            column: Some(col),
            line_no: tp.line_no,
        };
        // the vehicle subtotal, or where it was not read its two parts (深圳审计's 小计
        // column is lost under a header cut at the page's edge)
        let either = |a: Option<Decimal>, b: Option<Decimal>| {
            let parts = sum([a, b]);
            (parts.terms > 0).then_some(parts.value)
        };
        let vehicle = tp
            .vehicle
            .or_else(|| either(tp.vehicle_purchase, tp.vehicle_operation));
        let budget_vehicle = tp
            .budget_vehicle
            .or_else(|| either(tp.budget_vehicle_purchase, tp.budget_vehicle_operation));
        // a sum is checked where at least one part is printed
        if tp.outbound.is_some() || vehicle.is_some() || tp.reception.is_some() {
            let mut exp = sum([tp.outbound, vehicle, tp.reception]);
            // a 合计 printed over the 三公 and the 会议费/培训费 beside them
            if tp.meeting.is_some() || tp.training.is_some() {
                let wide = sum([tp.outbound, vehicle, tp.reception, tp.meeting, tp.training]);
                if let Some(t) = tp.total
                    && (wide.value - t).abs() <= half * Decimal::from(wide.terms.max(1))
                {
                    exp = wide;
                }
            }
            self.compare(
                at("total"),
                "total_equals_parts",
                exp,
                one(tp.total),
                half,
                || {
                    "three_public 合计 = 因公出国(境)费 + 公务用车购置及运维费 + 公务接待费"
                        .to_string()
                },
            );
        }
        // (a subtotal not read is no subtotal of 0)
        if tp.vehicle.is_some() && (tp.vehicle_purchase.is_some() || tp.vehicle_operation.is_some())
        {
            let exp = sum([tp.vehicle_purchase, tp.vehicle_operation]);
            self.compare(
                at("vehicle"),
                "vehicle_equals_parts",
                exp,
                one(tp.vehicle),
                half,
                || "three_public 公务用车购置及运维费 = 购置费 + 运行维护费".to_string(),
            );
        }
        // a final account's 预算数 columns add up the same way
        let budget = [tp.budget_outbound, budget_vehicle, tp.budget_reception];
        if budget.iter().any(Option::is_some) {
            let exp = sum(budget);
            self.compare(
                at("budget_total"),
                "total_equals_parts",
                exp,
                one(tp.budget_total),
                half,
                || {
                    "three_public 预算数: 合计 = 因公出国(境)费 + 公务用车购置及运维费 + 公务接待费"
                        .to_string()
                },
            );
        }
        if tp.budget_vehicle.is_some()
            && (tp.budget_vehicle_purchase.is_some() || tp.budget_vehicle_operation.is_some())
        {
            let exp = sum([tp.budget_vehicle_purchase, tp.budget_vehicle_operation]);
            self.compare(
                at("budget_vehicle"),
                "vehicle_equals_parts",
                exp,
                one(tp.budget_vehicle),
                half,
                || "three_public 预算数: 公务用车购置及运维费 = 购置费 + 运行维护费".to_string(),
            );
        }
    }

    fn narrative(&mut self, doc: &Document) {
        let summary_grand = doc
            .summary_lines
            .iter()
            .find(|l| {
                l.table == TableName::Summary
                    && l.side == Side::Income
                    && is_grand_total(&l.item_name)
            })
            .and_then(|l| l.amount);
        for f in &doc.narrative {
            let tp = doc.three_public.as_ref();
            // (the column the figure is compared with, for a classified table: a table that
            // does not print it is no evidence — 财政拨款 printed as its three funds, 人员经费
            // not a column of the basic-expenditure table)
            let mut column: Option<AmountCol> = None;
            let (table, value): (TableName, Option<Decimal>) = match f.figure.as_str() {
                "income_total" | "grand_total" => (
                    TableName::Summary,
                    summary_grand.or_else(|| doc.table_total(TableName::Income, AmountCol::Total)),
                ),
                "income_year_total" => (TableName::Income, {
                    column = Some(AmountCol::Total);
                    doc.table_total(TableName::Income, AmountCol::Total)
                }),
                "expenditure_total" => (TableName::Expenditure, {
                    column = Some(AmountCol::Total);
                    doc.table_total(TableName::Expenditure, AmountCol::Total)
                }),
                "basic" => (TableName::Expenditure, {
                    column = Some(AmountCol::Basic);
                    doc.table_total(TableName::Expenditure, AmountCol::Basic)
                }),
                "project" => (TableName::Expenditure, {
                    column = Some(AmountCol::Project);
                    doc.table_total(TableName::Expenditure, AmountCol::Project)
                }),
                "personnel" => (TableName::GpbBasic, {
                    column = Some(AmountCol::Personnel);
                    doc.table_total(TableName::GpbBasic, AmountCol::Personnel)
                }),
                "public_funds" => (TableName::GpbBasic, {
                    column = Some(AmountCol::PublicFunds);
                    doc.table_total(TableName::GpbBasic, AmountCol::PublicFunds)
                }),
                "fiscal_appropriation" => (TableName::Income, {
                    column = Some(AmountCol::FiscalAppropriation);
                    doc.table_total(TableName::Income, AmountCol::FiscalAppropriation)
                }),
                "carryover" => (TableName::Income, {
                    column = Some(AmountCol::Carryover);
                    doc.table_total(TableName::Income, AmountCol::Carryover)
                }),
                "three_public_total" => (TableName::ThreePublic, tp.and_then(|t| t.total)),
                "three_public_outbound" => (TableName::ThreePublic, tp.and_then(|t| t.outbound)),
                "three_public_vehicle" => (TableName::ThreePublic, tp.and_then(|t| t.vehicle)),
                "three_public_vehicle_purchase" => {
                    (TableName::ThreePublic, tp.and_then(|t| t.vehicle_purchase))
                }
                "three_public_vehicle_operation" => {
                    (TableName::ThreePublic, tp.and_then(|t| t.vehicle_operation))
                }
                "three_public_reception" => (TableName::ThreePublic, tp.and_then(|t| t.reception)),
                // only where the 三公 table prints a 机关运行经费 column
                "operating_costs" => match tp.and_then(|t| t.operating_costs) {
                    Some(v) => (TableName::ThreePublic, Some(v)),
                    None => continue,
                },
                _ => continue,
            };
            let has_table = match table {
                TableName::ThreePublic => tp.is_some_and(|t| {
                    t.line_no > 0
                        && [
                            t.total,
                            t.outbound,
                            t.vehicle,
                            t.vehicle_purchase,
                            t.vehicle_operation,
                            t.reception,
                            t.operating_costs,
                        ]
                        .iter()
                        .any(Option::is_some)
                }),
                TableName::Summary => value.is_some(),
                t => doc
                    .budget_lines
                    .iter()
                    .any(|l| l.table == t && column.is_none_or(|c| l.amounts.get(c).is_some())),
            };
            if !has_table {
                continue;
            }
            let half = self.ctx.half_unit(table) + Decimal::new(5, f.amount.scale() + 1);
            let at = Subject {
                table: "narrative",
                row_no: None,
                code: None,
                column: Some(&f.figure),
                line_no: f.line_no,
            };
            let what = || format!("narrative `{}` = {} table", f.figure, table.as_str());
            let table_fig = Fig {
                value: value.unwrap_or_default(),
                terms: 0,
            };
            let narr = Fig {
                value: f.amount,
                terms: 0,
            };
            self.compare(
                at,
                "narrative_matches_table",
                table_fig,
                narr,
                half / Decimal::from(2),
                what,
            );
        }
    }
}

/// Verifies every identity the document's figures must satisfy.
pub fn run(doc: &Document, ctx: &Ctx) -> Vec<Check> {
    let mut c = Checker {
        ctx,
        out: Vec::new(),
    };
    for t in [
        TableName::Income,
        TableName::Expenditure,
        TableName::GpbExpenditure,
        TableName::GpbBasic,
        TableName::GovFundExpenditure,
        TableName::SoeExpenditure,
        TableName::GpbProject,
        TableName::ProjectExpenditure,
        TableName::Procurement,
        TableName::FiscalExpenditure,
        TableName::FiscalBasic,
        TableName::BasicExpenditure,
        TableName::GpbEconomic,
        TableName::GpbBasicFunction,
        TableName::OperatingCosts,
    ] {
        c.classified(doc, t);
    }
    c.projects(doc);
    c.summary(doc, TableName::Summary);
    c.summary(doc, TableName::FiscalSummary);
    c.cross_tables(doc);
    c.three_public(doc);
    c.narrative(doc);
    c.out
}
