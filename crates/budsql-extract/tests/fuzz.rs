//! Fuzzing with proptest: no input makes a reader panic. Real and generated documents are
//! mutated (bytes deleted, inserted from a dictionary of the documents' own tokens, lines
//! swapped, duplicated or cut) and read by every layer: the lower layer (lines, cells,
//! numbers), the title recogniser, and the whole extractor in both text forms.
//!
//! CI runs a small budget (`FUZZ_CASES`, default 64 per target). The long runs recorded in
//! the notes: `FUZZ_CASES=1000000 cargo test --release -p budsql-extract --test tests fuzz`.
//! A failure prints the minimal input, which becomes a named test here. (No run so far has
//! found one: see the figures in the notes of the issue that added these targets.)

use std::path::Path;

use budsql_extract::{Overrides, classify_title, extract};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Tokens the documents are made of: separators, page marks, labels, codes, numbers as
/// printed (split, separated, full-width, huge), units, dashes, broken characters.
const DICTIONARY: &[&str] = &[
    "\t",
    "\t\t\t",
    "\n",
    "\r\n",
    "\u{c}",
    "  ",
    "          ",
    "合计",
    "总计",
    "小计",
    "1183. 74",
    "1,234.56",
    "-12.50",
    "(3.00)",
    "—",
    "－",
    "０１２．５",
    "12345678901234567890123456789.99",
    "0.00",
    "一、",
    "（一）",
    "1、",
    "201",
    "20101",
    "2010101",
    "301   02",
    "类",
    "款",
    "项",
    "单位：元",
    "单位:万元",
    "收支总表",
    "收入总表",
    "支出决算表",
    "基本支出表",
    "“三公”经费",
    "绩效目标表",
    "财政项目支出绩效目标填报表",
    "一级指标",
    "二级指标",
    "三级指标",
    "指标值",
    "≥95%",
    "≪4万元",
    "预算年度: 2023",
    "2024年度部门决算",
    "编制单位：某局",
    "人员经费合计",
    "公用经费合计",
    "预算数",
    "决算数",
    "年初结转和结余",
    "年末结转和结余",
    "序号",
    "栏次",
    "\u{E000}",
    "\u{FFFD}",
    "\u{0}",
    "注:无政府性基金预算财政拨款预算,空表列示。",
    "-- PAGE_BREAK --",
    "合り",
];

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize, usize),
    Insert(usize, usize),
    Byte(usize, u8),
    SwapLines(usize, usize),
    DuplicateLine(usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1usize..64).prop_map(|(p, n)| Mutation::Delete(p, n)),
        (any::<usize>(), 0..DICTIONARY.len()).prop_map(|(p, t)| Mutation::Insert(p, t)),
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Mutation::Byte(p, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(mut doc: Vec<u8>, muts: &[Mutation]) -> Vec<u8> {
    for m in muts {
        if doc.is_empty() {
            break;
        }
        let len = doc.len();
        match m {
            Mutation::Delete(p, n) => {
                let at = p % len;
                let end = (at + n).min(len);
                doc.drain(at..end);
            }
            Mutation::Insert(p, t) => {
                let at = p % (len + 1);
                let tok = DICTIONARY.get(*t).copied().unwrap_or("");
                doc.splice(at..at, tok.bytes());
            }
            Mutation::Byte(p, b) => {
                if let Some(slot) = doc.get_mut(p % len) {
                    *slot = *b;
                }
            }
            Mutation::SwapLines(a, b) | Mutation::DuplicateLine(a @ b) => {
                let mut lines: Vec<Vec<u8>> =
                    doc.split(|c| *c == b'\n').map(<[u8]>::to_vec).collect();
                let n = lines.len();
                if matches!(m, Mutation::SwapLines(..)) {
                    lines.swap(a % n, b % n);
                } else if let Some(l) = lines.get(a % n).cloned() {
                    lines.insert(a % n, l);
                }
                doc = lines.join(&b'\n');
            }
            Mutation::Truncate(p) => doc.truncate(p % len),
        }
    }
    doc
}

fn corpus() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut docs = vec![
        std::fs::read(root.join("datasets/sample/qhd_zhengfawei_2023_unit_budget.txt")).unwrap(),
    ];
    docs.push(
        std::fs::read(
            root.join("datasets/corpus-shanghai/text/sh_putuo_caizhengju_2024_dept_final.txt"),
        )
        .unwrap(),
    );
    for layout in [0, 100] {
        let config = budsql_gen::Config {
            seed: 9,
            units: 2,
            years: vec![2024],
            finals: 50,
            pairs: 0,
            departments: 50,
            layout,
            variants: budsql_gen::Variants::all(),
        };
        let mut truth = budsql_gen::truth::Truth::default();
        for i in 0..2 {
            docs.push(budsql_gen::document(&config, i, &mut truth).1);
        }
    }
    docs
}

/// The whole extractor on mutated documents: a `Document` or an error, never a panic.
#[test]
fn fuzz_extract_mutated_documents() {
    let docs = corpus();
    let n = docs.len();
    runner()
        .run(
            &(0..n, proptest::collection::vec(mutation(), 1..12)),
            |(i, muts)| {
                let doc = apply(docs.get(i).cloned().unwrap_or_default(), &muts);
                let _ = extract(&doc, Path::new("fuzz.txt"), &Overrides::default());
                Ok(())
            },
        )
        .unwrap();
}

/// The extractor on text made of the documents' own tokens in random order.
#[test]
fn fuzz_extract_token_soup() {
    runner()
        .run(
            &proptest::collection::vec(0..DICTIONARY.len(), 0..400),
            |tokens| {
                let text: String = tokens
                    .iter()
                    .map(|t| DICTIONARY.get(*t).copied().unwrap_or(""))
                    .collect();
                let _ = extract(
                    text.as_bytes(),
                    Path::new("soup.txt"),
                    &Overrides::default(),
                );
                Ok(())
            },
        )
        .unwrap();
}

/// The lower layer and the title recogniser on arbitrary strings.
#[test]
fn fuzz_lower_layer_and_titles() {
    runner()
        .run(&any::<String>(), |s| {
            for l in budsql_text::lines(&s) {
                let _ = l.cells();
                let _ = budsql_text::layout_cells(l.text);
                let _ = classify_title(l.text);
            }
            let _ = budsql_text::parse_number(&s);
            let _ = budsql_text::number_spans(&s);
            let _ = budsql_text::clean_text(&s);
            let _ = budsql_text::strip_ordinal(&s);
            let _ = budsql_extract::parse_target(&s);
            let _ = budsql_text::decode(s.as_bytes());
            Ok(())
        })
        .unwrap();
}

/// Arbitrary bytes through decoding and the extractor.
#[test]
fn fuzz_extract_bytes() {
    runner()
        .run(&proptest::collection::vec(any::<u8>(), 0..4096), |b| {
            let _ = extract(&b, Path::new("bytes.txt"), &Overrides::default());
            Ok(())
        })
        .unwrap();
}
