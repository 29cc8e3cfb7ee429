-- Group agreements: what members accept before their first reply in a server. No row: the
-- default agreements of the catalogs (version 0); /setup agreements stores a server's own text
-- and raises the version, so every member is asked again.
CREATE TABLE guild_agreements (
    guild_id   BIGINT PRIMARY KEY,
    version    BIGINT NOT NULL CHECK (version >= 1),
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- A member's acceptance, under an HMAC of (server, member) only (Pseudonymizer.member_key),
-- with the version accepted. Exported and erased by /mydata.
CREATE TABLE agreement_acceptances (
    member_key  TEXT PRIMARY KEY,
    version     BIGINT NOT NULL,
    accepted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
