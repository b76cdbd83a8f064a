UPDATE trials SET number = NULL, datetime_start = 'not a date' WHERE trial_id = 3;
