-- Payments as operators and banks bring them: manual entry with its split over services,
-- batches (пачки) with control totals, bank payment files parsed by per-bank templates.
--
-- A payment is booked in the period of its receipt date (`period`, always the open period
-- when written) and pays a charge period (`charge_period`, by default the previous one).

-- The order services are paid in when the tenant splits by priority (1 first).
ALTER TABLE services ADD COLUMN payment_priority integer;
ALTER TABLE billing_settings ADD COLUMN payment_split text NOT NULL DEFAULT 'proportional',
    ADD CONSTRAINT billing_settings_payment_split CHECK (payment_split IN ('proportional', 'priority'));

CREATE TABLE payment_batches (
    id            bigserial PRIMARY KEY,
    number        text NOT NULL,
    -- The receipt date of every payment in it, inside the open period.
    batch_date    date NOT NULL,
    kind          text NOT NULL,
    bank_id       integer REFERENCES banks (id),
    control_count integer NOT NULL,
    control_sum   numeric(14, 2) NOT NULL,
    comment       text,
    state         text NOT NULL DEFAULT 'draft',
    created_at    timestamptz NOT NULL,
    created_by    text NOT NULL,
    posted_at     timestamptz,
    cancelled_at  timestamptz,
    CONSTRAINT payment_batches_kind_check CHECK (kind IN ('bank', 'cash_desk')),
    CONSTRAINT payment_batches_state_check CHECK (state IN ('draft', 'posted', 'cancelled')),
    CONSTRAINT payment_batches_count_check CHECK (control_count > 0),
    CONSTRAINT payment_batches_sum_check CHECK (control_sum > 0)
);

-- The rows of a batch while it is a draft; posting turns each into a payment.
CREATE TABLE payment_batch_items (
    batch_id      bigint NOT NULL REFERENCES payment_batches (id) ON DELETE CASCADE,
    line          integer NOT NULL,
    account_id    bigint NOT NULL REFERENCES accounts (id),
    charge_period date NOT NULL,
    amount        numeric(14, 2) NOT NULL,
    paid_on       date NOT NULL,
    PRIMARY KEY (batch_id, line),
    CONSTRAINT payment_batch_items_amount_check CHECK (amount > 0)
);

-- How a bank's registry is laid out: which column (1-based) or fixed-width field holds what.
CREATE TABLE payment_templates (
    id          serial PRIMARY KEY,
    name        text NOT NULL,
    bank_id     integer REFERENCES banks (id),
    format      text NOT NULL,
    encoding    text NOT NULL DEFAULT 'utf-8',
    delimiter   text NOT NULL DEFAULT ';',
    skip_lines  integer NOT NULL DEFAULT 0,
    -- {"account": 1, "payer": 2, "address": 3, "amount": 4, "paidOn": 5, "service": 6,
    --  "document": 7}; for `fixed` each is [start, width] (1-based start).
    fields      jsonb NOT NULL,
    date_format text NOT NULL DEFAULT '%d.%m.%Y',
    -- A line starting with this carries the file's control sum (e.g. `#FILESUM`).
    sum_marker  text,
    -- A line starting with this carries the file's control count of rows.
    count_marker text,
    comment_prefix text,
    active      boolean NOT NULL DEFAULT true,
    CONSTRAINT payment_templates_name_key UNIQUE (name),
    CONSTRAINT payment_templates_format_check CHECK (format IN ('csv', 'xlsx', 'fixed')),
    CONSTRAINT payment_templates_encoding_check CHECK (encoding IN ('utf-8', 'cp1251', 'cp866')),
    CONSTRAINT payment_templates_skip_check CHECK (skip_lines BETWEEN 0 AND 100)
);

INSERT INTO payment_templates (name, format, encoding, delimiter, skip_lines, fields, date_format, sum_marker, count_marker, comment_prefix) VALUES
    -- The common Russian utility-payment registry: `#`-lines first (`#FILESUM 1234.56`,
    -- `#TYPE 7`, `#SERVICE …`), then `;`-separated rows, cp1251.
    ('Registry ;-separated, #FILESUM (cp1251)', 'csv', 'cp1251', ';', 0,
     '{"paidOn": 1, "document": 3, "account": 5, "payer": 6, "address": 7, "amount": 9}',
     '%d-%m-%Y', '#FILESUM', '#FILELINES', '#'),
    -- A spreadsheet with a header row: account, payer, address, amount, date.
    ('Spreadsheet with a header row', 'xlsx', 'utf-8', ';', 1,
     '{"account": 1, "payer": 2, "address": 3, "amount": 4, "paidOn": 5, "service": 6}',
     '%d.%m.%Y', NULL, NULL, NULL),
    -- A DOS-era fixed-width text registry, cp866: account 10, payer 30, amount 12, date 10.
    ('Fixed-width text (cp866)', 'fixed', 'cp866', ';', 0,
     '{"account": [1, 10], "payer": [11, 30], "amount": [41, 12], "paidOn": [53, 10]}',
     '%d.%m.%Y', NULL, NULL, '*');

CREATE TABLE payment_files (
    id            bigserial PRIMARY KEY,
    file_name     text NOT NULL,
    sha256        text NOT NULL,
    object_key    text NOT NULL,
    size          bigint NOT NULL,
    template_id   integer NOT NULL REFERENCES payment_templates (id),
    bank_id       integer REFERENCES banks (id),
    -- The receipt date of the file's payments (inside the open period).
    received_on   date NOT NULL,
    charge_period date NOT NULL,
    uploaded_at   timestamptz NOT NULL,
    uploaded_by   text NOT NULL,
    job_id        uuid,
    state         text NOT NULL DEFAULT 'queued',
    posted_at     timestamptz,
    rows_total    integer NOT NULL DEFAULT 0,
    rows_loaded   integer NOT NULL DEFAULT 0,
    amount_loaded numeric(16, 2) NOT NULL DEFAULT 0,
    rows_refused  integer NOT NULL DEFAULT 0,
    amount_total  numeric(16, 2) NOT NULL DEFAULT 0,
    message       text,
    CONSTRAINT payment_files_state_check CHECK (state IN ('queued', 'loaded', 'refused')),
    CONSTRAINT payment_files_sha256_key UNIQUE (sha256)
);

-- Each row of a file and its fate: paid (with the payment), or refused with the reason's
-- code; a refused row may later be matched to an account by hand.
CREATE TABLE payment_file_rows (
    file_id    bigint NOT NULL REFERENCES payment_files (id) ON DELETE CASCADE,
    line       integer NOT NULL,
    account    text,
    payer      text,
    address    text,
    amount     text,
    paid_on    text,
    service    text,
    document   text,
    outcome    text NOT NULL,
    reason     text,
    payment_id bigint,
    PRIMARY KEY (file_id, line),
    CONSTRAINT payment_file_rows_outcome_check CHECK (outcome IN ('paid', 'refused', 'matched'))
);

ALTER TABLE payments
    ADD COLUMN charge_period date,
    ADD COLUMN received_on   date,
    ADD COLUMN kind          text NOT NULL DEFAULT 'bank',
    ADD COLUMN bank_id       integer REFERENCES banks (id),
    ADD COLUMN statement     text,
    ADD COLUMN batch_id      bigint REFERENCES payment_batches (id) ON DELETE SET NULL,
    ADD COLUMN file_id       bigint REFERENCES payment_files (id),
    ADD COLUMN file_line     integer,
    -- What makes the same payment recognisable in a second file (bank, account, document
    -- or date and amount): one live payment per key.
    ADD COLUMN source_key    text,
    ADD COLUMN split         text NOT NULL DEFAULT 'engine',
    -- The payment's parts per service (none: the calculation splits it by opening debt).
    -- Arrays on the row, not a table: a 100,000-row bank file would write 600,000 part
    -- rows with two foreign-key checks each — most of the file's time; the parts are only
    -- ever read whole with their payment (like invoice lines, services are not keyed).
    ADD COLUMN part_services integer[],
    ADD COLUMN part_amounts  numeric(14, 2)[],
    ADD COLUMN created_at    timestamptz,
    ADD COLUMN created_by    text,
    ADD CONSTRAINT payments_kind_check CHECK (kind IN ('bank', 'cash_desk')),
    ADD CONSTRAINT payments_split_check CHECK (split IN ('engine', 'proportional', 'priority', 'manual')),
    ADD CONSTRAINT payments_parts_check CHECK (
        cardinality(part_services) IS NOT DISTINCT FROM cardinality(part_amounts));
-- Payments written before this migration paid the period they were booked in.
UPDATE payments SET charge_period = period, received_on = paid_on WHERE charge_period IS NULL;
ALTER TABLE payments ALTER COLUMN charge_period SET NOT NULL, ALTER COLUMN received_on SET NOT NULL;
CREATE UNIQUE INDEX payments_source_key ON payments (source_key) WHERE cancelled_at IS NULL AND source_key IS NOT NULL;
CREATE INDEX payments_period_idx ON payments (period, id);
CREATE INDEX payments_batch_idx ON payments (batch_id) WHERE batch_id IS NOT NULL;
CREATE INDEX payments_file_idx ON payments (file_id) WHERE file_id IS NOT NULL;

