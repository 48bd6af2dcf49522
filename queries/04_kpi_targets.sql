-- Question: what kinds of performance targets do projects set, and how many of them are
-- measurable (a comparison and a number) rather than qualitative (有效促进, 效果明显)?
SELECT level1, level2,
       count(*)                                          AS indicators,
       count(DISTINCT project_name)                      AS projects,
       count(*) FILTER (WHERE target_value IS NOT NULL)  AS measurable,
       count(*) FILTER (WHERE target_op = '>=' AND target_unit = '%') AS at_least_pct,
       round(avg(target_value) FILTER (WHERE target_unit = '%'), 2) AS avg_pct_target
FROM kpi_targets
WHERE level2 IS NOT NULL
GROUP BY level1, level2
ORDER BY level1, indicators DESC, level2;
