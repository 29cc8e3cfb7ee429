-- The language a member chose with /language set (Discord's client cannot say "Armenian" or
-- "Azerbaijani"). Keyed by an HMAC of the purpose, the server and the member, so a copy of the
-- database does not say who reads which language.
CREATE TABLE member_languages (
    member_key TEXT PRIMARY KEY,
    language   TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
