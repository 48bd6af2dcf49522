-- Generated-corpus truth check: every label of both summaries (truth/summary_lines.csv).
SELECT regexp_replace(u.source_path, '^.*/', '') AS file, s.table_name, s.side, s.item_name,
       s.amount
FROM summary_lines s JOIN units u USING (doc_id)
ORDER BY file, s.table_name, s.line_no, s.side DESC;
