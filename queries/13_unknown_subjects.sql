-- Question: which printed subject codes does the classification catalogue not know, and
-- where does a printed name differ from every name the catalogue has for its code? (A
-- check of the documents against 政府收支分类科目 — or of the reader: a unit code read as a
-- subject, a name cut at a line break.) Names are compared without spaces or bracket width.
WITH printed AS (
    SELECT b.region, b.unit_name, b.year, b.table_name, b.classification, b.subject_code,
           b.subject_name, b.subject_key, b.line_no,
           replace(replace(replace(b.subject_name, ' ', ''), '(', '（'), ')', '）') AS norm
    FROM budget_lines b
    WHERE b.subject_key IS NOT NULL
),
known AS (
    SELECT subject_key,
           array_agg(DISTINCT replace(replace(replace(subject_name, ' ', ''), '(', '（'), ')', '）'))
             AS names
    FROM subjects GROUP BY subject_key
)
SELECT CASE WHEN k.subject_key IS NULL THEN 'unknown code' ELSE 'name differs' END AS finding,
       p.subject_code, p.subject_name, p.classification, p.table_name,
       p.region, p.unit_name, p.year, p.line_no
FROM printed p LEFT JOIN known k ON k.subject_key = p.subject_key
WHERE k.subject_key IS NULL OR NOT array_has(k.names, p.norm)
ORDER BY finding, p.subject_code, p.region, p.unit_name, p.year, p.line_no;
