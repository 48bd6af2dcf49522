-- Question: is one unit stored under one key? Lists (a) keys printed with more than one
-- normalised name (a code reused, or a unit renamed under its code) and (b) units of one
-- region and name stored under more than one key (a code printed in some documents only),
-- so a researcher can see where `unit_key` joins or splits documents before pairing them.
WITH names AS (
    SELECT DISTINCT unit_key, region, unit_name, unit_code, year, doc_kind FROM units
    WHERE unit_key IS NOT NULL
)
SELECT 'names under one key' AS finding, unit_key AS what,
       string_agg(DISTINCT unit_name, ' | ' ORDER BY unit_name) AS detail,
       count(DISTINCT unit_name) AS n
FROM names GROUP BY unit_key HAVING count(DISTINCT unit_name) > 1
UNION ALL
SELECT 'keys for one name', region || ' ' || unit_name,
       string_agg(DISTINCT unit_key, ' | ' ORDER BY unit_key), count(DISTINCT unit_key)
FROM names GROUP BY region, unit_name HAVING count(DISTINCT unit_key) > 1
ORDER BY finding, what;
