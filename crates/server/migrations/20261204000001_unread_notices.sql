-- The header counts a person's unread notices, and a case page reads its own, at every change
-- of theirs: an index of the unread alone keeps both small however many notices a person has
-- read over the years.
CREATE INDEX notifications_unread ON notifications (user_id, case_id) WHERE read_at IS NULL;
