-- A keyed fingerprint of the pseudonym secret (HMAC-SHA256 of a fixed label under the secret),
-- recorded the first time the bot runs on this database. It reveals nothing about the secret,
-- and lets `tracktwo run` and `tracktwo check-config` tell when the bot was started with a
-- different secret, under which no stored author, voter or reporter could be found again.
CREATE TABLE secret_fingerprint (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL,
    recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
