//! The generator's ground truth: a generated corpus with every kind of noise switched on,
//! ingested by the real binary into a real store, reads back exactly as the truth says,
//! view by view, with no warning and no check finding. The queries are
//! `datasets/truth/*.sql`, the same a researcher would run.

use std::path::Path;

use crate::util::{budsql, repo_root, text};

const VIEWS: [&str; 5] = [
    "units",
    "budget_lines",
    "summary_lines",
    "three_public",
    "kpi_targets",
];

fn generate(out: &Path, seed: &str, units: &str) {
    let o = budsql(out)
        .args([
            "gen",
            "--seed",
            seed,
            "--units",
            units,
            "--years",
            "2023,2024",
        ])
        .args(["--variants", "all", "--out"])
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o).1);
}

#[test]
fn generated_corpus_reads_back_as_the_truth() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("corpus");
    generate(&out, "7", "15");
    let store = dir.path().join("store");
    let o = budsql(&store)
        .arg("ingest")
        .arg(out.join("docs"))
        .output()
        .unwrap();
    let (so, se) = text(&o);
    assert!(o.status.success(), "{so}{se}");
    assert!(so.contains("ingested 30 document(s)"), "{so}");
    reads_back_as_the_truth(&store, &out);
    // nothing uncertain, and the arithmetic holds: the only findings are the narrative's
    // two-place 万元 figures against the 元 tables (rounding)
    let counts = crate::util::csv(
        &store,
        "SELECT (SELECT count(*) FROM warnings) AS warnings, \
         (SELECT count(*) FROM checks WHERE severity <> 'rounding') AS errors, \
         (SELECT count(DISTINCT layout) FROM units) AS forms, \
         (SELECT count(DISTINCT amount_unit) FROM units) AS money_units, \
         (SELECT count(DISTINCT doc_kind) FROM units) AS kinds, \
         (SELECT count(DISTINCT scope) FROM units) AS scopes, \
         (SELECT count(DISTINCT encoding) FROM units) AS encodings",
    );
    assert_eq!(
        counts,
        "warnings,errors,forms,money_units,kinds,scopes,encodings\n0,0,2,2,2,2,3\n"
    );
}

/// Every view of `store` (ingested from the corpus at `out`) reads back as `out/truth/`
/// says, by the queries of `datasets/truth/`.
fn reads_back_as_the_truth(store: &Path, out: &Path) {
    for view in VIEWS {
        let q = repo_root()
            .join("datasets/truth")
            .join(format!("{view}.sql"));
        let o = budsql(store)
            .args(["--format", "csv", "-f"])
            .arg(&q)
            .output()
            .unwrap();
        let (got, err) = text(&o);
        assert!(o.status.success(), "{view}: {err}");
        let want = std::fs::read_to_string(out.join("truth").join(format!("{view}.csv"))).unwrap();
        if got != want {
            let first = got
                .lines()
                .zip(want.lines())
                .enumerate()
                .find(|(_, (g, w))| g != w)
                .map(|(i, (g, w))| format!("line {}:\n  got  {g}\n  want {w}", i + 1))
                .unwrap_or_else(|| {
                    format!(
                        "{} lines vs {} lines",
                        got.lines().count(),
                        want.lines().count()
                    )
                });
            panic!("{view} differs from the truth at {first}");
        }
        assert!(want.lines().count() > 1, "{view}: empty truth");
    }
}

/// `--pairs 100`: every unit-year published as a 预算 and a 决算 of the same unit, scope and
/// form; `execution` pairs each unit's two expenditure totals exactly as the truth prints
/// them (and never pairs documents of different units); across 2018 and 2019 a 类 renamed
/// in 2019 is printed under each year's name and carried by one `subject_key`.
#[test]
fn generated_pairs_give_the_execution_of_each_unit_year() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("corpus");
    let o = budsql(&out)
        .args(["gen", "--seed", "5", "--units", "6", "--years", "2018,2019"])
        .args(["--pairs", "100", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o).1);
    let store = dir.path().join("store");
    crate::util::succeed(budsql(&store).arg("ingest").arg(out.join("docs")));
    let read = |name: &str| -> Vec<csv::StringRecord> {
        csv::Reader::from_path(out.join("truth").join(name))
            .unwrap()
            .records()
            .map(Result::unwrap)
            .collect()
    };
    // file -> (unit, year, scope, kind); file -> the 支出总表's 合计
    let units: std::collections::HashMap<String, [String; 4]> = read("units.csv")
        .iter()
        .map(|r| (r[0].to_string(), [3, 4, 6, 5].map(|i| r[i].to_string())))
        .collect();
    let totals: std::collections::HashMap<String, String> = read("budget_lines.csv")
        .iter()
        .filter(|r| &r[1] == "expenditure" && &r[4] == "合计")
        .map(|r| (r[0].to_string(), r[5].to_string()))
        .collect();
    assert_eq!(units.len(), 24, "6 units × 2 years × 2 kinds");
    let mut want: Vec<String> = units
        .iter()
        .filter(|(_, u)| u[3] == "budget")
        .map(|(file, u)| {
            let fin = units
                .iter()
                .find(|(_, v)| v[..3] == u[..3] && v[3] == "final")
                .map(|(f, _)| f.clone())
                .unwrap_or_else(|| panic!("{file} has no 决算"));
            format!(
                "{},{},{},{},{}",
                u[0], u[1], u[2], totals[file], totals[&fin]
            )
        })
        .collect();
    want.sort();
    let got = crate::util::csv(
        &store,
        "SELECT unit_name, year, scope, budget, final FROM execution \
         WHERE source = 'pair' AND table_name = 'expenditure' AND subject_level = 0 \
         AND measure = 'total' ORDER BY 1, 2, 3",
    );
    let got: Vec<&str> = got.lines().skip(1).collect();
    assert_eq!(got.len(), 12, "{got:?}");
    assert_eq!(got, want);
    // every paired row of every classified table: the 预算's and the 决算's totals as the
    // truth prints them, row by row (by code, or by name where none is printed)
    let lines = read("budget_lines.csv");
    let mut rows_of: std::collections::BTreeMap<(String, String, String), String> =
        Default::default();
    for r in &lines {
        let key = if r[3].is_empty() { &r[4] } else { &r[3] };
        rows_of.insert(
            (r[0].to_string(), r[1].to_string(), key.to_string()),
            r[5].to_string(),
        );
    }
    let mut want_rows: Vec<String> = Vec::new();
    for (file, u) in units.iter().filter(|(_, u)| u[3] == "budget") {
        let Some((fin, _)) = units
            .iter()
            .find(|(_, v)| v[..3] == u[..3] && v[3] == "final")
        else {
            continue;
        };
        let mut keys: std::collections::BTreeSet<(String, String)> = Default::default();
        for (f, t, k) in rows_of.keys() {
            if f == file || f == fin {
                keys.insert((t.clone(), k.clone()));
            }
        }
        for (t, k) in keys {
            let b = rows_of
                .get(&(file.clone(), t.clone(), k.clone()))
                .cloned()
                .unwrap_or_default();
            let f = rows_of
                .get(&(fin.clone(), t.clone(), k.clone()))
                .cloned()
                .unwrap_or_default();
            want_rows.push(format!("{file},{fin},{t},{k},{b},{f}"));
        }
    }
    want_rows.sort();
    let got_rows = crate::util::csv(
        &store,
        "SELECT regexp_replace(bu.source_path, '^.*/', '') AS b, \
                regexp_replace(fu.source_path, '^.*/', '') AS f, e.table_name, \
                coalesce(e.subject_code, e.subject_name) AS k, e.budget, e.final \
         FROM execution e JOIN units bu ON bu.doc_id = e.budget_doc_id \
         JOIN units fu ON fu.doc_id = e.final_doc_id \
         WHERE e.source = 'pair' AND e.measure = 'total' AND e.table_name <> 'three_public'",
    );
    let mut got_rows: Vec<&str> = got_rows.lines().skip(1).collect();
    got_rows.sort_unstable();
    assert!(want_rows.len() > 500, "{}", want_rows.len());
    assert_eq!(got_rows, want_rows);
    // every view as the truth says, the 决算s' printed 预算数 of 三公 included
    reads_back_as_the_truth(&store, &out);
    // a 决算 spends what its 预算 planned, or less: 60–100 % of the total, 40–100 % of
    // 三公; and where the 决算 prints its 预算数 (the layout form), they are the 预算's
    let rates = crate::util::csv(
        &store,
        "SELECT table_name, source, count(*) AS n, min(rate) AS lo, max(rate) AS hi \
         FROM execution WHERE measure = 'total' AND budget > 0 \
           AND (table_name = 'three_public' OR (table_name = 'expenditure' AND subject_level = 0)) \
         GROUP BY 1, 2 ORDER BY 1, 2",
    );
    let rows: Vec<Vec<&str>> = rates
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 3, "{rates}");
    for r in &rows {
        let (lo, hi): (f64, f64) = (r[3].parse().unwrap(), r[4].parse().unwrap());
        let floor = if r[0] == "three_public" { 0.4 } else { 0.6 };
        assert!(lo >= floor && hi <= 1.0 && lo < hi, "{rates}");
    }
    assert!(rates.contains("three_public,final_printed,"), "{rates}");
    let disagree = crate::util::csv(
        &store,
        "SELECT count(*) FILTER (WHERE p.budget <> f.budget OR p.final <> f.final) AS differ, \
                count(*) > 0 AS some FROM execution p JOIN execution f \
           ON p.unit_key = f.unit_key AND p.year = f.year AND p.scope = f.scope \
          AND p.measure = f.measure AND p.final_doc_id = f.final_doc_id \
         WHERE p.table_name = 'three_public' AND f.table_name = 'three_public' \
           AND p.source = 'pair' AND f.source = 'final_printed'",
    );
    assert_eq!(disagree, "differ,some\n0,true\n");
    // one unit_key per unit over both years, though two units print their code in one
    // year's documents (the tab form) and not in the other's (the layout form)
    let keys = crate::util::csv(
        &store,
        "SELECT count(*) AS keys, min(years) AS least_years FROM \
         (SELECT unit_key, count(DISTINCT year) AS years FROM units GROUP BY unit_key)",
    );
    assert_eq!(keys, "keys,least_years\n6,2\n");
    // 210 was renamed in 2019: each year prints its own name, one subject_key carries both,
    // and the catalogue knows both names
    let renamed = crate::util::csv(
        &store,
        "SELECT year, subject_name, subject_key FROM budget_lines WHERE subject_code = '210' \
         GROUP BY ALL ORDER BY 1, 2",
    );
    assert_eq!(
        renamed,
        "year,subject_name,subject_key\n2018,医疗卫生与计划生育支出,F210\n2019,卫生健康支出,F210\n"
    );
    let findings = crate::util::csv(
        &store,
        &std::fs::read_to_string(repo_root().join("queries/13_unknown_subjects.sql")).unwrap(),
    );
    // nothing at all: every code the generator prints is in the catalogue with its name
    assert_eq!(findings.lines().count(), 1, "{findings}");
}

#[test]
fn generation_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("c"),
    );
    generate(&a, "3", "4");
    generate(&b, "3", "4");
    generate(&c, "4", "4");
    let read_all = |root: &Path| -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        for sub in ["docs", "truth"] {
            let mut names: Vec<_> = std::fs::read_dir(root.join(sub))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            names.sort();
            for p in names {
                files.push((
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
        files
    };
    let (fa, fb, fc) = (read_all(&a), read_all(&b), read_all(&c));
    assert_eq!(fa.len(), 8 + 5);
    assert_eq!(fa, fb, "the same seed gives the same bytes");
    assert_ne!(fa, fc, "another seed gives another corpus");
}
