-- Issue 22: a resident removed from an account is kept, not lost (seed 001 §4.3: residents
-- are deleted logically and restored). The row moves here with who removed it and when,
-- and moves back, with its id, when restored; the residents table keeps only the people
-- the calculation counts, so none of its readers has to know about removed ones.
CREATE TABLE removed_residents (
    id              bigint PRIMARY KEY,
    account_id      bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    full_name       text NOT NULL,
    birth_date      date,
    registered_from date,
    registered_to   date,
    living_from     date,
    living_to       date,
    removed_at      timestamptz NOT NULL,
    removed_by      text NOT NULL
);
CREATE INDEX removed_residents_account_idx ON removed_residents (account_id);
