UPDATE trial_system_attributes SET value_json = '{"a": [1e999], "b": ["x"]}';
