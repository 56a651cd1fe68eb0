-- The main-meter hierarchy (DOMAIN.md "Meters"): a building / group / riser / entrance
-- meter above apartment meters (or above other group meters). The rules are checked by
-- `domain::meters::check_main` before any link is written.
ALTER TABLE meters ADD COLUMN parent_id bigint REFERENCES meters (id);
CREATE INDEX meters_parent_idx ON meters (parent_id);
