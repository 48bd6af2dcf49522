//! Crash safety: an ingest killed (SIGKILL) at any point leaves the store reading exactly as
//! before the ingest or exactly as after it, `verify` finds no damage, and the next ingest
//! succeeds. The ingest adds 30 documents and replaces 5 (same files, new content); it is
//! killed at each named stage (`BUDSQL_PAUSE_AT`, see `budsql_store::pause_at`) and after a
//! range of delays.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::util::{budsql, csv, text};

/// What the views hold, per document: a change of any row count or total shows.
fn fingerprint(store: &Path) -> String {
    csv(
        store,
        "SELECT doc_id, source_path, \
           (SELECT count(*) FROM budget_lines b WHERE b.doc_id = u.doc_id) AS lines, \
           (SELECT sum(total) FROM budget_lines b WHERE b.doc_id = u.doc_id) AS total, \
           (SELECT count(*) FROM summary_lines s WHERE s.doc_id = u.doc_id) AS summary, \
           (SELECT count(*) FROM kpi_targets k WHERE k.doc_id = u.doc_id) AS kpi, \
           (SELECT count(*) FROM three_public t WHERE t.doc_id = u.doc_id) AS three \
         FROM units u ORDER BY doc_id",
    )
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

fn ingest_cmd(store: &Path, dirs: &[&Path]) -> Command {
    let mut c = budsql(store);
    c.arg("ingest");
    for d in dirs {
        c.arg(d);
    }
    c
}

#[test]
fn killed_ingest_leaves_the_store_before_or_after() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (old, new) = (root.join("old"), root.join("new"));
    for (out, seed) in [(&old, "11"), (&new, "12")] {
        let o = budsql(root)
            .args([
                "gen",
                "--seed",
                seed,
                "--units",
                "15",
                "--years",
                "2023,2024",
                "--out",
            ])
            .arg(out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", text(&o).1);
    }
    // the committed state before: the old corpus
    let pristine = root.join("pristine");
    let o = ingest_cmd(&pristine, &[&old.join("docs")])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o).1);
    let before = fingerprint(&pristine);
    // the batch: 5 old files changed (replacements) and 30 new documents
    let mut changed: Vec<std::path::PathBuf> = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(old.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for p in names
        .iter()
        .filter(|p| !p.to_string_lossy().contains("layout"))
        .take(5)
    {
        let mut bytes = std::fs::read(p).unwrap();
        bytes.extend_from_slice("\n附注：本文件已更新。\n".as_bytes());
        std::fs::write(p, bytes).unwrap();
        changed.push(p.clone());
    }
    assert_eq!(changed.len(), 5);
    let new_docs = new.join("docs");
    let mut batch: Vec<&Path> = changed.iter().map(|p| p.as_path()).collect();
    batch.push(&new_docs);
    // the committed state after
    let finished = root.join("finished");
    copy_dir(&pristine, &finished);
    let o = ingest_cmd(&finished, &batch).output().unwrap();
    let (so, se) = text(&o);
    assert!(o.status.success(), "{so}{se}");
    assert!(
        so.contains("ingested 35 document(s) (30 new, 5 replaced)"),
        "{so}"
    );
    let after = fingerprint(&finished);
    assert_ne!(before, after);

    let mut trials: Vec<(String, Option<&str>, u64)> = Vec::new();
    for stage in [
        "parsing",
        "writing",
        "closed",
        "rewritten",
        "compacted",
        "published",
    ] {
        trials.push((format!("at {stage}"), Some(stage), 0));
    }
    for ms in [0, 5, 20, 50, 100, 200, 400, 800] {
        trials.push((format!("after {ms} ms"), None, ms));
    }
    for (name, stage, ms) in trials {
        let store = root.join("trial");
        let _ = std::fs::remove_dir_all(&store);
        copy_dir(&pristine, &store);
        let mut c = ingest_cmd(&store, &batch);
        c.stdout(Stdio::null()).stderr(Stdio::piped());
        if let Some(s) = stage {
            c.env("BUDSQL_PAUSE_AT", s);
        }
        let mut child = c.spawn().unwrap();
        if stage.is_some() {
            // wait until the process says it stopped at the stage
            let err = child.stderr.take().unwrap();
            let mut lines = BufReader::new(err).lines();
            let paused = lines.any(|l| l.is_ok_and(|l| l.contains("paused at")));
            assert!(paused, "{name}: the ingest never reached the stage");
        } else {
            std::thread::sleep(Duration::from_millis(ms));
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();

        let now = fingerprint(&store);
        assert!(
            now == before || now == after,
            "{name}: the store reads neither as before nor as after the ingest:\n{now}"
        );
        let v = budsql(&store).arg("verify").output().unwrap();
        assert!(v.status.success(), "{name}: verify: {}", text(&v).0);
        // the next ingest succeeds and leaves the state after
        let o = ingest_cmd(&store, &batch).output().unwrap();
        assert!(o.status.success(), "{name}: re-ingest: {}", text(&o).1);
        assert_eq!(fingerprint(&store), after, "{name}: after re-ingest");
        let v = budsql(&store).arg("vacuum").output().unwrap();
        assert!(v.status.success());
        let v = budsql(&store).arg("verify").output().unwrap();
        let out = text(&v).0;
        assert!(
            v.status.success() && !out.contains("unreferenced"),
            "{name}: {out}"
        );
    }
}

/// Two ingests on one store serialise: the second says the store is busy and waits; a query
/// during the first ingest sees the store as it was before it; after both, both batches are
/// stored.
#[test]
fn concurrent_ingests_serialise_and_queries_see_a_consistent_store() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (a, b) = (root.join("a"), root.join("b"));
    for (out, seed) in [(&a, "21"), (&b, "22")] {
        let o = budsql(root)
            .args([
                "gen", "--seed", seed, "--units", "5", "--years", "2024", "--out",
            ])
            .arg(out)
            .output()
            .unwrap();
        assert!(o.status.success());
    }
    let store = root.join("store");
    let o = ingest_cmd(&store, &[Path::new(crate::util::SEED)])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o).1);
    let before = fingerprint(&store);

    // the first ingest stops with its files written but not committed
    let mut first = ingest_cmd(&store, &[&a.join("docs")]);
    first
        .env("BUDSQL_PAUSE_AT", "closed")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut first = first.spawn().unwrap();
    let err = first.stderr.take().unwrap();
    let mut lines = BufReader::new(err).lines();
    assert!(lines.any(|l| l.is_ok_and(|l| l.contains("paused at closed"))));

    // a query now reads the committed state only
    assert_eq!(fingerprint(&store), before);

    // a second ingest waits for the lock, saying so
    let mut second = ingest_cmd(&store, &[&b.join("docs")]);
    second.stdout(Stdio::piped()).stderr(Stdio::piped());
    let second = second.spawn().unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    // the first ingest dies; its lock goes with it and the second proceeds
    let _ = first.kill();
    let _ = first.wait();
    let out = second.wait_with_output().unwrap();
    let (so, se) = text(&out);
    assert!(out.status.success(), "{so}{se}");
    assert!(
        se.contains("is busy (another ingest is running); waiting"),
        "{se}"
    );
    assert!(
        so.contains("ingested 5 document(s) (5 new, 0 replaced)"),
        "{so}"
    );
    let units = csv(&store, "SELECT count(*) AS n FROM units");
    assert_eq!(units, "n\n6\n");
    // the killed ingest's files are not part of the store; vacuum removes them
    let v = budsql(&store).arg("verify").output().unwrap();
    assert!(v.status.success(), "{}", text(&v).0);
    let o = ingest_cmd(&store, &[&a.join("docs")]).output().unwrap();
    assert!(o.status.success());
    assert_eq!(csv(&store, "SELECT count(*) AS n FROM units"), "n\n11\n");
}
