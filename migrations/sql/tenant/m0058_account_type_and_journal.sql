-- Issue 22: an account's type is a record of the account-types book (seed 001 §2 «Типи
-- ОР»: code, name, "legal entity"), so a type in use cannot be deleted; and an account
-- lives in a journal (seed 001 §4.3: the registry is shown by journal and type, accounts
-- are moved between journals with «Перемістити в журнал», Shift+Ins). `account_type`
-- stays the holder's kind (individual or legal) that the calculation and documents read.
ALTER TABLE account_types ADD COLUMN legal boolean NOT NULL DEFAULT false;
UPDATE account_types SET legal = true WHERE code = 'legal';
ALTER TABLE accounts ADD COLUMN type_id integer REFERENCES account_types (id),
    ADD COLUMN journal_id integer REFERENCES journals (id);
UPDATE accounts a SET type_id = t.id FROM account_types t WHERE t.code = a.account_type;
CREATE INDEX accounts_type_idx ON accounts (type_id);
CREATE INDEX accounts_journal_idx ON accounts (journal_id);
