//! Links the `budsql` binary as a position-dependent executable on Linux: a PIE binary of
//! this size carries ~230,000 relative relocations that the loader applies at every start
//! (copying ~4 MB of pages), which made up a fifth of `budsql -c "SELECT 1"` (13.2 → 10.8 ms).
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let x86 = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "x86_64");
    if linux && x86 {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
