-- Submission keys for the forms that change a reply (rephrase a draft, edit a reply), as
-- 0018 did for the new-reply form: the key is issued when the form opens (it rides in the
-- form's custom_id) and stored in the change's own transaction with the outcome it had. A
-- member who presses Submit again on the same form (the bot was killed, stopped or slow before
-- it answered) gets the first change's receipt, and nothing is written twice. No content and
-- no member id: a reply id, a random key and an outcome word. Responses are reply rows, so
-- they use 0018's column.
CREATE TABLE reply_changes (
    reply_id       BIGINT NOT NULL REFERENCES replies (id) ON DELETE CASCADE,
    submission_key TEXT NOT NULL,
    outcome        TEXT NOT NULL,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (reply_id, submission_key)
);
