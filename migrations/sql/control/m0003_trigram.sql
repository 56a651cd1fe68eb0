-- Trigram indexes make "contains" searches (name, address) fast on big tenants.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
