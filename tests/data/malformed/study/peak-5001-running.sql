-- 4,999 trials RUNNING from 00:00:05 on; with the two overlapping COMPLETE trials of study.sql the
-- peak of concurrent RUNNING trials is 5,001
UPDATE trial_system_attributes SET value_json = '{"a": [0, 1], "b": ["x", "y"]}';
INSERT INTO trials (trial_id, number, study_id, state, datetime_start, datetime_complete)
  WITH RECURSIVE n(i) AS (SELECT 10 UNION ALL SELECT i + 1 FROM n WHERE i < 5008)
  SELECT i, i - 6, 1, 'RUNNING', '2026-01-01 00:00:05.000000', NULL FROM n;
