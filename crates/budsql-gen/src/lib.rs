//! A generator of realistic budget disclosures with the ground truth of every view.
//!
//! [`generate`] draws units (bureaus, schools, hospitals, street offices …) and, for each
//! unit and year, one document — 预算 or 决算, 部门 or 单位 — whose arithmetic holds by
//! construction (items sum to their 款 and 类, 合计 = 基本 + 项目, 人员 + 公用, 三公 parts,
//! narrative = tables). Each document is written in the tab form of the bundled sample, with
//! the noise such extractions carry, each kind switchable ([`Variants`]); the values every
//! view must show are written beside the documents as CSV ([`truth`]). The same seed gives
//! the same corpus, byte for byte.

mod catalog;
mod format;
mod layout;
mod model;
mod prose;
mod rng;
mod tab;
pub mod truth;

use std::path::{Path, PathBuf};

pub use model::{DocKind, Scope};

/// The kinds of noise real extractions carry; each can be switched on or off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Variants {
    /// `1183. 74`: a space after the decimal point.
    pub split_decimals: bool,
    /// CJK names split by a space (`党委办公厅(室)及相关 机构事务`).
    pub cjk_spaces: bool,
    /// Tables continued over pages with the unit block and header repeated.
    pub page_breaks: bool,
    /// OCR junk in header cells (`合り` for `合计`).
    pub junk_headers: bool,
    /// 一级指标 printed once per merged block, blank on its other rows.
    pub merged_cells: bool,
    /// Some documents saved as GB18030.
    pub gb18030: bool,
    /// Some documents with CRLF line ends.
    pub crlf: bool,
    /// Some documents with a UTF-8 byte-order mark.
    pub bom: bool,
    /// Some layout documents print their tables in 元 (the 三公 table stays in 万元).
    pub yuan: bool,
    /// Layout documents wrap long names onto the next line.
    pub wrapped_names: bool,
}

impl Variants {
    pub const NAMES: [&'static str; 10] = [
        "split_decimals",
        "cjk_spaces",
        "page_breaks",
        "junk_headers",
        "merged_cells",
        "gb18030",
        "crlf",
        "bom",
        "yuan",
        "wrapped_names",
    ];

    pub fn all() -> Variants {
        Variants {
            split_decimals: true,
            cjk_spaces: true,
            page_breaks: true,
            junk_headers: true,
            merged_cells: true,
            gb18030: true,
            crlf: true,
            bom: true,
            yuan: true,
            wrapped_names: true,
        }
    }

    /// Parses `all`, `none` or a comma-separated list of [`Variants::NAMES`].
    pub fn parse(s: &str) -> Result<Variants, GenError> {
        match s.trim() {
            "all" => return Ok(Variants::all()),
            "none" | "" => return Ok(Variants::default()),
            _ => {}
        }
        let mut v = Variants::default();
        for name in s.split(',').map(str::trim) {
            let slot = match name {
                "split_decimals" => &mut v.split_decimals,
                "cjk_spaces" => &mut v.cjk_spaces,
                "page_breaks" => &mut v.page_breaks,
                "junk_headers" => &mut v.junk_headers,
                "merged_cells" => &mut v.merged_cells,
                "gb18030" => &mut v.gb18030,
                "crlf" => &mut v.crlf,
                "bom" => &mut v.bom,
                "yuan" => &mut v.yuan,
                "wrapped_names" => &mut v.wrapped_names,
                other => return Err(GenError::Variant(other.to_string())),
            };
            *slot = true;
        }
        Ok(v)
    }
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Config {
    pub seed: u64,
    pub units: usize,
    pub years: Vec<i32>,
    /// Percent of documents that are final accounts (决算).
    pub finals: u32,
    /// Percent of unit-years published as both a 预算 and a 决算 (the second document of
    /// the pair, of the same unit, year, scope and form, is written beside the first).
    pub pairs: u32,
    /// Percent of documents that are department (部门) documents.
    pub departments: u32,
    /// Percent of documents in the layout form (`pdftotext -layout`); the rest in the tab form.
    pub layout: u32,
    pub variants: Variants,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: 1,
            units: 10,
            years: vec![2023, 2024],
            finals: 25,
            pairs: 0,
            departments: 20,
            layout: 50,
            variants: Variants::all(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GenError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Csv {
        path: PathBuf,
        #[source]
        source: csv::Error,
    },
    #[error("unknown variant `{0}` (expected all, none or a list of: {names})", names = Variants::NAMES.join(", "))]
    Variant(String),
}

impl GenError {
    fn io(path: &Path, source: std::io::Error) -> GenError {
        GenError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
    fn csv(path: &Path, source: csv::Error) -> GenError {
        GenError::Csv {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// What was written.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub documents: usize,
    pub bytes: u64,
}

/// One generated document: its file name and bytes. Documents are drawn independently, so
/// any slice of the corpus can be produced alone (and in parallel).
pub fn document(config: &Config, index: usize, truth: &mut truth::Truth) -> (String, Vec<u8>) {
    draw(config, index, truth, false)
}

/// The other document of `index`'s unit and year (its 决算 where `index` drew a 预算, and
/// the reverse), for the share of unit-years [`Config::pairs`] says publish both: same
/// unit, year, scope, form and subjects; the 决算's figures are the 预算's as executed
/// ([`model::executed`]: 93–100 % of basic spending, 60–100 % of projects, 40–100 % of each
/// 三公 part), and its 三公 table prints the 预算数 beside the 决算数.
pub fn partner(
    config: &Config,
    index: usize,
    truth: &mut truth::Truth,
) -> Option<(String, Vec<u8>)> {
    partners(config, index).then(|| draw(config, index, truth, true))
}

/// Whether `index`'s unit-year is published as a 预算/决算 pair.
fn partners(config: &Config, index: usize) -> bool {
    config.pairs > 0
        && rng::Rng::new(config.seed)
            .fork(2_000_000 + index as u64)
            .chance(config.pairs)
}

fn draw(
    config: &Config,
    index: usize,
    truth: &mut truth::Truth,
    other_kind: bool,
) -> (String, Vec<u8>) {
    let root = rng::Rng::new(config.seed);
    let years = config.years.len().max(1);
    let unit_index = index / years;
    let year = config.years.get(index % years).copied().unwrap_or(2024);
    let mut unit_rng = root.fork(unit_index as u64);
    let (kind, name, code, region) = model::unit(&mut unit_rng, unit_index);
    let mut rng = root.fork(1_000_000 + index as u64);
    let doc_kind = match (rng.chance(config.finals), other_kind) {
        (true, false) | (false, true) => DocKind::Final,
        _ => DocKind::Budget,
    };
    let scope = if rng.chance(config.departments) {
        Scope::Department
    } else {
        Scope::Unit
    };
    let layout = rng.chance(config.layout);
    let yuan = layout && config.variants.yuan && rng.chance(60);
    // a unit-year published as both: its 预算 is drawn, its 决算 derived from it
    let paired = partners(config, index);
    let drawn_kind = if paired { DocKind::Budget } else { doc_kind };
    let mut doc = model::document(
        &mut rng, &kind, &name, &code, region, year, drawn_kind, scope, yuan, !layout,
    );
    if paired && doc_kind == DocKind::Final {
        doc = model::executed(&mut root.fork(3_000_000 + index as u64), &doc);
    }
    let file = format!(
        "{code}_{year}_{}_{}_{}.txt",
        match doc_kind {
            DocKind::Budget => "budget",
            DocKind::Final => "final",
        },
        match scope {
            Scope::Unit => "unit",
            Scope::Department => "dept",
        },
        if layout { "layout" } else { "tab" }
    );
    let text = if layout {
        layout::write(&doc, &config.variants, rng.fork(7), &file, truth)
    } else {
        tab::write(&doc, &config.variants, rng.fork(7), &file, truth)
    };
    truth.unit(
        &file,
        [
            region.to_string(),
            if layout { String::new() } else { code.clone() },
            name.clone(),
            year.to_string(),
            match doc_kind {
                DocKind::Budget => "budget",
                DocKind::Final => "final",
            }
            .to_string(),
            match scope {
                Scope::Unit => "unit",
                Scope::Department => "department",
            }
            .to_string(),
            if yuan { "元" } else { "万元" }.to_string(),
        ],
    );
    let v = &config.variants;
    let mut enc = rng.fork(11);
    let text = if v.crlf && enc.chance(30) {
        text.replace('\n', "\r\n")
    } else {
        text
    };
    let bytes = if v.gb18030 && enc.chance(30) {
        let (b, _, _) = encoding_rs::GB18030.encode(&text);
        b.into_owned()
    } else if v.bom && enc.chance(30) {
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice(text.as_bytes());
        b
    } else {
        text.into_bytes()
    };
    (file, bytes)
}

/// The number of unit-years a configuration draws: its documents, but for the second
/// documents of pairs ([`partner`]).
pub fn count(config: &Config) -> usize {
    config.units * config.years.len().max(1)
}

/// Writes the corpus into `out/docs/` and its truth into `out/truth/`.
pub fn generate(config: &Config, out: &Path) -> Result<Summary, GenError> {
    let docs = out.join("docs");
    std::fs::create_dir_all(&docs).map_err(|e| GenError::io(&docs, e))?;
    let mut truth = truth::Truth::default();
    let mut summary = Summary::default();
    for i in 0..count(config) {
        let first = document(config, i, &mut truth);
        let second = partner(config, i, &mut truth);
        for (file, bytes) in std::iter::once(first).chain(second) {
            let path = docs.join(&file);
            std::fs::write(&path, &bytes).map_err(|e| GenError::io(&path, e))?;
            summary.documents += 1;
            summary.bytes += bytes.len() as u64;
        }
    }
    truth.write(&out.join("truth"))?;
    Ok(summary)
}
