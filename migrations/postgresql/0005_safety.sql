-- Participant safety: retention of closed rounds, and the bookkeeping of /mydata requests.
--
-- A member's requests are keyed by an HMAC of the member (``Pseudonymizer.member_key``), never
-- by the raw Discord id: a copy of this table says that *someone* exported, not who.

-- Days after a round closes before its replies (with their endorsements, edit history and
-- participant numbers) are deleted. NULL: kept until deleted by hand (the default).
ALTER TABLE guild_settings ADD COLUMN retention_days BIGINT
    CHECK (retention_days IS NULL OR retention_days BETWEEN 1 AND 3650);

CREATE TABLE privacy_requests (
    member_key TEXT NOT NULL,
    action     TEXT NOT NULL CHECK (action IN ('export', 'delete')),
    last_at    TEXT NOT NULL,
    PRIMARY KEY (member_key, action)
);
