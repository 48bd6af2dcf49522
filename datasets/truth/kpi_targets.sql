-- Generated-corpus truth check: every indicator of every 绩效目标表 (truth/kpi_targets.csv).
SELECT regexp_replace(u.source_path, '^.*/', '') AS file, k.project_no, k.project_name,
       k.project_goal, k.indicator_no, k.level1, k.level2, k.level3, k.target_raw, k.basis
FROM kpi_targets k JOIN units u USING (doc_id)
ORDER BY file, k.project_no, k.indicator_no;
