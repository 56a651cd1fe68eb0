-- Billing periods and meter readings (DOMAIN.md "Periods", "Meters"; seed 000 "Показания").
--
-- A period is a calendar month, stored as its first day. The engine issue adds closing and
-- reopening; readings need only to know which months are open. A new tenant starts with
-- the month it was created in open.
CREATE TABLE periods (
    month      date PRIMARY KEY,
    state      text NOT NULL DEFAULT 'open',
    CONSTRAINT periods_month_check CHECK (extract(day FROM month) = 1),
    CONSTRAINT periods_state_check CHECK (state IN ('open', 'closed'))
);
INSERT INTO periods (month, state) VALUES (date_trunc('month', current_date)::date, 'open');

-- Payments as far as readings need them: a reading of a period in which the account has a
-- payment cannot be corrected. The payments issue adds batches, banks and the split.
CREATE TABLE payments (
    id           bigserial PRIMARY KEY,
    account_id   bigint NOT NULL REFERENCES accounts (id),
    period       date NOT NULL,
    amount       numeric(14, 2) NOT NULL,
    paid_on      date NOT NULL,
    cancelled_at timestamptz,
    CONSTRAINT payments_amount_check CHECK (amount <> 0)
);
CREATE INDEX payments_account_period_idx ON payments (account_id, period);

-- One reading per meter per period: entering again in the same period corrects it. The
-- previous reading is stored with it (what the consumption was derived from), so the
-- history reads without recomputation and a correction of an earlier period is visible.
CREATE TABLE readings (
    id          bigserial PRIMARY KEY,
    meter_id    bigint NOT NULL REFERENCES meters (id),
    period      date NOT NULL,
    taken_on    date NOT NULL,
    previous    numeric(14, 4) NOT NULL,
    current     numeric(14, 4) NOT NULL,
    consumption numeric(14, 4) NOT NULL,
    -- actual (Ф), calculated (Р), monthly_average (СМ), daily_average (СС)
    basis       text NOT NULL DEFAULT 'actual',
    -- operator, controller, subscriber, import, verification
    source      text NOT NULL DEFAULT 'operator',
    entered_by  text NOT NULL,
    entered_at  timestamptz NOT NULL,
    -- The import job that wrote it, if any.
    job_id      uuid,
    CONSTRAINT readings_period_check CHECK (extract(day FROM period) = 1),
    CONSTRAINT readings_basis_check CHECK (basis IN ('actual', 'calculated', 'monthly_average', 'daily_average')),
    CONSTRAINT readings_source_check CHECK (source IN ('operator', 'controller', 'subscriber', 'import', 'verification')),
    CONSTRAINT readings_current_check CHECK (current >= 0),
    CONSTRAINT readings_consumption_check CHECK (consumption >= 0),
    CONSTRAINT readings_meter_period_key UNIQUE (meter_id, period)
);
CREATE INDEX readings_period_idx ON readings (period);
