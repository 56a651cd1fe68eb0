-- Where a held reading came from: the subscriber's portal, or a readings file imported
-- by the office (a row far above the meter's usual month is held instead of charged).
-- Accepting enters it under that source.
ALTER TABLE held_readings ADD COLUMN source text NOT NULL DEFAULT 'portal';
ALTER TABLE held_readings ADD CONSTRAINT held_readings_source_check CHECK (source IN ('portal', 'import'));
