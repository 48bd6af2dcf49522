//! Shared helpers: the binary, a store with the seed ingested, output filters.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The bundled sample, relative to the repository root (tests run the binary from there).
pub const SEED: &str = "datasets/sample/qhd_zhengfawei_2023_unit_budget.txt";

/// The binary, run from the repository root with a private store and no history file.
pub fn budsql(store: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_budsql"));
    c.current_dir(repo_root())
        .env("BUDSQL_STORE", store)
        .env("XDG_DATA_HOME", store.join("xdg"))
        .env_remove("RUST_BACKTRACE");
    c
}

/// Runs `c`, which must succeed (panics with its stderr otherwise).
pub fn succeed(c: &mut Command) -> Output {
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A fresh store with the seed ingested.
pub fn seeded() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    succeed(budsql(dir.path()).args(["ingest", SEED]));
    dir
}

/// Runs SQL with `--format csv` and returns stdout; panics with stderr on failure.
pub fn csv(store: &Path, sql: &str) -> String {
    let out = budsql(store)
        .args(["--format", "csv", "-c", sql])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{sql}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Insta settings that hide the temporary store path.
pub fn filters(store: &Path) -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(&regex_escape(&store.display().to_string()), "[STORE]");
    s.add_filter(&regex_escape(&repo_root().display().to_string()), "[REPO]");
    s
}

pub fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A store with the seed and a second unit's copy (216002) whose 支出总表 prints 13.90 for
/// 2040604 instead of 13.70 (so its arithmetic fails in two places).
pub fn two_units() -> tempfile::TempDir {
    let dir = seeded();
    let seed = std::fs::read_to_string(repo_root().join(SEED)).unwrap();
    add_document(
        dir.path(),
        "other_unit.txt",
        &crate::fixtures::other_unit(&seed, true),
    );
    dir
}

/// [`two_units`] and the seed unit's 决算 of the same year (see
/// `fixtures::final_of_seed`): a store where a 预算 and its 决算 pair.
pub fn two_units_and_a_final() -> tempfile::TempDir {
    let dir = two_units();
    let seed = std::fs::read_to_string(repo_root().join(SEED)).unwrap();
    add_document(
        dir.path(),
        "seed_final.txt",
        &crate::fixtures::final_of_seed(&seed),
    );
    dir
}

/// Writes `text` as `name` in the store's folder and ingests it through the binary.
fn add_document(store: &Path, name: &str, text: &str) {
    let path = store.join(name);
    std::fs::write(&path, text).unwrap();
    let out = budsql(store).arg("ingest").arg(&path).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
