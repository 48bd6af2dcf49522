//! Real classification codes and names (政府收支分类科目), the kinds of units that spend
//! under them, and the printed lists of the summary tables.

/// A 项 (7-digit function subject) with the spending it usually carries.
#[derive(Debug, Clone, Copy)]
pub struct Item {
    pub code: &'static str,
    pub name: &'static str,
    /// `b` basic only, `p` project only, `m` either or both.
    pub spend: char,
}

/// 类 names by code.
pub const CLASSES: &[(&str, &str)] = &[
    ("201", "一般公共服务支出"),
    ("204", "公共安全支出"),
    ("205", "教育支出"),
    ("207", "文化旅游体育与传媒支出"),
    ("208", "社会保障和就业支出"),
    ("210", "卫生健康支出"),
    ("212", "城乡社区支出"),
    ("221", "住房保障支出"),
];

/// 款 names by code.
pub const SECTIONS: &[(&str, &str)] = &[
    ("20103", "政府办公厅（室）及相关机构事务"),
    ("20106", "财政事务"),
    ("20131", "党委办公厅（室）及相关机构事务"),
    ("20406", "司法"),
    ("20502", "普通教育"),
    ("20508", "进修及培训"),
    ("20703", "体育"),
    ("20799", "其他文化旅游体育与传媒支出"),
    ("20805", "行政事业单位养老支出"),
    ("21002", "公立医院"),
    ("21011", "行政事业单位医疗"),
    ("21201", "城乡社区管理事务"),
    ("21203", "城乡社区公共设施"),
    ("22102", "住房改革支出"),
];

pub const ITEMS: &[Item] = &[
    Item {
        code: "2010301",
        name: "行政运行",
        spend: 'b',
    },
    Item {
        code: "2010302",
        name: "一般行政管理事务",
        spend: 'p',
    },
    Item {
        code: "2010350",
        name: "事业运行",
        spend: 'm',
    },
    Item {
        code: "2010601",
        name: "行政运行",
        spend: 'b',
    },
    Item {
        code: "2010602",
        name: "一般行政管理事务",
        spend: 'p',
    },
    Item {
        code: "2010607",
        name: "信息化建设",
        spend: 'p',
    },
    Item {
        code: "2013101",
        name: "行政运行",
        spend: 'b',
    },
    Item {
        code: "2013102",
        name: "一般行政管理事务",
        spend: 'p',
    },
    Item {
        code: "2040601",
        name: "行政运行",
        spend: 'b',
    },
    Item {
        code: "2040604",
        name: "基层司法业务",
        spend: 'p',
    },
    Item {
        code: "2040605",
        name: "普法宣传",
        spend: 'p',
    },
    Item {
        code: "2040610",
        name: "社区矫正",
        spend: 'p',
    },
    Item {
        code: "2050201",
        name: "学前教育",
        spend: 'm',
    },
    Item {
        code: "2050202",
        name: "小学教育",
        spend: 'm',
    },
    Item {
        code: "2050203",
        name: "初中教育",
        spend: 'm',
    },
    Item {
        code: "2050204",
        name: "高中教育",
        spend: 'm',
    },
    Item {
        code: "2050803",
        name: "培训支出",
        spend: 'p',
    },
    Item {
        code: "2070308",
        name: "群众体育",
        spend: 'm',
    },
    Item {
        code: "2079903",
        name: "文化产业发展专项支出",
        spend: 'p',
    },
    Item {
        code: "2080501",
        name: "行政单位离退休",
        spend: 'b',
    },
    Item {
        code: "2080502",
        name: "事业单位离退休",
        spend: 'b',
    },
    Item {
        code: "2080505",
        name: "机关事业单位基本养老保险缴费支出",
        spend: 'b',
    },
    Item {
        code: "2080506",
        name: "机关事业单位职业年金缴费支出",
        spend: 'b',
    },
    Item {
        code: "2100201",
        name: "综合医院",
        spend: 'm',
    },
    Item {
        code: "2100299",
        name: "其他公立医院支出",
        spend: 'p',
    },
    Item {
        code: "2101101",
        name: "行政单位医疗",
        spend: 'b',
    },
    Item {
        code: "2101102",
        name: "事业单位医疗",
        spend: 'b',
    },
    Item {
        code: "2101103",
        name: "公务员医疗补助",
        spend: 'b',
    },
    Item {
        code: "2120101",
        name: "行政运行",
        spend: 'b',
    },
    Item {
        code: "2120104",
        name: "城管执法",
        spend: 'p',
    },
    Item {
        code: "2120199",
        name: "其他城乡社区管理事务支出",
        spend: 'p',
    },
    Item {
        code: "2120399",
        name: "其他城乡社区公共设施支出",
        spend: 'p',
    },
    Item {
        code: "2210201",
        name: "住房公积金",
        spend: 'b',
    },
    Item {
        code: "2210203",
        name: "购房补贴",
        spend: 'b',
    },
];

pub fn item(code: &str) -> Option<&'static Item> {
    ITEMS.iter().find(|i| i.code == code)
}

/// 类 renamed in the 2019 classification (`datasets/subjects/renames.csv`): (code, first
/// year of the new name, the name printed before).
pub const RENAMED: &[(&str, i32, &str)] = &[
    ("207", 2019, "文化体育与传媒支出"),
    ("210", 2019, "医疗卫生与计划生育支出"),
];

/// The name a document of `year` prints for `code` (the old name before a rename).
fn named_in(code: &str, name: &'static str, year: i32) -> &'static str {
    RENAMED
        .iter()
        .find(|(c, from, _)| *c == code && year < *from)
        .map(|(_, _, old)| *old)
        .unwrap_or(name)
}

/// The 类 name a document of `year` prints for `code`.
pub fn class_name(code: &str, year: i32) -> &'static str {
    CLASSES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(c, n)| named_in(c, n, year))
        .unwrap_or("其他支出")
}

/// [`SUMMARY_CLASSES`] as a document of `year` prints them.
pub fn summary_classes(year: i32) -> Vec<(&'static str, &'static str)> {
    SUMMARY_CLASSES
        .iter()
        .map(|(c, n)| (*c, named_in(c, n, year)))
        .collect()
}

pub fn section_name(code: &str) -> &'static str {
    SECTIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| *n)
        .unwrap_or("其他支出")
}

/// A kind of unit: how it is named and what it spends on.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    /// Name patterns; `{r}` is the district, `{n}` a number, `{p}` a place name.
    pub names: &'static [&'static str],
    /// Its own 项 (beyond the pension, health and housing items every unit has).
    pub items: &'static [&'static str],
    /// An institution (事业单位): it has 事业收入 and pays 事业单位 pensions and health care.
    pub institution: bool,
    /// Typical spending in 万元 (low, high).
    pub size: (i64, i64),
    /// Its field of work, as its duties name it (`司法行政`).
    pub field: &'static str,
}

pub const KINDS: &[Kind] = &[
    Kind {
        names: &[
            "{r}司法局",
            "{r}财政局",
            "{r}商务委员会",
            "{r}人民政府办公室",
            "{r}人大常委会办公室",
        ],
        items: &[
            "2010301", "2010302", "2010601", "2010602", "2010607", "2040601", "2040604", "2040605",
        ],
        institution: false,
        size: (300, 9000),
        field: "行政管理",
    },
    Kind {
        names: &[
            "中共{r}委员会办公室",
            "中共{r}委政法委员会",
            "中共{r}委社会工作部",
        ],
        items: &["2013101", "2013102", "2040610"],
        institution: false,
        size: (200, 3000),
        field: "党务",
    },
    Kind {
        names: &["{r}第{n}中学", "{r}实验小学", "{r}{p}幼儿园", "{r}{p}中学"],
        items: &["2050201", "2050202", "2050203", "2050204", "2050803"],
        institution: true,
        size: (800, 12000),
        field: "教育",
    },
    Kind {
        names: &["{r}中心医院", "{r}{p}社区卫生服务中心", "{r}人民医院"],
        items: &["2100201", "2100299"],
        institution: true,
        size: (2000, 30000),
        field: "卫生健康",
    },
    Kind {
        names: &["{r}人民政府{p}街道办事处", "{r}{p}镇人民政府"],
        items: &[
            "2010301", "2010302", "2120101", "2120104", "2120199", "2120399",
        ],
        institution: false,
        size: (1500, 20000),
        field: "社区治理",
    },
    Kind {
        names: &["{r}文化旅游体育局", "{r}文化馆", "{r}体育中心"],
        items: &["2070308", "2079903", "2010350"],
        institution: false,
        size: (300, 5000),
        field: "文化旅游",
    },
];

pub const PLACES: &[&str] = &[
    "长寿",
    "万里",
    "曹杨",
    "甘泉",
    "宜川",
    "石泉",
    "长征",
    "桃浦",
    "真如",
    "长风",
    "北新泾",
    "梅川",
];

pub const REGIONS: &[&str] = &[
    "上海市普陀区",
    "上海市静安区",
    "秦皇岛经济技术开发区",
    "杭州市西湖区",
    "成都市武侯区",
    "广州市天河区",
];

/// The 31 classes printed on the expenditure side of a 收支总表, in order.
pub const SUMMARY_CLASSES: &[(&str, &str)] = &[
    ("201", "一般公共服务支出"),
    ("202", "外交支出"),
    ("203", "国防支出"),
    ("204", "公共安全支出"),
    ("205", "教育支出"),
    ("206", "科学技术支出"),
    ("207", "文化旅游体育与传媒支出"),
    ("208", "社会保障和就业支出"),
    ("209", "社会保险基金支出"),
    ("210", "卫生健康支出"),
    ("211", "节能环保支出"),
    ("212", "城乡社区支出"),
    ("213", "农林水支出"),
    ("214", "交通运输支出"),
    ("215", "资源勘探工业信息等支出"),
    ("216", "商业服务业等支出"),
    ("217", "金融支出"),
    ("219", "援助其他地区支出"),
    ("220", "自然资源海洋气象等支出"),
    ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"),
    ("223", "国有资本经营预算支出"),
    ("224", "灾害防治及应急管理支出"),
    ("227", "预备费"),
    ("229", "其他支出"),
    ("230", "转移性支出"),
    ("231", "债务还本支出"),
    ("232", "债务付息支出"),
    ("233", "债务发行费用支出"),
    ("234", "抗疫特别国债安排的支出"),
    ("299", "人行科目"),
];

/// Chinese numerals for list ordinals (1..=40).
pub fn cn_number(n: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let tens = n / 10;
    let ones = n % 10;
    let t = match tens {
        0 => String::new(),
        1 => "十".to_string(),
        k => format!("{}十", D.get(k).copied().unwrap_or("")),
    };
    format!("{t}{}", D.get(ones).copied().unwrap_or(""))
}

/// Economic subjects of basic spending: (code, name, personnel?).
pub const ECONOMIC: &[(&str, &str, bool)] = &[
    ("30101", "基本工资", true),
    ("30102", "津贴补贴", true),
    ("30103", "奖金", true),
    ("30107", "绩效工资", true),
    ("30108", "机关事业单位基本养老保险缴费", true),
    ("30109", "职业年金缴费", true),
    ("30110", "职工基本医疗保险缴费", true),
    ("30112", "其他社会保障缴费", true),
    ("30113", "住房公积金", true),
    ("30201", "办公费", false),
    ("30202", "印刷费", false),
    ("30205", "水费", false),
    ("30206", "电费", false),
    ("30207", "邮电费", false),
    ("30211", "差旅费", false),
    ("30213", "维修（护）费", false),
    ("30216", "培训费", false),
    ("30217", "公务接待费", false),
    ("30226", "劳务费", false),
    ("30228", "工会经费", false),
    ("30229", "福利费", false),
    ("30231", "公务用车运行维护费", false),
    ("30239", "其他交通费用", false),
    ("30299", "其他商品和服务支出", false),
    ("30302", "退休费", true),
    ("30309", "奖励金", true),
    ("30399", "其他对个人和家庭的补助", true),
];

pub fn economic_class(code: &str) -> (&'static str, &'static str) {
    match code.get(..3) {
        Some("301") => ("301", "工资福利支出"),
        Some("302") => ("302", "商品和服务支出"),
        Some("303") => ("303", "对个人和家庭的补助"),
        _ => ("310", "资本性支出"),
    }
}

/// KPI indicators: (二级指标, 三级指标, target patterns).
pub const INDICATORS: &[(&str, &str, &str)] = &[
    ("数量指标", "服务人次", "≥{n}人次"),
    ("数量指标", "开展活动场次", "≥{n}场"),
    ("数量指标", "覆盖面积", "{n}平方米"),
    ("质量指标", "验收合格率", "≥95%"),
    ("质量指标", "资金使用合规率", "100%"),
    ("时效指标", "完成及时率", "≥95%"),
    ("成本指标", "项目成本控制", "≤{m}万元"),
    ("社会效益指标", "服务保障能力", "有效提升"),
    ("社会效益指标", "社会稳定", "持续向好"),
    ("服务对象满意度指标", "服务对象满意度", "≥90%"),
];

pub const PROJECTS: &[&str] = &[
    "办公经费",
    "信息化运维经费",
    "专项业务经费",
    "宣传工作经费",
    "设备购置经费",
    "物业管理经费",
    "培训工作经费",
    "社区服务经费",
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    /// The names `datasets/subjects/FILE` holds for each code, brackets made half-width.
    fn catalogue(file: &str, name_col: usize) -> HashMap<String, HashSet<String>> {
        let path =
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../datasets/subjects/").to_string() + file;
        let mut reader = csv::Reader::from_path(&path).unwrap();
        let mut names: HashMap<String, HashSet<String>> = HashMap::new();
        for row in reader.records() {
            let row = row.unwrap();
            names
                .entry(row[0].to_string())
                .or_default()
                .insert(half_width(&row[name_col]));
        }
        names
    }

    fn half_width(name: &str) -> String {
        name.replace('（', "(").replace('）', ")")
    }

    /// Every code the generator prints is in the repository's catalogue with the name it
    /// prints (so query 13 finds nothing in a generated corpus): a code the catalogue cannot
    /// source is not generated.
    #[test]
    fn every_generated_code_is_in_the_catalogue() {
        let function = catalogue("function.csv", 2);
        let economic = catalogue("economic.csv", 2);
        let renamed = catalogue("renames.csv", 1);
        let mut printed: Vec<(&str, &str)> = CLASSES.to_vec();
        printed.extend(SECTIONS);
        printed.extend(ITEMS.iter().map(|i| (i.code, i.name)));
        let known = |names: &HashMap<String, HashSet<String>>, code: &str, name: &str| {
            names
                .get(code)
                .is_some_and(|ns| ns.contains(&half_width(name)))
        };
        let mut missing: Vec<String> = printed
            .iter()
            .filter(|(c, n)| !known(&function, c, n))
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        missing.extend(
            RENAMED
                .iter()
                .filter(|(c, _, old)| !known(&renamed, c, old))
                .map(|(c, _, old)| format!("{c} {old}")),
        );
        missing.extend(
            ECONOMIC
                .iter()
                .filter(|(c, n, _)| !known(&economic, c, n))
                .map(|(c, n, _)| format!("{c} {n}")),
        );
        assert!(missing.is_empty(), "not in datasets/subjects: {missing:?}");
    }
}
