-- What closing a period must know: which buildings' invoices were formed from data that
-- has changed since. Every writer of a period's data (payments, readings, subsidies)
-- raises the version of the building it touched; each calculation chunk reads the versions
-- of its buildings before it reads their data and records them with the invoices it
-- writes. A building whose version moved past what its invoices were formed from is stale.
CREATE TABLE period_touches (
    period      date NOT NULL,
    building_id integer NOT NULL,
    version     bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (period, building_id)
);
CREATE TABLE period_formed (
    period      date NOT NULL,
    building_id integer NOT NULL,
    version     bigint NOT NULL,
    PRIMARY KEY (period, building_id)
);
