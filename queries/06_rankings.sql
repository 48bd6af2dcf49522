-- Question: within each region and year, which units have the largest budgets, and how
-- large is their project spending share? (Window functions: rank and share of region.)
SELECT region, year, unit_name, total, project,
       round(project / total * 100, 2)                               AS project_pct,
       rank() OVER (PARTITION BY region, year ORDER BY total DESC)   AS size_rank,
       round(total / sum(total) OVER (PARTITION BY region, year) * 100, 2) AS share_of_region_pct
FROM budget_lines
WHERE table_name = 'expenditure' AND subject_level = 0 AND doc_kind = 'budget'
ORDER BY region, year, size_rank, unit_name, doc_id;
