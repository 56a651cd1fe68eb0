-- Search by account number, holder name or address, fast on a tenant of a million
-- accounts: trigram indexes for "contains" matches (the operator class lives in public).
CREATE INDEX accounts_holder_trgm_idx ON accounts USING gin (holder_name public.gin_trgm_ops);
CREATE INDEX accounts_address_trgm_idx ON accounts USING gin (address public.gin_trgm_ops);
CREATE INDEX accounts_number_trgm_idx ON accounts USING gin (number public.gin_trgm_ops);
CREATE INDEX subscribers_tax_id_idx ON subscribers (tax_id);
