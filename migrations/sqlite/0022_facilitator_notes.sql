-- Facilitators' notes about a participant of a round ("Participant 3" of round 2), never about
-- a Discord id: a note names the round and the participant's per-round key, as
-- round_participants does. So a note goes with the participant number: when the member erases
-- their data (/mydata delete drops their participant numbers) and when retention purges the
-- round's replies and participant numbers (ON DELETE CASCADE).
CREATE TABLE facilitator_notes (
    id         INTEGER PRIMARY KEY,
    guild_id   BIGINT NOT NULL,
    round_id   BIGINT NOT NULL,
    author_key TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    FOREIGN KEY (round_id, author_key)
        REFERENCES round_participants (round_id, author_key) ON DELETE CASCADE
);
CREATE INDEX facilitator_notes_by_participant ON facilitator_notes (round_id, author_key);
CREATE INDEX facilitator_notes_by_guild ON facilitator_notes (guild_id, id);
