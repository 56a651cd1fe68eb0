-- Reminders to subscribers (seed 001 §4.1): submit meter readings and pay, each on a day of
-- the month the tenant chooses (NULL: not sent), from an hour of the tenant's local day.
ALTER TABLE mail_settings
    ADD COLUMN readings_reminder_day smallint,
    ADD COLUMN payment_reminder_day  smallint,
    ADD COLUMN reminder_hour         smallint NOT NULL DEFAULT 9,
    ADD CONSTRAINT mail_settings_reminder_days CHECK (
        readings_reminder_day BETWEEN 1 AND 31 AND payment_reminder_day BETWEEN 1 AND 31),
    ADD CONSTRAINT mail_settings_reminder_hour CHECK (reminder_hour BETWEEN 0 AND 23);

-- One run per kind and local day: whoever inserts it first (a worker's schedule tick or an
-- admin's "send now") queues the day's reminders; every other attempt finds it and stops.
CREATE TABLE reminder_runs (
    kind         text NOT NULL,
    run_on       date NOT NULL,
    -- The open period when the run started: the readings asked for, the invoice to pay.
    period       date NOT NULL,
    requested_by text NOT NULL,
    job_id       uuid,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (kind, run_on),
    CONSTRAINT reminder_runs_kind CHECK (kind IN ('readings', 'payment'))
);

-- One message per run and account: queued, sent, failed with the reason, or skipped (by the
-- time it went there was nothing left to ask: readings submitted, the invoice paid).
CREATE TABLE reminder_mails (
    kind       text NOT NULL,
    run_on     date NOT NULL,
    account_id bigint NOT NULL,
    email      text NOT NULL,
    state      text NOT NULL DEFAULT 'queued',
    attempts   integer NOT NULL DEFAULT 0,
    error      text,
    job_id     uuid,
    sent_at    timestamptz,
    PRIMARY KEY (kind, run_on, account_id),
    FOREIGN KEY (kind, run_on) REFERENCES reminder_runs (kind, run_on) ON DELETE CASCADE,
    CONSTRAINT reminder_mails_state CHECK (state IN ('queued', 'sent', 'failed', 'skipped'))
);

-- Readings the subscriber submitted in the portal keep their own source (`portal`), apart
-- from those a subscriber reported to an operator (`subscriber`).
ALTER TABLE readings DROP CONSTRAINT readings_source_check;
ALTER TABLE readings ADD CONSTRAINT readings_source_check
    CHECK (source IN ('operator', 'controller', 'subscriber', 'import', 'verification', 'portal'));
