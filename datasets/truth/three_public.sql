-- Generated-corpus truth check: the 三公 figures of each document, and the 预算数 a 决算
-- prints beside them (truth/three_public.csv).
SELECT regexp_replace(u.source_path, '^.*/', '') AS file, t.total, t.outbound, t.vehicle,
       t.vehicle_purchase, t.vehicle_operation, t.reception,
       t.budget_total, t.budget_outbound, t.budget_vehicle, t.budget_vehicle_purchase,
       t.budget_vehicle_operation, t.budget_reception
FROM three_public t JOIN units u USING (doc_id)
ORDER BY file;
