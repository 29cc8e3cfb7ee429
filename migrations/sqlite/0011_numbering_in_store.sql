-- SQLite edition of 0011: as the shared file, and the triggers it replaces are dropped.
-- Participant numbers and the publish row of a pending reply are written by the reply store,
-- with explicit statements in the reply's transaction, on both engines (so RETURNING means the
-- same on both). A round counts its participants; the count is the last number drawn.
-- Case numbers get the same kind of counter, one row per server.
DROP TRIGGER replies_participant_before_insert;
DROP TRIGGER replies_participant_on_submit;
DROP TRIGGER replies_outbox_on_insert;

ALTER TABLE rounds ADD COLUMN participant_count INTEGER NOT NULL DEFAULT 0;
UPDATE rounds SET participant_count =
    COALESCE((SELECT MAX(number) FROM round_participants p WHERE p.round_id = rounds.id), 0);

CREATE TABLE case_counters (
    guild_id    INTEGER PRIMARY KEY,
    last_number INTEGER NOT NULL
);
INSERT INTO case_counters (guild_id, last_number)
SELECT guild_id, MAX(number) FROM cases GROUP BY guild_id;
