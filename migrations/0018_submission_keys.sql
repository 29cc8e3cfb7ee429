-- A reply form's submission key: issued when the form opens (it rides in the form's custom_id),
-- stored with the reply it created. A member who presses Submit again on the same form (the bot
-- was killed, stopped or slow before it answered) gets the first reply's receipt, not a copy.
ALTER TABLE replies ADD COLUMN submission_key TEXT;
CREATE UNIQUE INDEX replies_submission_key ON replies (author_key, submission_key)
    WHERE submission_key IS NOT NULL;
