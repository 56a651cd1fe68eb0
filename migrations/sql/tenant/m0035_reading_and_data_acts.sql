-- Reading-correction and data-update acts (seed 002 «Акт коригування показань»,
-- «Актуалізація даних»), and what every act that recomputes closed months found in each.

-- A reading-correction act: the meter, the closed month whose reading it corrects, the
-- current reading as it stood when the act was computed, and the corrected value.
ALTER TABLE acts
    ADD COLUMN meter_id       bigint REFERENCES meters (id),
    ADD COLUMN reading_period date,
    ADD COLUMN reading_was    numeric(14, 4),
    ADD COLUMN reading_value  numeric(14, 4),
    ADD CONSTRAINT acts_reading_period_check CHECK (extract(day FROM reading_period) = 1);
CREATE INDEX acts_meter ON acts (meter_id) WHERE meter_id IS NOT NULL;

-- Per closed month, account and service: the net charge the act compared against and the
-- one recomputed (the Specification tab links to those invoices; a data-update act's
-- baseline adds what other acts booked on the same month).
CREATE TABLE act_months (
    act_id     bigint NOT NULL REFERENCES acts (id) ON DELETE CASCADE,
    account_id bigint NOT NULL REFERENCES accounts (id),
    service_id integer NOT NULL REFERENCES services (id),
    period     date NOT NULL,
    was        numeric(14, 2) NOT NULL,
    now        numeric(14, 2) NOT NULL,
    PRIMARY KEY (act_id, account_id, service_id, period)
);
CREATE INDEX act_months_account ON act_months (account_id, period);

-- The news a data-update act carries that has no dated record of its own: a subsidy of a
-- closed month arriving late (or a corrective one, ±).
CREATE TABLE act_subsidies (
    act_id     bigint NOT NULL REFERENCES acts (id) ON DELETE CASCADE,
    account_id bigint NOT NULL REFERENCES accounts (id),
    service_id integer NOT NULL REFERENCES services (id),
    period     date NOT NULL,
    amount     numeric(14, 2) NOT NULL,
    PRIMARY KEY (act_id, account_id, service_id, period),
    CONSTRAINT act_subsidies_period_check CHECK (extract(day FROM period) = 1)
);
CREATE INDEX act_subsidies_account ON act_subsidies (account_id, period);
