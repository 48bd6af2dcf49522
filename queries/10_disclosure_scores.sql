-- Question: how complete is each document's disclosure, and what does it leave out? One
-- row per document: its score over the items of `disclosure` (each weighted 1; to
-- re-weight, replace `weight` by a CASE on `item`), the items met, and those not met.
SELECT region, unit_name, year, doc_kind, scope,
       max(score) AS score,
       sum(CASE WHEN met THEN 1 ELSE 0 END) AS items_met,
       count(*) AS items,
       string_agg(CASE WHEN NOT met THEN item END, ', ' ORDER BY item) AS missing
FROM disclosure
GROUP BY doc_id, region, unit_name, year, doc_kind, scope
ORDER BY score, region, unit_name, year, doc_kind, scope, doc_id;
