-- What each tenant takes up — its tables and indexes, its files in the object store —
-- measured once a day by the worker. The console measured every tenant on each view: a
-- walk of the store and every relation's size per tenant, seconds at a few hundred
-- tenants (and past the browser's patience under load).
CREATE TABLE public.tenant_usage (
    slug text PRIMARY KEY,
    database_bytes bigint NOT NULL CHECK (database_bytes >= 0),
    file_bytes bigint NOT NULL CHECK (file_bytes >= 0),
    files bigint NOT NULL CHECK (files >= 0),
    measured_at timestamptz NOT NULL
);
-- The one measuring round: claimed by a worker (started_at), done (finished_at).
CREATE TABLE public.usage_rounds (
    id smallint PRIMARY KEY CHECK (id = 1),
    started_at timestamptz,
    finished_at timestamptz
);
INSERT INTO public.usage_rounds (id) VALUES (1);
