-- Accounts, sessions, and cases as the rules crate keeps them. Portable SQL: instants the server
-- sorts or compares are BIGINT milliseconds since 1970 (UTC), booleans are 0/1 checks, and the
-- only SQLite-specific statements are the append-only triggers at the end, which PostgreSQL writes
-- as a trigger function.

-- NULL: the account cannot sign in (accounts made before sign-in existed).
ALTER TABLE users ADD COLUMN password_hash TEXT;

CREATE TABLE sessions (
    -- SHA-256 of the cookie's token: a copy of the database does not sign anyone in.
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- The foundation's summary rows cannot become full cases (their history was never kept): they
-- stay, renamed, so nothing is lost.
ALTER TABLE return_case_lines RENAME TO legacy_return_case_lines;
ALTER TABLE return_cases RENAME TO legacy_return_cases;

CREATE TABLE cases (
    id              TEXT PRIMARY KEY,
    order_id        TEXT NOT NULL REFERENCES orders (id),
    buyer_id        TEXT NOT NULL REFERENCES users (id),
    store_id        TEXT NOT NULL REFERENCES stores (id),
    -- The filing's key: a retried or double-clicked submit finds the case it already made.
    idempotency_key TEXT NOT NULL,
    -- The resolution the buyer asked for at filing.
    resolution      TEXT NOT NULL,
    -- The rules crate's `Case` as JSON: the one source of truth. The columns below are copies
    -- of it for filtering and sorting, written in the same statement.
    document        TEXT NOT NULL,
    state           TEXT NOT NULL,
    reason          TEXT NOT NULL,
    version         BIGINT NOT NULL,
    refund_minor    BIGINT NOT NULL,
    currency        TEXT NOT NULL,
    filed_at        BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    -- The next deadline and whose inaction it punishes; NULL once closed.
    deadline_at     BIGINT,
    deadline_party  TEXT,
    -- First escalation: from then on the mediator may read the case.
    escalated_at    BIGINT,
    -- When the outcome was settled (resolved or closed).
    settled_at      BIGINT,
    UNIQUE (buyer_id, idempotency_key)
);
CREATE INDEX cases_store_deadline ON cases (store_id, deadline_at, id);
CREATE INDEX cases_store_filed ON cases (store_id, filed_at, id);
CREATE INDEX cases_deadline ON cases (deadline_at);
CREATE INDEX cases_buyer ON cases (buyer_id, filed_at);
CREATE INDEX cases_escalated ON cases (escalated_at, deadline_at);

-- The timeline: every event the rules produced, in order, never changed.
CREATE TABLE case_events (
    case_id  TEXT NOT NULL REFERENCES cases (id),
    seq      BIGINT NOT NULL,
    at       BIGINT NOT NULL,
    -- buyer, seller, platform or system
    actor    TEXT NOT NULL,
    -- The signed-in person who acted; NULL for the system.
    user_id  TEXT REFERENCES users (id),
    -- filed, an action code, or auto.<code> for what the clock did
    kind     TEXT NOT NULL,
    -- For the clock's actions: the party whose deadline passed.
    missed_by TEXT,
    -- The case state afterwards.
    state    TEXT NOT NULL,
    -- The rules crate's `Event` as JSON.
    body     TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);
CREATE INDEX case_events_missed ON case_events (missed_by, at);

-- Every proposal ever made (the case holds only the standing ones).
CREATE TABLE proposals (
    case_id                 TEXT NOT NULL REFERENCES cases (id),
    seq                     BIGINT NOT NULL,
    party                   TEXT NOT NULL,
    resolution              TEXT NOT NULL,
    refund_minor            BIGINT NOT NULL,
    currency                TEXT NOT NULL,
    return_shipping_paid_by TEXT,
    note                    TEXT NOT NULL,
    made_at                 BIGINT NOT NULL,
    PRIMARY KEY (case_id, seq),
    FOREIGN KEY (case_id, seq) REFERENCES case_events (case_id, seq)
);

-- Photos and documents, stored content-addressed under the data directory.
CREATE TABLE evidence (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    uploaded_by  TEXT NOT NULL REFERENCES users (id),
    party        TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    file_name    TEXT NOT NULL,
    uploaded_at  BIGINT NOT NULL
);
CREATE INDEX evidence_case ON evidence (case_id, uploaded_at);

CREATE TABLE messages (
    id        TEXT PRIMARY KEY,
    case_id   TEXT NOT NULL REFERENCES cases (id),
    author_id TEXT NOT NULL REFERENCES users (id),
    party     TEXT NOT NULL,
    body      TEXT NOT NULL,
    sent_at   BIGINT NOT NULL
);
CREATE INDEX messages_case ON messages (case_id, sent_at);

CREATE TABLE ratings (
    case_id  TEXT PRIMARY KEY REFERENCES cases (id),
    stars    INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    comment  TEXT NOT NULL,
    rated_at BIGINT NOT NULL
);

-- The timeline is append-only: the database refuses to change or remove an entry.
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'the case timeline is append-only');
END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'the case timeline is append-only');
END;
