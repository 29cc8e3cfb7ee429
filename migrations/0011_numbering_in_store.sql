-- Participant numbers and the publish row of a pending reply are written by the reply store,
-- with explicit statements in the reply's transaction, on both engines (so RETURNING means the
-- same on both). A round counts its participants; the count is the last number drawn, and the
-- UPDATE that draws the next one locks the round on PostgreSQL, so two processes never draw
-- the same number. Case numbers get the same kind of counter, one row per server.
ALTER TABLE rounds ADD COLUMN participant_count INTEGER NOT NULL DEFAULT 0;
UPDATE rounds SET participant_count =
    COALESCE((SELECT MAX(number) FROM round_participants p WHERE p.round_id = rounds.id), 0);

CREATE TABLE case_counters (
    guild_id    BIGINT PRIMARY KEY,
    last_number INTEGER NOT NULL
);
INSERT INTO case_counters (guild_id, last_number)
SELECT guild_id, MAX(number) FROM cases GROUP BY guild_id;
