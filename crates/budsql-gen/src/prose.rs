//! The prose around the tables, as real disclosures print it: the contents list, the unit's
//! duties and offices (主要职能, 机构设置), the glossary (名词解释) and the closing sections
//! (政府采购, 国有资产, 其他需要说明的事项). It carries no figure the views hold, but it is
//! most of a real document's text: the parser must read past it fast and take nothing
//! from it (the contents list names every table; the glossary speaks of 三公 and 基本支出).

use crate::catalog::Kind;
use crate::format::wan2;
use crate::model::Doc;
use crate::rng::Rng;

/// Duties of a unit, as templates: `{f}` is the unit's field of work, `{r}` its district.
const DUTIES: &[&str] = &[
    "贯彻执行国家和本市有关{f}工作的法律、法规、规章和方针、政策，研究起草本区{f}工作的发展规划、年度计划并组织实施。",
    "负责本区{f}工作的统筹协调和综合管理，研究解决{f}工作中的重大问题，提出加强和改进{f}工作的意见和建议。",
    "负责拟订本区{f}领域的政策措施和管理制度，组织开展政策研究和调查研究，跟踪评估政策执行情况。",
    "负责本单位预算、财务和国有资产管理工作，编制年度预算和决算，组织实施内部控制和预算绩效管理。",
    "指导、监督本区{f}工作的依法行政，组织开展行政执法检查，推进严格规范公正文明执法。",
    "负责本区{f}信息化建设和数据资源管理工作，推进政务服务“一网通办”和城市运行“一网统管”相关工作。",
    "组织开展{f}领域的宣传教育和业务培训，指导基层开展相关工作，推动社会力量参与{f}事业发展。",
    "负责本区{f}工作的安全生产、应急管理和突发事件处置相关工作，落实安全生产责任制。",
    "负责本系统干部队伍建设和人才培养工作，按照管理权限做好干部的考核、任免和管理工作。",
    "承担{r}委、{r}政府交办的其他任务。",
];

/// Offices of a unit (内设机构).
const OFFICES: &[&str] = &[
    "办公室",
    "政治处",
    "组织人事科",
    "财务科",
    "综合管理科",
    "政策法规科",
    "业务指导科",
    "监督检查科",
    "信息技术科",
    "宣传教育科",
    "安全保卫科",
    "后勤保障科",
];

/// The glossary (名词解释), as the Shanghai documents print it.
const GLOSSARY: &[&str] = &[
    "财政拨款收入：是区级预算主管部门及所属预算单位本年度从本级财政部门取得的财政拨款，包括一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款。",
    "事业收入：指事业单位开展专业业务活动及其辅助活动取得的收入。",
    "事业单位经营收入：指事业单位在专业业务活动及其辅助活动之外开展非独立核算经营活动取得的收入。",
    "其他收入：指除上述“财政拨款收入”、“事业收入”、“事业单位经营收入”等以外的收入。",
    "基本支出预算：是区级预算主管部门及所属预算单位为保障其机构正常运转、完成日常工作任务而编制的年度基本支出计划，包括人员经费和公用经费两部分。",
    "项目支出预算：是区级预算主管部门及所属预算单位为完成行政工作任务、事业发展目标或政府发展战略、特定目标，在基本支出之外编制的年度支出计划。",
    "“三公”经费：是与区级财政有经费领拨关系的部门及其下属预算单位使用区级财政拨款安排的因公出国（境）费、公务用车购置及运行费、公务接待费。其中：因公出国（境）费主要安排机关及下属预算单位人员的国际合作交流、重大项目洽谈、境外培训研修等的国际旅费、国外城市间交通费、住宿费、伙食费、培训费、公杂费等支出；公务用车购置及运行费主要安排机关及下属预算单位公务用车购置支出（含车辆购置税、牌照费），以及按规定保留的公务用车燃料费、维修费、过桥过路费、保险费、安全奖励费用等支出；公务接待费主要安排全国性专业会议、国家重大政策调研、专项检查以及外事团组接待交流等执行公务或开展业务所需住宿费、交通费、用餐费等支出。",
    "机关运行经费：指各部门的公用经费，包括办公及印刷费、邮电费、差旅费、会议费、福利费、日常维修费、专用材料及一般设备购置费、办公用房水电费、办公用房取暖费、办公用房物业管理费、公务用车运行维护费以及其他费用。",
    "上年结转：指以前年度尚未完成、结转到本年仍按原规定用途继续使用的资金。",
    "结转下年：指以前年度预算安排、因客观条件发生变化无法按原计划实施，需延迟到以后年度按原规定用途继续使用的资金。",
];

/// The district a region names (`上海市普陀区` → `区`), for `{r}委`.
fn district_word(d: &Doc) -> &'static str {
    if d.region.ends_with('县') {
        "县"
    } else {
        "区"
    }
}

/// The contents list: every section and table title, as one entry per line.
pub fn contents(d: &Doc) -> Vec<String> {
    let (scope, word) = d.words();
    let y = d.year;
    let mut out = vec![
        format!("{y} 年{scope}{word}信息公开目录"),
        String::new(),
        format!("一、{y}年{scope}{word}公开表"),
        String::new(),
    ];
    let tables = [
        "收支总表",
        "收入总表",
        "支出总表",
        "财政拨款收支总表",
        "一般公共预算财政拨款支出表",
        "一般公共预算财政拨款基本支出表",
        "政府性基金预算财政拨款支出表",
        "国有资本经营预算财政拨款支出表",
        "财政拨款“三公”经费支出表",
    ];
    for (i, t) in tables.iter().enumerate() {
        out.push(format!("- {}. {scope}{word}{t}", i + 1));
    }
    out.push(format!("- 二、{y}年{scope}{word}信息公开情况说明"));
    for (i, s) in [
        "职责及机构设置情况",
        "预算安排的总体情况",
        "机关运行经费安排情况",
        "财政拨款“三公”经费预算情况及增减变化原因",
        "政府采购预算情况",
        "国有资产信息情况",
        "名词解释",
        "其他需要说明的事项",
    ]
    .iter()
    .enumerate()
    {
        out.push(format!("- {}. {s}", i + 1));
    }
    out.push(format!("- 三、{y}年{scope}{word}绩效信息"));
    out.push(String::new());
    out
}

/// 主要职能 and 机构设置: the unit's duties (drawn from templates fitting its kind) and
/// offices.
pub fn duties(d: &Doc, kind: &Kind, rng: &mut Rng) -> Vec<String> {
    let (scope, word) = d.words();
    let f = kind.field;
    let r = district_word(d);
    let mut out = vec![
        format!(
            "按照《中华人民共和国预算法》、《地方预决算公开操作规程》和《关于进一步推进预算公开工作的实施意见》规定，现将{}{}年{scope}{word}公开如下：",
            d.unit_name, d.year
        ),
        String::new(),
        format!("一、{scope}职责及机构设置情况"),
        String::new(),
        format!("1. {scope}职责："),
        String::new(),
    ];
    let n = rng.range(6, DUTIES.len() as i64) as usize;
    let mut k = 0;
    for (i, t) in DUTIES.iter().enumerate() {
        // the last duty (交办的其他任务) always closes the list
        if k < n - 1 || i + 1 == DUTIES.len() {
            k += 1;
            out.push(format!(
                "- （{}）{}",
                k,
                t.replace("{f}", f).replace("{r}", r)
            ));
        }
    }
    out.push(String::new());
    let offices = rng.range(4, OFFICES.len() as i64) as usize;
    let names: Vec<&str> = OFFICES.iter().take(offices).copied().collect();
    out.push(format!(
        "{}下设{}个内设机构，包括：{}。",
        d.unit_name,
        offices,
        names.join("、")
    ));
    out.push(String::new());
    out
}

/// 政府采购, 国有资产, 名词解释 and 其他需要说明的事项.
pub fn closing(d: &Doc, rng: &mut Rng) -> Vec<String> {
    let (scope, word) = d.words();
    let mut out = vec![
        "五、政府采购预算情况".to_string(),
        String::new(),
        format!(
            "{}年，{}安排政府采购{word}{}万元，主要用于办公设备、信息化运维服务和物业管理服务等。",
            d.year,
            d.unit_name,
            wan2(d.total() / 20 + rng.range(0, 100) * 100)
        ),
        String::new(),
        "六、国有资产信息情况".to_string(),
        String::new(),
        format!(
            "截至{}年12月31日，{}共有车辆{}辆，单位价值50万元以上通用设备{}台（套），单位价值100万元以上专用设备{}台（套）。",
            d.year - 1,
            d.unit_name,
            rng.range(0, 6),
            rng.range(0, 3),
            rng.range(0, 2)
        ),
        String::new(),
        "七、名词解释".to_string(),
        String::new(),
    ];
    for (i, g) in GLOSSARY.iter().enumerate() {
        out.push(format!("- {}、{g}", i + 1));
    }
    out.push(String::new());
    out.push("八、其他需要说明的事项".to_string());
    out.push(String::new());
    out.push(format!("本{scope}无其他需要说明的事项。"));
    out.push(String::new());
    out
}
