-- Issue 22: the meter card's passport (seed 000 Fig. 12 and 14, seed 001 §6.7): who made
-- it and when, who installed it and when it was commissioned (put into service, which may
-- follow the installation), whether it is read remotely, whether it is virtual (a
-- computed point with no device, e.g. a building's difference meter), whose balance it is
-- on (the subscriber's or the utility's), the riser and entrance it sits on, and a note.
ALTER TABLE meters
    ADD COLUMN manufacturer    text,
    ADD COLUMN manufactured_on date,
    ADD COLUMN installer       text,
    ADD COLUMN commissioned_on date,
    ADD COLUMN remote_reading  boolean NOT NULL DEFAULT false,
    ADD COLUMN is_virtual      boolean NOT NULL DEFAULT false,
    ADD COLUMN balance_owner   text,
    ADD COLUMN riser           integer,
    ADD COLUMN entrance        integer,
    ADD COLUMN note            text,
    ADD CONSTRAINT meters_balance_owner_check CHECK (balance_owner IN ('subscriber', 'utility')),
    ADD CONSTRAINT meters_made_check CHECK (manufactured_on IS NULL OR manufactured_on <= installed_on),
    ADD CONSTRAINT meters_commissioned_check CHECK (commissioned_on IS NULL OR commissioned_on >= installed_on),
    ADD CONSTRAINT meters_position_check CHECK ((riser IS NULL OR riser > 0) AND (entrance IS NULL OR entrance > 0));
