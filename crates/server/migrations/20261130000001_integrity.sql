-- Integrity under concurrency: the database itself refuses a second case for an item, a reused
-- filing key with another body, and evidence that belongs to nobody's case yet is kept apart.

-- One row per order line in a case: the primary key is the rule "one case per item". A filing
-- writes its lines in the same transaction as the case, so of twenty simultaneous filings for
-- one line exactly one commits.
CREATE TABLE case_lines (
    line_id TEXT PRIMARY KEY REFERENCES order_lines (id),
    case_id TEXT NOT NULL REFERENCES cases (id)
);
CREATE INDEX case_lines_case ON case_lines (case_id);
-- Cases filed before the constraint: the earliest case keeps each line.
INSERT OR IGNORE INTO case_lines (line_id, case_id)
SELECT json_extract(l.value, '$.line_id'), c.id
FROM cases c, json_each(c.document, '$.lines') l
ORDER BY c.filed_at, c.id;

-- SHA-256 of the filing's body: the same Idempotency-Key with another body is refused instead of
-- silently answering the first case. NULL for cases filed before it was kept.
ALTER TABLE cases ADD COLUMN request_sha256 TEXT;

-- Evidence may now arrive before its case (photos the filing needs are uploaded first and cited
-- by it): `case_id` is NULL until a filing takes the photo.
CREATE TABLE evidence_v2 (
    id           TEXT PRIMARY KEY,
    case_id      TEXT REFERENCES cases (id),
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
INSERT INTO evidence_v2 (id, case_id, uploaded_by, party, sha256, content_type, size_bytes,
                         width, height, file_name, uploaded_at)
SELECT id, case_id, uploaded_by, party, sha256, content_type, size_bytes, width, height,
       file_name, uploaded_at
FROM evidence;
DROP TABLE evidence;
ALTER TABLE evidence_v2 RENAME TO evidence;
CREATE INDEX evidence_case ON evidence (case_id, uploaded_at);
CREATE INDEX evidence_pending ON evidence (uploaded_by, uploaded_at) WHERE case_id IS NULL;
CREATE INDEX evidence_sha256 ON evidence (sha256);
