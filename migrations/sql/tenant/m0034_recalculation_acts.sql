-- Recalculation acts (seed 002 «Акт перерахунку»): a scope (one account, or every account
-- of a building), the services (one, those of a calculation method, or all), the days
-- from–to the service was not provided, the basis document, and the reason (now tied to
-- a calculation method in the reasons book, seed 002 Table 1).
ALTER TABLE acts
    ADD COLUMN building_id    integer REFERENCES buildings (id),
    ADD COLUMN method         text,
    ADD COLUMN from_date      date,
    ADD COLUMN to_date        date,
    ADD COLUMN basis_document text,
    ADD CONSTRAINT acts_method_check CHECK (method IN ('metered', 'norm', 'area', 'common_house', 'fixed')),
    ADD CONSTRAINT acts_basis_document_check CHECK (basis_document IN ('heating_off', 'memo', 'owner_change',
        'temperature_regime', 'low_temperature', 'interruption', 'daily_average', 'building_off')),
    ADD CONSTRAINT acts_dates_check CHECK (to_date >= from_date);
CREATE INDEX acts_building ON acts (building_id) WHERE building_id IS NOT NULL;
