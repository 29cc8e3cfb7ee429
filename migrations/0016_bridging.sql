-- Bridging (issue 11). The signal is the endorsements table itself: one row per voter key per
-- reply holding the latest press (a new press replaces the kind and its time, taking it back
-- deletes the row), so "latest press wins" needs no new table. What is new:
--   * each reply's last bridging status, so a status is damped (it does not flip on one vote);
--   * the replies a reader skipped in "Read replies", keyed by the reader's per-round voter key;
--   * a server's bridging options (daily notice, minimum votes) and when the notice last ran.
-- No member id is stored: readers are keyed hashes, like voters.
CREATE TABLE bridging_status (
    reply_id   BIGINT NOT NULL PRIMARY KEY REFERENCES replies (id) ON DELETE CASCADE,
    round_id   BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    status     TEXT NOT NULL CHECK (status IN
                   ('bridging', 'needs-perspectives', 'one-sided', 'not-yet')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX bridging_status_round ON bridging_status (round_id);

CREATE TABLE bridging_skips (
    round_id   BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    reader_key TEXT NOT NULL,
    reply_id   BIGINT NOT NULL REFERENCES replies (id) ON DELETE CASCADE,
    PRIMARY KEY (round_id, reader_key, reply_id)
);

CREATE TABLE bridging_settings (
    guild_id    BIGINT NOT NULL PRIMARY KEY,
    notices     INTEGER NOT NULL DEFAULT 0,
    min_votes   INTEGER,
    last_notice TEXT
);
