//! Hostile inputs in one batch with a good file: each bad file is named with the reason (and
//! the line, where there is one) or stored with a warning naming the line; nothing panics;
//! the good file is stored; the store verifies clean. (The files are made here, not
//! committed: one is 100 MB.)

use std::path::Path;

use crate::util::{SEED, budsql, csv, filters, regex_escape, repo_root, text};

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

#[test]
fn hostile_inputs_are_named_and_the_good_file_is_stored() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("hostile");
    std::fs::create_dir_all(&dir).unwrap();
    let seed = std::fs::read_to_string(repo_root().join(SEED)).unwrap();

    write(&dir, "empty.txt", b"");
    // pseudo-random bytes, NULs included
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let binary: Vec<u8> = (0..20_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    write(&dir, "binary.txt", &binary);
    // cut in the middle of a table row
    let cut: Vec<&str> = seed.lines().take(120).collect();
    write(
        &dir,
        "truncated.txt",
        format!("{}\n11\t2040607\t公共法律服务\t3. ", cut.join("\n")).as_bytes(),
    );
    // one line of 100 MB
    let mut big = String::from("2023年单位预算\n收支总表\n");
    while big.len() < 100_000_000 {
        big.push_str("项目\t1.00\t");
    }
    write(&dir, "line_100mb.txt", big.as_bytes());
    // wrong encodings
    let utf16: Vec<u8> = seed.encode_utf16().flat_map(u16::to_le_bytes).collect();
    write(&dir, "utf16.txt", &utf16);
    let mut broken = seed.clone().into_bytes();
    for b in broken.iter_mut().step_by(7) {
        *b = 0xFF;
    }
    write(&dir, "invalid_utf8.txt", &broken);
    // a table and a year but no table title
    let rows: Vec<&str> = seed
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()) && l.contains('\t'))
        .take(20)
        .collect();
    write(
        &dir,
        "no_title.txt",
        format!("预算年度: 2023\n\n{}\n", rows.join("\n")).as_bytes(),
    );
    // an amount of 40 digits
    write(
        &dir,
        "forty_digits.txt",
        seed.replacen(
            "1220. 18\t985. 67\t234. 51",
            "1234567890123456789012345678901234567890.12\t985. 67\t234. 51",
            1,
        )
        .as_bytes(),
    );
    // years 0 and 99999
    write(&dir, "year0.txt", seed.replace("2023", "0000").as_bytes());
    write(
        &dir,
        "year99999.txt",
        seed.replace("2023", "99999").as_bytes(),
    );

    let store = tmp.path().join("store");
    let out = budsql(&store)
        .arg("ingest")
        .arg(&dir)
        .arg(SEED)
        .output()
        .unwrap();
    let (so, se) = text(&out);
    assert_eq!(out.status.code(), Some(3), "{so}{se}");
    assert!(!se.contains("panicked"), "{se}");
    let mut settings = filters(&store);
    settings.add_filter(&regex_escape(&dir.display().to_string()), "[HOSTILE]");
    settings.bind(|| insta::assert_snapshot!("hostile_stderr", se));
    // the good file and the damaged-but-readable ones are stored, with warnings naming lines
    assert_eq!(
        csv(
            &store,
            "SELECT regexp_replace(source_path, '^.*/', '') AS file, warnings FROM units ORDER BY file"
        ),
        "file,warnings\nforty_digits.txt,3\nqhd_zhengfawei_2023_unit_budget.txt,2\ntruncated.txt,8\n"
    );
    assert_eq!(
        csv(
            &store,
            "SELECT w.line_no, w.code FROM warnings w JOIN units u USING (doc_id) \
             WHERE u.source_path LIKE '%forty_digits%' AND w.code = 'amount_out_of_range'"
        ),
        "line_no,code\n133,amount_out_of_range\n"
    );
    let v = budsql(&store).arg("verify").output().unwrap();
    assert!(v.status.success(), "{}", text(&v).0);
}
