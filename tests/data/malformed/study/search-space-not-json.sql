UPDATE trial_system_attributes SET value_json = '{"a": [0, 1], "b": ["x", "y"]';
