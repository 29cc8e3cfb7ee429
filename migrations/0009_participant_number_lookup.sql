-- The next participant number with an index walk from the top (ORDER BY … DESC LIMIT 1)
-- instead of MAX(), which SQLite computes by scanning every participant of the round.
DROP TRIGGER replies_participant_before_insert;
DROP TRIGGER replies_participant_on_submit;

CREATE TRIGGER replies_participant_before_insert BEFORE INSERT ON replies
WHEN NEW.status != 'draft'
BEGIN
    INSERT INTO round_participants (round_id, author_key, number)
    VALUES (
        NEW.round_id,
        NEW.author_key,
        COALESCE(
            (SELECT number FROM round_participants WHERE round_id = NEW.round_id
             ORDER BY number DESC LIMIT 1),
            0
        ) + 1
    )
    ON CONFLICT (round_id, author_key) DO NOTHING;
END;

CREATE TRIGGER replies_participant_on_submit AFTER UPDATE OF status ON replies
WHEN NEW.status != 'draft' AND OLD.status = 'draft'
BEGIN
    INSERT INTO round_participants (round_id, author_key, number)
    VALUES (
        NEW.round_id,
        NEW.author_key,
        COALESCE(
            (SELECT number FROM round_participants WHERE round_id = NEW.round_id
             ORDER BY number DESC LIMIT 1),
            0
        ) + 1
    )
    ON CONFLICT (round_id, author_key) DO NOTHING;
END;
