-- The return addresses a seller has given, offered again the next time a case needs one.
CREATE TABLE return_addresses (
    store_id TEXT NOT NULL REFERENCES stores (id),
    address  TEXT NOT NULL,
    -- Milliseconds since the epoch: the most recently used comes first.
    used_at  BIGINT NOT NULL,
    PRIMARY KEY (store_id, address)
);
