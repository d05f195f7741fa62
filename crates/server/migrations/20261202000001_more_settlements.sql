-- Repairs, exchanges and store credit. An order line names the listing's variant bought (size,
-- colour) and every variant the listing offers, as a JSON array of labels (NULL: no variants).
ALTER TABLE order_lines ADD COLUMN variant TEXT;
ALTER TABLE order_lines ADD COLUMN variants TEXT;
-- Store credit the buyer accepted: one per case, written in the transaction that settles it, with
-- a code the buyer spends in the store.
CREATE TABLE store_credits (
    case_id      TEXT PRIMARY KEY REFERENCES cases (id),
    buyer_id     TEXT NOT NULL REFERENCES users (id),
    store_id     TEXT NOT NULL REFERENCES stores (id),
    code         TEXT NOT NULL UNIQUE,
    amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
    currency     TEXT NOT NULL,
    issued_at    BIGINT NOT NULL
);
CREATE INDEX store_credits_buyer ON store_credits (buyer_id, issued_at);
