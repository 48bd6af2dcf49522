-- Question: how did each unit's spending change from one year to the next? Per unit_key
-- and document kind, the total expenditure (支出总表 合计), basic and project spending and the
-- "三公" total, with the change against the unit's previous stored year (NULL where that
-- year is not stored or does not print the figure).
WITH y AS (
    SELECT u.unit_key, u.unit_name, u.year, u.doc_kind, u.scope,
           e.total AS expenditure, e.basic, e.project, tp.total AS three_public
    FROM units u
    LEFT JOIN budget_lines e ON e.doc_id = u.doc_id AND e.table_name = 'expenditure'
         AND e.subject_level = 0
    LEFT JOIN three_public tp ON tp.doc_id = u.doc_id
    WHERE u.unit_key IS NOT NULL
)
SELECT unit_key, unit_name, doc_kind, scope, year, expenditure,
       expenditure - lag(expenditure) OVER w AS expenditure_change,
       basic - lag(basic) OVER w AS basic_change,
       project - lag(project) OVER w AS project_change,
       three_public,
       three_public - lag(three_public) OVER w AS three_public_change,
       year - lag(year) OVER w AS years_apart
FROM y
WINDOW w AS (PARTITION BY unit_key, doc_kind, scope ORDER BY year)
ORDER BY unit_key, doc_kind, scope, year;
