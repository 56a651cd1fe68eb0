-- Idempotency keys of mutations a user may send twice (a payment, posting a batch, paying
-- a refused bank-file row): the first request claims the key and records its result in its
-- own transaction; a repeat returns that result. Kept for a day.
CREATE TABLE idempotency_keys (
    login       text NOT NULL,
    key         text NOT NULL,
    operation   text NOT NULL,
    fingerprint text NOT NULL,
    result      jsonb,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (login, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
