-- Key/value state the bot keeps about itself (e.g. the hash of the last command sync).
CREATE TABLE bot_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Per-guild configuration. Feature issues add their columns through later migrations.
CREATE TABLE guild_settings (
    guild_id            INTEGER PRIMARY KEY,
    dialogue_channel_id INTEGER,
    mod_channel_id      INTEGER,
    facilitator_role_id INTEGER,
    moderator_role_id   INTEGER,
    locale              TEXT,
    updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
