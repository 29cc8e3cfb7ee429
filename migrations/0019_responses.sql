-- Responses: a response is a reply row that answers another reply (``parent_reply_id``), so it
-- goes through the same pipeline (sanitize, civility, commit, outbox, publish), the same
-- moderation queue, export, deletion and retention. No foreign key: a reply deleted by
-- /mydata delete or retention takes its responses' link with it (they are deleted or
-- unpublished by the code that deletes it).
ALTER TABLE replies ADD COLUMN parent_reply_id BIGINT;
CREATE INDEX replies_parent ON replies (parent_reply_id) WHERE parent_reply_id IS NOT NULL;
