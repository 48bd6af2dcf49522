-- Question: which printed subject codes does the classification catalogue not know, and
-- where does a printed name differ from every name the catalogue has for its code? (A
-- check of the documents against 政府收支分类科目 — or of the reader: a unit code read as a
-- subject, a name cut at a line break.) Names are compared without spaces or bracket width.
-- (Each distinct printed name is judged once, then its rows are gathered.)
WITH known AS (
    SELECT subject_key,
           array_agg(DISTINCT replace(replace(replace(subject_name, ' ', ''), '(', '（'), ')', '）'))
             AS names
    FROM subjects GROUP BY subject_key
),
printed AS (
    SELECT DISTINCT subject_key, subject_name FROM budget_lines WHERE subject_key IS NOT NULL
),
odd AS (
    SELECT p.subject_key, p.subject_name,
           CASE WHEN k.subject_key IS NULL THEN 'unknown code' ELSE 'name differs' END AS finding
    FROM printed p LEFT JOIN known k ON k.subject_key = p.subject_key
    WHERE k.subject_key IS NULL
       OR NOT array_has(k.names, replace(replace(replace(p.subject_name, ' ', ''), '(', '（'), ')', '）'))
)
SELECT o.finding, b.subject_code, b.subject_name, b.classification, b.table_name,
       b.region, b.unit_name, b.year, b.line_no
FROM budget_lines b JOIN odd o ON o.subject_key = b.subject_key AND o.subject_name = b.subject_name
ORDER BY finding, b.subject_code, b.region, b.unit_name, b.year, b.line_no;
