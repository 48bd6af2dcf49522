//! Stable unit identities across documents and years (`unit_key`), and the kind of a unit
//! by its name (`unit_kind`).
//!
//! The key rule (docs/views.md, "unit_key"): the region, a colon, then the unit code where
//! the document prints one (`上海市普陀区:216001`), else `name:` and the normalised name
//! (`上海市普陀区:name:财政局`). The normalised name is the printed name with full-width
//! letters and digits made half-width, all spaces removed, brackets unified to `（）`, a
//! leading `中国共产党`/`中共` removed, a trailing `（本级）`/`本级`/`（汇总）` removed, and the
//! region's own name removed from its front (so `上海市普陀区财政局` and `普陀区财政局` in
//! 上海市普陀区 are one unit). A document naming neither code nor unit has no key.

/// Full-width ASCII and the ideographic space made half-width; whitespace removed;
/// brackets unified to the full-width pair.
fn fold(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            let c = match c {
                '\u{3000}' => ' ',
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                _ => c,
            };
            match c {
                '(' | '[' | '〔' | '【' => Some('（'),
                ')' | ']' | '〕' | '】' => Some('）'),
                c if c.is_whitespace() => None,
                c => Some(c),
            }
        })
        .collect()
}

/// A unit's name in the form its key compares: see the module's rule.
pub fn normalise_unit_name(name: &str, region: Option<&str>) -> String {
    let mut n = fold(name);
    for prefix in ["中国共产党", "中共"] {
        if let Some(rest) = n.strip_prefix(prefix)
            && !rest.is_empty()
        {
            n = rest.to_string();
            break;
        }
    }
    for suffix in [
        "（本级）",
        "本级",
        "（机关）",
        "机关本级",
        "（汇总）",
        "汇总",
    ] {
        if let Some(rest) = n.strip_suffix(suffix)
            && !rest.is_empty()
        {
            n = rest.to_string();
            break;
        }
    }
    if let Some(region) = region {
        let region = fold(region);
        // the region's full name, then its last level (`普陀区` of `上海市普陀区`)
        let last = region
            .char_indices()
            .filter(|(_, c)| matches!(c, '省' | '市' | '区' | '县' | '州' | '旗'))
            .map(|(i, c)| i + c.len_utf8())
            .rfind(|&end| end < region.len())
            .and_then(|i| region.get(i..))
            .map(str::to_string);
        for r in std::iter::once(region.clone()).chain(last) {
            if let Some(rest) = n.strip_prefix(r.as_str())
                && rest.chars().count() >= 2
            {
                n = rest.to_string();
                break;
            }
        }
    }
    n
}

/// The unit's key: see the module's rule. `None` where the document names no unit.
pub fn unit_key(region: Option<&str>, code: Option<&str>, name: Option<&str>) -> Option<String> {
    let r = region.map(fold).unwrap_or_default();
    if let Some(code) = code.map(fold).filter(|c| !c.is_empty()) {
        return Some(format!("{r}:{code}"));
    }
    let name = name.map(|n| normalise_unit_name(n, region))?;
    (!name.is_empty()).then(|| format!("{r}:name:{name}"))
}

/// The kinds of unit, by words of their names: the first rule whose word the normalised
/// name contains gives the kind; `其他` where none does. Order matters (`公安局` before
/// `局`-generic rules; 街道/乡镇 before the rest, so `XX街道办事处` is not 机关事务).
pub const UNIT_KINDS: &[(&str, &[&str])] = &[
    (
        "街道/乡镇",
        &["街道", "乡人民政府", "镇人民政府", "乡政府", "镇政府"],
    ),
    ("人大", &["人民代表大会", "人大常委会", "人大"]),
    ("政协", &["政协", "政治协商会议"]),
    ("法院", &["法院"]),
    ("检察院", &["检察院"]),
    ("公安", &["公安"]),
    ("司法", &["司法"]),
    ("财政", &["财政"]),
    ("审计", &["审计"]),
    ("信访", &["信访"]),
    ("税务", &["税务"]),
    ("发展改革", &["发展和改革", "发展改革", "发改"]),
    (
        "教育",
        &[
            "教育",
            "学校",
            "大学",
            "学院",
            "中学",
            "小学",
            "幼儿园",
            "职业技术",
        ],
    ),
    (
        "卫生健康",
        &["卫生", "健康", "医院", "疾病预防", "医疗保障", "医保"],
    ),
    ("人力社保", &["人力资源", "社会保障", "社保"]),
    // (not `民政` alone: 人民政府 contains it)
    ("民政", &["民政局", "民政厅", "民政部", "民政事务"]),
    ("退役军人", &["退役军人"]),
    (
        "住房城乡建设",
        &["住房", "城乡建设", "建设管理", "建设局", "住建"],
    ),
    ("交通运输", &["交通"]),
    ("水务", &["水务", "水利"]),
    ("农业农村", &["农业", "农村", "林业", "畜牧", "渔业"]),
    ("自然资源", &["自然资源", "规划", "国土"]),
    (
        "生态环境",
        &["生态环境", "环境保护", "环保", "绿化", "园林", "市容"],
    ),
    (
        "文化旅游体育",
        &[
            "文化",
            "旅游",
            "体育",
            "广播电视",
            "文物",
            "图书馆",
            "博物馆",
        ],
    ),
    ("科技", &["科学技术", "科技"]),
    (
        "工业信息",
        &["工业和信息化", "经济和信息化", "经信", "工信"],
    ),
    ("商务", &["商务"]),
    ("市场监管", &["市场监督", "市场监管"]),
    ("应急管理", &["应急管理", "消防", "安全生产"]),
    ("统计", &["统计"]),
    ("机关事务", &["机关事务", "机关管理"]),
    (
        "党委部门",
        &[
            "纪律检查",
            "监察委员会",
            "组织部",
            "宣传部",
            "统战部",
            "统一战线",
            "政法委",
            "党校",
            "机构编制",
            "委员会办公室",
            "党委",
            "区委",
            "市委",
            "县委",
        ],
    ),
    (
        "群团",
        &[
            "共青团",
            "团委",
            "妇女联合会",
            "妇联",
            "总工会",
            "工会",
            "残疾人联合会",
            "残联",
            "红十字",
            "科学技术协会",
            "科协",
            "文学艺术界",
            "侨联",
            "工商业联合会",
            "工商联",
        ],
    ),
    ("政府办公", &["人民政府办公室", "政府办公室", "人民政府"]),
];

/// The kind of a unit by its name (see [`UNIT_KINDS`]); `其他` where no rule applies.
pub fn unit_kind(name: &str) -> &'static str {
    let n = normalise_unit_name(name, None);
    UNIT_KINDS
        .iter()
        .find(|(_, words)| words.iter().any(|w| n.contains(w)))
        .map(|(kind, _)| *kind)
        .unwrap_or("其他")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise() {
        let n = |s: &str, r: Option<&str>| normalise_unit_name(s, r);
        assert_eq!(n("中共西安市委宣传部", None), "西安市委宣传部");
        assert_eq!(
            n("无锡市交通运输局(本级)", Some("无锡市")),
            n("无锡市交通运输局（本级）", Some("无锡市"))
        );
        assert_eq!(n("无锡市交通运输局（本级）", Some("无锡市")), "交通运输局");
        assert_eq!(n("上海市普陀区财政局", Some("上海市普陀区")), "财政局");
        assert_eq!(n("普陀区财政局", Some("上海市普陀区")), "财政局");
        assert_eq!(n("苏州市 审计局", Some("苏州市")), "审计局");
        assert_eq!(n("ＡＢＣ 中心", None), "ABC中心");
        // a name that is the region's own stays whole
        assert_eq!(n("上海市普陀区", Some("上海市普陀区")), "上海市普陀区");
    }

    #[test]
    fn keys() {
        assert_eq!(
            unit_key(Some("上海市普陀区"), Some("216001"), Some("财政局")).as_deref(),
            Some("上海市普陀区:216001")
        );
        assert_eq!(
            unit_key(Some("上海市普陀区"), None, Some("上海市普陀区财政局")),
            unit_key(Some("上海市普陀区"), None, Some("普陀区财政局（本级）"))
        );
        assert_eq!(
            unit_key(None, None, Some("某局")).as_deref(),
            Some(":name:某局")
        );
        assert_eq!(unit_key(Some("苏州市"), None, None), None);
        assert_eq!(unit_key(Some("苏州市"), Some(""), Some("  ")), None);
    }

    /// docs/views.md prints the kinds table as it is here.
    #[test]
    fn the_contract_lists_the_kinds() {
        let doc = include_str!("../../../docs/views.md");
        for (kind, words) in UNIT_KINDS {
            let row = format!("| {kind} | {} |", words.join(" "));
            assert!(doc.contains(&row), "docs/views.md lacks {row}");
        }
    }

    #[test]
    fn kinds() {
        assert_eq!(unit_kind("上海市公安局普陀分局"), "公安");
        assert_eq!(unit_kind("苏州市审计局"), "审计");
        assert_eq!(unit_kind("上海市普陀区财政局"), "财政");
        assert_eq!(unit_kind("上海市普陀区长征镇人民政府"), "街道/乡镇");
        assert_eq!(unit_kind("上海市普陀区石泉路街道办事处"), "街道/乡镇");
        assert_eq!(unit_kind("中共西安市委宣传部"), "党委部门");
        assert_eq!(unit_kind("上海市普陀区卫生健康委员会"), "卫生健康");
        assert_eq!(unit_kind("上海市普陀区教育局"), "教育");
        assert_eq!(unit_kind("某某中心"), "其他");
        assert_eq!(unit_kind("上海市普陀区人民政府办公室"), "政府办公");
        assert_eq!(unit_kind("上海市普陀区民政局"), "民政");
    }
}
