-- Index only the replies that are looked up by status or message: held replies (the
-- moderation queue), drafts (the daily purge) and published messages. Pending and published
-- replies, the bulk, no longer touch these indexes when they are written.
DROP INDEX replies_status;
DROP INDEX replies_message;
CREATE INDEX replies_held ON replies (round_id) WHERE status = 'held';
CREATE INDEX replies_drafts ON replies (updated_at) WHERE status = 'draft';
CREATE INDEX replies_message ON replies (message_id) WHERE message_id IS NOT NULL;
