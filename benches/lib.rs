//! Shared inputs of the benchmarks.

/// The bundled sample disclosure, as bytes.
pub fn sample() -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../datasets/sample/qhd_zhengfawei_2023_unit_budget.txt");
    std::fs::read(path).unwrap_or_default()
}

/// Generated documents of one form (`tab` or `layout`), drawn from a fixed seed.
pub fn generated(layout: bool, n: usize) -> Vec<Vec<u8>> {
    let config = budsql_gen::Config {
        seed: 42,
        units: n,
        years: vec![2024],
        finals: 25,
        departments: 20,
        layout: if layout { 100 } else { 0 },
        variants: budsql_gen::Variants::all(),
    };
    let mut truth = budsql_gen::truth::Truth::default();
    (0..n)
        .map(|i| budsql_gen::document(&config, i, &mut truth).1)
        .collect()
}
