//! Shared inputs of the benchmarks.

/// The bundled sample disclosure, as bytes.
pub fn sample() -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../datasets/sample/qhd_zhengfawei_2023_unit_budget.txt");
    std::fs::read(path).unwrap_or_default()
}
