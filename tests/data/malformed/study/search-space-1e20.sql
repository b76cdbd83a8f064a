-- twenty parameters of 10 values each: 10^20 combinations (more than 2^63)
UPDATE trial_system_attributes SET value_json = (
  WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 19)
  SELECT '{' || group_concat('"p' || i || '": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]', ', ') || '}' FROM k);
