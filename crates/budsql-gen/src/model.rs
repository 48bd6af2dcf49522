//! One generated document's content, with arithmetic that holds by construction: items are
//! drawn, every total is derived from them.

use crate::catalog::{self, Kind};
use crate::rng::Rng;

/// Amounts are integers of 0.01 元 (分), whatever unit the document prints in.
pub type Fen = i64;

/// 分 per 0.01 万元 (the precision of a 万元 document).
pub const WAN_CENT: Fen = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Budget,
    Final,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Unit,
    Department,
}

/// One 项 row of the function tables and how it is funded.
#[derive(Debug, Clone)]
pub struct FnRow {
    pub code: &'static str,
    pub name: &'static str,
    pub basic: Fen,
    pub project: Fen,
    /// Funding: 事业收入 and 其他收入 pay part of the project spending; 上年结转 (fiscal
    /// carry-over) another part; 财政拨款 the rest.
    pub business: Fen,
    pub other: Fen,
    pub carry: Fen,
}

impl FnRow {
    pub fn total(&self) -> Fen {
        self.basic + self.project
    }
    pub fn fiscal(&self) -> Fen {
        self.total() - self.business - self.other - self.carry
    }
    /// The part paid from fiscal money (this year's and carried over): the 一般公共预算 tables.
    pub fn gpb_total(&self) -> Fen {
        self.total() - self.business - self.other
    }
    pub fn gpb_project(&self) -> Fen {
        self.project - self.business - self.other
    }
}

/// A 类 and its 款, each with its 项 rows.
pub type ClassRows<'a> = (&'static str, Vec<(String, Vec<&'a FnRow>)>);

/// One row of the basic-spending table by economic subject.
#[derive(Debug, Clone)]
pub struct EconRow {
    pub code: &'static str,
    pub name: &'static str,
    pub amount: Fen,
    pub personnel: bool,
}

#[derive(Debug, Clone, Default)]
pub struct ThreePublic {
    pub outbound: Fen,
    pub purchase: Fen,
    pub operation: Fen,
    pub reception: Fen,
}

impl ThreePublic {
    pub fn vehicle(&self) -> Fen {
        self.purchase + self.operation
    }
    pub fn total(&self) -> Fen {
        self.outbound + self.vehicle() + self.reception
    }
    /// The figures in the order of `three_public`'s columns: total, outbound, vehicle,
    /// purchase, operation, reception.
    pub fn parts(&self) -> [Fen; 6] {
        [
            self.total(),
            self.outbound,
            self.vehicle(),
            self.purchase,
            self.operation,
            self.reception,
        ]
    }
}

#[derive(Debug, Clone)]
pub struct Indicator {
    pub level1: &'static str,
    pub level2: &'static str,
    pub level3: &'static str,
    pub description: String,
    pub target: String,
    pub basis: &'static str,
}

#[derive(Debug, Clone)]
pub struct Project {
    pub name: String,
    pub goal: String,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone)]
pub struct Doc {
    pub region: &'static str,
    pub unit_name: String,
    pub unit_code: String,
    pub year: i32,
    pub kind: DocKind,
    pub scope: Scope,
    /// Prints amounts in 元 (else 万元).
    pub yuan: bool,
    pub rows: Vec<FnRow>,
    pub econ: Vec<EconRow>,
    pub three: ThreePublic,
    pub projects: Vec<Project>,
    pub operating_costs: Fen,
    /// The kind of unit (its duties are drawn from it).
    pub unit_kind: Kind,
    /// A 决算's own 预算数 of 三公 (printed beside its 决算数), where it has them: the
    /// final of a generated 预算/决算 pair ([`executed`]).
    pub budgeted: Option<ThreePublic>,
}

impl Doc {
    /// How the document names its scope and kind: (`单位` or `部门`, `预算` or `决算`).
    pub fn words(&self) -> (&'static str, &'static str) {
        let scope = match self.scope {
            Scope::Unit => "单位",
            Scope::Department => "部门",
        };
        let word = match self.kind {
            DocKind::Budget => "预算",
            DocKind::Final => "决算",
        };
        (scope, word)
    }
    pub fn total(&self) -> Fen {
        self.rows.iter().map(FnRow::total).sum()
    }
    pub fn basic(&self) -> Fen {
        self.rows.iter().map(|r| r.basic).sum()
    }
    pub fn project(&self) -> Fen {
        self.rows.iter().map(|r| r.project).sum()
    }
    pub fn fiscal(&self) -> Fen {
        self.rows.iter().map(FnRow::fiscal).sum()
    }
    pub fn business(&self) -> Fen {
        self.rows.iter().map(|r| r.business).sum()
    }
    pub fn other(&self) -> Fen {
        self.rows.iter().map(|r| r.other).sum()
    }
    pub fn carry(&self) -> Fen {
        self.rows.iter().map(|r| r.carry).sum()
    }
    pub fn personnel(&self) -> Fen {
        self.econ
            .iter()
            .filter(|e| e.personnel)
            .map(|e| e.amount)
            .sum()
    }
    pub fn public_funds(&self) -> Fen {
        self.econ
            .iter()
            .filter(|e| !e.personnel)
            .map(|e| e.amount)
            .sum()
    }
    /// The rows grouped: (类 code, [(款 code, [rows])]) in code order.
    pub fn tree(&self) -> Vec<ClassRows<'_>> {
        let mut out: Vec<ClassRows<'_>> = Vec::new();
        for r in &self.rows {
            let class = catalog::CLASSES
                .iter()
                .map(|(c, _)| *c)
                .find(|c| r.code.starts_with(c))
                .unwrap_or("229");
            let section = r.code.get(..5).unwrap_or("").to_string();
            if out.last().is_none_or(|(c, _)| *c != class) {
                out.push((class, Vec::new()));
            }
            if let Some((_, sections)) = out.last_mut() {
                if sections.last().is_none_or(|(s, _)| *s != section) {
                    sections.push((section, Vec::new()));
                }
                if let Some((_, rows)) = sections.last_mut() {
                    rows.push(r);
                }
            }
        }
        out
    }
}

/// Draws the unit of a generated corpus: (kind, name, code, region).
pub fn unit(rng: &mut Rng, index: usize) -> (Kind, String, String, &'static str) {
    let kind = rng
        .pick(catalog::KINDS)
        .or(catalog::KINDS.first())
        .copied()
        .unwrap_or(catalog::Kind {
            names: &["{r}办公室"],
            items: &["2010301"],
            institution: false,
            size: (100, 1000),
            field: "行政管理",
        });
    let region = *rng.pick(catalog::REGIONS).unwrap_or(&"上海市普陀区");
    let district = region
        .char_indices()
        .find(|(_, c)| *c == '市')
        .map(|(i, c)| &region[i + c.len_utf8()..])
        .filter(|d| !d.is_empty())
        .unwrap_or(region);
    let pattern = *rng.pick(kind.names).unwrap_or(&"{r}办公室");
    let place = *rng.pick(catalog::PLACES).unwrap_or(&"长寿");
    let name = pattern
        .replace("{r}", district)
        .replace("{p}", place)
        .replace("{n}", &catalog::cn_number(index % 9 + 1));
    // a serial keeps names unique across the corpus
    let name = if index >= catalog::KINDS.len() * 4 {
        format!("{name}（{}）", index)
    } else {
        name
    };
    let code = format!("{:03}{:03}", 100 + index / 1000 % 900, index % 1000);
    (kind, name, code, region)
}

/// Draws one document of `unit` for `year`.
#[allow(clippy::too_many_arguments)]
pub fn document(
    rng: &mut Rng,
    kind: &Kind,
    unit_name: &str,
    unit_code: &str,
    region: &'static str,
    year: i32,
    doc_kind: DocKind,
    scope: Scope,
    yuan: bool,
    carry_allowed: bool,
) -> Doc {
    // precision: a 万元 document prints 0.01 万元; a 元 document 0.01 元
    let step = if yuan { 1 } else { WAN_CENT };
    let amount = |rng: &mut Rng, lo_wan: i64, hi_wan: i64| -> Fen {
        rng.range(lo_wan * 100, hi_wan * 100) * WAN_CENT
            + if yuan { rng.range(0, WAN_CENT - 1) } else { 0 }
    };
    let size = rng.range(kind.size.0, kind.size.1);

    // own items: 2 to all of the kind's (a 部门 covers its units: more of them), plus
    // pensions, health care and housing
    let mut codes: Vec<&'static str> = Vec::new();
    let most = kind.items.len().max(2) as i64;
    let n_own = match scope {
        Scope::Unit => rng.range(2, most.min(4)),
        Scope::Department => rng.range(most.min(4), most),
    } as usize;
    for _ in 0..n_own * 2 {
        if let Some(c) = rng.pick(kind.items)
            && !codes.contains(c)
            && codes.len() < n_own
        {
            codes.push(c);
        }
    }
    if kind.institution {
        codes.extend(["2080502", "2080505", "2101102", "2210201"]);
    } else {
        codes.extend([
            "2080501", "2080505", "2080506", "2101101", "2101103", "2210201",
        ]);
    }
    codes.sort_unstable();
    codes.dedup();

    let mut rows: Vec<FnRow> = Vec::new();
    for code in codes {
        let Some(item) = catalog::item(code) else {
            continue;
        };
        let share = match item.spend {
            'b' if code.starts_with("208")
                || code.starts_with("210")
                || code.starts_with("221") =>
            {
                (size / 40).max(5)
            }
            _ => (size / 4).max(20),
        };
        let (basic, project) = match item.spend {
            'b' => (amount(rng, share / 3, share), 0),
            'p' => (0, amount(rng, share / 5, share)),
            _ => (
                amount(rng, share / 3, share),
                amount(rng, share / 10, share / 2),
            ),
        };
        // project spending partly paid by 事业收入 (institutions), 其他收入 and carry-over
        let mut business = 0;
        let mut other = 0;
        let mut carry = 0;
        if project > 0 {
            if kind.institution && rng.chance(70) {
                business = project * rng.range(10, 40) / 100 / step * step;
            }
            if rng.chance(20) {
                other = (project - business) * rng.range(1, 10) / 100 / step * step;
            }
            if carry_allowed && doc_kind == DocKind::Budget && rng.chance(25) {
                carry = (project - business - other) * rng.range(5, 30) / 100 / step * step;
            }
        }
        rows.push(FnRow {
            code: item.code,
            name: item.name,
            basic,
            project,
            business,
            other,
            carry,
        });
    }

    // basic spending by economic subject: personnel 70-90 %
    let basic: Fen = rows.iter().map(|r| r.basic).sum();
    let personnel = basic * rng.range(70, 90) / 100 / step * step;
    let public = basic - personnel;
    let mut econ = Vec::new();
    let pick = |rng: &mut Rng, personnel: bool, n: usize| -> Vec<(&'static str, &'static str)> {
        let pool: Vec<(&'static str, &'static str)> = catalog::ECONOMIC
            .iter()
            .filter(|e| e.2 == personnel)
            .map(|e| (e.0, e.1))
            .collect();
        let mut chosen: Vec<(&'static str, &'static str)> =
            pool.iter().copied().filter(|_| rng.chance(65)).collect();
        chosen.truncate(n.max(1));
        if chosen.is_empty()
            && let Some(first) = pool.first()
        {
            chosen.push(*first);
        }
        chosen
    };
    for (personnel_side, sum) in [(true, personnel), (false, public)] {
        let chosen = pick(rng, personnel_side, 9);
        let parts = split_steps(rng, sum, chosen.len(), step);
        for ((code, name), a) in chosen.into_iter().zip(parts) {
            econ.push(EconRow {
                code,
                name,
                amount: a,
                personnel: personnel_side,
            });
        }
    }
    econ.sort_by_key(|e| e.code);

    // 三公: a small share of public funds, printed in 万元 in every document
    let wan = |rng: &mut Rng, lo: i64, hi: i64| rng.range(lo * 100, hi * 100) * WAN_CENT;
    let three = ThreePublic {
        outbound: if rng.chance(20) { wan(rng, 1, 8) } else { 0 },
        purchase: if rng.chance(15) { wan(rng, 10, 30) } else { 0 },
        operation: if rng.chance(60) { wan(rng, 2, 20) } else { 0 },
        reception: if rng.chance(70) { wan(rng, 0, 3) } else { 0 },
    };

    let mut projects = Vec::new();
    let n_projects = if rows.iter().any(|r| r.project > 0) {
        rng.range(1, 4) as usize
    } else {
        0
    };
    for k in 0..n_projects {
        let base = *rng.pick(catalog::PROJECTS).unwrap_or(&"专项业务经费");
        let name = format!(
            "{}{base}",
            if k == 0 {
                ""
            } else {
                ["", "年度", "重点", "日常"]
                    .get(k % 4)
                    .copied()
                    .unwrap_or("")
            }
        );
        let mut indicators = Vec::new();
        let mut used: Vec<&str> = Vec::new();
        for ind in catalog::INDICATORS {
            if rng.chance(55) && !used.contains(&ind.1) {
                used.push(ind.1);
                let target = ind
                    .2
                    .replace("{n}", &rng.range(10, 5000).to_string())
                    .replace(
                        "{m}",
                        &format!("{}.{:02}", rng.range(1, 80), rng.range(0, 99)),
                    );
                let level1 = match ind.0 {
                    "数量指标" | "质量指标" | "时效指标" | "成本指标" => "产出指标",
                    "服务对象满意度指标" => "满意度指标",
                    _ => "效益指标",
                };
                indicators.push(Indicator {
                    level1,
                    level2: ind.0,
                    level3: ind.1,
                    description: format!("{}情况", ind.1),
                    target,
                    basis: "依据工作计划",
                });
            }
        }
        if indicators.is_empty()
            && let Some(ind) = catalog::INDICATORS.first()
        {
            indicators.push(Indicator {
                level1: "产出指标",
                level2: ind.0,
                level3: ind.1,
                description: format!("{}情况", ind.1),
                target: "≥100人次".to_string(),
                basis: "依据工作计划",
            });
        }
        projects.push(Project {
            name,
            goal: format!("保障{base}相关工作顺利开展，提升服务质量。"),
            indicators,
        });
    }
    let operating_costs = public;
    Doc {
        region,
        unit_name: unit_name.to_string(),
        unit_code: unit_code.to_string(),
        year,
        kind: doc_kind,
        scope,
        yuan,
        rows,
        econ,
        three,
        projects,
        operating_costs,
        unit_kind: *kind,
        budgeted: None,
    }
}

/// The 决算 of `budget`: the same unit, year, scope, subjects and projects, each figure what
/// a unit typically spends of its budget — 基本支出 93–100 % (drawn per subject), 项目支出
/// 60–100 %, each 三公 part 40–100 %, the economic subjects scaled with their side — with
/// every total still derived from its items, and the budget's 三公 kept as the 决算's
/// printed 预算数. Nothing is carried over into a 决算.
pub fn executed(rng: &mut Rng, budget: &Doc) -> Doc {
    let step = if budget.yuan { 1 } else { WAN_CENT };
    let scale = |v: Fen, pct: i64, step: Fen| v * pct / 100 / step * step;
    let mut doc = budget.clone();
    doc.kind = DocKind::Final;
    for r in &mut doc.rows {
        let basic_pct = rng.range(93, 100);
        let project_pct = rng.range(60, 100);
        r.basic = scale(r.basic, basic_pct, step);
        r.project = scale(r.project, project_pct, step);
        r.business = scale(r.business, project_pct, step);
        r.other = scale(r.other, project_pct, step);
        r.carry = 0;
    }
    // the economic subjects: each side keeps its share of the new basic spending
    let (old_personnel, old_basic) = (budget.personnel(), budget.basic());
    let new_basic = doc.basic();
    let personnel = if old_basic == 0 {
        0
    } else {
        (i128::from(new_basic) * i128::from(old_personnel) / i128::from(old_basic)) as Fen / step
            * step
    };
    for (side, target) in [(true, personnel), (false, new_basic - personnel)] {
        let old: Fen = doc
            .econ
            .iter()
            .filter(|e| e.personnel == side)
            .map(|e| e.amount)
            .sum();
        let mut given = 0;
        let mut last = None;
        for (i, e) in doc.econ.iter_mut().enumerate() {
            if e.personnel != side {
                continue;
            }
            e.amount = if old == 0 {
                0
            } else {
                (i128::from(e.amount) * i128::from(target) / i128::from(old)) as Fen / step * step
            };
            given += e.amount;
            last = Some(i);
        }
        if let Some(e) = last.and_then(|i| doc.econ.get_mut(i)) {
            e.amount += target - given;
        }
    }
    let t = &budget.three;
    let mut part = |v: Fen| scale(v, rng.range(40, 100), WAN_CENT);
    doc.three = ThreePublic {
        outbound: part(t.outbound),
        purchase: part(t.purchase),
        operation: part(t.operation),
        reception: part(t.reception),
    };
    doc.operating_costs = doc.public_funds();
    doc.budgeted = Some(budget.three.clone());
    doc
}

/// Splits `total` into `n` parts, each a multiple of `step`.
fn split_steps(rng: &mut Rng, total: Fen, n: usize, step: Fen) -> Vec<Fen> {
    let units = total / step;
    let mut parts: Vec<Fen> = rng.split(units, n).into_iter().map(|u| u * step).collect();
    let rest = total - parts.iter().sum::<Fen>();
    if let Some(first) = parts.first_mut() {
        *first += rest;
    }
    parts
}
