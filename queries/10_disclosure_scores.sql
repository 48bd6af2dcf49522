-- Question: how complete is each document's disclosure, and what does it leave out? One
-- row per document: its score over the items of `disclosure` (each weighted 1; to
-- re-weight, replace `weight` by a CASE on `item`), the items met, and those not met.
-- (Grouped by document alone, then the unit joined: cheaper than grouping by six columns.)
WITH per_doc AS (
    SELECT doc_id,
           max(score) AS score,
           sum(CASE WHEN met THEN 1 ELSE 0 END) AS items_met,
           count(*) AS items,
           string_agg(CASE WHEN NOT met THEN item END, ', ' ORDER BY item) AS missing
    FROM disclosure
    GROUP BY doc_id
)
SELECT u.region, u.unit_name, u.year, u.doc_kind, u.scope,
       p.score, p.items_met, p.items, p.missing
FROM per_doc p JOIN units u ON u.doc_id = p.doc_id
ORDER BY p.score, u.region, u.unit_name, u.year, u.doc_kind, u.scope, u.doc_id;
