-- four parameters of 1,000 values each: 10^12 combinations
UPDATE trial_system_attributes SET value_json = (
  WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999),
  list(v) AS (SELECT '[' || group_concat(i, ', ') || ']' FROM n)
  SELECT '{"a": ' || v || ', "b": ' || v || ', "c": ' || v || ', "d": ' || v || '}' FROM list);
