//! The seed document through SQL: every amount of every table, the 三公 table and the
//! narrative figures, the assets and every KPI indicator. The snapshots are the
//! specification; each was checked against the printed document line by line.

use crate::util::{SEED, budsql, csv, seeded};

#[test]
fn done_when_figures() {
    let store = seeded();
    let s = store.path();
    assert_eq!(
        csv(
            s,
            "SELECT sum(total) FROM budget_lines WHERE table_name='expenditure' AND subject_level=1"
        ),
        "sum(budget_lines.total)\n1220.18\n"
    );
    assert_eq!(
        csv(
            s,
            "SELECT personnel, public_funds FROM budget_lines WHERE table_name='gpb_basic' AND subject_level=0"
        ),
        "personnel,public_funds\n784.09,201.58\n"
    );
    assert_eq!(
        csv(
            s,
            "SELECT total, vehicle_operation, reception, prior_total FROM three_public"
        ),
        "total,vehicle_operation,reception,prior_total\n11.29,10.78,0.51,11.31\n"
    );
    assert_eq!(
        csv(s, "SELECT count(DISTINCT project_name) FROM kpi_targets"),
        "count(DISTINCT kpi_targets.project_name)\n24\n"
    );
    assert_eq!(csv(s, "SELECT count(*) FROM checks"), "count(*)\n0\n");
}

const COUNTS: &str = "SELECT (SELECT count(*) FROM units) AS units, (SELECT count(*) FROM budget_lines) AS budget_lines, \
    (SELECT count(*) FROM summary_lines) AS summary_lines, (SELECT count(*) FROM three_public) AS three_public, \
    (SELECT count(*) FROM kpi_targets) AS kpi_targets, (SELECT count(*) FROM assets) AS assets, \
    (SELECT count(*) FROM narrative) AS narrative, (SELECT count(*) FROM checks) AS checks, \
    (SELECT count(*) FROM warnings) AS warnings, (SELECT count(DISTINCT doc_id) FROM budget_lines) AS docs";

#[test]
fn reingest_changes_no_count() {
    let store = seeded();
    let s = store.path();
    let before = csv(s, COUNTS);
    assert_eq!(
        before,
        "units,budget_lines,summary_lines,three_public,kpi_targets,assets,narrative,checks,warnings,docs\n1,101,89,1,166,7,20,0,2,1\n"
    );
    let out = budsql(s).args(["ingest", SEED]).output().unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("(0 new, 0 replaced, 1 file(s) stored unchanged, not read again)")
    );
    assert_eq!(csv(s, COUNTS), before);
    let out = budsql(s)
        .args(["ingest", "--force", SEED])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("(0 new, 1 replaced)"));
    assert_eq!(csv(s, COUNTS), before);
    assert_eq!(
        csv(s, "SELECT doc_id FROM units"),
        "doc_id\n646bae1a4a67ad2b\n"
    );
}

#[test]
fn every_budget_line() {
    let store = seeded();
    let s = store.path();
    // Columns the seed never fills are NULL on every row.
    assert_eq!(
        csv(
            s,
            "SELECT count(*) FROM budget_lines WHERE operating IS NOT NULL OR remit_upper IS NOT NULL \
            OR subsidiary_subsidy IS NOT NULL OR special_account IS NOT NULL OR business_income IS NOT NULL \
            OR operating_income IS NOT NULL OR superior_subsidy IS NOT NULL OR subsidiary_remit IS NOT NULL \
            OR other_income IS NOT NULL"
        ),
        "count(*)\n0\n"
    );
    insta::assert_snapshot!(
        "budget_lines",
        csv(
            s,
            "SELECT table_name, row_no, classification, subject_code, subject_name, subject_level, parent_code, \
            total, basic, project, current_income, fiscal_appropriation, carryover, personnel, public_funds, amount_unit, line_no \
            FROM budget_lines ORDER BY table_name, row_no"
        )
    );
}

#[test]
fn every_summary_line() {
    let store = seeded();
    insta::assert_snapshot!(
        "summary_lines",
        csv(
            store.path(),
            "SELECT table_name, side, row_no, item_name, amount, gpb, gov_fund, soe, line_no \
            FROM summary_lines ORDER BY table_name, side, row_no"
        )
    );
}

#[test]
fn three_public_narrative_assets_units() {
    let store = seeded();
    let s = store.path();
    insta::assert_snapshot!(
        "three_public",
        csv(
            s,
            "SELECT total, outbound, vehicle, vehicle_purchase, vehicle_operation, reception, prior_total, \
            prior_outbound, prior_vehicle, prior_vehicle_purchase, prior_vehicle_operation, prior_reception, line_no, prior_line_no FROM three_public"
        )
    );
    insta::assert_snapshot!(
        "narrative",
        csv(
            s,
            "SELECT figure, amount, line_no FROM narrative ORDER BY line_no, figure"
        )
    );
    insta::assert_snapshot!(
        "assets",
        csv(
            s,
            "SELECT category, quantity, value, as_of, line_no FROM assets ORDER BY line_no"
        )
    );
    insta::assert_snapshot!(
        "units",
        csv(
            s,
            "SELECT doc_id, region, unit_code, unit_name, year, doc_kind, scope, dept_code, unit_nature, unit_rank, \
            funding_form, amount_unit, title, encoding, layout, tables_found, tables, tables_missing, kpi_tables, rows, warnings, \
            check_findings, status FROM units"
        )
    );
}

#[test]
fn every_kpi_indicator() {
    let store = seeded();
    insta::assert_snapshot!(
        "kpi_targets",
        csv(
            store.path(),
            "SELECT project_no, project_name, indicator_no, level1, level2, level3, description, target_raw, \
            target_op, target_value, target_unit, basis, line_no FROM kpi_targets ORDER BY project_no, indicator_no"
        )
    );
    insta::assert_snapshot!(
        "kpi_goals",
        csv(
            store.path(),
            "SELECT DISTINCT project_no, project_name, project_goal FROM kpi_targets ORDER BY project_no"
        )
    );
}

/// The canonical queries of `queries/` run on the sample (two units, and the first's 决算),
/// as the README shows.
#[test]
fn queries_run_on_the_sample() {
    let store = crate::util::two_units_and_a_final();
    let dir = crate::util::repo_root().join("queries");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    assert!(files.len() >= 7);
    for f in files {
        let out = budsql(store.path())
            .args(["--format", "csv", "-f"])
            .arg(&f)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            f.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let name = f.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(
            format!("query_{name}"),
            String::from_utf8(out.stdout).unwrap()
        );
    }
}

/// Adding a document writes new files and leaves every file of the stored ones untouched;
/// replacing one rewrites only the files that held it.
#[test]
fn adding_a_document_rewrites_no_other_partition() {
    // the manifest's head (its first JSON value) with the body's documents
    let manifest = |store: &std::path::Path| -> serde_json::Value {
        let bytes = std::fs::read(store.join("_budsql/manifest.json")).unwrap();
        let mut values = serde_json::Deserializer::from_slice(&bytes)
            .into_iter::<serde_json::Value>()
            .map(Result::unwrap);
        let mut head = values.next().unwrap();
        let body = values.next().unwrap();
        head["documents"] = body["documents"].clone();
        head
    };
    let paths = |m: &serde_json::Value| -> Vec<String> {
        m["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect()
    };
    let store = seeded();
    let first = manifest(store.path());
    assert_eq!(first["version"], 1);
    let first_files = paths(&first);
    let stamp = |p: &str| {
        std::fs::metadata(store.path().join(p))
            .unwrap()
            .modified()
            .unwrap()
    };
    let before: Vec<_> = first_files.iter().map(|p| stamp(p)).collect();

    {
        // same store, second unit added, in another year's partitions
        let seed = std::fs::read_to_string(crate::util::repo_root().join(SEED)).unwrap();
        let other = crate::fixtures::other_unit(&seed, false);
        let path = store.path().join("other.txt");
        std::fs::write(&path, other).unwrap();
        let out = budsql(store.path())
            .args(["ingest", "--year", "2024"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    let second = manifest(store.path());
    assert_eq!(second["version"], 2);
    let second_files = paths(&second);
    for (p, t) in first_files.iter().zip(&before) {
        assert!(second_files.contains(p), "{p} was dropped");
        assert_eq!(stamp(p), *t, "{p} was rewritten");
    }
    assert_eq!(second_files.len(), 2 * first_files.len());
    assert_eq!(second["documents"].as_object().unwrap().len(), 2);

    // re-ingesting the seed rewrites exactly the files that held it (they also hold nothing
    // else here), and the second unit's files stay
    let out = budsql(store.path())
        .args(["ingest", "--force", SEED])
        .output()
        .unwrap();
    assert!(out.status.success());
    let third = paths(&manifest(store.path()));
    let kept: Vec<_> = second_files.iter().filter(|p| third.contains(p)).collect();
    assert_eq!(kept.len(), first_files.len());
    assert!(kept.iter().all(|p| p.contains("part-00000002-")));
    assert_eq!(
        csv(store.path(), "SELECT count(*) FROM units"),
        "count(*)\n2\n"
    );

    // a third document in the seed's partitions: they are merged (one file per view and
    // partition, as one ingest of both would leave them), the other year's files untouched
    let year_2024: Vec<&String> = third.iter().filter(|p| p.contains("year=2024")).collect();
    let stamps: Vec<_> = year_2024.iter().map(|p| stamp(p)).collect();
    let seed = std::fs::read_to_string(crate::util::repo_root().join(SEED)).unwrap();
    let path = store.path().join("other-2023.txt");
    std::fs::write(&path, crate::fixtures::other_unit(&seed, true)).unwrap();
    let out = budsql(store.path())
        .arg("ingest")
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let fourth = paths(&manifest(store.path()));
    let mut per_partition: std::collections::BTreeMap<&str, usize> = Default::default();
    for p in &fourth {
        *per_partition
            .entry(p.rsplit_once('/').unwrap().0)
            .or_default() += 1;
    }
    assert!(per_partition.values().all(|&n| n == 1), "{per_partition:?}");
    for (p, t) in year_2024.iter().zip(&stamps) {
        assert!(fourth.contains(p), "{p} was dropped");
        assert_eq!(stamp(p), *t, "{p} was rewritten");
    }
    assert!(
        fourth
            .iter()
            .filter(|p| p.contains("year=2023"))
            .all(|p| p.contains("part-00000004-")),
        "{fourth:?}"
    );
    assert_eq!(
        csv(
            store.path(),
            "SELECT year, count(*) AS n FROM units GROUP BY year ORDER BY year"
        ),
        "year,n\n2023,2\n2024,1\n"
    );
}
