-- A legal entity's meter stands on one of its contract's metering points (seed 000 §4.4:
-- «точки обліку»): which point the meter measures, shown on its card and in the list.
ALTER TABLE meters ADD COLUMN metering_point_id bigint REFERENCES metering_points (id) ON DELETE SET NULL;
CREATE INDEX meters_metering_point_idx ON meters (metering_point_id) WHERE metering_point_id IS NOT NULL;
