-- Several processes on one database (PostgreSQL): work that must happen once has one owner.
-- A lease names its holder until a time; the holder renews it while it lives, and when it
-- dies another process takes the lease over once it has expired.
CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- The outbox publisher claims the rows it works (until claimed_until), so two publishers
-- never send one reply twice; a claim left by a dead process lapses.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until TEXT;
