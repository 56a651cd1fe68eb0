-- The recovery sweep reads the unfinished jobs only (a partial index: finished jobs, the
-- great majority, are not in it); the daily maintenance removes finished jobs older than
-- the retention by their finishing time.
CREATE INDEX jobs_unfinished_idx ON jobs (created_at) WHERE state IN ('queued', 'retrying', 'running');
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE finished_at IS NOT NULL;
-- A day's maintenance job is recorded with its day's row.
ALTER TABLE counter_runs ADD COLUMN job_id uuid;
