-- Windows counted in days end at midnight in the buyer's time zone when ordering.
ALTER TABLE orders ADD COLUMN utc_offset_minutes INTEGER NOT NULL DEFAULT 0;
-- The rules engine's state machine replaced the foundation's two states: a refund approved at
-- filing is issued at once, and the case is then resolved.
UPDATE return_cases SET state = 'resolved' WHERE state = 'refund_approved';
