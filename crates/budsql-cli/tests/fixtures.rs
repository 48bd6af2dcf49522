//! Fixture documents shared by the integration tests and the `.slt` runner.

/// The seed rewritten as a second unit (216002 秦皇岛经济技术开发区司法所); with `changed`, its
/// 支出总表 prints 13.90 instead of 13.70 for 2040604 (so its arithmetic fails in two places).
pub fn other_unit(seed: &str, changed: bool) -> String {
    let other = seed.replace(
        "216001 中共秦皇岛经济技术开发区工委政法委员会(本级)",
        "216002 秦皇岛经济技术开发区司法所",
    );
    if !changed {
        return other;
    }
    other.replace(
        "9\t2040604\t基层司法业务\t13. 70\t\t13. 70\t\t\t\n",
        "9\t2040604\t基层司法业务\t13. 90\t\t13. 90\t\t\t\n",
    )
}

/// The seed's unit's final account (决算) of the same year: the seed with its title saying
/// 决算 and 2040604 基层司法业务 spent at 13.90 where 13.70 was budgeted (支出总表 and
/// 一般公共预算财政拨款支出表), so every execution rate is 1 but that row's and its parents'.
pub fn final_of_seed(seed: &str) -> String {
    let out = seed.replacen("2023 年单位预算公开", "2023 年单位决算公开", 1);
    out.replace(
        "9\t2040604\t基层司法业务\t13. 70\t\t13. 70",
        "9\t2040604\t基层司法业务\t13. 90\t\t13. 90",
    )
}

/// A second unit's 预算 and 决算 (216002, from the seed): its budget prints 0.00 for 2040604
/// 基层司法业务 (支出总表 and 一般公共预算财政拨款支出表) and its final the seed's 13.70, so
/// that row's execution rate is NULL (a budget of 0 has no rate).
#[allow(dead_code)] // (used by the .slt runner, not the integration tests)
pub fn zero_budget_pair(seed: &str) -> (String, String) {
    let other = other_unit(seed, false);
    let budget = other.replace(
        "9\t2040604\t基层司法业务\t13. 70\t\t13. 70",
        "9\t2040604\t基层司法业务\t0. 00\t\t0. 00",
    );
    let fin = other.replacen("2023 年单位预算公开", "2023 年单位决算公开", 1);
    (budget, fin)
}

/// The seed's unit's 预算 of `year` printing no unit code (its name in the title, as some
/// documents print it, and on the tables' label lines without the code).
#[allow(dead_code)] // (used by the integration tests, not the .slt runner)
pub fn seed_without_code(seed: &str, year: i32) -> String {
    seed.replace(
        "216001 中共秦皇岛经济技术开发区工委政法委员会(本级)",
        "中共秦皇岛经济技术开发区工委政法委员会(本级)",
    )
    .replacen(
        "秦皇岛经济技术开发区政法委 2023 年单位预算公开",
        &format!("中共秦皇岛经济技术开发区工委政法委员会(本级) {year} 年单位预算公开"),
        1,
    )
}
