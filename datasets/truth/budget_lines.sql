-- Generated-corpus truth check: every row of the classified tables (truth/budget_lines.csv).
SELECT regexp_replace(u.source_path, '^.*/', '') AS file, b.table_name, b.row_no,
       b.subject_code, b.subject_name, b.total, b.basic, b.project, b.current_income,
       b.fiscal_appropriation, b.business_income, b.other_income, b.carryover, b.personnel,
       b.public_funds
FROM budget_lines b JOIN units u USING (doc_id)
ORDER BY file, b.table_name, b.row_no;
