-- The enterprise card (seed 001 §2.2 «Картка підприємства»): what the utility is (kind of
-- activity, form of ownership), its postal address, its management (director and chief
-- accountant with their tax numbers), its tax office, and its bank accounts chosen from
-- the banks book. The name, tax code and legal address stay in `invoice_settings` (what
-- the invoices print), which the card edits too; the main account is copied there.
CREATE TABLE enterprise (
    id                boolean PRIMARY KEY DEFAULT true,
    activity_kind     text NOT NULL DEFAULT '',
    ownership_form    text NOT NULL DEFAULT '',
    postal_address    text NOT NULL DEFAULT '',
    director_name     text NOT NULL DEFAULT '',
    director_tax_id   text NOT NULL DEFAULT '',
    accountant_name   text NOT NULL DEFAULT '',
    accountant_tax_id text NOT NULL DEFAULT '',
    tax_office_code   text NOT NULL DEFAULT '',
    tax_office_name   text NOT NULL DEFAULT '',
    CONSTRAINT enterprise_one CHECK (id)
);
INSERT INTO enterprise DEFAULT VALUES;

-- A bank in use by an account of the enterprise cannot be deleted from the book (the
-- foreign key refuses); one account is the main one, the one invoices print.
CREATE TABLE enterprise_accounts (
    id      serial PRIMARY KEY,
    bank_id integer NOT NULL REFERENCES banks (id),
    account text NOT NULL,
    kind    text NOT NULL DEFAULT 'current',
    main    boolean NOT NULL DEFAULT false,
    CONSTRAINT enterprise_accounts_account_key UNIQUE (account),
    CONSTRAINT enterprise_accounts_kind CHECK (kind IN ('current', 'deposit', 'budget', 'other'))
);
CREATE UNIQUE INDEX enterprise_accounts_one_main ON enterprise_accounts (main) WHERE main;
