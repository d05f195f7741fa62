-- Parcels as carriers report them: the order's outbound tracking number, each case's return
-- tracking number (a copy of the case document's, for matching), and every event received.

ALTER TABLE orders ADD COLUMN tracking_number TEXT;
CREATE INDEX orders_tracking ON orders (tracking_number);

ALTER TABLE cases ADD COLUMN return_tracking TEXT;
UPDATE cases SET return_tracking = json_extract(document, '$.return_tracking.number');
CREATE INDEX cases_return_tracking ON cases (return_tracking);

CREATE TABLE carrier_events (
    -- The carrier account that signed it, and the carrier's id: an event counts once.
    account         TEXT NOT NULL,
    id              TEXT NOT NULL,
    -- Upper case, without spaces or dashes.
    tracking_number TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('accepted', 'in_transit', 'out_for_delivery',
                                                    'delivered', 'delivery_failed',
                                                    'returned_to_sender')),
    at              BIGINT NOT NULL,
    location        TEXT NOT NULL,
    received_at     BIGINT NOT NULL,
    -- The parcel it was matched to; NULL until a tracking number given later matches it.
    leg             TEXT CHECK (leg IN ('outbound', 'return')),
    order_id        TEXT REFERENCES orders (id),
    case_id         TEXT REFERENCES cases (id),
    PRIMARY KEY (account, id)
);
CREATE INDEX carrier_events_tracking ON carrier_events (tracking_number, at);
CREATE INDEX carrier_events_order ON carrier_events (order_id, at);
CREATE INDEX carrier_events_case ON carrier_events (case_id, at);
