-- Question: how did each unit's spending change from one year to the next? Per unit_key
-- and document kind, the total expenditure (支出总表 合计), basic and project spending and the
-- "三公" total, with the change against the unit's previous stored year (NULL where that
-- year is not stored or does not print the figure).
-- (The previous row is taken over one ordering of all rows and kept where it is the same
-- unit, kind and scope: a window partitioned by unit costs DataFusion per partition, and
-- there are tens of thousands — 100,002 documents: 1.02 → 0.62 s, the same rows.)
WITH y AS (
    SELECT u.unit_key, u.unit_name, u.year, u.doc_kind, u.scope,
           e.total AS expenditure, e.basic, e.project, tp.total AS three_public
    FROM units u
    LEFT JOIN budget_lines e ON e.doc_id = u.doc_id AND e.table_name = 'expenditure'
         AND e.subject_level = 0
    LEFT JOIN three_public tp ON tp.doc_id = u.doc_id
    WHERE u.unit_key IS NOT NULL
), l AS (
    SELECT *,
           (lag(unit_key) OVER w = unit_key AND lag(doc_kind) OVER w = doc_kind
            AND (lag(scope) OVER w IS NOT DISTINCT FROM scope)) AS same,
           lag(expenditure) OVER w AS p_expenditure, lag(basic) OVER w AS p_basic,
           lag(project) OVER w AS p_project, lag(three_public) OVER w AS p_three_public,
           lag(year) OVER w AS p_year
    FROM y
    WINDOW w AS (ORDER BY unit_key, doc_kind, scope, year)
)
SELECT unit_key, unit_name, doc_kind, scope, year, expenditure,
       CASE WHEN same THEN expenditure - p_expenditure END AS expenditure_change,
       CASE WHEN same THEN basic - p_basic END AS basic_change,
       CASE WHEN same THEN project - p_project END AS project_change,
       three_public,
       CASE WHEN same THEN three_public - p_three_public END AS three_public_change,
       CASE WHEN same THEN year - p_year END AS years_apart
FROM l
ORDER BY unit_key, doc_kind, scope, year;
