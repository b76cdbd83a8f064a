DELETE FROM trial_system_attributes;
