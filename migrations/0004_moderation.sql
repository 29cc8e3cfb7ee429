-- Moderation: reports, one review queue, numbered cases, warnings with an escalation ladder,
-- appeals, paired moderation and notices that wait for members whose DMs are closed.
--
-- Data minimization: a report on a message that is not a dialogue reply stores the message's
-- ids and its author's id, never its content. Reply authors stay sealed in ``replies``.
--
-- Expiries (warnings, timeouts) are ``cases.expires_at`` of active cases: the cases table is the
-- timer table, so nothing can drift between the two and expiries survive restarts.

CREATE TABLE moderation_settings (
    guild_id     INTEGER PRIMARY KEY,
    warning_days INTEGER NOT NULL DEFAULT 30 CHECK (warning_days BETWEEN 1 AND 365),
    ladder       TEXT,   -- JSON list of steps; NULL means the default ladder
    paired       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE reports (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    reply_id    INTEGER REFERENCES replies (id) ON DELETE CASCADE,
    channel_id  INTEGER,
    message_id  INTEGER,
    author_id   INTEGER,   -- only for messages that are not replies
    reporter_id INTEGER NOT NULL,
    category    TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    status      TEXT NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'kept', 'removed', 'dismissed')),
    resolved_by INTEGER,
    resolved_at TEXT,
    created_at  TEXT NOT NULL,
    CHECK ((reply_id IS NULL) <> (message_id IS NULL))
);
CREATE UNIQUE INDEX reports_one_open_per_member ON reports
    (guild_id, COALESCE(reply_id, 0), COALESCE(message_id, 0), reporter_id) WHERE status = 'open';
CREATE INDEX reports_open ON reports (guild_id, status);

-- Who acted first on a queue item ("r:<reply>", "p:<report>", "a:<appeal>", "c:<paired>").
CREATE TABLE queue_resolutions (
    guild_id    INTEGER NOT NULL,
    item_key    TEXT NOT NULL,
    action      TEXT NOT NULL,
    resolved_by INTEGER NOT NULL,
    resolved_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, item_key)
);

-- Queue items already posted to the mod channel (so each is announced once).
CREATE TABLE queue_announcements (
    guild_id   INTEGER NOT NULL,
    item_key   TEXT NOT NULL,
    message_id INTEGER,
    PRIMARY KEY (guild_id, item_key)
);

CREATE TABLE cases (
    id                INTEGER PRIMARY KEY,
    guild_id          INTEGER NOT NULL,
    number            INTEGER NOT NULL,
    type              TEXT NOT NULL,
    target_id         INTEGER,
    target_tombstoned INTEGER NOT NULL DEFAULT 0,
    moderator_id      INTEGER NOT NULL,
    confirmed_by      INTEGER,
    reason            TEXT NOT NULL DEFAULT '',
    reply_id          INTEGER,   -- no foreign key: a case outlives the reply it is about
    report_id         INTEGER,
    related_case      INTEGER,   -- the number of the case an appeal, pardon or untimeout is about
    created_at        TEXT NOT NULL,
    expires_at        TEXT,
    active            INTEGER NOT NULL DEFAULT 1,
    UNIQUE (guild_id, number)
);
CREATE INDEX cases_target ON cases (guild_id, target_id);
CREATE INDEX cases_expiring ON cases (expires_at) WHERE active = 1 AND expires_at IS NOT NULL;

CREATE TABLE reason_edits (
    id        INTEGER PRIMARY KEY,
    case_id   INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    previous  TEXT NOT NULL,
    edited_by INTEGER NOT NULL,
    edited_at TEXT NOT NULL
);

CREATE TABLE pending_notices (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    case_id      INTEGER REFERENCES cases (id) ON DELETE CASCADE,
    text         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    delivered_at TEXT
);
CREATE INDEX pending_notices_user ON pending_notices (guild_id, user_id) WHERE delivered_at IS NULL;

CREATE TABLE appeals (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    case_id    INTEGER NOT NULL UNIQUE REFERENCES cases (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL,
    reason     TEXT NOT NULL CHECK (length(reason) <= 1000),
    status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'overturned')),
    decided_by INTEGER,
    decided_at TEXT,
    created_at TEXT NOT NULL
);

-- A removal or timeout proposed under paired moderation, waiting for a second moderator.
CREATE TABLE paired_actions (
    id                    INTEGER PRIMARY KEY,
    guild_id              INTEGER NOT NULL,
    item_key              TEXT,      -- the queue item it came from, if any
    target_id             INTEGER,
    remove                INTEGER NOT NULL DEFAULT 0,
    warn                  INTEGER NOT NULL DEFAULT 0,
    timeout_seconds       INTEGER,
    reason                TEXT NOT NULL DEFAULT '',
    proposed_by           INTEGER NOT NULL,
    proposer_community_id INTEGER,
    status                TEXT NOT NULL DEFAULT 'waiting'
                              CHECK (status IN ('waiting', 'confirmed', 'cancelled')),
    decided_by            INTEGER,
    decided_at            TEXT,
    created_at            TEXT NOT NULL
);
