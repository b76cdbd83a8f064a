UPDATE trial_system_attributes SET value_json = '{"a": [{"x": 1}], "b": ["x"]}';
