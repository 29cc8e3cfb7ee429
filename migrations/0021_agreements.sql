-- Group agreements: what members accept before their first reply or response in a server.
-- No row: the default agreements of the catalogs. /setup agreements stores a server's own text;
-- its version is a hash of the text, so a member who accepted one text is asked again when it
-- changes (and not when an admin saves the same text again).
CREATE TABLE guild_agreements (
    guild_id   BIGINT PRIMARY KEY,
    version    TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- A member's acceptance, under an HMAC of (server, member) only (Pseudonymizer.member_key),
-- with the version accepted. Exported and erased by /mydata.
CREATE TABLE agreement_acceptances (
    member_key  TEXT PRIMARY KEY,
    version     TEXT NOT NULL,
    accepted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- The optional private note a member leaves the facilitators at intake ("what would make this
-- safe for me"), one per member and server, under an HMAC of (server, member). The server id
-- lets facilitators list their server's notes; nothing in the row names the member.
CREATE TABLE intake_notes (
    member_key TEXT PRIMARY KEY,
    guild_id   BIGINT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX intake_notes_by_guild ON intake_notes (guild_id, created_at);
