-- Moratoria on penalties (issue 20, the penalty statement): dated intervals, both days
-- included, on which no penalty accrues under a rule. Pre-filled with the Russian
-- moratoria (Government decrees 424 of 2020 and 497 of 2022), which apply to the Russian
-- rule only; a tenant adds its own.
CREATE TABLE penalty_moratoria (
    id        serial PRIMARY KEY,
    rule      text NOT NULL,
    starts_on date NOT NULL,
    ends_on   date NOT NULL,
    note      text NOT NULL DEFAULT '',
    CONSTRAINT penalty_moratoria_rule_check CHECK (rule IN ('ukraine', 'russia')),
    CONSTRAINT penalty_moratoria_days_check CHECK (ends_on >= starts_on)
);
INSERT INTO penalty_moratoria (rule, starts_on, ends_on, note) VALUES
    ('russia', DATE '2020-04-06', DATE '2021-01-01', 'Постановление Правительства РФ № 424 от 02.04.2020'),
    ('russia', DATE '2022-03-31', DATE '2022-10-01', 'Постановление Правительства РФ № 497 от 28.03.2022');
