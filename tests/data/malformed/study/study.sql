-- One GridSampler study "s" over a in [0, 1], b in ["x", "y"]: four COMPLETE trials, one repeat.
INSERT INTO studies VALUES (1, 's');
INSERT INTO trials VALUES (1, 0, 1, 'COMPLETE', '2026-01-01 00:00:10.000000', '2026-01-01 00:00:11.500000');
INSERT INTO trials VALUES (2, 1, 1, 'COMPLETE', '2026-01-01 00:00:10.100000', '2026-01-01 00:00:11.600000');
INSERT INTO trials VALUES (3, 2, 1, 'COMPLETE', '2026-01-01 00:00:11.600000', '2026-01-01 00:00:13.000000');
INSERT INTO trials VALUES (4, 3, 1, 'COMPLETE', '2026-01-01 00:00:11.700000', '2026-01-01 00:00:13.100000');
INSERT INTO trial_system_attributes (trial_id, key, value_json) SELECT trial_id, 'search_space', '{"a": [0, 1], "b": ["x", "y"]}' FROM trials;
INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json)
  SELECT trial_id, 'a', (trial_id - 1) % 2, '{"name": "CategoricalDistribution", "attributes": {"choices": [0, 1]}}' FROM trials;
INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json)
  SELECT trial_id, 'b', CASE WHEN trial_id = 4 THEN 0 ELSE (trial_id - 1) / 2 END,
         '{"name": "CategoricalDistribution", "attributes": {"choices": ["x", "y"]}}' FROM trials;
