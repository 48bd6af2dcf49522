-- Generated-corpus truth check: the 三公 figures of each document (truth/three_public.csv).
SELECT regexp_replace(u.source_path, '^.*/', '') AS file, t.total, t.outbound, t.vehicle,
       t.vehicle_purchase, t.vehicle_operation, t.reception
FROM three_public t JOIN units u USING (doc_id)
ORDER BY file;
