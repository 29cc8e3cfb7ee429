-- Queue item keys say what the item is: held:12, report:7, appeal:3, paired:5 (they were
-- r:, p:, a:, c:). Buttons already posted with the old keys still work: the bot reads both.
UPDATE queue_resolutions SET item_key = CASE substr(item_key, 1, 2)
        WHEN 'r:' THEN 'held:' WHEN 'p:' THEN 'report:' WHEN 'a:' THEN 'appeal:' ELSE 'paired:'
    END || substr(item_key, 3)
    WHERE substr(item_key, 1, 2) IN ('r:', 'p:', 'a:', 'c:');
UPDATE queue_announcements SET item_key = CASE substr(item_key, 1, 2)
        WHEN 'r:' THEN 'held:' WHEN 'p:' THEN 'report:' WHEN 'a:' THEN 'appeal:' ELSE 'paired:'
    END || substr(item_key, 3)
    WHERE substr(item_key, 1, 2) IN ('r:', 'p:', 'a:', 'c:');
UPDATE paired_actions SET item_key = CASE substr(item_key, 1, 2)
        WHEN 'r:' THEN 'held:' WHEN 'p:' THEN 'report:' WHEN 'a:' THEN 'appeal:' ELSE 'paired:'
    END || substr(item_key, 3)
    WHERE substr(item_key, 1, 2) IN ('r:', 'p:', 'a:', 'c:');
