-- Question: is one unit stored under one key? Lists (a) keys printed with more than one
-- normalised name (a code reused, or a unit renamed under its code) and (b) units of one
-- region and name stored under more than one key (one name printed with two codes; a code
-- printed in some documents only joins them to one key when it is the name's only code),
-- so a researcher can see where `unit_key` joins or splits documents before pairing them.
-- (Counted with window functions first, so that the ordered string_agg runs only on the keys
-- and names that split: an aggregate of DISTINCT values per group is slow in DataFusion.)
WITH names AS (
    SELECT DISTINCT unit_key, region, unit_name FROM units
    WHERE unit_key IS NOT NULL
), counted AS (
    SELECT unit_key, region, unit_name,
           count(unit_name) OVER (PARTITION BY unit_key) AS names_of_key,
           count(unit_key) OVER (PARTITION BY region, unit_name) AS keys_of_name
    FROM names
)
SELECT 'names under one key' AS finding, unit_key AS what,
       string_agg(unit_name, ' | ' ORDER BY unit_name) AS detail,
       count(unit_name) AS n
FROM (SELECT DISTINCT unit_key, unit_name FROM counted WHERE names_of_key > 1) GROUP BY unit_key HAVING count(unit_name) > 1
UNION ALL
SELECT 'keys for one name', region || ' ' || unit_name,
       string_agg(unit_key, ' | ' ORDER BY unit_key), count(unit_key)
FROM counted WHERE keys_of_name > 1 GROUP BY region, unit_name
ORDER BY finding, what;
