//! The research views: SQL over the stored views that connects documents — a unit's budget
//! with its final account (`execution`). Each is defined once here: its SQL, one line on
//! what it holds, and each column's meaning, which `\d` shows.

/// A view defined in SQL over the stored views.
pub struct Derived {
    pub name: &'static str,
    pub about: &'static str,
    pub sql: fn() -> String,
    /// (column, Chinese term, meaning), in the view's order.
    pub columns: &'static [(&'static str, &'static str, &'static str)],
}

/// The measures `execution` pairs from budget_lines (each a column of it).
const LINE_MEASURES: [&str; 5] = ["total", "basic", "project", "personnel", "public_funds"];
/// The 三公 parts.
const THREE_PUBLIC_MEASURES: [&str; 6] = [
    "total",
    "outbound",
    "vehicle",
    "vehicle_purchase",
    "vehicle_operation",
    "reception",
];

/// The rate of `final` to `budget`: NULL where the budget is NULL or 0.
fn rate(budget: &str, fin: &str) -> String {
    format!(
        "CASE WHEN {budget} IS NULL OR {budget} = 0 OR {fin} IS NULL THEN NULL \
         ELSE CAST({fin} / {budget} AS DECIMAL(20, 6)) END"
    )
}

/// The columns every part of `execution` gives before its measure.
const COMMON: &str = "unit_key, region, unit_name, year, scope, source, table_name, subject_code, \
    subject_name, subject_level";

/// The rows of `from` (one per paired row, with a `b_{m}` and an `f_{m}` column per measure)
/// turned into one row per measure: `measure`, `budget`, `final`.
fn unpivot(from: &str, measures: &[&str]) -> String {
    let pick = |side: &str| {
        let arms: String = measures
            .iter()
            .map(|m| format!(" WHEN '{m}' THEN {side}_{m}"))
            .collect();
        format!("CASE m.measure{arms} END")
    };
    let values = measures
        .iter()
        .map(|m| format!("('{m}')"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "SELECT {COMMON}, m.measure, {b} AS budget, {f} AS final, \
         CAST(NULL AS VARCHAR) AS reason, budget_doc_id, final_doc_id, budget_line_no, \
         final_line_no FROM {from} CROSS JOIN (VALUES {values}) AS m(measure)",
        b = pick("b"),
        f = pick("f"),
    )
}

/// The SQL of `execution`.
pub fn execution_sql() -> String {
    // documents paired: a 预算 and a 决算 of one unit, year and scope
    let pairs = "SELECT b.doc_id AS bdoc, f.doc_id AS fdoc, b.unit_key, b.region, \
        COALESCE(f.unit_name, b.unit_name) AS unit_name, b.year, b.scope \
        FROM units b JOIN units f ON b.unit_key = f.unit_key AND b.year = f.year \
        AND b.scope = f.scope AND b.doc_kind = 'budget' AND f.doc_kind = 'final'";
    // what pairs a row with the other document's: its code, else its name, else nothing
    // (NULL)
    let key = "COALESCE(l.subject_code, '#' || NULLIF(l.subject_name, ''))";
    let side = |doc: &str, kind: &str| {
        format!(
            "SELECT p.bdoc, p.fdoc, p.unit_key, p.region, p.unit_name, p.year, p.scope, \
             l.table_name, l.subject_code, l.subject_name, l.subject_level, l.line_no, \
             {key} AS pair_key, {cols} \
             FROM pairs p JOIN budget_lines l ON l.doc_id = p.{doc} AND l.doc_kind = '{kind}'",
            cols = LINE_MEASURES
                .iter()
                .map(|m| format!("l.{m}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    // the two documents' rows of one table and subject side by side: every 预算 row with its
    // 决算 row (if any), then the 决算 rows no 预算 row matches — a full join written as a
    // left join and an anti join, so that a filter on the table or the level reaches the
    // scans (through a full join's COALESCEd keys it cannot). Rows pair by subject code, or
    // where none is printed by name (as printed); a row with neither pairs with nothing
    // (its key is NULL), rather than with every other such row. (A key printed twice in
    // one table pairs each with each: numbering the repeats, a window over every paired
    // row, made query 08 ten times slower.)
    let same = "b.bdoc = f.bdoc AND b.fdoc = f.fdoc AND b.table_name = f.table_name \
        AND b.pair_key = f.pair_key \
        AND COALESCE(b.subject_level, -1) = COALESCE(f.subject_level, -1)";
    let side_cols = |keep: &str| {
        format!(
            "{keep}.unit_key, {keep}.region, {keep}.unit_name, {keep}.year, {keep}.scope, \
             'pair' AS source, {keep}.table_name, \
             COALESCE(b.subject_code, f.subject_code) AS subject_code, \
             COALESCE(f.subject_name, b.subject_name) AS subject_name, \
             {keep}.subject_level, {keep}.bdoc AS budget_doc_id, {keep}.fdoc AS final_doc_id, \
             b.line_no AS budget_line_no, f.line_no AS final_line_no, {cols}",
            cols = LINE_MEASURES
                .iter()
                .map(|m| format!("b.{m} AS b_{m}, f.{m} AS f_{m}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    // (the 决算-only rows take their NULL `b` columns from an empty `bl` joined on false;
    // inside NOT EXISTS, `b` is the subquery's own `bl`)
    let lines = format!(
        "SELECT {both} FROM bl b LEFT JOIN fl f ON {same} \
         UNION ALL \
         SELECT {alone} FROM fl f LEFT JOIN (SELECT * FROM bl WHERE false) b ON false \
         WHERE NOT EXISTS (SELECT 1 FROM bl b WHERE {same})",
        both = side_cols("b"),
        alone = side_cols("f"),
    );
    // 三公 of the two documents
    let tp_pair = format!(
        "SELECT p.unit_key, p.region, p.unit_name, p.year, p.scope, 'pair' AS source, \
         'three_public' AS table_name, CAST(NULL AS VARCHAR) AS subject_code, \
         CAST(NULL AS VARCHAR) AS subject_name, CAST(NULL AS INT) AS subject_level, \
         p.bdoc AS budget_doc_id, p.fdoc AS final_doc_id, \
         b.line_no AS budget_line_no, f.line_no AS final_line_no, {cols} \
         FROM pairs p JOIN three_public b ON b.doc_id = p.bdoc AND b.doc_kind = 'budget' \
         JOIN three_public f ON f.doc_id = p.fdoc AND f.doc_kind = 'final'",
        cols = THREE_PUBLIC_MEASURES
            .iter()
            .map(|m| format!("b.{m} AS b_{m}, f.{m} AS f_{m}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    // a 决算's own 预算数 | 决算数 columns
    let tp_final = format!(
        "SELECT t.unit_key, t.region, t.unit_name, t.year, t.scope, 'final_printed' AS source, \
         'three_public' AS table_name, CAST(NULL AS VARCHAR) AS subject_code, \
         CAST(NULL AS VARCHAR) AS subject_name, CAST(NULL AS INT) AS subject_level, \
         CAST(NULL AS VARCHAR) AS budget_doc_id, t.doc_id AS final_doc_id, \
         t.line_no AS budget_line_no, t.line_no AS final_line_no, {cols} \
         FROM three_public t WHERE t.doc_kind = 'final' AND ({any})",
        cols = THREE_PUBLIC_MEASURES
            .iter()
            .map(|m| format!("t.budget_{m} AS b_{m}, t.{m} AS f_{m}"))
            .collect::<Vec<_>>()
            .join(", "),
        any = THREE_PUBLIC_MEASURES
            .iter()
            .map(|m| format!("t.budget_{m} IS NOT NULL"))
            .collect::<Vec<_>>()
            .join(" OR ")
    );
    // a 决算's narrative per 项, placed on the 项 of its 一般公共预算财政拨款支出表 that has
    // the name (under the 款 the sentence names, where it names one)
    let narr = "SELECT u.unit_key, u.region, u.unit_name, u.year, u.scope, \
        'narrative' AS source, 'gpb_expenditure' AS table_name, l.subject_code, \
        n.item_name AS subject_name, 3 AS subject_level, \
        CAST(NULL AS VARCHAR) AS budget_doc_id, n.doc_id AS final_doc_id, \
        n.line_no AS budget_line_no, n.line_no AS final_line_no, \
        n.budget AS b_total, n.final AS f_total, n.reason \
        FROM narrative_items n JOIN units u ON u.doc_id = n.doc_id \
        LEFT JOIN (SELECT c.doc_id, c.subject_code, \
            replace(replace(replace(c.subject_name, '（', '('), '）', ')'), ' ', '') AS name, \
            replace(replace(replace(p.subject_name, '（', '('), '）', ')'), ' ', '') AS parent_name \
            FROM budget_lines c LEFT JOIN budget_lines p ON p.doc_id = c.doc_id \
              AND p.table_name = c.table_name AND p.subject_code = c.parent_code \
            WHERE c.table_name = 'gpb_expenditure' AND c.subject_level = 3) l \
          ON l.doc_id = n.doc_id AND l.name = n.item_name \
          AND (n.section_name IS NULL OR l.parent_name IS NULL OR l.parent_name = n.section_name)";
    // one row per measure; a measure neither document prints is no row (a narrative
    // statement is a row even where its figures were not read)
    let parts = [
        unpivot("lines", &LINE_MEASURES),
        unpivot(
            "(SELECT * FROM tp_pair UNION ALL SELECT * FROM tp_final)",
            &THREE_PUBLIC_MEASURES,
        ),
        format!(
            "SELECT {COMMON}, 'total' AS measure, b_total AS budget, f_total AS final, reason, \
             budget_doc_id, final_doc_id, budget_line_no, final_line_no FROM narr"
        ),
    ];
    format!(
        "CREATE VIEW execution AS WITH pairs AS ({pairs}), bl AS ({bl}), fl AS ({fl}), \
         lines AS ({lines}), tp_pair AS ({tp_pair}), tp_final AS ({tp_final}), narr AS ({narr}), \
         measures AS ({union}) \
         SELECT {COMMON}, measure, budget, final, \
         CASE WHEN budget IS NULL OR final IS NULL THEN NULL ELSE final - budget END AS difference, \
         {rate} AS rate, reason, budget_doc_id, final_doc_id, budget_line_no, final_line_no \
         FROM measures WHERE source = 'narrative' OR budget IS NOT NULL OR final IS NOT NULL",
        bl = side("bdoc", "budget"),
        fl = side("fdoc", "final"),
        union = parts.join(" UNION ALL "),
        rate = rate("budget", "final"),
    )
}

/// One item of `disclosure`: what a document must disclose, and how its presence is judged.
pub struct Item {
    pub item: &'static str,
    /// tables, detail, three_public, other
    pub area: &'static str,
    /// The requirement in the words of the documents and rules.
    pub term: &'static str,
    /// The rule, in words (docs/views.md lists them).
    pub rule: &'static str,
    /// SQL over the per-document facts `x` saying whether the item is met.
    pub met: &'static str,
}

const fn item(
    item: &'static str,
    area: &'static str,
    term: &'static str,
    rule: &'static str,
    met: &'static str,
) -> Item {
    Item {
        item,
        area,
        term,
        rule,
        met,
    }
}

/// The items, modelled on 财预〔2016〕143号 (地方预决算公开操作规程) and the public
/// transparency indices: the nine tables, their detail, the 三公 and the other statements.
pub const ITEMS: &[Item] = &[
    item(
        "table_summary",
        "tables",
        "收支总表",
        "the 收支总表 is printed",
        "strpos(x.t, ',summary,') > 0",
    ),
    item(
        "table_income",
        "tables",
        "收入总表",
        "the 收入总表 is printed",
        "strpos(x.t, ',income,') > 0",
    ),
    item(
        "table_expenditure",
        "tables",
        "支出总表",
        "the 支出总表 is printed",
        "strpos(x.t, ',expenditure,') > 0",
    ),
    item(
        "table_fiscal_summary",
        "tables",
        "财政拨款收支总表",
        "the 财政拨款收支总表 is printed",
        "strpos(x.t, ',fiscal_summary,') > 0",
    ),
    item(
        "table_gpb_expenditure",
        "tables",
        "一般公共预算财政拨款支出表",
        "the 一般公共预算财政拨款支出表 is printed",
        "strpos(x.t, ',gpb_expenditure,') > 0",
    ),
    item(
        "table_gpb_basic",
        "tables",
        "一般公共预算财政拨款基本支出表",
        "the 一般公共预算财政拨款基本支出表 is printed (or read from a 一般公共预算支出表 by economic subject)",
        "strpos(x.t, ',gpb_basic,') > 0 OR x.gpb_basic_rows > 0",
    ),
    item(
        "table_gov_fund",
        "tables",
        "政府性基金预算财政拨款支出表",
        "the 政府性基金 table is printed, with figures or empty (a printed empty table is the explanation)",
        "strpos(x.t, ',gov_fund_expenditure,') > 0",
    ),
    item(
        "table_soe",
        "tables",
        "国有资本经营预算财政拨款支出表",
        "the 国有资本经营 table is printed, with figures or empty",
        "strpos(x.t, ',soe_expenditure,') > 0",
    ),
    item(
        "table_three_public",
        "tables",
        "“三公”经费支出表",
        "the 三公 table is printed",
        "strpos(x.t, ',three_public,') > 0",
    ),
    item(
        "function_to_item",
        "detail",
        "功能分类到项级",
        "the 一般公共预算财政拨款支出表 or the 支出总表 lists function subjects down to 项 (7-digit codes)",
        "x.function_items > 0",
    ),
    item(
        "economic_to_section",
        "detail",
        "基本支出经济分类到款级",
        "the basic expenditure by economic classification lists 款 (5-digit codes)",
        "x.economic_sections > 0",
    ),
    item(
        "three_public_parts",
        "three_public",
        "“三公”经费分项",
        "the 三公 figures are given by part: 因公出国（境）费, 公务接待费 and 公务用车 (a printed 0 counts, a blank does not)",
        "x.tp_outbound AND x.tp_reception AND x.tp_vehicle",
    ),
    item(
        "vehicle_split",
        "three_public",
        "公务用车购置及运行费分列",
        "公务用车 is split into 购置费 and 运行维护费",
        "x.tp_vehicle_split",
    ),
    item(
        "three_public_change",
        "three_public",
        "“三公”经费增减变化说明",
        "last year's 三公 total is stated (narrative or table), or a narrative sentence gives the reason of the 三公 change",
        "x.tp_prior OR strpos(x.st, ',three_public_change,') > 0",
    ),
    item(
        "operating_costs",
        "other",
        "机关运行经费",
        "机关运行经费 is stated (a narrative figure or heading, a column of the 三公 table or its own table)",
        "x.operating_costs OR strpos(x.st, ',operating_costs,') > 0",
    ),
    item(
        "procurement",
        "other",
        "政府采购",
        "政府采购 is stated (a narrative figure or heading, or its table)",
        "x.procurement OR strpos(x.st, ',procurement,') > 0",
    ),
    item(
        "assets",
        "other",
        "国有资产占用情况",
        "the assets held are stated (rows of the assets table, or a narrative heading on 国有资产)",
        "x.asset_rows > 0 OR strpos(x.st, ',assets,') > 0",
    ),
    item(
        "performance_targets",
        "other",
        "绩效目标",
        "绩效目标 tables are printed with indicators, or the narrative has a heading on 绩效",
        "x.kpi_rows > 0 OR strpos(x.st, ',performance,') > 0",
    ),
];

/// The SQL of `disclosure`.
pub fn disclosure_sql() -> String {
    let facts = "SELECT u.doc_id, u.unit_key, u.region, u.unit_name, u.year, u.doc_kind, u.scope, \
        ',' || u.tables || ',' AS t, ',' || u.statements || ',' AS st, \
        COALESCE(l.function_items, 0) AS function_items, \
        COALESCE(l.economic_sections, 0) AS economic_sections, \
        COALESCE(l.gpb_basic_rows, 0) AS gpb_basic_rows, \
        COALESCE(tp.outbound IS NOT NULL, false) AS tp_outbound, \
        COALESCE(tp.reception IS NOT NULL, false) AS tp_reception, \
        COALESCE(tp.vehicle IS NOT NULL OR tp.vehicle_purchase IS NOT NULL \
          OR tp.vehicle_operation IS NOT NULL, false) AS tp_vehicle, \
        COALESCE(tp.vehicle_purchase IS NOT NULL AND tp.vehicle_operation IS NOT NULL, false) \
          AS tp_vehicle_split, \
        COALESCE(tp.prior_total IS NOT NULL, false) AS tp_prior, \
        COALESCE(n.operating_costs, false) OR COALESCE(tp.operating_costs IS NOT NULL, false) \
          OR COALESCE(l.operating_cost_rows, 0) > 0 AS operating_costs, \
        COALESCE(n.procurement, false) OR strpos(',' || u.tables || ',', ',procurement,') > 0 \
          AS procurement, \
        COALESCE(a.n, 0) AS asset_rows, COALESCE(k.n, 0) AS kpi_rows \
        FROM units u \
        LEFT JOIN (SELECT doc_id, \
            sum(CASE WHEN table_name IN ('gpb_expenditure', 'expenditure') AND subject_level = 3 \
                THEN 1 ELSE 0 END) AS function_items, \
            sum(CASE WHEN classification = 'economic' AND table_name IN ('gpb_basic', \
                'basic_expenditure', 'gpb_economic', 'fiscal_basic') AND subject_level = 2 \
                THEN 1 ELSE 0 END) AS economic_sections, \
            sum(CASE WHEN table_name = 'gpb_basic' THEN 1 ELSE 0 END) AS gpb_basic_rows, \
            sum(CASE WHEN table_name = 'operating_costs' THEN 1 ELSE 0 END) AS operating_cost_rows \
            FROM budget_lines GROUP BY doc_id) l ON l.doc_id = u.doc_id \
        LEFT JOIN three_public tp ON tp.doc_id = u.doc_id \
        LEFT JOIN (SELECT doc_id, bool_or(figure = 'operating_costs') AS operating_costs, \
            bool_or(figure = 'procurement') AS procurement FROM narrative GROUP BY doc_id) n \
          ON n.doc_id = u.doc_id \
        LEFT JOIN (SELECT doc_id, count(*) AS n FROM assets GROUP BY doc_id) a ON a.doc_id = u.doc_id \
        LEFT JOIN (SELECT doc_id, count(*) AS n FROM kpi_targets GROUP BY doc_id) k \
          ON k.doc_id = u.doc_id";
    // every document × every item (one cross join: the facts are gathered once), each
    // item's rule picked by its name
    let quote = |t: &str| t.replace('\'', "''");
    let values = ITEMS
        .iter()
        .map(|i| {
            format!(
                "('{}', '{}', '{}', '{}')",
                i.item,
                i.area,
                quote(i.term),
                quote(i.rule)
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let met: String = ITEMS
        .iter()
        .map(|i| format!(" WHEN '{}' THEN {}", i.item, i.met))
        .collect();
    format!(
        "CREATE VIEW disclosure AS WITH x AS ({facts}), \
         items AS (SELECT x.doc_id, x.unit_key, x.region, x.unit_name, x.year, x.doc_kind, \
         x.scope, i.item, i.area, i.term, COALESCE(CASE i.item{met} END, false) AS met, \
         1 AS weight, i.rule FROM x CROSS JOIN (VALUES {values}) AS i(item, area, term, rule)) \
         SELECT doc_id, unit_key, region, unit_name, year, doc_kind, scope, item, area, term, \
         met, weight, rule, \
         CAST(CAST(sum(CASE WHEN met THEN weight ELSE 0 END) OVER (PARTITION BY doc_id) \
           AS DECIMAL(20, 6)) / CAST(sum(weight) OVER (PARTITION BY doc_id) AS DECIMAL(20, 6)) \
           AS DECIMAL(20, 6)) AS score \
         FROM items"
    )
}

/// The SQL of `panel`: one row per document with the key totals, shares and counts.
pub fn panel_sql() -> String {
    let total = |alias: &str, table: &str, cols: &[&str]| {
        format!(
            "LEFT JOIN (SELECT doc_id, {cols} FROM budget_lines \
             WHERE table_name = '{table}' AND subject_level = 0 GROUP BY doc_id) {alias} \
             ON {alias}.doc_id = u.doc_id",
            cols = cols
                .iter()
                .map(|c| format!("max({c}) AS {c}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let figure = |alias: &str, figure: &str| {
        format!(
            "LEFT JOIN (SELECT doc_id, max(amount) AS amount FROM narrative \
             WHERE figure = '{figure}' GROUP BY doc_id) {alias} ON {alias}.doc_id = u.doc_id"
        )
    };
    format!(
        "CREATE VIEW panel AS SELECT u.unit_key, u.region, u.unit_name, u.unit_kind, \
         u.department, u.year, u.doc_kind, u.scope, u.doc_id, \
         i.total AS income_total, e.total AS expenditure_total, e.basic, e.project, \
         b.total AS gpb_basic_total, b.personnel, b.public_funds, \
         CASE WHEN b.total = 0 THEN NULL ELSE CAST(b.personnel / b.total AS DECIMAL(20, 6)) END \
           AS personnel_share, \
         CASE WHEN e.total = 0 THEN NULL ELSE CAST(e.project / e.total AS DECIMAL(20, 6)) END \
           AS project_share, \
         tp.total AS three_public_total, tp.outbound, tp.vehicle, tp.reception, \
         COALESCE(tp.operating_costs, oc.amount) AS operating_costs, \
         COALESCE(pt.total, pr.amount) AS procurement, d.score AS disclosure_score, \
         CAST(COALESCE(k.n, 0) AS INT) AS kpi_indicators, u.rows, u.warnings, u.check_findings \
         FROM units u \
         {i} {e} {b} \
         LEFT JOIN three_public tp ON tp.doc_id = u.doc_id \
         {oc} {pr} {pt} \
         LEFT JOIN (SELECT doc_id, max(score) AS score FROM disclosure GROUP BY doc_id) d \
           ON d.doc_id = u.doc_id \
         LEFT JOIN (SELECT doc_id, count(*) AS n FROM kpi_targets GROUP BY doc_id) k \
           ON k.doc_id = u.doc_id",
        i = total("i", "income", &["total"]),
        e = total("e", "expenditure", &["total", "basic", "project"]),
        b = total("b", "gpb_basic", &["total", "personnel", "public_funds"]),
        oc = figure("oc", "operating_costs"),
        pr = figure("pr", "procurement"),
        pt = total("pt", "procurement", &["total"]),
    )
}

/// The research views, in the order `\d` lists them.
pub fn all() -> Vec<Derived> {
    vec![
        Derived {
            name: "execution",
            about: "预算 paired with 决算: budget, final, difference and execution rate per unit, year, table, subject and measure",
            sql: execution_sql,
            columns: &[
                (
                    "unit_key",
                    "",
                    "the unit's stable key (both documents share it)",
                ),
                ("region", "地区", "the unit's region"),
                (
                    "unit_name",
                    "单位名称",
                    "the unit's name (the 决算's where both print one)",
                ),
                ("year", "年度", "the budget year"),
                ("scope", "单位/部门", "'unit' or 'department'"),
                (
                    "source",
                    "",
                    "'pair': a stored 预算 and 决算 of the unit, year and scope; 'final_printed': the 预算数 a 决算 prints beside its 决算数; 'narrative': a 决算's 年初预算 and 支出决算 per 项 as its narrative states them",
                ),
                (
                    "table_name",
                    "表",
                    "the classified table (budget_lines), or 'three_public'",
                ),
                (
                    "subject_code",
                    "科目编码",
                    "the subject (NULL on 合计 rows and for three_public)",
                ),
                ("subject_name", "科目名称", "the subject's name"),
                ("subject_level", "类/款/项", "0 合计, 1 类, 2 款, 3 项"),
                (
                    "measure",
                    "",
                    "total, basic, project, personnel, public_funds; for three_public total, outbound, vehicle, vehicle_purchase, vehicle_operation, reception",
                ),
                (
                    "budget",
                    "预算数",
                    "the budget figure (NULL where the 预算 prints none)",
                ),
                (
                    "final",
                    "决算数",
                    "the final figure (NULL where the 决算 prints none)",
                ),
                (
                    "difference",
                    "",
                    "final − budget (NULL where either is NULL)",
                ),
                (
                    "rate",
                    "执行率",
                    "final / budget, exact to six decimals; NULL where the budget is NULL or 0",
                ),
                (
                    "reason",
                    "主要原因",
                    "the reason the 决算's narrative states for the difference (source 'narrative')",
                ),
                (
                    "budget_doc_id",
                    "",
                    "the 预算 document (NULL for final_printed)",
                ),
                ("final_doc_id", "", "the 决算 document"),
                ("budget_line_no", "", "the source line of the budget figure"),
                ("final_line_no", "", "the source line of the final figure"),
            ],
        },
        Derived {
            name: "disclosure",
            about: "completeness of each document, item by item (the nine tables, their detail, 三公, 机关运行经费, 政府采购, assets, 绩效目标), with a score",
            sql: disclosure_sql,
            columns: &[
                ("doc_id", "", "the document"),
                ("unit_key", "", "the unit's stable key"),
                ("region", "地区", "the unit's region"),
                ("unit_name", "单位名称", "the unit's name"),
                ("year", "年度", "the budget year"),
                ("doc_kind", "预算/决算", "'budget' or 'final'"),
                ("scope", "单位/部门", "'unit' or 'department'"),
                (
                    "item",
                    "",
                    "what must be disclosed (docs/views.md lists the items and their rules)",
                ),
                ("area", "", "tables, detail, three_public or other"),
                ("term", "", "the requirement in the documents' words"),
                ("met", "", "whether the document discloses it"),
                (
                    "weight",
                    "",
                    "the item's weight in the score (1 each; re-weight in SQL)",
                ),
                ("rule", "", "how `met` is judged"),
                (
                    "score",
                    "",
                    "the document's weighted share of items met, 0 to 1",
                ),
            ],
        },
        Derived {
            name: "panel",
            about: "one row per document (unit_key × year × doc_kind × scope) with the key totals, shares and counts: the file for R, Stata or pandas",
            sql: panel_sql,
            columns: &[
                ("unit_key", "", "the unit's stable key"),
                ("region", "地区", "the unit's region"),
                ("unit_name", "单位名称", "the unit's name"),
                ("unit_kind", "单位类别", "the unit's kind by its name"),
                (
                    "department",
                    "主管部门",
                    "the department it belongs to, where stated",
                ),
                ("year", "年度", "the budget year"),
                ("doc_kind", "预算/决算", "'budget' or 'final'"),
                ("scope", "单位/部门", "'unit' or 'department'"),
                ("doc_id", "", "the document"),
                ("income_total", "收入合计", "the 收入总表's 合计"),
                ("expenditure_total", "支出合计", "the 支出总表's 合计"),
                ("basic", "基本支出", "the 支出总表's 基本支出 合计"),
                ("project", "项目支出", "the 支出总表's 项目支出 合计"),
                (
                    "gpb_basic_total",
                    "基本支出合计",
                    "the 一般公共预算财政拨款基本支出表's 合计",
                ),
                ("personnel", "人员经费", "its 人员经费 合计"),
                ("public_funds", "公用经费", "its 公用经费 合计"),
                (
                    "personnel_share",
                    "",
                    "personnel / gpb_basic_total (NULL where either is NULL or the total 0)",
                ),
                (
                    "project_share",
                    "",
                    "project / expenditure_total (NULL likewise)",
                ),
                ("three_public_total", "“三公”经费", "the 三公 total"),
                ("outbound", "因公出国（境）费", "its 因公出国（境）费"),
                ("vehicle", "公务用车购置及运行维护费", "its 公务用车"),
                ("reception", "公务接待费", "its 公务接待费"),
                (
                    "operating_costs",
                    "机关运行经费",
                    "the 三公 table's column, else the narrative's figure",
                ),
                ("procurement", "政府采购", "the narrative's 政府采购 figure"),
                ("disclosure_score", "", "the document's disclosure score"),
                ("kpi_indicators", "绩效指标", "绩效目标 indicators read"),
                ("rows", "", "rows the document added to all views"),
                ("warnings", "", "its warnings"),
                ("check_findings", "", "its check findings"),
            ],
        },
    ]
}

/// The section of docs/views.md about `view` (empty where there is none), for the tests
/// that keep the contract and the definitions equal.
#[cfg(test)]
pub(crate) fn contract_section(view: &str) -> &'static str {
    let doc = include_str!("../../../docs/views.md");
    let head = format!("## {view} ");
    let Some(start) = doc.find(&head) else {
        return "";
    };
    let rest = doc.get(start + head.len()..).unwrap_or("");
    rest.get(..rest.find("\n## ").unwrap_or(rest.len()))
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/views.md lists every disclosure item with its rule.
    #[test]
    fn the_contract_lists_every_item() {
        let doc = include_str!("../../../docs/views.md");
        for i in ITEMS {
            assert!(
                doc.contains(&format!(
                    "| `{}` | {} | {} | {} |",
                    i.item, i.area, i.term, i.rule
                )),
                "docs/views.md lacks the disclosure item {}",
                i.item
            );
        }
    }

    /// docs/views.md describes every research view and each of its columns.
    #[test]
    fn the_contract_names_every_column() {
        for d in all() {
            let text = contract_section(d.name);
            assert!(
                !text.is_empty(),
                "docs/views.md has no section for {}",
                d.name
            );
            for (name, _, about) in d.columns {
                assert!(!about.is_empty());
                assert!(
                    text.contains(&format!("`{name}`")),
                    "docs/views.md, section {}: column `{name}` is not described",
                    d.name
                );
            }
        }
    }
}
