-- Claim letters (issue 20, debt collection): the tenant's template — a title, a body with
-- placeholders ({holder}, {debt}, {deadline}…) and the days given to pay — and the letters
-- a job formed, one per job and account: whoever marks a letter done records the
-- account's "notice sent", so a job run again neither mails nor records it twice. Empty
-- texts mean the built-in template in the tenant's language.
CREATE TABLE claim_templates (
    id            boolean PRIMARY KEY DEFAULT true,
    title         text NOT NULL DEFAULT '',
    body          text NOT NULL DEFAULT '',
    deadline_days smallint NOT NULL DEFAULT 10,
    CONSTRAINT claim_templates_one_row CHECK (id),
    CONSTRAINT claim_templates_deadline_check CHECK (deadline_days BETWEEN 1 AND 90)
);
INSERT INTO claim_templates DEFAULT VALUES;

CREATE TABLE claim_letters (
    job_id     uuid NOT NULL,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    email      text NOT NULL DEFAULT '',
    delivery   text,
    done_at    timestamptz,
    PRIMARY KEY (job_id, account_id),
    CONSTRAINT claim_letters_delivery_check CHECK (delivery IN ('mailed', 'printed'))
);
