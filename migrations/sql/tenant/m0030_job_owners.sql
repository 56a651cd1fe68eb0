-- Who started a job and within which reach: users see their own jobs (tenant admins with
-- the whole tenant in reach see all), a job's file goes only to whom may see all it holds,
-- and a result's object keys and recipients only to the one who started it. Jobs the
-- system starts (reminders, maintenance, one message of a mailing) have no owner.
ALTER TABLE jobs
    ADD COLUMN created_by_id uuid,
    ADD COLUMN created_by    text,
    ADD COLUMN reach         jsonb;
CREATE INDEX jobs_created_by_idx ON jobs (created_by_id, created_at DESC);
