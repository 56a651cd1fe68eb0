-- A house-meter top-up (seed 002: «добір по послузі по будинковому лічильнику для закритих
-- періодів»): a building meter's consumption of a closed month that came late, carried by
-- a data-update act and spread over the house when the act recomputes the month.
CREATE TABLE act_house_readings (
    act_id      bigint NOT NULL REFERENCES acts (id) ON DELETE CASCADE,
    meter_id    bigint NOT NULL REFERENCES meters (id),
    period      date NOT NULL,
    consumption numeric(14, 4) NOT NULL,
    PRIMARY KEY (act_id, meter_id, period),
    CONSTRAINT act_house_readings_period_check CHECK (extract(day FROM period) = 1),
    CONSTRAINT act_house_readings_consumption_check CHECK (consumption >= 0)
);
CREATE INDEX act_house_readings_meter ON act_house_readings (meter_id, period);
