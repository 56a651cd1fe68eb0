-- Tenants of the platform. Each owns schema tenant_<slug>.
CREATE TABLE public.tenants (
    id           uuid PRIMARY KEY,
    slug         text NOT NULL,
    name         text NOT NULL,
    currency     text NOT NULL DEFAULT 'UAH',
    locale       text NOT NULL DEFAULT 'uk',
    time_zone    text NOT NULL DEFAULT 'Europe/Kyiv',
    jurisdiction text NOT NULL DEFAULT 'UA',
    status       text NOT NULL DEFAULT 'active',
    created_at   timestamptz NOT NULL,
    CONSTRAINT tenants_slug_key UNIQUE (slug),
    CONSTRAINT tenants_slug_format CHECK (slug ~ '^[a-z][a-z0-9_]{1,39}$'),
    CONSTRAINT tenants_locale_check CHECK (locale IN ('ru', 'uk', 'en')),
    CONSTRAINT tenants_jurisdiction_check CHECK (jurisdiction IN ('UA', 'RU', 'BG', 'EU')),
    CONSTRAINT tenants_status_check CHECK (status IN ('active', 'suspended'))
);
