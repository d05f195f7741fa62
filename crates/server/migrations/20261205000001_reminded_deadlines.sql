-- The deadline whose reminder is written: the mailer's pass, every few seconds, looks only at
-- the cases due within a day that have not had theirs, not at every case due within a day.
ALTER TABLE cases ADD COLUMN reminded_deadline_at BIGINT;
