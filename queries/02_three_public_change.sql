-- Question: how did each unit's "三公" spending change against last year, and which part
-- moved? (`prior_*` come from the narrative's statement of last year's figures.)
SELECT unit_name, year,
       total, prior_total,
       total - prior_total                         AS change,
       round((total - prior_total) / prior_total * 100, 2) AS change_pct,
       coalesce(reception, 0) - coalesce(prior_reception, 0) AS reception_change,
       coalesce(vehicle, 0) - coalesce(prior_vehicle, 0)     AS vehicle_change
FROM three_public
WHERE prior_total IS NOT NULL
ORDER BY change, unit_name, year, doc_id;
