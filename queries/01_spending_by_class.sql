-- Question: how much do units spend on each function class (类), by region and year,
-- and how much of it is basic (基本) versus project (项目) spending?
-- Reads the 类 rows (subject_level = 1) of the 支出总表, so each yuan is counted once.
SELECT region, year, subject_code, subject_name,
       count(DISTINCT doc_id) AS units,
       sum(total)             AS total,
       sum(basic)             AS basic,
       sum(project)           AS project
FROM budget_lines
WHERE table_name = 'expenditure' AND subject_level = 1 AND doc_kind = 'budget'
GROUP BY region, year, subject_code, subject_name
ORDER BY region, year, subject_code;
