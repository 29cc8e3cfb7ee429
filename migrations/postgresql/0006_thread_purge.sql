-- A retention purge empties a round in the database and then deletes its thread on Discord.
-- The flag makes the second half survive a restart between the two.
ALTER TABLE rounds ADD COLUMN thread_purge_pending BIGINT NOT NULL DEFAULT 0;
