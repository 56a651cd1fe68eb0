-- Subscribers (individuals and legal entities), accounts opened for premises, and the
-- residents of an account with registration and actual-living periods.
CREATE TABLE subscribers (
    id          bigserial PRIMARY KEY,
    kind        text NOT NULL DEFAULT 'individual',
    last_name   text,
    first_name  text,
    middle_name text,
    legal_name  text,
    tax_id      text,
    phone       text,
    email       text,
    birth_date  date,
    comment     text,
    CONSTRAINT subscribers_kind_check CHECK (kind IN ('individual', 'legal')),
    CONSTRAINT subscribers_name_check CHECK (
        (kind = 'individual' AND last_name IS NOT NULL) OR (kind = 'legal' AND legal_name IS NOT NULL))
);

ALTER TABLE accounts
    ADD COLUMN subscriber_id bigint REFERENCES subscribers (id),
    ADD COLUMN premises_id   bigint REFERENCES premises (id),
    ADD COLUMN status        text NOT NULL DEFAULT 'approved',
    ADD COLUMN opened_on     date,
    ADD COLUMN closed_on     date,
    ADD COLUMN no_penalty    boolean NOT NULL DEFAULT false,
    ADD COLUMN comment       text,
    ADD CONSTRAINT accounts_status_check CHECK (status IN ('draft', 'approved', 'suspended', 'closed', 'annulled')),
    ADD CONSTRAINT accounts_closed_check CHECK (closed_on IS NULL OR opened_on IS NULL OR closed_on >= opened_on);

CREATE TABLE residents (
    id              bigserial PRIMARY KEY,
    account_id      bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    full_name       text NOT NULL,
    birth_date      date,
    registered_from date,
    registered_to   date,
    living_from     date,
    living_to       date,
    CONSTRAINT residents_registered_check CHECK (registered_to IS NULL OR registered_from IS NULL OR registered_to >= registered_from),
    CONSTRAINT residents_living_check CHECK (living_to IS NULL OR living_from IS NULL OR living_to >= living_from)
);

CREATE INDEX accounts_subscriber_idx ON accounts (subscriber_id);
CREATE INDEX accounts_premises_idx ON accounts (premises_id);
CREATE INDEX residents_account_idx ON residents (account_id);
