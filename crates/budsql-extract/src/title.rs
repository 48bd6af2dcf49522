//! Table titles by meaning: every printed variant maps to its canonical [`TableName`].

use budsql_schema::TableName;
use budsql_text::{normalize_width, strip_ordinal};

/// Normalises a title for matching: full-width forms, no spaces or quotes, no list marker,
/// no numbering (`1.`, `公开01表`, `表一`), no leading year (`2023年`, `2023年度`).
pub fn normalize_title(line: &str) -> String {
    let s = normalize_width(line);
    let s = s.trim().trim_start_matches(['-', '*', '•']).trim();
    let s = strip_ordinal(s);
    let mut t = budsql_text::without_spaces(s).replace(budsql_text::QUOTES, "");
    // `部门公开表 1`, `预算 01表`: the kind of publication before the number
    for lead in ["部门公开", "单位公开", "预算", "决算"] {
        if let Some(rest) = t.strip_prefix(lead)
            && rest.starts_with(|c: char| c.is_ascii_digit() || c == '表')
        {
            t = rest.to_string();
        }
    }
    // 公开01表 / 表一 / 表1 prefixes and suffixes
    for marker in ["公开", "表"] {
        if let Some(rest) = t.strip_prefix(marker) {
            // arabic digits, or else Chinese numerals (`表5一般…` is table 5 of `一般…`)
            let arabic = rest.starts_with(|c: char| c.is_ascii_digit());
            let digits = rest
                .char_indices()
                .find(|(_, c)| {
                    if arabic {
                        !c.is_ascii_digit()
                    } else {
                        !"一二三四五六七八九十".contains(*c)
                    }
                })
                .map(|(i, _)| i)
                .unwrap_or(rest.len());
            if digits > 0 {
                let after = rest.get(digits..).unwrap_or("");
                let after = after.strip_prefix('表').unwrap_or(after);
                t = after
                    .trim_start_matches([':', '、', '.', '：', '．'])
                    .to_string();
            }
        }
    }
    // leading year
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits == 4 {
        let rest: String = t.chars().skip(4).collect();
        let rest = rest
            .strip_prefix("年度")
            .or_else(|| rest.strip_prefix('年'))
            .unwrap_or(&rest)
            .to_string();
        t = rest;
    }
    t
}

/// Classifies a plain line as a table title, or `None` when it is not one.
///
/// A title is read by the words it holds, not matched whole: the fund it covers
/// (一般公共预算, 政府性基金, 国有资本经营, 财政拨款, or every source), what it lists (收支,
/// 收入, 支出, 基本支出, 项目支出, 三公, 机关运行经费, 政府采购, 资产, 绩效), and by which
/// classification (功能, 经济). Numbering (`公开01表`, `表1`, `一、`, `预算 02表`), a year,
/// the body (`部门`, `单位`, `市级部门`, `部门综合预算`) and a trailing `（按…分类科目）` do
/// not change what it is.
pub fn classify_title(line: &str) -> Option<TableName> {
    // every title names a table (表) or the organisation (机构设置); most lines neither
    if !(line.contains('表') || line.contains('构')) {
        return None;
    }
    let t = normalize_title(line);
    let len = t.chars().count();
    // a reference to a table printed elsewhere (`详见单位的项目绩效目标表`) is no title
    if t.starts_with("详见") || t.starts_with("参见") || t.starts_with("见附") {
        return None;
    }
    // `…绩效目标表`, `财政项目支出绩效目标填报表`, `项目绩效目标申报表` (a project's name
    // may be a whole notice: `关于提前下达…的通知绩效目标表`)
    if (t.ends_with("绩效目标表") || t.contains("绩效目标") && t.ends_with('表'))
        && len <= 160
        && !t.contains('。')
    {
        return Some(TableName::Kpi);
    }
    if t.contains('。') || t.contains("说明") {
        return None;
    }
    if t.contains("绩效") && t.contains("自评") && t.ends_with('表') && len <= 160 {
        return Some(TableName::SelfEvaluation);
    }
    // `项目支出绩效表`, `部门整体支出绩效表`
    if t.ends_with("绩效表") && len <= 160 {
        return Some(TableName::Kpi);
    }
    if !(3..=60).contains(&len) || t.contains([',', '，', ';', '；']) {
        return None;
    }
    if t.contains("机构设置") && (t.ends_with("情况") || t.ends_with('表')) {
        return Some(TableName::Organisation);
    }
    // the table's name ends in 表 (a note in brackets may follow: `（按功能分类科目）`)
    let core = t
        .strip_suffix(|c: char| c == ')' || c == '）')
        .and_then(|r| r.rfind(['(', '（']).and_then(|i| r.get(..i)))
        .unwrap_or(&t);
    if !core.ends_with('表') {
        return None;
    }
    let has = |w: &str| t.contains(w);
    let function = has("功能");
    let economic = has("经济");
    let gpb = has("一般公共预算");
    let fund = has("政府性基金") || has("政府基金");
    let soe = has("国有资本经营");
    let fiscal = has("财政拨款");
    if has("政府采购") {
        return Some(TableName::Procurement);
    }
    if has("资产") {
        return Some(TableName::Assets);
    }
    if has("购买服务") {
        return Some(TableName::PurchasedServices);
    }
    if has("三公") {
        return Some(TableName::ThreePublic);
    }
    if has("机关运行经费") || has("机关运行费") {
        return Some(TableName::OperatingCosts);
    }
    let both = has("收支") || has("收入支出") || has("收入及支出");
    if both && !fund && !soe {
        return Some(if fiscal {
            TableName::FiscalSummary
        } else {
            TableName::Summary
        });
    }
    if fund {
        return Some(TableName::GovFundExpenditure);
    }
    if soe {
        return Some(TableName::SoeExpenditure);
    }
    if has("收入") && !has("支出") {
        return Some(TableName::Income);
    }
    if !has("支出") {
        return None;
    }
    if has("基本支出") {
        return Some(if gpb && function {
            TableName::GpbBasicFunction
        } else if gpb {
            TableName::GpbBasic
        } else if fiscal {
            TableName::FiscalBasic
        } else if has("经济分类") && has("部门") && !has("总") {
            // `一般公共预算基本支出部门预算经济分类预算表` without its fund named
            TableName::GpbBasic
        } else {
            TableName::BasicExpenditure
        });
    }
    if has("项目支出") || has("项目预算") || has("专项") {
        // by economic subject, the 一般公共预算's project spending; else by project
        return Some(if gpb && economic && !function {
            TableName::GpbProject
        } else {
            TableName::ProjectExpenditure
        });
    }
    if gpb {
        return Some(if economic && !function {
            TableName::GpbEconomic
        } else {
            TableName::GpbExpenditure
        });
    }
    if fiscal {
        return Some(if economic && !function {
            TableName::FiscalBasic
        } else {
            TableName::FiscalExpenditure
        });
    }
    // every source: `支出总表`, `支出预算总表`, `本年支出总体情况表`, `支出决算表`
    Some(TableName::Expenditure)
}

#[cfg(test)]
mod tests {
    use super::*;
    use TableName::*;

    #[test]
    fn title_variants() {
        let cases = [
            ("单位预算收支总表", Some(Summary)),
            ("- 1. 单位预算收支总表", Some(Summary)),
            ("2026年预算单位财务收支预算总表", Some(Summary)),
            ("收入支出决算总表", Some(Summary)),
            ("单位预算收入总表", Some(Income)),
            ("收入决算表", Some(Income)),
            ("2026年预算单位收入预算总表", Some(Income)),
            ("单位预算支出总表", Some(Expenditure)),
            ("支出决算表", Some(Expenditure)),
            ("单位预算财政拨款收支总表", Some(FiscalSummary)),
            ("财政拨款收入支出决算总表", Some(FiscalSummary)),
            ("单位预算一般公共预算财政拨款支出表", Some(GpbExpenditure)),
            (
                "2026年预算单位一般公共预算支出功能分类预算表",
                Some(GpbExpenditure),
            ),
            ("单位预算一般公共预算财政拨款基本支出表", Some(GpbBasic)),
            (
                "2026年预算单位一般公共预算基本支出部门预算经济分类预算表",
                Some(GpbBasic),
            ),
            (
                "单位预算政府基金预算财政拨款支出表",
                Some(GovFundExpenditure),
            ),
            (
                "政府性基金预算财政拨款收入支出决算表",
                Some(GovFundExpenditure),
            ),
            (
                "单位预算国有资本经营预算财政拨款支出表",
                Some(SoeExpenditure),
            ),
            ("单位预算财政拨款\"三公\"经费支出表", Some(ThreePublic)),
            (
                "2026年单位“三公”经费和机关运行经费预算表",
                Some(ThreePublic),
            ),
            ("公开01表 收支总表", Some(Summary)),
            ("表一 收入总表", Some(Income)),
            ("单位固定资产占用情况表", Some(Assets)),
            ("单位机构设置情况", Some(Organisation)),
            ("2、船厂路司法所办公经费绩效目标表", Some(Kpi)),
            (
                "公开 05 表 财政拨款支出表（功能科目）",
                Some(FiscalExpenditure),
            ),
            ("财政拨款基本支出表（经济科目）", Some(FiscalBasic)),
            ("一般公共预算机关运行经费支出预算表", Some(OperatingCosts)),
            (
                "表5 一般公共预算支出情况表（按功能分类科目）",
                Some(GpbExpenditure),
            ),
            (
                "一般公共预算基本支出情况表（按经济分类科目）",
                Some(GpbBasic),
            ),
            (
                "一般公共预算项目支出情况表（按经济分类科目）",
                Some(GpbProject),
            ),
            (
                "财政拨款安排的行政经费及“三公”经费预算表",
                Some(ThreePublic),
            ),
            ("表3 本年支出总体情况表", Some(Expenditure)),
            ("收支总体情况表", Some(Summary)),
            ("2025年部门收支总体情况表", Some(Summary)),
            ("2025年财政拨款收支总体情况表", Some(FiscalSummary)),
            ("部门预算基本支出预算表", Some(BasicExpenditure)),
            ("基本支出总表", Some(BasicExpenditure)),
            ("一般公共预算支出表（按经济分类）", Some(GpbEconomic)),
            ("八、一般公共预算支出经济分类情况表", Some(GpbEconomic)),
            (
                "2021年部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）",
                Some(GpbBasicFunction),
            ),
            (
                "2021年部门综合预算一般公共预算基本支出明细表（按支出经济分类科目）",
                Some(GpbBasic),
            ),
            (
                "2021年部门综合预算政府性基金收支表",
                Some(GovFundExpenditure),
            ),
            ("预算 01表 收支总表", Some(Summary)),
            ("部门公开表 3 部门支出总表", Some(Expenditure)),
            ("表1：2026年市级部门收支预算总表", Some(Summary)),
            ("表11.2026年市级部门项目支出绩效表", Some(Kpi)),
            (
                "西安市级2022年病媒生物防制项目绩效自评表",
                Some(SelfEvaluation),
            ),
            ("财政拨款政府购买服务明细表", Some(PurchasedServices)),
            ("一、关于部门收支总表的说明", None),
            (
                "一、收支预算总表......................................",
                None,
            ),
            ("2023 年度单位预算公开表", None),
            ("详见单位的项目绩效目标表", None),
            (
                "- 4. 单位预算财政拨款\"三公\"经费预算情况及增减变化原因",
                None,
            ),
            (
                "按照预算管理有关规定,目前我区单位预算的编制实行综合预算管理。",
                None,
            ),
        ];
        for (title, want) in cases {
            assert_eq!(classify_title(title), want, "{title}");
        }
    }
}
