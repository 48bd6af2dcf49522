//! Canonical names: tables, document kinds, scopes and amount columns.

use rust_decimal::Decimal;

/// The canonical `table_name` of a recognised table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TableName {
    Summary,
    Income,
    Expenditure,
    FiscalSummary,
    GpbExpenditure,
    GpbBasic,
    GovFundExpenditure,
    SoeExpenditure,
    ThreePublic,
    /// 单位机构设置: the unit's nature, rank and funding form.
    Organisation,
    /// 固定资产占用情况表.
    Assets,
    /// 政府采购预算.
    Procurement,
    /// One 绩效目标表.
    Kpi,
    /// 财政拨款支出表 by function subject: all appropriations (一般公共预算, 政府性基金 and
    /// 国有资本经营), which the 一般公共预算 tables are part of.
    FiscalExpenditure,
    /// 财政拨款基本支出表 by economic subject (all appropriations).
    FiscalBasic,
    /// 基本支出表 by economic subject over all funding sources.
    BasicExpenditure,
    /// 一般公共预算支出表 by economic subject (basic and project spending together).
    GpbEconomic,
    /// 一般公共预算基本支出表 by function subject.
    GpbBasicFunction,
    /// 机关运行经费 by economic subject.
    OperatingCosts,
    /// 项目支出表 by project: each project's spending by funding source (rows named, not
    /// coded; `subject_level` 1 for a unit or category line, 2 for a project under it).
    ProjectExpenditure,
    /// 一般公共预算项目支出表 by economic subject.
    GpbProject,
    /// 政府购买服务: recognised, not read.
    PurchasedServices,
    /// 绩效自评表 (performance self-evaluation of a final account): recognised, not read.
    SelfEvaluation,
}

impl TableName {
    /// The nine standard tables, in their printed order.
    pub const STANDARD: [TableName; 9] = [
        TableName::Summary,
        TableName::Income,
        TableName::Expenditure,
        TableName::FiscalSummary,
        TableName::GpbExpenditure,
        TableName::GpbBasic,
        TableName::GovFundExpenditure,
        TableName::SoeExpenditure,
        TableName::ThreePublic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TableName::Summary => "summary",
            TableName::Income => "income",
            TableName::Expenditure => "expenditure",
            TableName::FiscalSummary => "fiscal_summary",
            TableName::GpbExpenditure => "gpb_expenditure",
            TableName::GpbBasic => "gpb_basic",
            TableName::GovFundExpenditure => "gov_fund_expenditure",
            TableName::SoeExpenditure => "soe_expenditure",
            TableName::ThreePublic => "three_public",
            TableName::Organisation => "organisation",
            TableName::Assets => "assets",
            TableName::Procurement => "procurement",
            TableName::Kpi => "kpi",
            TableName::FiscalExpenditure => "fiscal_expenditure",
            TableName::FiscalBasic => "fiscal_basic",
            TableName::BasicExpenditure => "basic_expenditure",
            TableName::GpbEconomic => "gpb_economic",
            TableName::GpbBasicFunction => "gpb_basic_function",
            TableName::OperatingCosts => "operating_costs",
            TableName::ProjectExpenditure => "project_expenditure",
            TableName::GpbProject => "gpb_project",
            TableName::PurchasedServices => "purchased_services",
            TableName::SelfEvaluation => "self_evaluation",
        }
    }

    /// Whether rows of this table are classified by economic subject (30x, 50x).
    pub fn is_economic(self) -> bool {
        matches!(
            self,
            TableName::GpbBasic
                | TableName::FiscalBasic
                | TableName::BasicExpenditure
                | TableName::GpbEconomic
                | TableName::OperatingCosts
                | TableName::GpbProject
        )
    }

    /// Whether rows of this table go to `budget_lines`.
    pub fn is_classified(self) -> bool {
        matches!(
            self,
            TableName::Income
                | TableName::Expenditure
                | TableName::GpbExpenditure
                | TableName::GpbBasic
                | TableName::GovFundExpenditure
                | TableName::SoeExpenditure
                | TableName::FiscalExpenditure
                | TableName::FiscalBasic
                | TableName::BasicExpenditure
                | TableName::GpbEconomic
                | TableName::GpbBasicFunction
                | TableName::OperatingCosts
                | TableName::ProjectExpenditure
                | TableName::GpbProject
                | TableName::Procurement
        )
    }
}

/// 预算 or 决算.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum DocKind {
    #[default]
    Budget,
    Final,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Budget => "budget",
            DocKind::Final => "final",
        }
    }
}

/// 单位 (one budget unit) or 部门 (a department's consolidated document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Scope {
    #[default]
    Unit,
    Department,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Unit => "unit",
            Scope::Department => "department",
        }
    }
}

/// The side of a 收支总表.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Income,
    Expenditure,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Income => "income",
            Side::Expenditure => "expenditure",
        }
    }
}

/// An amount column of `budget_lines`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AmountCol {
    Total,
    Basic,
    Project,
    Operating,
    RemitUpper,
    SubsidiarySubsidy,
    CurrentIncome,
    FiscalAppropriation,
    /// The parts of 财政拨款收入 where an income table prints them as columns of their own:
    /// 一般公共预算(拨款), 政府性基金预算(拨款), 国有资本经营预算(拨款).
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
    Personnel,
    PublicFunds,
    /// 年末结转和结余 (final accounts).
    YearEndBalance,
    /// 单位预留机动经费, printed beside 基本支出 and 项目支出 by some regions.
    Reserve,
}

impl AmountCol {
    pub const ALL: [AmountCol; 22] = [
        AmountCol::Total,
        AmountCol::Basic,
        AmountCol::Project,
        AmountCol::Operating,
        AmountCol::RemitUpper,
        AmountCol::SubsidiarySubsidy,
        AmountCol::CurrentIncome,
        AmountCol::FiscalAppropriation,
        AmountCol::Gpb,
        AmountCol::GovFund,
        AmountCol::Soe,
        AmountCol::SpecialAccount,
        AmountCol::BusinessIncome,
        AmountCol::OperatingIncome,
        AmountCol::SuperiorSubsidy,
        AmountCol::SubsidiaryRemit,
        AmountCol::OtherIncome,
        AmountCol::Carryover,
        AmountCol::Personnel,
        AmountCol::PublicFunds,
        AmountCol::YearEndBalance,
        AmountCol::Reserve,
    ];

    /// The column's name in `budget_lines`.
    pub fn as_str(self) -> &'static str {
        match self {
            AmountCol::Total => "total",
            AmountCol::Basic => "basic",
            AmountCol::Project => "project",
            AmountCol::Operating => "operating",
            AmountCol::RemitUpper => "remit_upper",
            AmountCol::SubsidiarySubsidy => "subsidiary_subsidy",
            AmountCol::CurrentIncome => "current_income",
            AmountCol::FiscalAppropriation => "fiscal_appropriation",
            AmountCol::Gpb => "gpb",
            AmountCol::GovFund => "gov_fund",
            AmountCol::Soe => "soe",
            AmountCol::SpecialAccount => "special_account",
            AmountCol::BusinessIncome => "business_income",
            AmountCol::OperatingIncome => "operating_income",
            AmountCol::SuperiorSubsidy => "superior_subsidy",
            AmountCol::SubsidiaryRemit => "subsidiary_remit",
            AmountCol::OtherIncome => "other_income",
            AmountCol::Carryover => "carryover",
            AmountCol::Personnel => "personnel",
            AmountCol::PublicFunds => "public_funds",
            AmountCol::YearEndBalance => "year_end_balance",
            AmountCol::Reserve => "reserve",
        }
    }

    /// The header text the column is printed under, for messages.
    pub fn label(self) -> &'static str {
        match self {
            AmountCol::Total => "合计",
            AmountCol::Basic => "基本支出",
            AmountCol::Project => "项目支出",
            AmountCol::Operating => "经营支出",
            AmountCol::RemitUpper => "上缴上级支出",
            AmountCol::SubsidiarySubsidy => "对附属单位补助支出",
            AmountCol::CurrentIncome => "本年收入小计",
            AmountCol::FiscalAppropriation => "财政拨款收入",
            AmountCol::Gpb => "一般公共预算拨款",
            AmountCol::GovFund => "政府性基金预算拨款",
            AmountCol::Soe => "国有资本经营预算拨款",
            AmountCol::SpecialAccount => "财政专户收入",
            AmountCol::BusinessIncome => "事业收入",
            AmountCol::OperatingIncome => "经营收入",
            AmountCol::SuperiorSubsidy => "上级补助收入",
            AmountCol::SubsidiaryRemit => "附属单位上缴收入",
            AmountCol::OtherIncome => "其他收入",
            AmountCol::Carryover => "上年结转",
            AmountCol::Personnel => "人员经费",
            AmountCol::PublicFunds => "公用经费",
            AmountCol::YearEndBalance => "年末结转和结余",
            AmountCol::Reserve => "单位预留机动经费",
        }
    }

    #[inline]
    fn index(self) -> usize {
        self as usize
    }
}

/// The amount cells of one printed row, by column; `None` is a blank cell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Amounts([Option<Decimal>; 22]);

// (inlined across crates: the store reads every amount of every row through `get`, which
// the release build otherwise calls, 2.5 % of an ingest's CPU)
impl Amounts {
    #[inline]
    pub fn get(&self, col: AmountCol) -> Option<Decimal> {
        self.0.get(col.index()).copied().flatten()
    }

    #[inline]
    pub fn set(&mut self, col: AmountCol, value: Option<Decimal>) {
        if let Some(slot) = self.0.get_mut(col.index()) {
            *slot = value;
        }
    }
}
