-- Readings a subscriber submitted in the portal that are far above the meter's usual
-- consumption (domain::plausibility): held here for the office to review instead of being
-- written into `readings` and charged. Accepting enters the reading as the subscriber's;
-- rejecting keeps the row with the reason the subscriber reads in the portal.
CREATE TABLE held_readings (
    id           bigserial PRIMARY KEY,
    meter_id     bigint NOT NULL REFERENCES meters (id),
    period       date NOT NULL,
    current      numeric(16, 4) NOT NULL,
    consumption  numeric(16, 4) NOT NULL,
    -- The usual month the value was measured against, and what it was taken from.
    usual        numeric(16, 4) NOT NULL,
    usual_basis  text NOT NULL,
    submitted_by text NOT NULL,
    submitted_at timestamptz NOT NULL,
    state        text NOT NULL DEFAULT 'held',
    decided_by   text,
    decided_at   timestamptz,
    note         text,
    CONSTRAINT held_readings_state_check CHECK (state IN ('held', 'accepted', 'rejected')),
    CONSTRAINT held_readings_usual_basis_check CHECK (usual_basis IN ('average', 'norm')),
    CONSTRAINT held_readings_period_check CHECK (extract(day FROM period) = 1)
);
-- One waiting submission per meter and month: submitting again replaces it.
CREATE UNIQUE INDEX held_readings_waiting_key ON held_readings (meter_id, period) WHERE state = 'held';
CREATE INDEX held_readings_state_idx ON held_readings (state, submitted_at DESC);
