//! Faults of the machine while ingesting: permission denied and a full disk. Each gives a
//! clear error naming the path, and the store reads exactly as before, with no file of
//! the failed ingest left behind.

use std::path::Path;
use std::process::Command;

use crate::util::{SEED, budsql, csv, repo_root, text};

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn state(store: &Path) -> String {
    csv(
        store,
        "SELECT doc_id, (SELECT count(*) FROM budget_lines b WHERE b.doc_id = u.doc_id) AS n \
         FROM units u ORDER BY doc_id",
    )
}

fn parquet_files(dir: &Path) -> usize {
    let mut n = 0;
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                n += parquet_files(&p);
            } else if p.extension().is_some_and(|x| x == "parquet") {
                n += 1;
            }
        }
    }
    n
}

/// Data directories the ingest cannot write to (as root, the ingest runs as `nobody`).
#[cfg(unix)]
#[test]
fn permission_denied_leaves_the_store_unchanged() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let o = budsql(&store).arg("ingest").arg(SEED).output().unwrap();
    assert!(o.status.success());
    let before = state(&store);
    let doc = tmp.path().join("other.txt");
    std::fs::copy(
        repo_root().join("datasets/corpus-shanghai/text/sh_putuo_sifaju_2026_unit_budget.txt"),
        &doc,
    )
    .unwrap();
    // readable by everyone; only the lock and manifest directory writable
    let set = |p: &Path, mode: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    set(tmp.path(), 0o755);
    set(&doc, 0o644);
    for e in walk(&store) {
        set(&e, if e.is_dir() { 0o755 } else { 0o644 });
    }
    set(&store, 0o555);
    set(&store.join("_budsql"), 0o777);
    set(&store.join("_budsql/lock"), 0o666);
    set(&store.join("_budsql/manifest.json"), 0o666);
    let can_drop = Command::new("setpriv")
        .args([
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            "true",
        ])
        .status()
        .is_ok_and(|s| s.success());
    if is_root() && !can_drop {
        set(&store, 0o755);
        eprintln!(
            "permission_denied_leaves_the_store_unchanged: NOT RUN: root cannot drop to `nobody` here"
        );
        return;
    }
    let mut c = if is_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_budsql"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_budsql"))
    };
    let o = c
        .arg("--store")
        .arg(&store)
        .env("XDG_DATA_HOME", tmp.path().join("xdg"))
        .arg("ingest")
        .arg(&doc)
        .output()
        .unwrap();
    let (_, err) = text(&o);
    set(&store, 0o755);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("Permission denied"), "{err}");
    assert!(err.contains(&store.display().to_string()), "{err}");
    assert_eq!(state(&store), before);
    let v = budsql(&store).arg("verify").output().unwrap();
    assert!(
        v.status.success() && !text(&v).0.contains("unreferenced"),
        "{}",
        text(&v).0
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            }
            out.push(p);
        }
    }
    out
}

/// A store on a 300 KB file system that a second batch overflows. Needs to mount a tmpfs
/// (root); elsewhere the test says it cannot run and passes.
#[test]
fn disk_full_leaves_the_store_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let mnt = tmp.path().join("small");
    std::fs::create_dir_all(&mnt).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=300k", "tmpfs"])
        .arg(&mnt)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        // (a machine that forbids mounting: the test says so instead of passing silently)
        eprintln!(
            "disk_full_leaves_the_store_unchanged: NOT RUN: cannot mount a tmpfs here (root: {})",
            is_root()
        );
        return;
    }
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _guard = Unmount(mnt.clone());
    let store = mnt.join("store");
    let o = budsql(&store).arg("ingest").arg(SEED).output().unwrap();
    assert!(o.status.success(), "{}", text(&o).1);
    let before = state(&store);
    let files_before = parquet_files(&store);
    // a generated batch far larger than the space left
    let corpus = tmp.path().join("corpus");
    let o = budsql(tmp.path())
        .args([
            "gen",
            "--seed",
            "5",
            "--units",
            "150",
            "--years",
            "2023,2024",
            "--out",
        ])
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(o.status.success());
    let o = budsql(&store)
        .arg("ingest")
        .arg(corpus.join("docs"))
        .output()
        .unwrap();
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("No space left on device"), "{err}");
    assert!(err.contains(&store.display().to_string()), "{err}");
    assert_eq!(state(&store), before);
    assert_eq!(
        parquet_files(&store),
        files_before,
        "files of the failed ingest stay behind"
    );
    let v = budsql(&store).arg("verify").output().unwrap();
    assert!(v.status.success(), "{}", text(&v).0);
}
