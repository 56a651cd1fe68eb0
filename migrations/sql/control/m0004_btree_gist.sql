-- btree_gist lets one exclusion constraint keep an account's periods of a service from
-- overlapping (account, service with =, the period with &&).
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;
