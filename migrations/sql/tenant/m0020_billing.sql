-- The billing engine's tables (DOMAIN.md "Calculation", "Periods"; seed 000 §4.2, §4.9;
-- seed 001 §4.1): the tenant's calculation settings, what a common-house service
-- distributes, invoices with their lines and the steps of every amount, and who closed a
-- period when.

-- One row: the tenant's calculation settings.
CREATE TABLE billing_settings (
    id                  boolean PRIMARY KEY DEFAULT true,
    -- N of the monthly-average (СМ) fallback.
    average_months      integer NOT NULL DEFAULT 3,
    zero_takes_previous boolean NOT NULL DEFAULT false,
    -- Which residents count for norms and shares: those living there or those registered.
    residents_basis     text NOT NULL DEFAULT 'living',
    penalty_rule        text NOT NULL DEFAULT 'ukraine',
    -- Debt of period P is overdue after this day of month P+1.
    due_day             integer NOT NULL DEFAULT 20,
    CONSTRAINT billing_settings_one CHECK (id),
    CONSTRAINT billing_settings_months CHECK (average_months BETWEEN 1 AND 12),
    CONSTRAINT billing_settings_residents CHECK (residents_basis IN ('living', 'registered')),
    CONSTRAINT billing_settings_penalty CHECK (penalty_rule IN ('off', 'ukraine', 'russia')),
    CONSTRAINT billing_settings_due_day CHECK (due_day BETWEEN 1 AND 31)
);
INSERT INTO billing_settings DEFAULT VALUES;

-- A common-house service distributes the house meters of its base (metered) service; the
-- limit caps one resident's (or m²'s) share.
ALTER TABLE services
    ADD COLUMN base_service_id integer REFERENCES services (id),
    ADD COLUMN common_limit    numeric(14, 4),
    ADD CONSTRAINT services_common_limit_check CHECK (common_limit IS NULL OR common_limit >= 0);

ALTER TABLE periods
    ADD COLUMN closed_at timestamptz,
    ADD COLUMN closed_by text;

-- One invoice per account per period; re-forming replaces it (delete + insert in one
-- transaction). Totals are the sums of the lines.
CREATE TABLE invoices (
    id            bigserial,
    account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    period        date NOT NULL,
    formed_at     timestamptz NOT NULL,
    job_id        uuid,
    opening       numeric(14, 2) NOT NULL,
    charged       numeric(14, 2) NOT NULL,
    recalculation numeric(14, 2) NOT NULL,
    benefit       numeric(14, 2) NOT NULL,
    subsidy       numeric(14, 2) NOT NULL,
    penalty       numeric(14, 2) NOT NULL,
    paid          numeric(14, 2) NOT NULL,
    closing       numeric(14, 2) NOT NULL,
    PRIMARY KEY (account_id, period),
    CONSTRAINT invoices_period_check CHECK (extract(day FROM period) = 1)
);
CREATE INDEX invoices_period_idx ON invoices (period);

-- The lines, keyed by period first so a period's summary reads one range. They are
-- written and deleted together with their invoice by the calculation (no foreign key: at a
-- million accounts its per-row check would double the write time).
CREATE TABLE invoice_lines (
    period        date NOT NULL,
    account_id    bigint NOT NULL,
    service_id    integer NOT NULL,
    method        text NOT NULL,
    basis         text,
    quantity      numeric(14, 4) NOT NULL,
    tariff        numeric(14, 4) NOT NULL,
    opening       numeric(14, 2) NOT NULL,
    charged       numeric(14, 2) NOT NULL,
    recalculation numeric(14, 2) NOT NULL,
    benefit       numeric(14, 2) NOT NULL,
    subsidy       numeric(14, 2) NOT NULL,
    penalty       numeric(14, 2) NOT NULL,
    paid          numeric(14, 2) NOT NULL,
    closing       numeric(14, 2) NOT NULL,
    -- The steps that produced the amounts: [{kind, args, value}] (the "why" view). Kept
    -- as written (json, not jsonb): it is only ever read whole, and parsing it into jsonb
    -- was a fifth of the write time.
    steps         json NOT NULL,
    PRIMARY KEY (period, account_id, service_id)
);

-- The calculation sets every invoiced account's balance: room on each page lets those
-- updates stay on the page (no index covers the balance), about ten times cheaper.
ALTER TABLE accounts SET (fillfactor = 80);
-- Apartment meters not tied to an account are found through their premises.
CREATE INDEX meters_premises_idx ON meters (premises_id) WHERE account_id IS NULL;
