-- The dialogue loop: prompt packs, communities, rounds, structured replies, endorsements,
-- and the outbox that publishes replies exactly once.
--
-- Privacy by design: replies and endorsements carry no Discord user id. ``author_key`` and
-- ``voter_key`` are keyed hashes (HMAC) of the member *and the round*, so the database alone
-- neither names an author nor links one author's replies across rounds. ``author_seal`` holds
-- the author's id encrypted with the same secret, for the moderators' audited reveal and for
-- telling an author about a decision.

ALTER TABLE guild_settings ADD COLUMN anonymity TEXT NOT NULL DEFAULT 'pseudonyms'
    CHECK (anonymity IN ('off', 'pseudonyms'));
ALTER TABLE guild_settings ADD COLUMN active_pack_id INTEGER;
ALTER TABLE guild_settings ADD COLUMN community_verification INTEGER NOT NULL DEFAULT 0;

CREATE TABLE packs (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER,              -- NULL: available to every server (shipped or CLI import)
    slug       TEXT NOT NULL,
    title      TEXT NOT NULL,
    author     TEXT NOT NULL,
    link       TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX packs_scope_slug ON packs (COALESCE(guild_id, 0), slug);

CREATE TABLE excerpts (
    id        INTEGER PRIMARY KEY,
    pack_id   INTEGER NOT NULL REFERENCES packs (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    text      TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 1500),
    text_hash TEXT NOT NULL,
    UNIQUE (pack_id, text_hash),
    UNIQUE (pack_id, position)
);

CREATE TABLE communities (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    name       TEXT NOT NULL COLLATE NOCASE,
    role_id    INTEGER NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (guild_id, name),
    UNIQUE (guild_id, role_id)
);

-- Membership is public on Discord (the community role); it is stored so that counts and
-- checks do not need the privileged members intent.
CREATE TABLE community_members (
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    joined_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (guild_id, user_id)
);

CREATE TABLE join_requests (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied')),
    decided_by   INTEGER,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    decided_at   TEXT
);
CREATE UNIQUE INDEX join_requests_one_pending
    ON join_requests (guild_id, user_id) WHERE status = 'pending';

CREATE TABLE rounds (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    number      INTEGER NOT NULL,
    excerpt_id  INTEGER NOT NULL REFERENCES excerpts (id),
    channel_id  INTEGER NOT NULL,
    message_id  INTEGER,
    thread_id   INTEGER,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    closed_at   TEXT,
    UNIQUE (guild_id, number)
);
CREATE INDEX rounds_thread ON rounds (thread_id);

-- "Participant N" within a round. N is drawn in order of first reply; keys are per round.
CREATE TABLE round_participants (
    round_id   INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    author_key TEXT NOT NULL,
    number     INTEGER NOT NULL,
    PRIMARY KEY (round_id, author_key),
    UNIQUE (round_id, number)
);

CREATE TABLE replies (
    id              INTEGER PRIMARY KEY,
    round_id        INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    author_key      TEXT NOT NULL,
    author_seal     TEXT NOT NULL,
    author_name     TEXT,          -- only when the server publishes names (anonymity off)
    community_id    INTEGER REFERENCES communities (id) ON DELETE SET NULL,
    community_label TEXT NOT NULL,
    brings_up       TEXT NOT NULL,
    experience      TEXT NOT NULL DEFAULT '',
    unsure          TEXT NOT NULL DEFAULT '',
    question        TEXT NOT NULL DEFAULT '',
    quote_consent   INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL CHECK (status IN
                        ('draft', 'held', 'pending', 'published', 'rejected', 'removed', 'withdrawn')),
    civility_action TEXT NOT NULL DEFAULT 'allow',
    civility_detail TEXT NOT NULL DEFAULT '[]',
    message_id      INTEGER,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX replies_round_author ON replies (round_id, author_key);
CREATE INDEX replies_status ON replies (status);
CREATE INDEX replies_message ON replies (message_id);

CREATE TABLE reply_edits (
    id         INTEGER PRIMARY KEY,
    reply_id   INTEGER NOT NULL REFERENCES replies (id) ON DELETE CASCADE,
    previous   TEXT NOT NULL,      -- JSON of the four fields before the edit
    edited_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE endorsements (
    reply_id     INTEGER NOT NULL REFERENCES replies (id) ON DELETE CASCADE,
    voter_key    TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('resonates', 'learned', 'disagree')),
    community_id INTEGER REFERENCES communities (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (reply_id, voter_key)
);

-- Work for Discord that must happen exactly once after a commit: publish, update, unpublish.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('publish', 'refresh', 'unpublish')),
    reply_id        INTEGER REFERENCES replies (id) ON DELETE CASCADE,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    done_at         TEXT
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE done_at IS NULL;

-- A submitted reply gives its author a number in the round ("Participant N"), and a reply
-- committed as pending gets its publish row: in the same statement, so neither is forgotten.
CREATE TRIGGER replies_participant_on_insert AFTER INSERT ON replies
WHEN NEW.status != 'draft'
BEGIN
    INSERT INTO round_participants (round_id, author_key, number)
    SELECT NEW.round_id, NEW.author_key, COALESCE(MAX(number), 0) + 1
    FROM round_participants WHERE round_id = NEW.round_id
    ON CONFLICT (round_id, author_key) DO NOTHING;
END;

CREATE TRIGGER replies_participant_on_submit AFTER UPDATE OF status ON replies
WHEN NEW.status != 'draft' AND OLD.status = 'draft'
BEGIN
    INSERT INTO round_participants (round_id, author_key, number)
    SELECT NEW.round_id, NEW.author_key, COALESCE(MAX(number), 0) + 1
    FROM round_participants WHERE round_id = NEW.round_id
    ON CONFLICT (round_id, author_key) DO NOTHING;
END;

CREATE TRIGGER replies_outbox_on_insert AFTER INSERT ON replies
WHEN NEW.status = 'pending'
BEGIN
    INSERT INTO outbox (guild_id, kind, reply_id)
    SELECT guild_id, 'publish', NEW.id FROM rounds WHERE id = NEW.round_id;
END;

CREATE TABLE prompt_schedules (
    guild_id      INTEGER PRIMARY KEY,
    every_hours   INTEGER NOT NULL CHECK (every_hours BETWEEN 1 AND 720),
    at_minutes    INTEGER NOT NULL CHECK (at_minutes BETWEEN 0 AND 1439),
    next_run_at   TEXT NOT NULL,
    last_run_at   TEXT
);
