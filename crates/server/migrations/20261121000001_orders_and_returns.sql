-- Orders and return cases. Portable SQL: PostgreSQL gets the same tables (TIMESTAMPTZ for the
-- TEXT instants, which sqlx writes as RFC 3339 in UTC here).

CREATE TABLE users (
    id           TEXT PRIMARY KEY,
    email        TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('buyer', 'seller', 'mediator'))
);

CREATE TABLE stores (
    id       TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL REFERENCES users (id),
    name     TEXT NOT NULL
);

CREATE TABLE orders (
    id              TEXT PRIMARY KEY,
    buyer_id        TEXT NOT NULL REFERENCES users (id),
    store_id        TEXT NOT NULL REFERENCES stores (id),
    placed_at       TEXT NOT NULL,
    currency        TEXT NOT NULL,
    shipping_minor  BIGINT NOT NULL CHECK (shipping_minor >= 0),
    fulfillment     TEXT NOT NULL
        CHECK (fulfillment IN ('not_shipped', 'group_buy_waiting', 'shipped', 'delivered')),
    group_buy_since TEXT,
    shipped_at      TEXT,
    promised_by     TEXT,
    delivered_at    TEXT
);
CREATE INDEX orders_buyer ON orders (buyer_id, placed_at);

CREATE TABLE order_lines (
    id               TEXT PRIMARY KEY,
    order_id         TEXT NOT NULL REFERENCES orders (id),
    position         INTEGER NOT NULL,
    title            TEXT NOT NULL,
    category         TEXT NOT NULL,
    no_returns       BOOLEAN NOT NULL DEFAULT FALSE,
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_minor BIGINT NOT NULL CHECK (unit_price_minor >= 0),
    UNIQUE (order_id, position)
);

CREATE TABLE return_cases (
    id           TEXT PRIMARY KEY,
    order_id     TEXT NOT NULL REFERENCES orders (id),
    state        TEXT NOT NULL,
    reason       TEXT NOT NULL,
    resolution   TEXT NOT NULL,
    refund_minor BIGINT NOT NULL CHECK (refund_minor >= 0),
    currency     TEXT NOT NULL,
    description  TEXT NOT NULL,
    explanation  TEXT NOT NULL, -- the verdict's explanation at filing, as JSON
    created_at   TEXT NOT NULL
);
CREATE INDEX return_cases_order ON return_cases (order_id);
CREATE INDEX return_cases_created ON return_cases (created_at);

CREATE TABLE return_case_lines (
    case_id  TEXT NOT NULL REFERENCES return_cases (id),
    line_id  TEXT NOT NULL REFERENCES order_lines (id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (case_id, line_id)
);
