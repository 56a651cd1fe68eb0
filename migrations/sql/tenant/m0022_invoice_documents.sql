-- Invoices as documents: what they print about the tenant (requisites, the payment QR
-- standard, the payment purpose, notes at the foot — a tenant adjusts them without a code
-- change) and the rendered PDFs kept in the object store.

CREATE TABLE invoice_settings (
    id                    boolean PRIMARY KEY DEFAULT true,
    legal_name            text NOT NULL DEFAULT '',
    tax_code              text NOT NULL DEFAULT '',
    address               text NOT NULL DEFAULT '',
    bank_name             text NOT NULL DEFAULT '',
    -- IBAN (Ukraine, EU) or the settlement account (Russia).
    account               text NOT NULL DEFAULT '',
    bic                   text NOT NULL DEFAULT '',
    correspondent_account text NOT NULL DEFAULT '',
    qr_format             text NOT NULL DEFAULT 'nbu',
    purpose               text NOT NULL DEFAULT 'Оплата житлово-комунальних послуг',
    notes                 text,
    -- The object-store key of the tenant's logo (a PNG), printed at the top right.
    logo_key              text,
    CONSTRAINT invoice_settings_one CHECK (id),
    CONSTRAINT invoice_settings_qr CHECK (qr_format IN ('nbu', 'gost', 'epc', 'none'))
);
INSERT INTO invoice_settings DEFAULT VALUES;

-- The latest PDF of each invoice (rendering again replaces it).
CREATE TABLE invoice_documents (
    account_id  bigint NOT NULL,
    period      date NOT NULL,
    object_key  text NOT NULL,
    size        integer NOT NULL,
    rendered_at timestamptz NOT NULL,
    job_id      uuid,
    PRIMARY KEY (account_id, period)
);
