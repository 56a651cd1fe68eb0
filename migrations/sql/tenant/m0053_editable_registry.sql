-- Issue 22: what the subscriber card shows under "additional information" (seed 000
-- Fig. 6): the court case and the contract (free text an operator keeps), whether the
-- subscriber works for the utility, the dwelling's amenities (благоустройство) and the
-- controller (meter reader) who visits them, an employee of the book marked as one.
ALTER TABLE subscribers
    ADD COLUMN court         text,
    ADD COLUMN contract      text,
    ADD COLUMN is_employee   boolean NOT NULL DEFAULT false,
    ADD COLUMN amenities     text,
    ADD COLUMN controller_id integer REFERENCES employees (id);
CREATE INDEX subscribers_controller_idx ON subscribers (controller_id);

-- The account's actual payer when a third party pays (seed 001 §4.3 «Платник
-- (фактичний)»): another subscriber; none: the account's own subscriber pays.
ALTER TABLE accounts ADD COLUMN payer_id bigint REFERENCES subscribers (id);
CREATE INDEX accounts_payer_idx ON accounts (payer_id) WHERE payer_id IS NOT NULL;
