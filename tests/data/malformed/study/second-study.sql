INSERT INTO studies VALUES (2, 't');
