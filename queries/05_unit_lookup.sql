-- Question: what does one unit's budget look like, 类 by 类, with the line of the source
-- document each figure was read from? (Change the unit code to look up another unit.)
SELECT year, doc_kind, subject_code, subject_name, subject_level, total, basic, project, line_no
FROM budget_lines
WHERE unit_code = '216001' AND table_name = 'expenditure'
ORDER BY year, doc_kind, row_no;
