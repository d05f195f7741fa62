-- A case keeps the policy it was filed under: its deadlines never move when the operator's
-- policy file changes. Policies are stored once, under the SHA-256 of their JSON. A case filed
-- before this (NULL) was filed under DOMAIN.md's defaults, the only policy there was.
CREATE TABLE policies (
    sha256   TEXT PRIMARY KEY,
    document TEXT NOT NULL
);
ALTER TABLE cases ADD COLUMN policy_sha256 TEXT REFERENCES policies (sha256);
