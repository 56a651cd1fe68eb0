-- Services of accounts over periods (starts_on .. ends_on inclusive; ends_on NULL = until
-- further notice), with an optional quantity for fixed-quantity services. Two periods of
-- one service on one account never overlap: the database refuses it.
CREATE TABLE account_services (
    id         bigserial PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    service_id integer NOT NULL REFERENCES services (id),
    starts_on  date NOT NULL,
    ends_on    date,
    quantity   numeric(14, 4),
    CONSTRAINT account_services_period_check CHECK (ends_on IS NULL OR ends_on >= starts_on),
    CONSTRAINT account_services_quantity_check CHECK (quantity IS NULL OR quantity >= 0),
    CONSTRAINT account_services_no_overlap EXCLUDE USING gist (
        account_id WITH =, service_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&)
);
CREATE INDEX account_services_service_idx ON account_services (service_id);
