-- Electricity retail (issue 23, seed 003 «досиета»): the trader's customers, their
-- metering points, contracts and annexes with the price terms they set, and the scanned
-- papers of a dossier. Kept apart from the water side's subscribers and accounts: a
-- trader's customer has no premises, no monthly reading and no account number.

-- The distribution grid operators (ЕРП) whose points the trader supplies: a reference
-- book (code, name, the operator's EIC), so a tenant adds its own.
CREATE TABLE grid_operators (
    id     serial PRIMARY KEY,
    code   text NOT NULL,
    name   text NOT NULL,
    eic    text,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT grid_operators_code_key UNIQUE (code)
);

-- Intermediaries who bring customers, paid a commission per MWh their customers use:
-- a reference book.
CREATE TABLE intermediaries (
    id         serial PRIMARY KEY,
    code       text NOT NULL,
    name       text NOT NULL,
    commission numeric(14, 4) NOT NULL DEFAULT 0,
    active     boolean NOT NULL DEFAULT true,
    CONSTRAINT intermediaries_code_key UNIQUE (code),
    CONSTRAINT intermediaries_commission_check CHECK (commission >= 0)
);

CREATE TABLE el_customers (
    id              bigserial PRIMARY KEY,
    -- The trader's office that serves the customer: a user limited to branches sees
    -- the customers of those branches.
    branch_id       integer NOT NULL REFERENCES branches (id),
    kind            text NOT NULL,
    name            text NOT NULL,
    -- A company's ЕИК / БУЛСТАТ (9 or 13 digits), a person's ЕГН (10 digits).
    identifier      text,
    vat_number      text,
    address         text NOT NULL DEFAULT '',
    contact         text NOT NULL DEFAULT '',
    phone           text NOT NULL DEFAULT '',
    email           text NOT NULL DEFAULT '',
    -- Invoicing settings of this customer.
    payment_days    integer NOT NULL DEFAULT 10,
    delivery        text NOT NULL DEFAULT 'email',
    invoice_email   text NOT NULL DEFAULT '',
    grouping        text NOT NULL DEFAULT 'customer',
    intermediary_id integer REFERENCES intermediaries (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT el_customers_kind_check CHECK (kind IN ('company', 'household')),
    CONSTRAINT el_customers_delivery_check CHECK (delivery IN ('email', 'post', 'portal')),
    CONSTRAINT el_customers_grouping_check CHECK (grouping IN ('customer', 'point')),
    CONSTRAINT el_customers_payment_days_check CHECK (payment_days BETWEEN 0 AND 120)
);
CREATE UNIQUE INDEX el_customers_identifier_key ON el_customers (identifier)
    WHERE identifier IS NOT NULL;
CREATE INDEX el_customers_name_idx ON el_customers USING gin (name public.gin_trgm_ops);
CREATE INDEX el_customers_branch_idx ON el_customers (branch_id);
CREATE INDEX el_customers_intermediary_idx ON el_customers (intermediary_id);

-- A metering point the trader supplies: the EIC and the distributor's point number
-- (ИТН), from the day the distributor registered it with the trader to the day it left.
-- One point is one customer's at a time.
CREATE TABLE el_points (
    id               bigserial PRIMARY KEY,
    customer_id      bigint NOT NULL REFERENCES el_customers (id),
    eic              text NOT NULL,
    point_number     text NOT NULL DEFAULT '',
    grid_operator_id integer NOT NULL REFERENCES grid_operators (id),
    voltage          text NOT NULL,
    metering         text NOT NULL,
    -- The standard load profile's code (for a point without interval metering).
    profile          text NOT NULL DEFAULT '',
    address          text NOT NULL DEFAULT '',
    registered_from  date NOT NULL,
    registered_to    date,
    CONSTRAINT el_points_voltage_check CHECK (voltage IN ('low', 'medium', 'high')),
    CONSTRAINT el_points_metering_check CHECK (metering IN ('hourly', 'profile')),
    CONSTRAINT el_points_dates_check CHECK (registered_to IS NULL OR registered_to >= registered_from),
    CONSTRAINT el_points_one_customer EXCLUDE USING gist (
        eic WITH =, daterange(registered_from, registered_to, '[]') WITH &&)
);
CREATE INDEX el_points_customer_idx ON el_points (customer_id);
CREATE INDEX el_points_operator_idx ON el_points (grid_operator_id);
CREATE INDEX el_points_number_idx ON el_points (point_number);

-- A contract, or an annex (`contract_id` names the contract it amends). The price terms
-- in force on a day are the latest annex's from its first day on, else the contract's.
-- Prices are per MWh in the tenant's currency.
CREATE TABLE el_contracts (
    id          bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES el_customers (id),
    contract_id bigint REFERENCES el_contracts (id),
    number      text NOT NULL,
    signed_on   date NOT NULL,
    valid_from  date NOT NULL,
    valid_to    date,
    price_kind  text NOT NULL,
    -- fixed: the price; zones: day, night and (three zones) peak; exchange: the margin
    -- over the hour's exchange price. A minimum and a maximum price bound any kind.
    price       numeric(14, 4),
    price_day   numeric(14, 4),
    price_night numeric(14, 4),
    price_peak  numeric(14, 4),
    margin      numeric(14, 4),
    price_min   numeric(14, 4),
    price_max   numeric(14, 4),
    note        text NOT NULL DEFAULT '',
    CONSTRAINT el_contracts_price_kind_check CHECK (price_kind IN ('fixed', 'zones', 'exchange')),
    CONSTRAINT el_contracts_dates_check CHECK (valid_to IS NULL OR valid_to >= valid_from),
    CONSTRAINT el_contracts_number_key UNIQUE (customer_id, number)
);
CREATE INDEX el_contracts_customer_idx ON el_contracts (customer_id);
CREATE INDEX el_contracts_contract_idx ON el_contracts (contract_id);

-- Scanned papers of a dossier (a signed contract, a power of attorney): a file in the
-- object store, of the customer or of one of its contracts.
CREATE TABLE el_documents (
    id           bigserial PRIMARY KEY,
    customer_id  bigint NOT NULL REFERENCES el_customers (id),
    contract_id  bigint REFERENCES el_contracts (id),
    file_name    text NOT NULL,
    media_type   text NOT NULL,
    bytes        bigint NOT NULL,
    object_key   text NOT NULL,
    uploaded_at  timestamptz NOT NULL,
    uploaded_by  text NOT NULL DEFAULT ''
);
CREATE INDEX el_documents_customer_idx ON el_documents (customer_id);
