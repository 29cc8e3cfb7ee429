-- Pauses: a facilitator freezes new replies in one round or in the whole server ("a pause for
-- bad days"). Each pause is kept as a log entry (who, when, why); it is active until resumed.
-- round_id NULL: the whole server. The facilitator's id is stored as moderation cases store the
-- moderator's: staff acting in their role, not a participant's words.
CREATE TABLE pauses (
    id         INTEGER PRIMARY KEY,
    guild_id   BIGINT NOT NULL,
    round_id   BIGINT REFERENCES rounds(id) ON DELETE CASCADE,
    reason     TEXT NOT NULL,
    paused_by  BIGINT NOT NULL,
    paused_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    resumed_by BIGINT,
    resumed_at TEXT
);
-- At most one active pause per server (round_id NULL) and per round.
CREATE UNIQUE INDEX pauses_one_active ON pauses (guild_id, COALESCE(round_id, 0))
    WHERE resumed_at IS NULL;
CREATE INDEX pauses_by_guild ON pauses (guild_id, id);
