-- names with terminal escapes, bidi and zero-width characters, shown by audit's summary
UPDATE studies SET study_name = 's' || char(27) || '[2J' || char(8238) || char(8203) WHERE study_id = 1;
UPDATE version_info SET library_version = '3.1.0' || char(27) || ']0;title' || char(7);
UPDATE trial_system_attributes SET value_json = '{"a\u001b[31m": [0, 1], "b": ["x", "y"]}';
UPDATE trial_params SET param_name = 'a' || char(27) || '[31m' WHERE param_name = 'a';
