-- Kazakhstan's penalty (the NBK base rate a day of delay) and Bulgaria's legal interest
-- (the base rate + 10 points, from 2026 the ECB's rate + 8, over 360 days) beside the
-- Ukrainian and Russian rules (domain::billing::PenaltyRule).
ALTER TABLE billing_settings DROP CONSTRAINT billing_settings_penalty;
ALTER TABLE billing_settings ADD CONSTRAINT billing_settings_penalty
    CHECK (penalty_rule IN ('off', 'ukraine', 'russia', 'kazakhstan', 'bulgaria'));
ALTER TABLE penalty_moratoria DROP CONSTRAINT penalty_moratoria_rule_check;
ALTER TABLE penalty_moratoria ADD CONSTRAINT penalty_moratoria_rule_check
    CHECK (rule IN ('ukraine', 'russia', 'kazakhstan', 'bulgaria'));
