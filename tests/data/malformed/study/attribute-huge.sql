-- an attribute of 2.4 MB
INSERT INTO trial_system_attributes (trial_id, key, value_json) VALUES (1, 'big', '"' || hex(zeroblob(1200000)) || '"');
