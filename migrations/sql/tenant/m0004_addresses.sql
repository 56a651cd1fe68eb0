-- Addresses (seed 001 §2.1): locality (with country, region, district) → street →
-- building → premises. Buildings and premises carry the facts billing uses: areas,
-- floors, entrances, risers, lifts; premises' areas keep a dated history.
CREATE TABLE localities (
    id       serial PRIMARY KEY,
    country  text NOT NULL DEFAULT 'UA',
    region   text NOT NULL DEFAULT '',
    district text NOT NULL DEFAULT '',
    name     text NOT NULL,
    CONSTRAINT localities_name_key UNIQUE (country, region, district, name)
);

CREATE TABLE streets (
    id          serial PRIMARY KEY,
    locality_id integer NOT NULL REFERENCES localities (id),
    kind        text NOT NULL DEFAULT 'street',
    name        text NOT NULL,
    CONSTRAINT streets_name_key UNIQUE (locality_id, kind, name),
    CONSTRAINT streets_kind_check CHECK (kind IN ('street', 'avenue', 'lane', 'square', 'boulevard', 'district', 'road', 'other'))
);

CREATE TABLE buildings (
    id          serial PRIMARY KEY,
    street_id   integer NOT NULL REFERENCES streets (id),
    number      text NOT NULL,
    branch_id   integer REFERENCES branches (id),
    floors      integer,
    entrances   integer,
    year_built  integer,
    lifts       integer NOT NULL DEFAULT 0,
    total_area  numeric(14, 4),
    living_area numeric(14, 4),
    common_area numeric(14, 4),
    CONSTRAINT buildings_number_key UNIQUE (street_id, number),
    CONSTRAINT buildings_counts_check CHECK (coalesce(floors, 1) > 0 AND coalesce(entrances, 1) > 0 AND lifts >= 0),
    CONSTRAINT buildings_areas_check CHECK (coalesce(total_area, 0) >= 0 AND coalesce(living_area, 0) >= 0 AND coalesce(common_area, 0) >= 0)
);

CREATE TABLE premises (
    id          bigserial PRIMARY KEY,
    building_id integer NOT NULL REFERENCES buildings (id),
    number      text NOT NULL,
    kind        text NOT NULL DEFAULT 'apartment',
    floor       integer,
    entrance    integer,
    riser       integer,
    rooms       integer,
    stove_type  text NOT NULL DEFAULT 'none',
    CONSTRAINT premises_number_key UNIQUE (building_id, number),
    CONSTRAINT premises_kind_check CHECK (kind IN ('apartment', 'non_residential')),
    CONSTRAINT premises_stove_check CHECK (stove_type IN ('gas', 'electric', 'none'))
);

-- Areas of premises, dated: the row in force on a day is the latest valid_from <= that day.
CREATE TABLE premises_areas (
    premises_id bigint NOT NULL REFERENCES premises (id) ON DELETE CASCADE,
    valid_from  date NOT NULL,
    total_area  numeric(14, 4) NOT NULL,
    living_area numeric(14, 4),
    heated_area numeric(14, 4),
    PRIMARY KEY (premises_id, valid_from),
    CONSTRAINT premises_areas_check CHECK (total_area > 0 AND coalesce(living_area, 0) >= 0 AND coalesce(heated_area, 0) >= 0)
);

CREATE INDEX premises_building_idx ON premises (building_id);
CREATE INDEX buildings_street_idx ON buildings (street_id);
CREATE INDEX streets_locality_idx ON streets (locality_id);
