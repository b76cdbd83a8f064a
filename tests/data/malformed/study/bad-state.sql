UPDATE trials SET state = 'DONE' WHERE trial_id = 2;
