-- Civility (issue 5): per-guild policy, terms, allow-list and link settings.
-- The seed lexicon ships in bot/data/lexicon.json; these tables hold only what moderators change.
-- term_key is the term's normalized form (bot.civility.lexicon.term_words), so "F.U.C.K" and
-- "fuck" are one term.

CREATE TABLE civility_policy (
    guild_id   INTEGER NOT NULL,
    category   TEXT NOT NULL,
    action     TEXT NOT NULL CHECK (action IN ('allow', 'nudge', 'hold', 'block')),
    updated_by INTEGER,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (guild_id, category)
);

CREATE TABLE civility_terms (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    term       TEXT NOT NULL,
    term_key   TEXT NOT NULL,
    category   TEXT NOT NULL,
    added_by   INTEGER NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (guild_id, term_key)
);

CREATE TABLE civility_allow (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    term       TEXT NOT NULL,
    term_key   TEXT NOT NULL,
    added_by   INTEGER NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (guild_id, term_key)
);

CREATE TABLE civility_link_settings (
    guild_id   INTEGER PRIMARY KEY,
    policy     TEXT NOT NULL CHECK (policy IN ('any', 'allowlist', 'none')),
    updated_by INTEGER,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE civility_link_domains (
    guild_id   INTEGER NOT NULL,
    domain     TEXT NOT NULL,
    added_by   INTEGER NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (guild_id, domain)
);
