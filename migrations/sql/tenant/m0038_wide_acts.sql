-- Recalculation and data-update acts over a branch or every account (seed 002: «Тип
-- розподілу»: будинок, підрозділ, особовий рахунок, or none = every account). Their lines
-- are computed by a worker job (`job_id`); while `computing`, the act cannot be approved.
ALTER TABLE acts
    ADD COLUMN branch_id    integer REFERENCES branches (id),
    ADD COLUMN all_accounts boolean NOT NULL DEFAULT false,
    ADD COLUMN computing    boolean NOT NULL DEFAULT false,
    ADD COLUMN job_id       uuid;
CREATE INDEX acts_branch ON acts (branch_id) WHERE branch_id IS NOT NULL;
