-- Question: how does each unit compare with its peers — units of the same kind (unit_kind)
-- in the same region and year, documents of the same scope (单位 or 部门)? For the "三公" total, the personnel share of basic
-- expenditure and 机关运行经费: the unit's value, its percentile among its peers and its
-- robust z-score ((value − peers' median) / (1.4826 × median absolute deviation); NULL where
-- the peers do not vary). Budgets only, one document per unit and year.
WITH facts AS (
    SELECT u.unit_key, u.region, u.unit_name, u.unit_kind || '/' || u.scope AS unit_kind, u.year,
           tp.total AS three_public,
           CAST(b.personnel AS DOUBLE) / NULLIF(CAST(b.total AS DOUBLE), 0) AS personnel_share,
           coalesce(tp.operating_costs, n.amount) AS operating_costs
    FROM units u
    LEFT JOIN three_public tp ON tp.doc_id = u.doc_id
    LEFT JOIN budget_lines b ON b.doc_id = u.doc_id AND b.table_name = 'gpb_basic'
         AND b.subject_level = 0
    LEFT JOIN narrative n ON n.doc_id = u.doc_id AND n.figure = 'operating_costs'
    WHERE u.doc_kind = 'budget'
),
long AS (
    SELECT unit_key, region, unit_name, unit_kind, year, 'three_public' AS measure,
           CAST(three_public AS DOUBLE) AS value FROM facts
    UNION ALL
    SELECT unit_key, region, unit_name, unit_kind, year, 'personnel_share', personnel_share FROM facts
    UNION ALL
    SELECT unit_key, region, unit_name, unit_kind, year, 'operating_costs',
           CAST(operating_costs AS DOUBLE) FROM facts
),
med AS (
    SELECT region, unit_kind, year, measure, median(value) AS median, count(value) AS peers
    FROM long GROUP BY region, unit_kind, year, measure
),
mad AS (
    SELECT l.region, l.unit_kind, l.year, l.measure, median(abs(l.value - m.median)) AS mad
    FROM long l JOIN med m USING (region, unit_kind, year, measure)
    GROUP BY l.region, l.unit_kind, l.year, l.measure
)
SELECT l.region, l.unit_kind, l.year, l.measure, l.unit_name, m.peers,
       round(l.value, 4) AS unit_value,
       round(m.median, 4) AS peers_median,
       round(percent_rank() OVER (PARTITION BY l.region, l.unit_kind, l.year, l.measure
                                  ORDER BY l.value), 4) AS percentile,
       round((l.value - m.median) / NULLIF(1.4826 * d.mad, 0), 2) AS robust_z
FROM long l
JOIN med m USING (region, unit_kind, year, measure)
JOIN mad d USING (region, unit_kind, year, measure)
WHERE l.value IS NOT NULL
ORDER BY l.region, l.unit_kind, l.year, l.measure, l.value DESC, l.unit_name;
