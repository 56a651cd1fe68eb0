-- The first tenant tables: a minimal account list (the registry issue extends it into
-- subscribers, premises and accounts) and the record of every background job.
CREATE TABLE branches (
    id   serial PRIMARY KEY,
    code text NOT NULL,
    name text NOT NULL,
    CONSTRAINT branches_code_key UNIQUE (code)
);

CREATE TABLE accounts (
    id           bigserial PRIMARY KEY,
    number       text NOT NULL,
    holder_name  text NOT NULL,
    address      text NOT NULL,
    residents    integer NOT NULL DEFAULT 0,
    branch_id    integer REFERENCES branches (id),
    account_type text NOT NULL DEFAULT 'individual',
    meters       integer NOT NULL DEFAULT 0,
    balance      numeric(14, 2) NOT NULL DEFAULT 0,
    CONSTRAINT accounts_number_key UNIQUE (number),
    CONSTRAINT accounts_residents_check CHECK (residents >= 0),
    CONSTRAINT accounts_type_check CHECK (account_type IN ('individual', 'legal'))
);

-- One row per job ever requested. The queue (Redis) only carries the id; this table is
-- the truth about state, so a job is visible and idempotent even if Redis loses it.
CREATE TABLE jobs (
    id          uuid PRIMARY KEY,
    kind        text NOT NULL,
    params      jsonb NOT NULL,
    state       text NOT NULL,
    attempts    integer NOT NULL DEFAULT 0,
    progress    integer NOT NULL DEFAULT 0,
    error       text,
    result      jsonb,
    created_at  timestamptz NOT NULL,
    started_at  timestamptz,
    finished_at timestamptz,
    -- While running: until when this attempt owns the row (see jobs::runner).
    lease_until timestamptz,
    CONSTRAINT jobs_state_check CHECK (state IN ('queued', 'running', 'retrying', 'done', 'failed')),
    CONSTRAINT jobs_progress_check CHECK (progress BETWEEN 0 AND 100)
);
CREATE INDEX jobs_created_at_idx ON jobs (created_at DESC);
