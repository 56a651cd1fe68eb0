-- The reasons of recalculation tied to the services they apply to (seed 002 Table 1: an
-- unsatisfactory temperature is a reason for hot water and heating, sanitary norms for
-- water, and so on). A reason with no services applies to every service. The seed's
-- reasons the book did not have yet are added.
CREATE TABLE reason_services (
    reason_id  integer NOT NULL REFERENCES recalculation_reasons (id) ON DELETE CASCADE,
    service_id integer NOT NULL REFERENCES services (id),
    PRIMARY KEY (reason_id, service_id)
);
CREATE INDEX reason_services_service ON reason_services (service_id);
INSERT INTO recalculation_reasons (code, name) VALUES
    ('composition', 'Невідповідність складу і властивостей'),
    ('daily_average', 'Відсутність: пропорційно середньодобовому споживанню')
ON CONFLICT (code) DO NOTHING;

-- The open month an act's lines were computed in: a draft carried into the next month by
-- a closing was computed before that month closed, so it must be computed again (saved)
-- before it is approved.
ALTER TABLE acts ADD COLUMN computed_in date;
UPDATE acts SET computed_in = period;
