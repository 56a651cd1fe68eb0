-- One-time password links sent by e-mail: an invitation (a new user sets their first
-- password; a week) and a forgotten password (an hour). Only a SHA-256 of the token is
-- kept; a link is used once, and a newer link of the same purpose ends the older ones.
CREATE TABLE public.password_links (
    token_hash bytea PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
    purpose    text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    CONSTRAINT password_links_purpose_check CHECK (purpose IN ('invite', 'reset'))
);
CREATE INDEX password_links_user_idx ON public.password_links (user_id, purpose);

-- What the platform console shows and the tenant decides: the kind of business (its
-- presets and its place in the console's filters) and whether subscribers may register
-- in the portal themselves (with the account number and the code on the invoice).
ALTER TABLE public.tenants
    ADD COLUMN business_kind text NOT NULL DEFAULT 'water',
    ADD COLUMN portal_registration boolean NOT NULL DEFAULT true,
    ADD CONSTRAINT tenants_business_kind_check
        CHECK (business_kind IN ('water', 'housing', 'hoa', 'electricity'));

-- A tenant's data exported by the platform operator (its backup, zipped, in the object
-- store under `platform/exports/`): kept when the tenant is deleted, and a tenant is
-- deleted only after a finished export.
CREATE TABLE public.tenant_exports (
    id          bigserial PRIMARY KEY,
    slug        text NOT NULL,
    job_id      uuid,
    state       text NOT NULL DEFAULT 'running',
    object_key  text,
    size        bigint,
    message     text,
    created_at  timestamptz NOT NULL,
    created_by  text NOT NULL,
    done_at     timestamptz,
    CONSTRAINT tenant_exports_state_check CHECK (state IN ('running', 'done', 'failed'))
);
CREATE INDEX tenant_exports_slug_idx ON public.tenant_exports (slug, created_at DESC);
