-- Notices: each event that needs a person, one row per recipient, written in the transaction that
-- records the event (a transactional outbox). The id is stable (the case, the event's place in
-- its timeline and the recipient; or the deadline a reminder is for), so a notice exists once,
-- and its e-mail carries it as its Message-ID.
ALTER TABLE users ADD COLUMN locale TEXT;
ALTER TABLE users ADD COLUMN utc_offset_minutes INTEGER NOT NULL DEFAULT 0;
CREATE TABLE notifications (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users (id),
    case_id         TEXT NOT NULL REFERENCES cases (id),
    -- What happened: an action's code, `filed`, `auto.<what the clock did>`, `message` or
    -- `reminder`.
    kind            TEXT NOT NULL,
    -- Who did it: `buyer`, `seller`, `platform`, or `system` (the clock, a reminder).
    actor           TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    read_at         BIGINT,
    -- The e-mail: waiting to go, sent, given up on, or not wanted.
    mail            TEXT NOT NULL CHECK (mail IN ('pending', 'sent', 'failed', 'off')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until   BIGINT,
    last_error      TEXT
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
CREATE INDEX notifications_mail ON notifications (mail, next_attempt_at);
-- The e-mails a person turned off, by kind of notice; reminders and what the clock did cannot be.
CREATE TABLE mail_preferences (
    user_id TEXT NOT NULL REFERENCES users (id),
    topic   TEXT NOT NULL,
    PRIMARY KEY (user_id, topic)
);
