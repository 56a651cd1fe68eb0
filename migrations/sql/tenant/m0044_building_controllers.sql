-- The controller (meter reader) who walks a building (issue 20: the route sheet is made
-- per controller). An employee of the book marked as a controller; none: not assigned.
ALTER TABLE buildings ADD COLUMN controller_id integer REFERENCES employees (id);
CREATE INDEX buildings_controller_idx ON buildings (controller_id);
