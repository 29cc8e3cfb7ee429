-- A pending notice is kept as message ids with parameters (JSON), so it is shown in the
-- member's language when delivered. ``text`` keeps the English rendering; rows written before
-- this migration have no ``message`` and are shown as their text.
ALTER TABLE pending_notices ADD COLUMN message TEXT;
