-- Seed 001 §2 «Наражовувати пеню при наявності договору реструктуризації»: by default an
-- account is charged no penalty in the months of an active restructuring agreement; a
-- tenant that charges it anyway turns this on.
ALTER TABLE billing_settings ADD COLUMN penalty_under_agreement boolean NOT NULL DEFAULT false;
