-- an attribute nested 80,000 deep in objects
INSERT INTO trial_system_attributes (trial_id, key, value_json)
  VALUES (1, 'deep', replace(hex(zeroblob(80000)), '00', '{"a":') || '1' || replace(hex(zeroblob(80000)), '00', '}'));
