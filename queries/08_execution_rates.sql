-- Question: how closely did each unit spend what it budgeted (预决算偏离)? Per unit and
-- year, total expenditure and the "三公" total: budget, final, difference and execution rate,
-- from a stored 预算 and 决算 of the unit ('pair') or from the 预算数 a 决算 prints beside its
-- 决算数 ('final_printed'). Units furthest from their budget first.
SELECT unit_key, unit_name, year, source, table_name, measure,
       budget, final, difference, rate
FROM execution
WHERE measure = 'total'
  AND ((table_name = 'expenditure' AND subject_level = 0) OR table_name = 'three_public')
ORDER BY abs(coalesce(rate, 1) - 1) DESC, unit_key, year, scope, source, table_name;
