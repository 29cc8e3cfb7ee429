-- Circles: small mixed groups (issue 12). Members volunteer (circle_volunteers), facilitators
-- form circles from the volunteers; each circle is a private thread in the dialogue channel.
-- Discord user ids are stored because the bot must add each member to their circle's private
-- thread; they are exported and erased by /mydata and removed when a member leaves.
CREATE TABLE circle_volunteers (
    guild_id     BIGINT NOT NULL,
    user_id      BIGINT NOT NULL,
    community_id BIGINT REFERENCES communities(id) ON DELETE CASCADE,
    role         TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'facilitator')),
    joined_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (guild_id, user_id)
);
CREATE TABLE circles (
    id           INTEGER PRIMARY KEY,
    guild_id     BIGINT NOT NULL,
    number       INTEGER NOT NULL,
    thread_id    BIGINT,
    formed_by    BIGINT NOT NULL,
    formed_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    dissolved_at TEXT
);
CREATE INDEX circles_by_guild ON circles (guild_id, id);
CREATE TABLE circle_members (
    circle_id    BIGINT NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL,
    community_id BIGINT,
    role         TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'facilitator')),
    PRIMARY KEY (circle_id, user_id)
);
CREATE INDEX circle_members_by_user ON circle_members (user_id);
-- The round's excerpt as posted in a circle's thread (one post per circle and round).
CREATE TABLE circle_posts (
    circle_id  BIGINT NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
    round_id   BIGINT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    message_id BIGINT,
    PRIMARY KEY (circle_id, round_id)
);
-- A reply (or response) written inside a circle: published in the circle's thread, never in
-- the round's public thread, digest or reading view. NULL: a public reply.
ALTER TABLE replies ADD COLUMN circle_id BIGINT REFERENCES circles(id) ON DELETE CASCADE;
CREATE INDEX replies_by_circle ON replies (circle_id) WHERE circle_id IS NOT NULL;
