-- Return shipping quotes: the rate card prices a parcel by route and weight. Orders say where
-- they were sent from and to (ISO 3166-1 alpha-2), lines what one item weighs. Orders recorded
-- before this have neither, and their returns are not quoted.
ALTER TABLE orders ADD COLUMN ships_from TEXT;
ALTER TABLE orders ADD COLUMN ships_to TEXT;
ALTER TABLE order_lines ADD COLUMN weight_grams INTEGER;
