-- Question: which printed subject codes does the classification catalogue not know, and
-- where does a printed name differ from every name the catalogue has for its code? (A
-- check of the documents against 政府收支分类科目 — or of the reader: a unit code read as a
-- subject, a name cut at a line break.) Names are compared without spaces or bracket width.
-- (Two steps: the distinct code and name pairs the catalogue does not print as they are —
-- read from two columns of budget_lines — are judged first; only the lines that carry a
-- pair judged wrong are then read whole, so a store whose names all match pays for one
-- narrow scan.)
WITH known AS (
    SELECT subject_key,
           array_agg(DISTINCT replace(replace(replace(subject_name, ' ', ''), '(', '（'), ')', '）'))
             AS names
    FROM subjects GROUP BY subject_key
),
as_printed AS (
    SELECT DISTINCT subject_key, subject_name FROM subjects
),
unmatched AS (
    SELECT DISTINCT b.subject_key, b.subject_name
    FROM budget_lines b
    WHERE b.subject_key IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM as_printed a
                      WHERE a.subject_key = b.subject_key AND a.subject_name = b.subject_name)
),
judged AS (
    SELECT m.subject_key, m.subject_name,
           CASE WHEN k.subject_key IS NULL THEN 'unknown code' ELSE 'name differs' END AS finding
    FROM unmatched m LEFT JOIN known k ON k.subject_key = m.subject_key
    WHERE k.subject_key IS NULL
       OR NOT array_has(k.names, replace(replace(replace(m.subject_name, ' ', ''), '(', '（'), ')', '）'))
)
SELECT j.finding, b.subject_code, b.subject_name, b.classification, b.table_name,
       u.region, u.unit_name, b.year, b.line_no
FROM budget_lines b
JOIN judged j ON j.subject_key = b.subject_key AND j.subject_name = b.subject_name
JOIN units u ON u.doc_id = b.doc_id
ORDER BY finding, b.subject_code, u.region, u.unit_name, b.year, b.line_no;
