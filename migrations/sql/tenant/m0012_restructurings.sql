-- Debt restructuring agreements (seed 001): a debt paid in monthly instalments from a
-- first period on. The schedule is computed once, when the agreement is made
-- (`domain::restructuring::schedule`), and kept; cancelling keeps it for the record.
CREATE TABLE restructurings (
    id           bigserial PRIMARY KEY,
    account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    number       text NOT NULL,
    signed_on    date NOT NULL,
    debt         numeric(14, 2) NOT NULL,
    months       integer NOT NULL,
    first_period date NOT NULL,
    status       text NOT NULL DEFAULT 'active',
    CONSTRAINT restructurings_number_key UNIQUE (number),
    CONSTRAINT restructurings_status_check CHECK (status IN ('active', 'cancelled')),
    CONSTRAINT restructurings_terms_check CHECK (debt > 0 AND months BETWEEN 1 AND 120)
);
-- At most one active agreement per account.
CREATE UNIQUE INDEX restructurings_one_active_idx ON restructurings (account_id) WHERE status = 'active';

CREATE TABLE restructuring_instalments (
    restructuring_id bigint NOT NULL REFERENCES restructurings (id) ON DELETE CASCADE,
    period           date NOT NULL,
    amount           numeric(14, 2) NOT NULL,
    PRIMARY KEY (restructuring_id, period)
);
