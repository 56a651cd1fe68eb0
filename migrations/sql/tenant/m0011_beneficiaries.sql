-- Beneficiaries (seed 001 §4.3.1): a resident of the account holding a benefit over a
-- period, with the document that grants it, and the residents the benefit extends to
-- (when the benefit is one that extends to family). A member's period never outlasts the
-- beneficiary's: ending the benefit ends theirs (the application keeps it so).
CREATE TABLE beneficiaries (
    id          bigserial PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    resident_id bigint NOT NULL REFERENCES residents (id),
    benefit_id  integer NOT NULL REFERENCES benefits (id),
    starts_on   date NOT NULL,
    ends_on     date,
    document    text,
    CONSTRAINT beneficiaries_period_check CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX beneficiaries_account_idx ON beneficiaries (account_id);
CREATE INDEX beneficiaries_benefit_idx ON beneficiaries (benefit_id);
CREATE INDEX beneficiaries_resident_idx ON beneficiaries (resident_id);

CREATE TABLE beneficiary_members (
    beneficiary_id bigint NOT NULL REFERENCES beneficiaries (id) ON DELETE CASCADE,
    resident_id    bigint NOT NULL REFERENCES residents (id),
    starts_on      date NOT NULL,
    ends_on        date,
    PRIMARY KEY (beneficiary_id, resident_id),
    CONSTRAINT beneficiary_members_period_check CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX beneficiary_members_resident_idx ON beneficiary_members (resident_id);

-- State-paid subsidies per service and period (imported monthly or entered); one per
-- account, service and period. `invoice_id` is set when an invoice uses it, after which
-- it cannot be deleted (invoices come with the billing issue).
CREATE TABLE subsidies (
    id         bigserial PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    service_id integer NOT NULL REFERENCES services (id),
    period     date NOT NULL,
    amount     numeric(14, 2) NOT NULL,
    invoice_id bigint,
    CONSTRAINT subsidies_key UNIQUE (account_id, service_id, period),
    CONSTRAINT subsidies_period_check CHECK (extract(day FROM period) = 1),
    CONSTRAINT subsidies_amount_check CHECK (amount >= 0)
);
CREATE INDEX subsidies_service_idx ON subsidies (service_id);

-- Opening balances per service, taken over from the previous system for the first
-- period the account is billed here (positive = the subscriber owes).
CREATE TABLE opening_balances (
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    service_id integer NOT NULL REFERENCES services (id),
    period     date NOT NULL,
    amount     numeric(14, 2) NOT NULL,
    PRIMARY KEY (account_id, service_id, period),
    CONSTRAINT opening_balances_period_check CHECK (extract(day FROM period) = 1)
);
CREATE INDEX opening_balances_service_idx ON opening_balances (service_id);
