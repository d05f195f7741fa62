-- Short case numbers that people read, say and type ("3001"); the opaque id stays internal.
-- Existing cases are numbered in filing order; new ones take the next number from `counters`,
-- in the transaction that files them, so a filing rolled back takes no number.
ALTER TABLE cases ADD COLUMN number BIGINT;
-- One pass, numbered by a window over the whole table (not a count per case).
UPDATE cases SET number = 3000 + filed.position
FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY filed_at, id) AS position FROM cases) AS filed
WHERE filed.id = cases.id;
CREATE UNIQUE INDEX cases_number ON cases (number);
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) SELECT 'case_number', COALESCE(MAX(number), 3000) FROM cases;
-- Whose move it is: nobody's while the return travels, the refund is paid or only the optional
-- rating is left (`rules::whose_move`), though those steps have deadlines too.
UPDATE cases SET deadline_party = NULL
WHERE state IN ('return_in_transit', 'refund_due', 'resolved');
