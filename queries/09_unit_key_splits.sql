-- Question: is one unit stored under one key? Lists (a) keys printed with more than one
-- normalised name (a code reused, or a unit renamed under its code) and (b) units of one
-- region and name stored under more than one key (one name printed with two codes; a code
-- printed in some documents only joins them to one key when it is the name's only code),
-- so a researcher can see where `unit_key` joins or splits documents before pairing them.
-- (Counted with window functions first, so that the ordered string_agg runs only on the keys
-- and names that split: an aggregate of DISTINCT values per group is slow in DataFusion.)
-- (Both findings from one pass over `units`: each counted row is taken once per finding by a
-- join to two rows, where two UNION ALL branches made DataFusion scan and resolve `units`
-- twice; the groups keep region and name apart, as the findings did.)
WITH names AS (
    SELECT DISTINCT unit_key, region, unit_name FROM units
    WHERE unit_key IS NOT NULL
), counted AS (
    SELECT unit_key, region, unit_name,
           count(unit_name) OVER (PARTITION BY unit_key) AS names_of_key,
           count(unit_key) OVER (PARTITION BY region, unit_name) AS keys_of_name
    FROM names
), found AS (
    SELECT DISTINCT
           CASE t.k WHEN 1 THEN 'names under one key' ELSE 'keys for one name' END AS finding,
           CASE t.k WHEN 1 THEN unit_key ELSE region END AS g1,
           CASE t.k WHEN 1 THEN NULL ELSE unit_name END AS g2,
           CASE t.k WHEN 1 THEN unit_key ELSE region || ' ' || unit_name END AS what,
           CASE t.k WHEN 1 THEN unit_name ELSE unit_key END AS item
    FROM counted CROSS JOIN (VALUES (1), (2)) AS t(k)
    WHERE (t.k = 1 AND names_of_key > 1) OR (t.k = 2 AND keys_of_name > 1)
)
SELECT finding, what, string_agg(item, ' | ' ORDER BY item) AS detail, count(item) AS n
FROM found
GROUP BY finding, g1, g2, what
HAVING count(item) > 1
ORDER BY finding, what;
