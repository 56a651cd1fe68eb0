-- Legal entities (seed 000 §4.3, Fig. 10–12): a legal subscriber has contracts; each
-- contract is billed through its own account and serves metering points (the meters of a
-- point come with the meters issue).
ALTER TABLE subscribers ADD COLUMN legal_address text;

CREATE TABLE contracts (
    id            bigserial PRIMARY KEY,
    subscriber_id bigint NOT NULL REFERENCES subscribers (id),
    account_id    bigint NOT NULL REFERENCES accounts (id),
    number        text NOT NULL,
    signed_on     date NOT NULL,
    valid_to      date,
    CONSTRAINT contracts_number_key UNIQUE (number),
    CONSTRAINT contracts_account_key UNIQUE (account_id),
    CONSTRAINT contracts_period_check CHECK (valid_to IS NULL OR valid_to >= signed_on)
);
CREATE INDEX contracts_subscriber_idx ON contracts (subscriber_id);

CREATE TABLE metering_points (
    id          bigserial PRIMARY KEY,
    contract_id bigint NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    name        text NOT NULL,
    service_id  integer REFERENCES services (id),
    premises_id bigint REFERENCES premises (id),
    comment     text,
    CONSTRAINT metering_points_name_key UNIQUE (contract_id, name)
);
CREATE INDEX metering_points_service_idx ON metering_points (service_id);
CREATE INDEX metering_points_premises_idx ON metering_points (premises_id);
