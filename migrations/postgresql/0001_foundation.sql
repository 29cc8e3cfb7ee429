-- PostgreSQL edition of 0001. Timestamps are stored as the same UTC text SQLite writes
-- ("2026-12-01T18:45:00.123Z", which sorts as it compares), and the stores write one SQL text
-- for both engines: this function gives strftime('%Y-%m-%dT%H:%M:%fZ', 'now'[, modifier])
-- SQLite's meaning. The modifier is what the stores pass, e.g. '-24 hours', '+1.500 seconds'.
CREATE FUNCTION strftime(format TEXT, at TEXT, modifier TEXT DEFAULT NULL) RETURNS TEXT
LANGUAGE plpgsql STABLE AS $$
DECLARE
    moment TIMESTAMPTZ;
BEGIN
    IF format <> '%Y-%m-%dT%H:%M:%fZ' THEN
        RAISE EXCEPTION 'strftime: only the format %%Y-%%m-%%dT%%H:%%M:%%fZ is supported, not %', format;
    END IF;
    IF at = 'now' THEN
        moment := statement_timestamp();
    ELSE
        moment := at::TIMESTAMPTZ;
    END IF;
    IF modifier IS NOT NULL THEN
        moment := moment + modifier::INTERVAL;
    END IF;
    RETURN to_char(moment AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
END
$$;

-- Key/value state the bot keeps about itself (e.g. the hash of the last command sync).
CREATE TABLE bot_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Per-guild configuration. Feature issues add their columns through later migrations.
CREATE TABLE guild_settings (
    guild_id            BIGINT PRIMARY KEY,
    dialogue_channel_id BIGINT,
    mod_channel_id      BIGINT,
    facilitator_role_id BIGINT,
    moderator_role_id   BIGINT,
    locale              TEXT,
    updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
