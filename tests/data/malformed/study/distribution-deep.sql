-- a distribution nested 100,000 deep
UPDATE trial_params SET distribution_json = replace(hex(zeroblob(100000)), '00', '[') || replace(hex(zeroblob(100000)), '00', ']') WHERE param_id = 1;
