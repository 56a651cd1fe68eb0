-- Word search over an account's number, holder and address: every word typed must start
-- a word of the account (so "кова олекс" finds "Коваленко Олександр"). A full-text index
-- answers that on a million accounts in milliseconds, where "contains" trigram matches of
-- common names did not.
DROP INDEX accounts_holder_trgm_idx;
DROP INDEX accounts_address_trgm_idx;
DROP INDEX accounts_number_trgm_idx;
ALTER TABLE accounts ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', number || ' ' || holder_name || ' ' || address)) STORED;
CREATE INDEX accounts_search_idx ON accounts USING gin (search);
