-- Access limited to chosen buildings (seed 001 §4.2): a staff user with rows here, or in
-- user_branches, sees only the accounts of those buildings and branches (their union).
-- A building in someone's scope cannot be deleted until it is taken out of the scope.
CREATE TABLE user_buildings (
    user_id     uuid NOT NULL,
    building_id integer NOT NULL REFERENCES buildings (id),
    PRIMARY KEY (user_id, building_id)
);
CREATE INDEX user_buildings_building_idx ON user_buildings (building_id);

