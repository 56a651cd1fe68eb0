-- The daily recount of the account rows' residents (people move in and out on dates
-- entered beforehand, so a count kept on change alone goes stale at midnight): one row per
-- local day, inserted by the first worker tick of that day, which does the recount.
CREATE TABLE counter_runs (
    day      date PRIMARY KEY,
    accounts integer NOT NULL DEFAULT 0,
    at       timestamptz NOT NULL
);
