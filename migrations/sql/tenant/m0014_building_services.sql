-- The services a building is provided with (building card, seed 000 §4.5), and sanity
-- bounds of the building and apartment cards.
CREATE TABLE building_services (
    building_id integer NOT NULL REFERENCES buildings (id) ON DELETE CASCADE,
    service_id  integer NOT NULL REFERENCES services (id),
    PRIMARY KEY (building_id, service_id)
);
CREATE INDEX building_services_service_idx ON building_services (service_id);

ALTER TABLE buildings
    ADD CONSTRAINT buildings_year_check CHECK (year_built IS NULL OR year_built BETWEEN 1700 AND 2100),
    ADD CONSTRAINT buildings_living_area_check CHECK (living_area IS NULL OR total_area IS NULL OR living_area <= total_area);
ALTER TABLE premises
    ADD CONSTRAINT premises_rooms_check CHECK (rooms IS NULL OR rooms BETWEEN 0 AND 50),
    ADD CONSTRAINT premises_floor_check CHECK (floor IS NULL OR floor BETWEEN -5 AND 200);
