-- Scheduled reports (issue 20; seed 000 §4.8 "formed automatically at a set time"): a
-- report of the catalogue with its parameters, when it is formed (daily, weekly on a
-- weekday, monthly on a day, from a local hour) and who receives it. The report is read
-- with the reach its author had. A run is a row keyed by schedule and local day: whoever
-- inserts it first forms it, so several workers ticking at once form it once.
CREATE TABLE report_schedules (
    id           bigserial PRIMARY KEY,
    title        text NOT NULL,
    report       jsonb NOT NULL,
    period_rule  text NOT NULL DEFAULT 'last_closed',
    frequency    text NOT NULL,
    weekday      smallint,
    month_day    smallint,
    hour         smallint NOT NULL,
    recipients   text[] NOT NULL,
    lang         text NOT NULL,
    reach        jsonb NOT NULL DEFAULT '{}',
    author_id    uuid,
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL,
    CONSTRAINT report_schedules_period_rule_check CHECK (period_rule IN ('open', 'last_closed')),
    CONSTRAINT report_schedules_frequency_check CHECK (frequency IN ('daily', 'weekly', 'monthly')),
    CONSTRAINT report_schedules_weekday_check CHECK (weekday BETWEEN 1 AND 7),
    CONSTRAINT report_schedules_month_day_check CHECK (month_day BETWEEN 1 AND 31),
    CONSTRAINT report_schedules_hour_check CHECK (hour BETWEEN 0 AND 23),
    CONSTRAINT report_schedules_recipients_check CHECK (cardinality(recipients) BETWEEN 1 AND 20)
);

CREATE TABLE report_runs (
    schedule_id bigint NOT NULL REFERENCES report_schedules (id) ON DELETE CASCADE,
    slot        date NOT NULL,
    job_id      uuid,
    mailed_at   timestamptz,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (schedule_id, slot)
);
