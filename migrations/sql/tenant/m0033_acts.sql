-- Acts: documents that change what closed periods charged, booked in the open period
-- (DOMAIN.md "Acts"; seed 002 «Акти-претензії», seed 000 «Корректировка», «Штраф»).
-- An act keeps its computed lines (account × service → amount with the steps that
-- explain it); only approved acts of the open period count, and the calculation reads
-- their lines into the invoice lines' `recalculation`.

-- Which acts a reason serves: recalculation acts (interruption, quality…), storno acts
-- («Ознака»: "Storno" by default, the tenant adds its own) or corrections.
ALTER TABLE recalculation_reasons ADD COLUMN applies_to text NOT NULL DEFAULT 'recalculation',
    ADD CONSTRAINT recalculation_reasons_applies_to_check CHECK (applies_to IN ('recalculation', 'storno', 'correction'));
INSERT INTO recalculation_reasons (code, name, applies_to) VALUES
    ('storno', 'Сторно', 'storno'),
    ('correction', 'Коригування', 'correction');

-- Fines are charged on a service of their own, marked here (seed 000 «Штраф»).
ALTER TABLE services ADD COLUMN fine boolean NOT NULL DEFAULT false;

CREATE SEQUENCE act_numbers;

CREATE TABLE acts (
    id          bigserial PRIMARY KEY,
    number      bigint NOT NULL DEFAULT nextval('act_numbers'),
    kind        text NOT NULL,
    status      text NOT NULL DEFAULT 'draft',
    -- The open period the act is booked in, and its date inside that period.
    period      date NOT NULL,
    act_date    date NOT NULL,
    account_id  bigint REFERENCES accounts (id),
    -- None: every service of the account (a storno spreads over them by debt).
    service_id  integer REFERENCES services (id),
    reason_id   integer REFERENCES recalculation_reasons (id),
    executor_id integer REFERENCES employees (id),
    -- What the user typed: the storno's amount written off, the correction's ± amount.
    amount      numeric(14, 2),
    comment     text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    created_by  text NOT NULL,
    approved_at timestamptz,
    approved_by text,
    CONSTRAINT acts_number_key UNIQUE (number),
    CONSTRAINT acts_kind_check CHECK (kind IN ('recalculation', 'data_update', 'storno', 'reading_correction', 'correction', 'fine')),
    CONSTRAINT acts_status_check CHECK (status IN ('draft', 'approved')),
    CONSTRAINT acts_approved_check CHECK ((status = 'approved') = (approved_at IS NOT NULL))
);
CREATE INDEX acts_period ON acts (period, kind, status);
CREATE INDEX acts_account ON acts (account_id) WHERE account_id IS NOT NULL;

-- What an act books: per account and service, the amount added to the open period's
-- line (negative: taken off the debt), with the steps that produced it.
CREATE TABLE act_lines (
    act_id     bigint NOT NULL REFERENCES acts (id) ON DELETE CASCADE,
    account_id bigint NOT NULL REFERENCES accounts (id),
    service_id integer NOT NULL REFERENCES services (id),
    amount     numeric(14, 2) NOT NULL,
    steps      jsonb NOT NULL DEFAULT '[]',
    PRIMARY KEY (act_id, account_id, service_id)
);
CREATE INDEX act_lines_account ON act_lines (account_id, service_id);
