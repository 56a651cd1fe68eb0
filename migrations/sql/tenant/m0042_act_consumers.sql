-- Seed 002: every act names up to two consumers («Споживач 1», «Споживач 2») from the
-- counterparties and their accounts — who the act concerns besides its scope (the
-- neighbour who reported a leak, the owner and the tenant). Informational; an account
-- identifies its counterparty.
ALTER TABLE acts
    ADD COLUMN consumer1_account_id bigint REFERENCES accounts (id),
    ADD COLUMN consumer2_account_id bigint REFERENCES accounts (id);
