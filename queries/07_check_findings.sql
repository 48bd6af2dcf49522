-- Question: where does a document's own arithmetic not hold, and is it rounding or a real
-- discrepancy? Each finding names the table, row, code, both figures and the source line.
SELECT unit_name, year, table_name, row_no, subject_code, column_name, rule,
       expected, actual, difference, severity, line_no
FROM checks
ORDER BY severity, unit_name, year, table_name, row_no, column_name, doc_id;
