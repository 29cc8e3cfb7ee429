-- Number the participant *before* the reply row is inserted, so that the INSERT's RETURNING
-- clause can give back the reply id and "Participant N" in the same statement (RETURNING is
-- computed before AFTER triggers run). One trip to the database per reply.
DROP TRIGGER replies_participant_on_insert;

CREATE TRIGGER replies_participant_before_insert BEFORE INSERT ON replies
WHEN NEW.status != 'draft'
BEGIN
    INSERT INTO round_participants (round_id, author_key, number)
    SELECT NEW.round_id, NEW.author_key, COALESCE(MAX(number), 0) + 1
    FROM round_participants WHERE round_id = NEW.round_id
    ON CONFLICT (round_id, author_key) DO NOTHING;
END;
