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

/// One measure's rows: the common columns, then budget, final, difference, rate.
fn measure_select(from: &str, measure: &str, budget: &str, fin: &str, extra: &str) -> String {
    format!(
        "SELECT unit_key, region, unit_name, year, scope, source, table_name, subject_code, \
         subject_name, subject_level, '{measure}' AS measure, \
         {budget} AS budget, {fin} AS final, \
         CASE WHEN {budget} IS NULL OR {fin} IS NULL THEN NULL ELSE {fin} - {budget} END AS difference, \
         {rate} AS rate, {extra} AS reason, budget_doc_id, final_doc_id, budget_line_no, final_line_no \
         FROM {from}",
        rate = rate(budget, fin)
    )
}

/// The SQL of `execution`.
pub fn execution_sql() -> String {
    // documents paired: a 预算 and a 决算 of one unit, year and scope
    let pairs = "SELECT b.doc_id AS bdoc, f.doc_id AS fdoc, b.unit_key, b.region, \
        COALESCE(f.unit_name, b.unit_name) AS unit_name, b.year, b.scope \
        FROM units b JOIN units f ON b.unit_key = f.unit_key AND b.year = f.year \
        AND b.scope = f.scope AND b.doc_kind = 'budget' AND f.doc_kind = 'final'";
    let side = |doc: &str, kind: &str| {
        format!(
            "SELECT p.bdoc, p.fdoc, p.unit_key, p.region, p.unit_name, p.year, p.scope, \
             l.table_name, l.subject_code, l.subject_name, l.subject_level, l.line_no, {cols} \
             FROM pairs p JOIN budget_lines l ON l.doc_id = p.{doc} AND l.doc_kind = '{kind}'",
            cols = LINE_MEASURES
                .iter()
                .map(|m| format!("l.{m}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let lines = format!(
        "SELECT COALESCE(b.unit_key, f.unit_key) AS unit_key, \
         COALESCE(b.region, f.region) AS region, COALESCE(b.unit_name, f.unit_name) AS unit_name, \
         COALESCE(b.year, f.year) AS year, COALESCE(b.scope, f.scope) AS scope, 'pair' AS source, \
         COALESCE(b.table_name, f.table_name) AS table_name, \
         COALESCE(b.subject_code, f.subject_code) AS subject_code, \
         COALESCE(f.subject_name, b.subject_name) AS subject_name, \
         COALESCE(b.subject_level, f.subject_level) AS subject_level, \
         COALESCE(b.bdoc, f.bdoc) AS budget_doc_id, COALESCE(b.fdoc, f.fdoc) AS final_doc_id, \
         b.line_no AS budget_line_no, f.line_no AS final_line_no, {cols} \
         FROM bl b FULL JOIN fl f ON b.bdoc = f.bdoc AND b.fdoc = f.fdoc \
           AND b.table_name = f.table_name \
           AND COALESCE(b.subject_code, '') = COALESCE(f.subject_code, '') \
           AND COALESCE(b.subject_level, -1) = COALESCE(f.subject_level, -1)",
        cols = LINE_MEASURES
            .iter()
            .map(|m| format!("b.{m} AS b_{m}, f.{m} AS f_{m}"))
            .collect::<Vec<_>>()
            .join(", ")
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
    let none = "CAST(NULL AS VARCHAR)";
    let mut parts: Vec<String> = LINE_MEASURES
        .iter()
        .map(|m| {
            measure_select("lines", m, &format!("b_{m}"), &format!("f_{m}"), none)
                + &format!(" WHERE b_{m} IS NOT NULL OR f_{m} IS NOT NULL")
        })
        .collect();
    for from in ["tp_pair", "tp_final"] {
        parts.extend(THREE_PUBLIC_MEASURES.iter().map(|m| {
            measure_select(from, m, &format!("b_{m}"), &format!("f_{m}"), none)
                + &format!(" WHERE b_{m} IS NOT NULL OR f_{m} IS NOT NULL")
        }));
    }
    format!(
        "CREATE VIEW execution AS WITH pairs AS ({pairs}), bl AS ({bl}), fl AS ({fl}), \
         lines AS ({lines}), tp_pair AS ({tp_pair}), tp_final AS ({tp_final}) \
         {union}",
        bl = side("bdoc", "budget"),
        fl = side("fdoc", "final"),
        union = parts.join(" UNION ALL ")
    )
}

/// The research views, in the order `\d` lists them.
pub fn all() -> Vec<Derived> {
    vec![Derived {
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
                "'pair': a stored 预算 and 决算 of the unit, year and scope; 'final_printed': the 预算数 a 决算 prints beside its 决算数",
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
                "",
                "the reason the narrative states for the difference, where read (not yet: NULL)",
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
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/views.md describes every research view and each of its columns.
    #[test]
    fn the_contract_names_every_column() {
        let doc = include_str!("../../../docs/views.md");
        for d in all() {
            let head = format!("## {} ", d.name);
            let start = doc.find(&head);
            assert!(
                start.is_some(),
                "docs/views.md has no section for {}",
                d.name
            );
            let rest = doc.get(start.unwrap_or(0) + head.len()..).unwrap_or("");
            let text = rest
                .get(..rest.find("\n## ").unwrap_or(rest.len()))
                .unwrap_or("");
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
