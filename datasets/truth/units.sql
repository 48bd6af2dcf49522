-- Generated-corpus truth check: one row per document (compare with truth/units.csv).
SELECT regexp_replace(source_path, '^.*/', '') AS file, region, unit_code, unit_name, year,
       doc_kind, scope, amount_unit
FROM units ORDER BY file;
