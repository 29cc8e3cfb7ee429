-- A reply's number within its round, so that "R2-4" (reply 4 of round 2) is the one reference
-- members and moderators quote: under the reply, in the queue, in the mod log, in /mod reveal
-- (issue 13 item 9). The round counts its replies; the count is the last number drawn, so a
-- number is never given twice even after a reply is deleted. Drafts have no number until
-- they are submitted. Existing replies are numbered in the order they were written.
ALTER TABLE replies ADD COLUMN number INTEGER;
ALTER TABLE rounds ADD COLUMN reply_count INTEGER NOT NULL DEFAULT 0;

UPDATE replies SET number = (
    SELECT COUNT(*) FROM replies p
    WHERE p.round_id = replies.round_id AND p.status <> 'draft' AND p.id <= replies.id
)
WHERE status <> 'draft';

UPDATE rounds SET reply_count =
    COALESCE((SELECT MAX(r.number) FROM replies r WHERE r.round_id = rounds.id), 0);

CREATE UNIQUE INDEX replies_round_number ON replies (round_id, number) WHERE number IS NOT NULL;
