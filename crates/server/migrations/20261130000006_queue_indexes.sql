-- The queue at scale: pages in deadline order read in index order from the cursor on (the
-- expression is the queue's own sort key), with or without a state filter, and per-store counts
-- by state read from the index alone.
CREATE INDEX cases_store_sort ON cases (store_id, COALESCE(deadline_at, 9223372036854775807), id);
CREATE INDEX cases_store_state_sort
    ON cases (store_id, state, COALESCE(deadline_at, 9223372036854775807), id);
