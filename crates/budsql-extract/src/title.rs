//! Table titles by meaning: every printed variant maps to its canonical [`TableName`].

use budsql_schema::TableName;
use budsql_text::{normalize_width, strip_ordinal};

/// Normalises a title for matching: full-width forms, no spaces or quotes, no list marker,
/// no numbering (`1.`, `公开01表`, `表一`), no leading year (`2023年`, `2023年度`).
pub fn normalize_title(line: &str) -> String {
    let s = normalize_width(line);
    let s = s.trim().trim_start_matches(['-', '*', '•']).trim();
    let s = strip_ordinal(s);
    let mut t: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '“' | '”' | '\'' | '‘' | '’'))
        .collect();
    // 公开01表 / 表一 / 表1 prefixes and suffixes
    for marker in ["公开", "表"] {
        if let Some(rest) = t.strip_prefix(marker) {
            let digits = rest
                .char_indices()
                .find(|(_, c)| !(c.is_ascii_digit() || "一二三四五六七八九十".contains(*c)))
                .map(|(i, _)| i)
                .unwrap_or(rest.len());
            if digits > 0 {
                let after = rest.get(digits..).unwrap_or("");
                let after = after.strip_prefix('表').unwrap_or(after);
                t = after.trim_start_matches([':', '、', '.']).to_string();
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
pub fn classify_title(line: &str) -> Option<TableName> {
    // every title names a table (表) or the organisation (机构设置); most lines neither
    if !(line.contains('表') || line.contains('构')) {
        return None;
    }
    let t = normalize_title(line);
    let len = t.chars().count();
    // `…绩效目标表`, `财政项目支出绩效目标填报表`, `项目绩效目标申报表`
    if (t.ends_with("绩效目标表") || t.contains("绩效目标") && t.ends_with('表'))
        && len <= 160
        && !t.contains('。')
    {
        return Some(TableName::Kpi);
    }
    if !(3..=48).contains(&len) || t.contains(['。', ',', '，', ';', '；']) {
        return None;
    }
    if t.contains("机构设置") && (t.ends_with("情况") || t.ends_with('表')) {
        return Some(TableName::Organisation);
    }
    let is_table = t.ends_with('表');
    if !is_table {
        return None;
    }
    if t.contains("资产") {
        return Some(TableName::Assets);
    }
    if t.contains("政府采购") {
        return Some(TableName::Procurement);
    }
    if t.contains("三公") {
        return Some(TableName::ThreePublic);
    }
    if t.contains("基本支出") && (t.contains("一般公共预算") || t.contains("经济分类"))
    {
        return Some(TableName::GpbBasic);
    }
    if t.contains("政府性基金") || t.contains("政府基金") {
        return Some(TableName::GovFundExpenditure);
    }
    if t.contains("国有资本经营") {
        return Some(TableName::SoeExpenditure);
    }
    if t.contains("财政拨款收支") || t.contains("财政拨款收入支出") {
        return Some(TableName::FiscalSummary);
    }
    if t.contains("一般公共预算") && t.contains("支出") {
        return Some(TableName::GpbExpenditure);
    }
    if t.contains("收支总表")
        || t.contains("收支预算总表")
        || t.contains("收入支出决算总表")
        || t.contains("收支决算总表")
    {
        return Some(TableName::Summary);
    }
    if t.contains("收入") && (t.contains("总表") || t.contains("决算表") || t.contains("预算表"))
    {
        return Some(TableName::Income);
    }
    if t.contains("支出") && (t.contains("总表") || t.contains("决算表") || t.contains("预算表"))
    {
        return Some(TableName::Expenditure);
    }
    None
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
            ("2023 年度单位预算公开表", None),
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
