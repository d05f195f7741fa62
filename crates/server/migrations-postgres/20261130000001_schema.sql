-- Retour's schema on PostgreSQL: the same tables, columns and meanings as the SQLite migrations
-- (`migrations/`) arrive at, written at once. Instants the store sorts and compares are
-- milliseconds since 1970 (BIGINT) on both engines; the order's own dates are TIMESTAMPTZ here
-- and RFC 3339 text in SQLite, both read as UTC instants. Money is BIGINT minor units, ids TEXT.
-- A later change to the schema is a migration in each folder.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('buyer', 'seller', 'mediator')),
    password_hash TEXT
);

CREATE TABLE stores (
    id       TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL REFERENCES users (id),
    name     TEXT NOT NULL
);

CREATE TABLE orders (
    id                 TEXT PRIMARY KEY,
    buyer_id           TEXT NOT NULL REFERENCES users (id),
    store_id           TEXT NOT NULL REFERENCES stores (id),
    placed_at          TIMESTAMPTZ NOT NULL,
    currency           TEXT NOT NULL,
    shipping_minor     BIGINT NOT NULL CHECK (shipping_minor >= 0),
    fulfillment        TEXT NOT NULL
        CHECK (fulfillment IN ('not_shipped', 'group_buy_waiting', 'shipped', 'delivered')),
    group_buy_since    TIMESTAMPTZ,
    shipped_at         TIMESTAMPTZ,
    promised_by        TIMESTAMPTZ,
    delivered_at       TIMESTAMPTZ,
    utc_offset_minutes INTEGER NOT NULL DEFAULT 0,
    tracking_number    TEXT,
    ships_from         TEXT,
    ships_to           TEXT
);
CREATE INDEX orders_buyer ON orders (buyer_id, placed_at);
CREATE INDEX orders_tracking ON orders (tracking_number);

CREATE TABLE order_lines (
    id               TEXT PRIMARY KEY,
    order_id         TEXT NOT NULL REFERENCES orders (id),
    position         BIGINT NOT NULL,
    title            TEXT NOT NULL,
    category         TEXT NOT NULL,
    no_returns       BOOLEAN NOT NULL DEFAULT FALSE,
    quantity         BIGINT NOT NULL CHECK (quantity > 0),
    unit_price_minor BIGINT NOT NULL CHECK (unit_price_minor >= 0),
    weight_grams     BIGINT,
    UNIQUE (order_id, position)
);

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

CREATE TABLE policies (
    sha256   TEXT PRIMARY KEY,
    document TEXT NOT NULL
);

CREATE TABLE cases (
    id              TEXT PRIMARY KEY,
    order_id        TEXT NOT NULL REFERENCES orders (id),
    buyer_id        TEXT NOT NULL REFERENCES users (id),
    store_id        TEXT NOT NULL REFERENCES stores (id),
    idempotency_key TEXT NOT NULL,
    resolution      TEXT NOT NULL,
    -- The rules crate's `Case` as JSON: the one source of truth; the columns below are copies.
    document        TEXT NOT NULL,
    state           TEXT NOT NULL,
    reason          TEXT NOT NULL,
    version         BIGINT NOT NULL,
    refund_minor    BIGINT NOT NULL,
    currency        TEXT NOT NULL,
    filed_at        BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    deadline_at     BIGINT,
    deadline_party  TEXT,
    escalated_at    BIGINT,
    settled_at      BIGINT,
    request_sha256  TEXT,
    return_tracking TEXT,
    policy_sha256   TEXT REFERENCES policies (sha256),
    UNIQUE (buyer_id, idempotency_key)
);
CREATE INDEX cases_store_deadline ON cases (store_id, deadline_at, id);
CREATE INDEX cases_store_filed ON cases (store_id, filed_at, id);
CREATE INDEX cases_deadline ON cases (deadline_at);
CREATE INDEX cases_buyer ON cases (buyer_id, filed_at);
CREATE INDEX cases_escalated ON cases (escalated_at, deadline_at);
CREATE INDEX cases_return_tracking ON cases (return_tracking);

CREATE TABLE case_lines (
    line_id TEXT PRIMARY KEY REFERENCES order_lines (id),
    case_id TEXT NOT NULL REFERENCES cases (id)
);
CREATE INDEX case_lines_case ON case_lines (case_id);

CREATE TABLE case_events (
    case_id   TEXT NOT NULL REFERENCES cases (id),
    seq       BIGINT NOT NULL,
    at        BIGINT NOT NULL,
    actor     TEXT NOT NULL,
    user_id   TEXT REFERENCES users (id),
    kind      TEXT NOT NULL,
    missed_by TEXT,
    state     TEXT NOT NULL,
    body      TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);
CREATE INDEX case_events_missed ON case_events (missed_by, at);

CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the case timeline is append-only';
END;
$$;
CREATE TRIGGER case_events_no_update BEFORE UPDATE OR DELETE ON case_events
    FOR EACH ROW EXECUTE FUNCTION case_events_append_only();

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

CREATE TABLE evidence (
    id           TEXT PRIMARY KEY,
    case_id      TEXT REFERENCES cases (id),
    uploaded_by  TEXT NOT NULL REFERENCES users (id),
    party        TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    width        BIGINT NOT NULL,
    height       BIGINT NOT NULL,
    file_name    TEXT NOT NULL,
    uploaded_at  BIGINT NOT NULL
);
CREATE INDEX evidence_case ON evidence (case_id, uploaded_at);
CREATE INDEX evidence_pending ON evidence (uploaded_by, uploaded_at) WHERE case_id IS NULL;
CREATE INDEX evidence_sha256 ON evidence (sha256);

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
    stars    BIGINT NOT NULL CHECK (stars BETWEEN 1 AND 5),
    comment  TEXT NOT NULL,
    rated_at BIGINT NOT NULL
);

CREATE TABLE return_addresses (
    store_id TEXT NOT NULL REFERENCES stores (id),
    address  TEXT NOT NULL,
    used_at  BIGINT NOT NULL,
    PRIMARY KEY (store_id, address)
);

CREATE TABLE carrier_events (
    account         TEXT NOT NULL,
    id              TEXT NOT NULL,
    tracking_number TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('accepted', 'in_transit', 'out_for_delivery',
                                                    'delivered', 'delivery_failed',
                                                    'returned_to_sender')),
    at              BIGINT NOT NULL,
    location        TEXT NOT NULL,
    received_at     BIGINT NOT NULL,
    leg             TEXT CHECK (leg IN ('outbound', 'return')),
    order_id        TEXT REFERENCES orders (id),
    case_id         TEXT REFERENCES cases (id),
    PRIMARY KEY (account, id)
);
CREATE INDEX carrier_events_tracking ON carrier_events (tracking_number, at);
CREATE INDEX carrier_events_order ON carrier_events (order_id, at);
CREATE INDEX carrier_events_case ON carrier_events (case_id, at);
