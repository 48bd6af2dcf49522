-- Question: what share of each unit's basic expenditure (一般公共预算基本支出) goes to
-- personnel (人员经费) rather than public funds (公用经费)?
SELECT unit_name, year,
       total        AS basic_total,
       personnel,
       public_funds,
       round(personnel / total * 100, 2) AS personnel_pct
FROM budget_lines
WHERE table_name = 'gpb_basic' AND subject_level = 0
ORDER BY personnel_pct DESC, unit_name, year, doc_id;
