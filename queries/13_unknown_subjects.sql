-- Question: which printed subject codes does the classification catalogue not know, and
-- where does a printed name differ from every name the catalogue has for its code? (A
-- check of the documents against 政府收支分类科目 — or of the reader: a unit code read as a
-- subject, a name cut at a line break.) Names are compared without spaces or bracket width.
-- (One pass: rows whose name the catalogue prints as is are dropped by an anti join, and
-- only the rest are normalised and judged.)
WITH known AS (
    SELECT subject_key,
           array_agg(DISTINCT replace(replace(replace(subject_name, ' ', ''), '(', '（'), ')', '）'))
             AS names
    FROM subjects GROUP BY subject_key
),
as_printed AS (
    SELECT DISTINCT subject_key, subject_name FROM subjects
),
candidates AS (
    SELECT b.doc_id, b.subject_key, b.subject_code, b.subject_name, b.classification,
           b.table_name, b.year, b.line_no
    FROM budget_lines b
    WHERE b.subject_key IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM as_printed a
                      WHERE a.subject_key = b.subject_key AND a.subject_name = b.subject_name)
)
SELECT CASE WHEN k.subject_key IS NULL THEN 'unknown code' ELSE 'name differs' END AS finding,
       c.subject_code, c.subject_name, c.classification, c.table_name,
       u.region, u.unit_name, c.year, c.line_no
FROM candidates c
LEFT JOIN known k ON k.subject_key = c.subject_key
JOIN units u ON u.doc_id = c.doc_id
WHERE k.subject_key IS NULL
   OR NOT array_has(k.names, replace(replace(replace(c.subject_name, ' ', ''), '(', '（'), ')', '）'))
ORDER BY finding, c.subject_code, u.region, u.unit_name, c.year, c.line_no;
