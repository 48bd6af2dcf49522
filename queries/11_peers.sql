-- Question: how does each unit compare with its peers — units of the same kind (unit_kind)
-- in the same region and year, documents of the same scope (单位 or 部门)? For the "三公" total, the personnel share of basic
-- expenditure and 机关运行经费: the unit's value, its percentile among its peers and its
-- robust z-score ((value − peers' median) / (1.4826 × median absolute deviation); NULL where
-- the peers do not vary). Budgets only, one document per unit and year.
-- (Each step reads the one before once: peers' medians are window aggregates, not joins, so
-- the documents' facts are gathered a single time.)
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
    SELECT f.unit_key, f.region, f.unit_name, f.unit_kind, f.year, m.measure,
           CASE m.measure
               WHEN 'three_public' THEN CAST(f.three_public AS DOUBLE)
               WHEN 'personnel_share' THEN f.personnel_share
               ELSE CAST(f.operating_costs AS DOUBLE)
           END AS value
    FROM facts f
    CROSS JOIN (VALUES ('three_public'), ('personnel_share'), ('operating_costs')) AS m(measure)
),
med AS (
    SELECT *,
           median(value) OVER peers AS median,
           count(value) OVER peers AS peers
    FROM long
    WINDOW peers AS (PARTITION BY region, unit_kind, year, measure)
),
mad AS (
    SELECT *,
           median(abs(value - median)) OVER (PARTITION BY region, unit_kind, year, measure) AS mad
    FROM med
)
SELECT region, unit_kind, year, measure, unit_name, peers,
       round(value, 4) AS unit_value,
       round(median, 4) AS peers_median,
       round(percent_rank() OVER (PARTITION BY region, unit_kind, year, measure
                                  ORDER BY value), 4) AS percentile,
       round((value - median) / NULLIF(1.4826 * mad, 0), 2) AS robust_z
FROM mad
WHERE value IS NOT NULL
ORDER BY region, unit_kind, year, measure, value DESC, unit_name;
