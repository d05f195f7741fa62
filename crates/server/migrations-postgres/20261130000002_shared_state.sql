-- Several instances on one database: what used to live in one process's memory is here.
--
-- Sign-in attempts per key (an account, an address) in the current 15-minute window, counted
-- by every instance alike.
CREATE TABLE login_limits (
    key          TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    attempts     BIGINT NOT NULL
);
-- The sweeper claims due cases for a while, so instances never repeat each other's work (the
-- version check still guarantees each deadline is carried out once).
ALTER TABLE cases ADD COLUMN sweep_claimed_until BIGINT;
-- Evidence photos kept in the database, for instances that share no disk.
CREATE TABLE photo_files (
    sha256 TEXT PRIMARY KEY,
    bytes  BYTEA NOT NULL
);
