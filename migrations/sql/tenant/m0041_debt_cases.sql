-- Debt collection (issue 20; seed 000's «Суд» field): a debtor's case as a history of
-- states with their days — a notice sent, an agreement, in court, paid. The latest entry
-- (by day, then by entry) is the account's state.
CREATE TABLE debt_cases (
    id         bigserial PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status     text NOT NULL,
    since      date NOT NULL,
    note       text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    CONSTRAINT debt_cases_status_check CHECK (status IN ('notice_sent', 'agreement', 'court', 'paid'))
);
CREATE INDEX debt_cases_account ON debt_cases (account_id, since DESC, id DESC);
