-- Services and what prices them (seed 000 Fig. 14–15, seed 001 §4.1; DOMAIN.md
-- "Calculation"): units, services with calculation method and benefit rule, meter
-- catalogue, seasons, benefits with the services they cover, price lists with dated
-- tariffs (a tariff may be a sum of components), dated consumption and social norms, and
-- the dated penalty rate table. Rows in use cannot be deleted (foreign keys without ON
-- DELETE); dated rows are "in force from valid_from until the next row".

CREATE TABLE units (
    id     serial PRIMARY KEY,
    code   text NOT NULL,
    name   text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT units_code_key UNIQUE (code)
);

CREATE TABLE services (
    id           serial PRIMARY KEY,
    code         text NOT NULL,
    name         text NOT NULL,
    unit_id      integer REFERENCES units (id),
    method       text NOT NULL DEFAULT 'metered',
    sub_method   text NOT NULL DEFAULT 'main',
    seasonal     boolean NOT NULL DEFAULT false,
    benefit_rule text NOT NULL DEFAULT 'social_norm',
    priority     integer,
    active       boolean NOT NULL DEFAULT true,
    CONSTRAINT services_code_key UNIQUE (code),
    CONSTRAINT services_method_check CHECK (method IN ('metered', 'norm', 'area', 'common_house', 'fixed')),
    CONSTRAINT services_sub_method_check CHECK (sub_method IN ('main', 'common_areas', 'own_needs')),
    CONSTRAINT services_benefit_rule_check CHECK (benefit_rule IN ('none', 'social_norm', 'full')),
    CONSTRAINT services_priority_check CHECK (priority IS NULL OR priority BETWEEN 1 AND 999)
);

CREATE TABLE seasons (
    id        serial PRIMARY KEY,
    code      text NOT NULL,
    name      text NOT NULL,
    starts_on date,
    ends_on   date,
    active    boolean NOT NULL DEFAULT true,
    CONSTRAINT seasons_code_key UNIQUE (code),
    CONSTRAINT seasons_dates_check CHECK (starts_on IS NULL OR ends_on IS NULL OR ends_on >= starts_on)
);

CREATE TABLE meter_types (
    id       serial PRIMARY KEY,
    code     text NOT NULL,
    name     text NOT NULL,
    resource text NOT NULL DEFAULT 'cold_water',
    unit_id  integer REFERENCES units (id),
    active   boolean NOT NULL DEFAULT true,
    CONSTRAINT meter_types_code_key UNIQUE (code),
    CONSTRAINT meter_types_resource_check CHECK (resource IN ('cold_water', 'hot_water', 'heat', 'electricity', 'gas'))
);

CREATE TABLE meter_brands (
    id     serial PRIMARY KEY,
    code   text NOT NULL,
    name   text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT meter_brands_code_key UNIQUE (code)
);

-- The device catalogue: a model of a brand, of a type, with its register and interval.
CREATE TABLE meter_models (
    id                  serial PRIMARY KEY,
    code                text NOT NULL,
    name                text NOT NULL,
    brand_id            integer REFERENCES meter_brands (id),
    meter_type_id       integer REFERENCES meter_types (id),
    diameter_mm         integer,
    digits              integer,
    verification_months integer,
    active              boolean NOT NULL DEFAULT true,
    CONSTRAINT meter_models_code_key UNIQUE (code),
    CONSTRAINT meter_models_diameter_check CHECK (diameter_mm IS NULL OR diameter_mm BETWEEN 1 AND 2000),
    CONSTRAINT meter_models_digits_check CHECK (digits IS NULL OR digits BETWEEN 1 AND 12),
    CONSTRAINT meter_models_interval_check CHECK (verification_months IS NULL OR verification_months BETWEEN 1 AND 240)
);

CREATE TABLE benefits (
    id      serial PRIMARY KEY,
    code    text NOT NULL,
    name    text NOT NULL,
    percent numeric(5, 2) NOT NULL DEFAULT 100,
    -- true: the benefit extends to family members living with the beneficiary.
    family  boolean NOT NULL DEFAULT false,
    active  boolean NOT NULL DEFAULT true,
    CONSTRAINT benefits_code_key UNIQUE (code),
    CONSTRAINT benefits_percent_check CHECK (percent > 0 AND percent <= 100)
);

CREATE TABLE benefit_services (
    benefit_id integer NOT NULL REFERENCES benefits (id) ON DELETE CASCADE,
    service_id integer NOT NULL REFERENCES services (id),
    PRIMARY KEY (benefit_id, service_id)
);

CREATE TABLE price_lists (
    id     serial PRIMARY KEY,
    code   text NOT NULL,
    name   text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT price_lists_code_key UNIQUE (code)
);

-- The price of a service in a price list from valid_from on; with components, the price
-- is their sum (kept equal by the application, checked again by a test).
CREATE TABLE tariffs (
    id            serial PRIMARY KEY,
    price_list_id integer NOT NULL REFERENCES price_lists (id),
    service_id    integer NOT NULL REFERENCES services (id),
    valid_from    date NOT NULL,
    price         numeric(14, 4) NOT NULL,
    CONSTRAINT tariffs_key UNIQUE (price_list_id, service_id, valid_from),
    CONSTRAINT tariffs_price_check CHECK (price >= 0)
);

CREATE TABLE tariff_components (
    tariff_id integer NOT NULL REFERENCES tariffs (id) ON DELETE CASCADE,
    position  integer NOT NULL,
    name      text NOT NULL,
    price     numeric(14, 4) NOT NULL,
    PRIMARY KEY (tariff_id, position),
    CONSTRAINT tariff_components_price_check CHECK (price >= 0)
);

-- Consumption norm (how much is charged without a meter) and social norm (how much a
-- benefit covers), per person or per m², from valid_from on.
CREATE TABLE norms (
    id         serial PRIMARY KEY,
    service_id integer NOT NULL REFERENCES services (id),
    kind       text NOT NULL,
    basis      text NOT NULL DEFAULT 'person',
    valid_from date NOT NULL,
    quantity   numeric(14, 4) NOT NULL,
    CONSTRAINT norms_key UNIQUE (service_id, kind, valid_from),
    CONSTRAINT norms_kind_check CHECK (kind IN ('consumption', 'social')),
    CONSTRAINT norms_basis_check CHECK (basis IN ('person', 'm2')),
    CONSTRAINT norms_quantity_check CHECK (quantity >= 0)
);

-- The penalty base rate (NBU discount rate / CBR key rate), % a year, from valid_from on.
CREATE TABLE penalty_rates (
    valid_from date PRIMARY KEY,
    rate       numeric(7, 4) NOT NULL,
    CONSTRAINT penalty_rates_rate_check CHECK (rate >= 0 AND rate <= 100)
);

-- A building or an apartment points at a price list; the apartment's wins.
ALTER TABLE buildings ADD COLUMN price_list_id integer REFERENCES price_lists (id);
ALTER TABLE premises ADD COLUMN price_list_id integer REFERENCES price_lists (id);

CREATE INDEX tariffs_service_idx ON tariffs (service_id);
CREATE INDEX norms_service_idx ON norms (service_id);
CREATE INDEX buildings_price_list_idx ON buildings (price_list_id);
CREATE INDEX premises_price_list_idx ON premises (price_list_id);

INSERT INTO units (code, name) VALUES
    ('m3', 'м³'), ('gcal', 'Гкал'), ('m2', 'м²'), ('kwh', 'кВт·год'), ('person', 'особа'),
    ('apartment', 'квартира');
INSERT INTO meter_types (code, name, resource, unit_id) VALUES
    ('cw', 'Холодна вода', 'cold_water', (SELECT id FROM units WHERE code = 'm3')),
    ('hw', 'Гаряча вода', 'hot_water', (SELECT id FROM units WHERE code = 'm3')),
    ('heat', 'Теплова енергія', 'heat', (SELECT id FROM units WHERE code = 'gcal')),
    ('el', 'Електроенергія', 'electricity', (SELECT id FROM units WHERE code = 'kwh'));
