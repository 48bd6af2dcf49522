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
