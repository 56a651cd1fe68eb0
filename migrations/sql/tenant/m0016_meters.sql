-- The meter registry (DOMAIN.md "Meters", seed 000 §4.4): a meter of a catalogue model
-- for a service, installed in a place (a building, a group of apartments, a riser, an
-- entrance, an apartment), with its initial reading, seal, verification dates, and its
-- removal (date and final reading). Readings and the main-meter hierarchy operations
-- come with the rest of the meters issue.
CREATE TABLE meters (
    id                  bigserial PRIMARY KEY,
    serial              text NOT NULL,
    model_id            integer REFERENCES meter_models (id),
    service_id          integer NOT NULL REFERENCES services (id),
    install_method      text NOT NULL DEFAULT 'apartment',
    building_id         integer NOT NULL REFERENCES buildings (id),
    premises_id         bigint REFERENCES premises (id),
    account_id          bigint REFERENCES accounts (id),
    place               text,
    installed_on        date NOT NULL,
    initial_reading     numeric(14, 4) NOT NULL,
    digits              integer,
    seal_number         text,
    sealed_on           date,
    verified_on         date,
    verification_months integer,
    next_verification   date,
    removed_on          date,
    final_reading       numeric(14, 4),
    CONSTRAINT meters_method_check CHECK (install_method IN
        ('building', 'group', 'riser', 'entrance', 'apartment', 'building_group')),
    CONSTRAINT meters_initial_check CHECK (initial_reading > 0),
    CONSTRAINT meters_digits_check CHECK (digits IS NULL OR digits BETWEEN 1 AND 12),
    CONSTRAINT meters_interval_check CHECK (verification_months IS NULL OR verification_months BETWEEN 1 AND 240),
    CONSTRAINT meters_removed_check CHECK (removed_on IS NULL OR removed_on >= installed_on),
    CONSTRAINT meters_apartment_check CHECK (install_method <> 'apartment' OR premises_id IS NOT NULL)
);
-- One working meter per serial and model.
CREATE UNIQUE INDEX meters_serial_working_idx ON meters (serial, coalesce(model_id, 0)) WHERE removed_on IS NULL;
CREATE INDEX meters_serial_idx ON meters (lower(serial) text_pattern_ops);
CREATE INDEX meters_account_idx ON meters (account_id);
CREATE INDEX meters_building_idx ON meters (building_id);
CREATE INDEX meters_next_verification_idx ON meters (next_verification) WHERE removed_on IS NULL;

-- The account's working meters' serials join its word search ("search by meter number").
ALTER TABLE accounts ADD COLUMN meter_serials text NOT NULL DEFAULT '';
DROP INDEX accounts_search_idx;
ALTER TABLE accounts DROP COLUMN search;
ALTER TABLE accounts ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', number || ' ' || holder_name || ' ' || address || ' ' || meter_serials)) STORED;
CREATE INDEX accounts_search_idx ON accounts USING gin (search);
