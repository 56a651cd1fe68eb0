-- A resident's earlier registration and living periods (seed 001 §4.3: re-registration
-- history): re-registering moves the ended period here and opens a new one on the
-- resident's row. No foreign key, so a resident removed and restored (m0059, same id)
-- keeps its history; the calculation joins `residents`, so a removed one counts nowhere.
CREATE TABLE resident_periods (
    id              bigserial PRIMARY KEY,
    resident_id     bigint NOT NULL,
    registered_from date,
    registered_to   date,
    living_from     date,
    living_to       date,
    ended_at        timestamptz NOT NULL,
    ended_by        text NOT NULL
);
CREATE INDEX resident_periods_resident_idx ON resident_periods (resident_id);
