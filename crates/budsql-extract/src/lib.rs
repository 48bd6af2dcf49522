//! The upper layer of budsql's parser: tables by meaning, columns by header meaning, the
//! narrative figures, KPI targets, assets, and the document's own arithmetic.
//!
//! [`extract`] turns the bytes of one disclosure into a [`Document`]: every row of every
//! typed view, each with its source line, plus the warnings (what was repaired with less
//! than certainty, or skipped) and the failed identities (`checks`). Only a file that is
//! not a disclosure at all is an [`ExtractError`]. [`extract_pdf`] does the same for a PDF,
//! with the PDF's word boxes for geometry.
//!
//! The stages, in order (each its own module):
//! 1. pages and words: lines with cells and positions (`budsql-text`, boxes placed by
//!    `budsql_text::bbox`); page furniture — page numbers, running headers — blanked
//!    (`furniture`);
//! 2. blocks: lines split into sections under recognised titles (`grid`, titles by meaning in
//!    `title`), the rest is narrative; the identity from anywhere it is stated (`identity`);
//! 3. tables: a section's lines into header and body blocks (`table::blocks`);
//! 4. header tree: wrapped labels stacked into leaves, group labels over them
//!    (`table::header`);
//! 5. columns: body cells placed in columns by geometry (`table::columns`);
//! 6. rows: physical lines into logical rows (`table::rows`);
//! 7. families: one reader per table family gives columns and rows their meaning —
//!    `families::classified` (budget_lines), `families::summary` (summary_lines),
//!    `families::three_public`; the tab-separated form has its own readers (`classified`,
//!    `summary`, `three_public`, `columns`, `align`), and `kpi`, `misc` (assets, organisation);
//! 8. narrative: the figures the prose states (`narrative`);
//! 9. checks: the document's own arithmetic, reconciled across tables (`checks`).

mod align;
mod checks;
mod classified;
mod columns;
mod ctx;
mod error;
mod families;
mod furniture;
mod grid;
mod identity;
mod kpi;
mod misc;
mod narrative;
mod summary;
mod table;
mod three_public;
mod title;

use budsql_schema::WarningCode;
use std::path::Path;

use budsql_schema::{
    DocKind, Document, Identity, MoneyUnit, Scope, TableFound, TableName, ThreePublic, UnitInfo,
};
use budsql_text::{LineForm, decode, lines};
use sha2::{Digest, Sha256};

pub use error::ExtractError;
pub use kpi::parse_target;
pub use title::{classify_title, normalize_title};

/// The longest line read, in bytes: far beyond any printed table row.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Identity a researcher states for a file, overriding what the document says.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub region: Option<String>,
    pub unit_name: Option<String>,
    pub year: Option<i32>,
    pub doc_kind: Option<DocKind>,
    pub scope: Option<Scope>,
}

/// The stable id of a document: the first 16 hex digits of the SHA-256 of its decoded text
/// (so the same document saved as GB18030 or with CRLF has the same id).
pub fn doc_id(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Reads one disclosure. `path` names the file in messages and in `units.source_path`.
pub fn extract(bytes: &[u8], path: &Path, overrides: &Overrides) -> Result<Document, ExtractError> {
    read_document(bytes, None, path, overrides)
}

/// Reads a PDF from its `pdftotext -layout` text (`text`: line numbers and the document id
/// come from it, so a PDF and its extracted text are one document) and the same PDF's
/// `pdftotext -bbox-layout` output (`boxes`: where every word stands, which places cells in
/// their columns by geometry rather than by character counts).
pub fn extract_pdf(
    text: &[u8],
    boxes: &str,
    path: &Path,
    overrides: &Overrides,
) -> Result<Document, ExtractError> {
    let pages = budsql_text::parse_bbox(boxes);
    read_document(text, Some(&pages), path, overrides)
}

/// A table whose first project is the one the table before ended with (its name read from
/// the table, not its title: a project's rows go on over a page, and each page prints the
/// table's title and the project's name anew) continues that project: its indicators are
/// numbered on, and the table's other projects take the numbers after it.
fn continue_project(
    before: &[budsql_schema::KpiTarget],
    rows: &mut [budsql_schema::KpiTarget],
    title: &str,
) -> bool {
    let (Some(prev), Some(first)) = (before.last(), rows.first()) else {
        return false;
    };
    let from = first.project_no;
    if first.project_name != prev.project_name
        || first.project_name == kpi::project_of(title, 0).1
        || from == prev.project_no
    {
        return false;
    }
    let (to, base, goal) = (
        prev.project_no,
        prev.indicator_no,
        prev.project_goal.clone(),
    );
    for r in rows.iter_mut() {
        if r.project_no == from {
            r.project_no = to;
            r.indicator_no = r.indicator_no.saturating_add(base);
            if goal.is_some() {
                r.project_goal.clone_from(&goal);
            }
        } else if r.project_no > from {
            r.project_no -= 1;
        }
    }
    true
}

fn read_document(
    bytes: &[u8],
    boxes: Option<&[budsql_text::BoxPage]>,
    path: &Path,
    overrides: &Overrides,
) -> Result<Document, ExtractError> {
    let p = || path.to_path_buf();
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ExtractError::Empty { path: p() });
    }
    let decoded = decode(bytes);
    let chars = || decoded.text.chars().count();
    if decoded.replaced > 0 && decoded.replaced * 20 > chars() || decoded.text.contains('\0') {
        let chars = chars();
        return Err(ExtractError::NotText {
            path: p(),
            replaced: decoded.replaced.max(decoded.text.matches('\0').count()),
            chars,
        });
    }
    let text = decoded.text.as_str();
    let (mut all, garbled) = drop_garbled_pages(lines(text));
    // a line no table row could be (a whole file on one line): reported, not read
    let mut overlong: Vec<(usize, usize)> = Vec::new();
    for l in &mut all {
        if l.text.len() > MAX_LINE_BYTES {
            overlong.push((l.no, l.text.chars().count()));
            l.text = "";
            l.form = LineForm::Plain;
        }
    }
    if !garbled.is_empty() && all.iter().all(|l| l.is_blank()) {
        return Err(ExtractError::Garbled {
            path: p(),
            pages: garbled.len(),
        });
    }
    let tabbed = all.iter().filter(|l| l.form == LineForm::Tabbed).count();
    // page numbers and running headers are no part of any table (identity reads them)
    let mut content = all.clone();
    furniture::blank(&mut content);
    let layout = if tabbed > 0 {
        grid::read_tabbed(&content)
    } else {
        let geo = match boxes {
            Some(pages) => budsql_text::place_lines(&all, pages),
            None => Vec::new(),
        };
        grid::read_layout(&content, &geo)
    };
    let stated = identity::stated(&all, &layout.sections, path);

    let year = match (overrides.year, stated.year) {
        (Some(y), _) => i64::from(y),
        (None, Some((y, line))) => {
            if !(1990..=2100).contains(&y) {
                return Err(ExtractError::YearOutOfRange {
                    path: p(),
                    line,
                    year: y,
                });
            }
            y
        }
        (None, None) => return Err(ExtractError::NoYear { path: p() }),
    };
    let year = i32::try_from(year).unwrap_or_default();
    if layout.sections.is_empty() {
        if let Some((line, chars)) = overlong.first() {
            return Err(ExtractError::Overlong {
                path: p(),
                line: *line,
                chars: *chars,
            });
        }
        if let Some(block) = layout.untitled.iter().find(|b| b.len() >= 2)
            && let (Some(first), Some(last)) = (block.first(), block.last())
        {
            return Err(ExtractError::Untitled {
                path: p(),
                first: first.line_no,
                last: last.line_no,
            });
        }
        return Err(ExtractError::NoTables { path: p() });
    }

    let mut ctx = ctx::Ctx::default();
    for (line, chars) in &overlong {
        ctx.warn(
            *line,
            None,
            WarningCode::OverlongLine,
            format!(
                "line {line} is {chars} characters long (a table row is at most {} bytes); it is not read",
                MAX_LINE_BYTES
            ),
            None,
        );
    }
    if stated.unit_name.is_none() && overrides.unit_name.is_none() {
        ctx.warn(
            0,
            None,
            WarningCode::UnitNotStated,
            "no unit name was found on the cover, the running header or the tables' labels (`部门：`, `单位名称：`, `编制部门：`); `unit_name` is NULL (`--unit-name` states it)",
            None,
        );
    }
    if stated.unit_from_file_name && overrides.unit_name.is_none() {
        ctx.warn(
            0,
            None,
            WarningCode::UnitFromFileName,
            format!(
                "the document names no unit; `{}` is taken from the file name `{}` (`--unit-name` overrides)",
                stated.unit_name.as_deref().unwrap_or_default(),
                path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default()
            ),
            None,
        );
    }
    if stated.year_from_file_name && overrides.year.is_none() {
        ctx.warn(
            0,
            None,
            WarningCode::YearFromFileName,
            format!(
                "the document states no year; {year} is taken from the file name `{}` (`--year` overrides)",
                path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default()
            ),
            None,
        );
    }
    for g in &garbled {
        ctx.warn(
            g.first_line,
            None,
            WarningCode::GarbledPage,
            format!(
                "page {} (lines {}-{}): the text layer is garbled ({} of {} characters are private-use, control or undecodable); nothing on this page is read",
                g.page, g.first_line, g.last_line, g.garbage, g.chars
            ),
            None,
        );
    }
    if decoded.replaced > 0 {
        ctx.warn(
            0,
            None,
            WarningCode::UndecodableBytes,
            format!(
                "{} byte sequence(s) could not be decoded and were replaced",
                decoded.replaced
            ),
            None,
        );
    }
    let default_unit = layout
        .sections
        .iter()
        .find_map(|s| s.stated_unit())
        .unwrap_or(MoneyUnit::Wan);
    let mut doc = Document {
        identity: Identity {
            doc_id: doc_id(text),
            region: overrides.region.clone().or(stated.region.clone()),
            unit_code: stated.unit_code.clone(),
            unit_name: overrides.unit_name.clone().or(stated.unit_name.clone()),
            year,
            doc_kind: overrides.doc_kind.unwrap_or(stated.doc_kind),
            scope: overrides.scope.unwrap_or(stated.scope),
        },
        unit: UnitInfo {
            dept_code: stated
                .unit_code
                .as_deref()
                .filter(|c| c.len() == 6)
                .and_then(|c| c.get(..3))
                .map(str::to_string),
            // (a department's own document belongs to it)
            department: stated.department.clone().or_else(|| {
                (overrides.scope.unwrap_or(stated.scope) == Scope::Department)
                    .then(|| overrides.unit_name.clone().or(stated.unit_name.clone()))
                    .flatten()
            }),
            source_path: path.display().to_string(),
            source_hash: None,
            amount_unit: default_unit,
            encoding: decoded.encoding.as_str().to_string(),
            layout: if tabbed > 0 { "tab" } else { "layout" }.to_string(),
            title: stated.title.clone(),
            ..UnitInfo::default()
        },
        ..Document::default()
    };

    let mut kpi_seq = 0;
    ctx.period = Some((doc.identity.doc_kind, doc.identity.year));
    let other_units = other_units_tables(&layout.sections, doc.identity.unit_name.as_deref());
    for (sec, other) in layout.sections.iter().zip(&other_units) {
        if let Some(unit) = other {
            let why = format!(
                "printed again for `{unit}`, another unit than the document's (its own `{}` is stored)",
                sec.kind.as_str()
            );
            ctx.warn(
                sec.title_line,
                Some(sec.kind),
                WarningCode::UnreadTable,
                format!("{}: {why}; its rows are not stored", sec.kind.as_str()),
                None,
            );
            doc.tables.push(TableFound {
                table: sec.kind,
                title: sec.title.clone(),
                line_no: i32::try_from(sec.title_line).unwrap_or(i32::MAX),
                rows: 0,
                unit: sec.stated_unit().unwrap_or(default_unit),
                unread: Some(why),
            });
            continue;
        }
        let unit = sec.stated_unit().unwrap_or(default_unit);
        let rows = match sec.kind {
            t if t.is_classified() => {
                // rows placed by position, or a tab extraction without 序号 (cells by order)
                let positioned = sec.rows.iter().any(|r| !r.pos.is_empty()) || !sec.numbered();
                let has_pos = sec.rows.iter().any(|r| !r.pos.is_empty());
                let lines = if has_pos {
                    families::classified::read(sec, unit, &mut ctx)
                } else if positioned {
                    classified::read_positioned(&sec.with_header_lines(), unit, &mut ctx)
                } else {
                    classified::read(sec, unit, &mut ctx)
                };
                let n = lines.len();
                doc.budget_lines.extend(lines);
                n
            }
            TableName::Summary | TableName::FiscalSummary => {
                let positioned = sec.rows.iter().any(|r| !r.pos.is_empty());
                let lines = if positioned {
                    families::summary::read(sec, unit, &mut ctx)
                } else if !sec.numbered() {
                    summary::read_positioned(&summary::pseudo_positions(sec), unit, &mut ctx)
                } else {
                    summary::read(sec, unit, &mut ctx)
                };
                let n = lines.len();
                doc.summary_lines.extend(lines);
                n
            }
            TableName::ThreePublic => {
                let positioned = sec.rows.iter().any(|r| !r.pos.is_empty());
                let tp = if positioned {
                    families::three_public::read(
                        sec,
                        unit,
                        doc.identity.doc_kind,
                        doc.identity.year,
                        &mut ctx,
                    )
                } else if !sec.numbered() {
                    // cells without 序号 or positions: the column each figure is under is
                    // not certain, so the figures are reported rather than guessed
                    let figures = sec
                        .rows
                        .iter()
                        .find(|r| r.cells.iter().all(|c| budsql_text::is_number(c)));
                    ctx.warn(
                        figures.map(|r| r.line_no).unwrap_or(sec.title_line),
                        Some(TableName::ThreePublic),
                        WarningCode::UnreadTable,
                        "three_public: the figures stand in a row without positions or labels; which column each belongs to is not certain, so they are not stored",
                        figures.map(|r| r.cells.join(" ")).as_deref(),
                    );
                    ThreePublic {
                        line_no: i32::try_from(sec.title_line).unwrap_or(i32::MAX),
                        ..ThreePublic::default()
                    }
                } else {
                    three_public::read(sec, unit, &mut ctx)
                };
                let figures = [
                    tp.total,
                    tp.outbound,
                    tp.vehicle,
                    tp.vehicle_purchase,
                    tp.vehicle_operation,
                    tp.reception,
                    tp.budget_total,
                    tp.budget_outbound,
                    tp.budget_vehicle,
                    tp.budget_vehicle_purchase,
                    tp.budget_vehicle_operation,
                    tp.budget_reception,
                ]
                .iter()
                .filter(|v| v.is_some())
                .count();
                // a second 三公 title (the table after a contents entry) replaces an empty read
                if figures > 0 || doc.three_public.is_none() {
                    doc.three_public = Some(tp);
                }
                usize::from(figures > 0)
            }
            TableName::Kpi => {
                let mut rows = if sec.rows.iter().any(|r| !r.pos.is_empty()) {
                    kpi::read_positioned(sec, kpi_seq + 1, &mut ctx)
                } else {
                    kpi::read(sec, kpi_seq + 1, &mut ctx)
                };
                let n = rows.len();
                // (a title without a table under it — a contents entry, a heading of the
                // narrative, `本单位无项目支出绩效目标表` — is not one)
                let indicators = sec
                    .rows
                    .iter()
                    .filter(|r| r.cells.iter().any(|c| c.contains("指标")))
                    .count();
                let with_amounts = sec
                    .rows
                    .iter()
                    .filter(|r| r.cells.iter().any(|c| table::is_amount(c)))
                    .count();
                if n == 0 && indicators == 0 && with_amounts == 0 {
                    continue;
                }
                let continued = continue_project(&doc.kpi_targets, &mut rows, &sec.title);
                if n > 0 {
                    // (one table may hold many projects, each numbered)
                    let projects: std::collections::BTreeSet<i32> =
                        rows.iter().map(|r| r.project_no).collect();
                    let new = projects.len().max(1) - usize::from(continued);
                    kpi_seq += i32::try_from(new).unwrap_or(1);
                }
                doc.kpi_targets.extend(rows);
                n
            }
            TableName::Assets => {
                let rows = misc::assets(sec, unit, &mut ctx);
                let n = rows.len();
                doc.assets.extend(rows);
                n
            }
            TableName::Organisation => {
                if let Some([name, nature, rank, funding]) =
                    misc::organisation(sec, doc.identity.unit_name.as_deref())
                {
                    if doc.identity.unit_name.is_none() {
                        doc.identity.unit_name = name;
                    }
                    doc.unit.unit_nature = nature;
                    doc.unit.unit_rank = rank;
                    doc.unit.funding_form = funding;
                    1
                } else {
                    0
                }
            }
            _ => 0,
        };
        let unread = (rows == 0).then(|| unread_reason(sec));
        doc.tables.push(TableFound {
            table: sec.kind,
            title: sec.title.clone(),
            line_no: i32::try_from(sec.title_line).unwrap_or(i32::MAX),
            rows,
            unit,
            unread,
        });
    }
    derive_gpb_basic(&mut doc, &mut ctx);
    flag_mixed_classifications(&doc, &mut ctx);
    families::income::place_by_summary(&mut doc, &mut ctx);
    drop_uncertain_funds(&mut doc, &mut ctx);
    uncode_unit_rows(&mut doc, &mut ctx);
    // A title met twice (a table-of-contents entry that caught a stray line, then the
    // table itself): the one that yielded rows stands for the table.
    let found = doc.tables.clone();
    let mut at = 0;
    doc.tables.retain(|t| {
        let i = at;
        at += 1;
        t.table == TableName::Kpi
            || t.rows > 0
            || !found
                .iter()
                .enumerate()
                .any(|(j, o)| j != i && o.table == t.table && (o.rows > 0 || j > i))
    });
    for t in TableName::STANDARD {
        if !doc.tables.iter().any(|f| f.table == t) {
            ctx.warn(
                0,
                Some(t),
                WarningCode::MissingTable,
                format!("no `{}` table was recognised", t.as_str()),
                None,
            );
        }
    }
    for block in &layout.untitled {
        // a table row has a figure beside short labels; a narrative sentence cut at a wide
        // gap (`…年初预算为 | 1560.05 | 万元，支出决算为…`) is not one
        // (or one with a figure set off by single spaces: `…总计 307.82`)
        let prose = |r: &grid::Row| {
            let single_spaced = r.pos.len() > 1
                && r.pos.windows(2).all(|w| match w {
                    [a, b] => b.0 <= a.1 + 1,
                    _ => true,
                });
            single_spaced
                || r.cells
                    .iter()
                    .any(|c| c.contains(['。', '，', '；', '：']) || c.chars().count() > 30)
        };
        let numeric = block.iter().any(|r| {
            !prose(r)
                && r.cells
                    .iter()
                    .skip(1)
                    .any(|c| budsql_text::parse_number(c).is_some_and(|n| n.contains('.')))
        });
        if let (true, Some(first)) = (numeric, block.first()) {
            ctx.warn(
                first.line_no,
                None,
                WarningCode::UntitledTable,
                format!(
                    "{} row(s) of figures under no recognised table title (lines {}-{}); they are not stored",
                    block.len(),
                    first.line_no,
                    block.last().map(|r| r.line_no).unwrap_or(first.line_no)
                ),
                Some(&first.cells.join(" | ")),
            );
        }
    }

    let told = narrative::read_all(
        &layout.narrative,
        year,
        doc.identity.doc_kind == DocKind::Final,
    );
    doc.narrative = told.figures;
    doc.narrative_items = told.items;
    doc.unit.statements = told.statements.into_iter().map(str::to_string).collect();
    let figure = |name: &str| doc.narrative.iter().find(|f| f.figure == name);
    let prior = [
        figure("prior_three_public_total"),
        figure("prior_three_public_outbound"),
        figure("prior_three_public_vehicle"),
        figure("prior_three_public_vehicle_purchase"),
        figure("prior_three_public_vehicle_operation"),
        figure("prior_three_public_reception"),
    ];
    if prior.iter().any(Option::is_some) || doc.three_public.is_some() {
        let prior_line = prior.iter().flatten().map(|f| f.line_no).min();
        let [total, outbound, vehicle, purchase, operation, reception] =
            prior.map(|f| f.map(|f| f.amount));
        let tp = doc.three_public.get_or_insert_with(ThreePublic::default);
        // last year's figures as the narrative states them, else as the 三公 table prints
        // them; where both are printed and differ, the narrative's are kept, with a warning
        let table_prior = tp.prior_total.is_some() || tp.prior_reception.is_some();
        for (slot, said, name) in [
            (&mut tp.prior_total, total, "total"),
            (&mut tp.prior_outbound, outbound, "outbound"),
            (&mut tp.prior_vehicle, vehicle, "vehicle"),
            (&mut tp.prior_vehicle_purchase, purchase, "vehicle_purchase"),
            (
                &mut tp.prior_vehicle_operation,
                operation,
                "vehicle_operation",
            ),
            (&mut tp.prior_reception, reception, "reception"),
        ] {
            if let (Some(t), Some(s)) = (*slot, said)
                && t != s
            {
                ctx.warn(
                    prior_line.and_then(|l| usize::try_from(l).ok()).unwrap_or(0),
                    Some(TableName::ThreePublic),
                    WarningCode::ConflictingFigure,
                    format!(
                        "three_public: last year's `{name}` is {} in the narrative but {} in the 三公 table; the narrative's is kept",
                        s.normalize(),
                        t.normalize()
                    ),
                    None,
                );
            }
            if said.is_some() {
                *slot = said;
            }
        }
        tp.prior_line_no = prior_line.or(table_prior.then_some(tp.line_no));
    }

    families::classified::place_by_other_tables(&mut doc.budget_lines, &mut ctx);
    doc.checks = checks::run(&doc, &ctx);
    doc.warnings = ctx.warnings;
    Ok(doc)
}

/// A page whose text cannot be trusted.
struct GarbledPage {
    page: usize,
    first_line: usize,
    last_line: usize,
    garbage: usize,
    chars: usize,
}

/// Blanks the lines of every page whose text layer is garbled: at least 3 characters and a
/// tenth of its printed characters are private-use, control or replacement characters (a
/// PDF font without a Unicode map). Such a page's tables are not guessed at.
fn drop_garbled_pages(
    mut all: Vec<budsql_text::Line<'_>>,
) -> (Vec<budsql_text::Line<'_>>, Vec<GarbledPage>) {
    let mut pages: std::collections::BTreeMap<usize, GarbledPage> =
        std::collections::BTreeMap::new();
    for l in &all {
        let g = pages.entry(l.page).or_insert(GarbledPage {
            page: l.page,
            first_line: l.no,
            last_line: l.no,
            garbage: 0,
            chars: 0,
        });
        g.last_line = l.no;
        // (counted on the bytes: most lines have none, and none is decoded)
        g.garbage += budsql_text::garbage_count(l.text);
    }
    // (the share of garbage is counted only on pages with some)
    for (page, g) in pages.iter_mut().filter(|(_, g)| g.garbage >= 3) {
        g.chars = all
            .iter()
            .filter(|l| l.page == *page)
            .map(|l| l.text.chars().filter(|c| !c.is_whitespace()).count())
            .sum();
    }
    let garbled: Vec<GarbledPage> = pages
        .into_values()
        .filter(|g| g.garbage >= 3 && g.garbage * 10 >= g.chars)
        .collect();
    if !garbled.is_empty() {
        for l in &mut all {
            if garbled.iter().any(|g| g.page == l.page) {
                l.text = "";
                l.form = LineForm::Plain;
            }
        }
    }
    (all, garbled)
}

/// A table by economic subject whose rows carry codes of both economic classifications —
/// 部门预算 30x and 政府预算 50x, printed side by side by some templates (西安's 部门经济 |
/// 政府经济 columns) — has rows whose code may be the other column's: a warning says so, on
/// the table's first line of each kind.
fn flag_mixed_classifications(doc: &Document, ctx: &mut ctx::Ctx) {
    use budsql_schema::Classification;
    let mut seen: std::collections::BTreeMap<TableName, [Option<(i32, String)>; 2]> =
        std::collections::BTreeMap::new();
    for l in &doc.budget_lines {
        if l.classification != Classification::Economic {
            continue;
        }
        let Some(code) = l.subject_code.as_deref() else {
            continue;
        };
        let side = match code.as_bytes().first() {
            Some(b'3') => 0,
            Some(b'5') => 1,
            _ => continue,
        };
        let slots = seen.entry(l.table).or_default();
        if let Some(slot) = slots.get_mut(side)
            && slot.is_none()
        {
            *slot = Some((l.line_no, code.to_string()));
        }
    }
    for (table, [dept, gov]) in seen {
        if let (Some((line, d)), Some((gline, g))) = (dept, gov) {
            ctx.warn(
                usize::try_from(line.min(gline)).unwrap_or(0),
                Some(table),
                WarningCode::MixedClassifications,
                format!(
                    "{}: codes of the 部门 economic classification (`{d}`, line {line}) and of the 政府 one (`{g}`, line {gline}) in one table; which code belongs to which row is not certain",
                    table.as_str()
                ),
                None,
            );
        }
    }
}

/// A document printing a table again for another unit (a 部门's own tables, then those of
/// its 本级 or of each 所属单位, each labelled `单位名称：…`) stores the document's own: a
/// table whose label names another unit than the document's, where a table of the same kind
/// labelled with the document's own name is printed too, is not stored (its rows would count
/// the same spending twice). Returns, per section, the other unit it is printed for.
fn other_units_tables(sections: &[grid::Section], own: Option<&str>) -> Vec<Option<String>> {
    let norm = budsql_text::compact_label;
    let Some(own) = own.map(norm) else {
        return vec![None; sections.len()];
    };
    // (the label line stands just under the title)
    let units: Vec<Option<String>> = sections
        .iter()
        .map(|s| {
            s.plain
                .iter()
                .take(4)
                .find_map(|p| identity::table_unit_label(&p.text))
        })
        .collect();
    let own_kinds: Vec<TableName> = sections
        .iter()
        .zip(&units)
        .filter(|(_, u)| u.as_deref().map(norm).as_deref() == Some(own.as_str()))
        .map(|(s, _)| s.kind)
        .collect();
    sections
        .iter()
        .zip(units)
        .map(|(s, u)| {
            let u = u?;
            (!matches!(s.kind, TableName::Kpi | TableName::Organisation)
                && norm(&u) != own
                && own_kinds.contains(&s.kind))
            .then_some(u)
        })
        .collect()
}

/// The income table's 合计 by source of funds (一般公共预算, 政府性基金, 国有资本经营) is
/// printed again in the 收支总表 (or the 财政拨款收支总表) as lines of their own. Where the
/// two disagree beyond rounding, the table's fund columns were placed wrongly (a text whose
/// header words pdftotext laid out out of order puts the 一般公共预算's figures under
/// 政府性基金): no row's funds are certain, so none is stored, and a warning says why.
fn drop_uncertain_funds(doc: &mut Document, ctx: &mut ctx::Ctx) {
    use budsql_schema::AmountCol;
    let Some((total, stated)) = summary::income_funds_stated(doc) else {
        return;
    };
    // (each printed figure is off by at most half a unit of its last digit)
    let tolerance = ctx.half_unit(TableName::Income)
        + ctx
            .half_unit(TableName::Summary)
            .max(ctx.half_unit(TableName::FiscalSummary));
    let disagree: Vec<String> = stated
        .iter()
        .filter_map(|(col, table, line)| {
            let printed = line.amount?;
            let own = total.amounts.get(*col);
            ((printed - own.unwrap_or_default()).abs() > tolerance).then(|| {
                format!(
                    "{} `{}` {} against the table's {} {}",
                    table.as_str(),
                    line.item_name,
                    printed.normalize(),
                    col.as_str(),
                    own.map(|v| v.normalize().to_string())
                        .unwrap_or_else(|| "blank".to_string())
                )
            })
        })
        .collect();
    if disagree.is_empty() {
        return;
    }
    let line = usize::try_from(total.line_no).unwrap_or(0);
    // (the columns were shifted: any other source whose 合计 the 收支总表 states otherwise
    // took a neighbour's figures — 无锡交通's 政府性基金 as 财政专户管理资金)
    let mut drop = vec![AmountCol::Gpb, AmountCol::GovFund, AmountCol::Soe];
    for (col, v) in summary::income_stated(doc) {
        let shifted = !matches!(
            col,
            AmountCol::Total
                | AmountCol::CurrentIncome
                | AmountCol::Gpb
                | AmountCol::GovFund
                | AmountCol::Soe
        ) && (total.amounts.get(col).unwrap_or_default() - v).abs() > tolerance;
        if shifted {
            drop.push(col);
        }
    }
    for l in doc
        .budget_lines
        .iter_mut()
        .filter(|l| l.table == TableName::Income)
    {
        for col in &drop {
            l.amounts.set(*col, None);
        }
    }
    let dropped: Vec<&str> = drop.iter().map(|c| c.as_str()).collect();
    ctx.warn(
        line,
        Some(TableName::Income),
        WarningCode::UncertainFunds,
        format!(
            "income: the 合计's funds disagree with the summary's ({}): which column holds which fund is not certain, so no row's {} is stored",
            disagree.join("; "),
            dropped.join(", ")
        ),
        None,
    );
}

/// A table by unit (收入总表, 支出总表 of a 部门 listing its units) prints each unit's line
/// with the unit's code, which reads like a subject code: 西安宣传's `201 中共西安市委宣传部`
/// was stored as 类 201 一般公共服务支出 with the unit's 25,859.60 万元. A coded row whose
/// name holds the document's unit name, or reads as a unit's name beginning with the
/// document's region (`无锡市信访局`), is no subject row (no subject's name begins with a
/// place): it is stored as the unit's row, as the table's other units are (without a
/// code), and a warning says so.
fn uncode_unit_rows(doc: &mut Document, ctx: &mut ctx::Ctx) {
    let own = doc
        .identity
        .unit_name
        .as_deref()
        .map(|n| budsql_text::normalize_width(n).into_owned());
    let region = doc.identity.region.as_deref();
    // (asked of every coded row: no allocation unless the width needs normalising)
    let names_a_unit = |name: &str| {
        let n = budsql_text::normalize_width(name.trim());
        own.as_deref().is_some_and(|o| n.contains(o))
            || region.is_some_and(|r| {
                r.chars().count() >= 2
                    && n.strip_prefix("中共").unwrap_or(&n).starts_with(r)
                    && n.chars().count() > r.chars().count() + 1
                    && identity::is_unit_name(&n)
            })
    };
    for l in doc.budget_lines.iter_mut() {
        // (a code the reader did not take for a subject's, `024` of 苏州审计's
        // `024苏州市审计局`, is still joined to the unit's name)
        if l.subject_code.is_none() {
            let split = table::leading_code(&l.subject_name)
                .filter(|(code, rest)| code.len() == 3 && names_a_unit(rest))
                .map(|(code, rest)| (code.to_string(), rest.to_string()));
            let Some((code, rest)) = split else { continue };
            l.subject_name = rest;
            l.subject_code = Some(code);
        }
        if !names_a_unit(&l.subject_name) {
            continue;
        }
        ctx.warn(
            usize::try_from(l.line_no).unwrap_or(0),
            Some(l.table),
            WarningCode::UnitRow,
            format!(
                "{}: `{} {}` names a unit, so its code is the unit's, not a subject's: the row is stored as the unit's, without a subject code",
                l.table.as_str(),
                l.subject_code.as_deref().unwrap_or_default(),
                l.subject_name
            ),
            None,
        );
        l.subject_code = None;
        l.subject_level = None;
        l.parent_code = None;
    }
}

/// Where a document prints no basic-expenditure table of its own but its 一般公共预算支出
/// table by economic subject has a 基本支出 column, that column is the 一般公共预算 basic
/// spending by economic subject: it is stored as `gpb_basic` (each row's `total` is its
/// 基本支出 figure), and a warning says where it was read.
fn derive_gpb_basic(doc: &mut Document, ctx: &mut ctx::Ctx) {
    use budsql_schema::{AmountCol, Amounts};
    if doc
        .budget_lines
        .iter()
        .any(|l| l.table == TableName::GpbBasic)
    {
        return;
    }
    let source: Vec<budsql_schema::BudgetLine> = doc
        .budget_lines
        .iter()
        .filter(|l| l.table == TableName::GpbEconomic)
        .cloned()
        .collect();
    if !source
        .iter()
        .any(|l| l.amounts.get(AmountCol::Basic).is_some())
    {
        return;
    }
    let Some(found) = doc
        .tables
        .iter()
        .find(|t| t.table == TableName::GpbEconomic)
        .cloned()
    else {
        return;
    };
    let mut rows = 0;
    for l in source {
        let mut amounts = Amounts::default();
        amounts.set(AmountCol::Total, l.amounts.get(AmountCol::Basic));
        doc.budget_lines.push(budsql_schema::BudgetLine {
            table: TableName::GpbBasic,
            amounts,
            ..l
        });
        rows += 1;
    }
    ctx.warn(
        usize::try_from(found.line_no).unwrap_or(0),
        Some(TableName::GpbBasic),
        WarningCode::DerivedTable,
        format!(
            "gpb_basic: the document prints no basic-expenditure table; its {rows} rows are the 基本支出 column of `{}`",
            found.title
        ),
        None,
    );
    doc.tables.push(TableFound {
        table: TableName::GpbBasic,
        title: format!("{}（基本支出）", found.title),
        line_no: found.line_no,
        rows,
        unit: found.unit,
        unread: None,
    });
}

/// Why a table recognised by its title yielded no rows, for the `documents` view.
fn unread_reason(sec: &grid::Section) -> String {
    match sec.kind {
        TableName::PurchasedServices | TableName::SelfEvaluation => {
            "recognised; no view holds this table".to_string()
        }
        // (a section of the narrative under the same heading lists the internal offices and
        // subordinate units in sentences: nothing of a table to read)
        TableName::Organisation if sec.rows.iter().all(|r| r.cells.len() <= 1) => {
            "printed as prose, not as a table: the unit's nature, rank and funding form are not stated"
                .to_string()
        }
        TableName::Organisation => {
            "the unit's nature, rank and funding form were not found in it".to_string()
        }
        TableName::Kpi => {
            if sec
                .rows
                .iter()
                .any(|r| r.cells.iter().any(|c| c.contains("指标")))
            {
                "no indicator row could be read (see the warnings)".to_string()
            } else {
                "project goals without indicators (一级/二级/三级指标); kpi_targets holds indicators"
                    .to_string()
            }
        }
        _ => {
            let figures = sec
                .rows
                .iter()
                .flat_map(|r| r.cells.iter())
                .any(|c| table::is_amount(c) && !budsql_text::is_nil_mark(c.trim()));
            if figures {
                "its figures could not be placed with certainty (see the warnings)".to_string()
            } else {
                "printed without figures".to_string()
            }
        }
    }
}
