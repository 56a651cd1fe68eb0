-- Identity: users (staff, subscribers, platform admins), sessions, password policy and
-- single sign-on settings per tenant, and the platform's own audit trail.
ALTER TABLE public.tenants
    ADD COLUMN password_min_length integer NOT NULL DEFAULT 10,
    ADD COLUMN password_require_mixed boolean NOT NULL DEFAULT true,
    ADD COLUMN password_forbid_login boolean NOT NULL DEFAULT true,
    ADD COLUMN sso_issuer text,
    ADD COLUMN sso_client_id text,
    ADD COLUMN sso_client_secret text,
    ADD CONSTRAINT tenants_password_min_length_check CHECK (password_min_length BETWEEN 6 AND 128);

CREATE TABLE public.users (
    id                  uuid PRIMARY KEY,
    tenant_id           uuid REFERENCES public.tenants (id) ON DELETE CASCADE,
    login               text NOT NULL,
    email               text,
    display_name        text NOT NULL,
    kind                text NOT NULL,
    password_hash       text,
    locale              text,
    active              boolean NOT NULL DEFAULT true,
    created_at          timestamptz NOT NULL,
    password_changed_at timestamptz,
    CONSTRAINT users_kind_check CHECK (kind IN ('platform', 'staff', 'subscriber')),
    CONSTRAINT users_platform_has_no_tenant CHECK ((kind = 'platform') = (tenant_id IS NULL)),
    CONSTRAINT users_locale_check CHECK (locale IS NULL OR locale IN ('ru', 'uk', 'en'))
);
-- Logins are unique across the platform, whatever their case, so the sign-in form needs
-- no tenant field.
CREATE UNIQUE INDEX users_login_key ON public.users (lower(login));
CREATE UNIQUE INDEX users_tenant_email_key ON public.users (tenant_id, lower(email)) WHERE email IS NOT NULL;
CREATE INDEX users_tenant_idx ON public.users (tenant_id);

CREATE TABLE public.sessions (
    id           uuid PRIMARY KEY,
    token_hash   bytea NOT NULL,
    csrf_hash    bytea,
    user_id      uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
    kind         text NOT NULL,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    client_addr  text,
    CONSTRAINT sessions_token_hash_key UNIQUE (token_hash),
    CONSTRAINT sessions_kind_check CHECK (kind IN ('cookie', 'bearer'))
);
CREATE INDEX sessions_user_idx ON public.sessions (user_id);

-- Single sign-on round trips in flight (state → nonce and PKCE verifier), a few minutes each.
CREATE TABLE public.sso_requests (
    state         text PRIMARY KEY,
    tenant_id     uuid NOT NULL REFERENCES public.tenants (id) ON DELETE CASCADE,
    nonce         text NOT NULL,
    pkce_verifier text NOT NULL,
    created_at    timestamptz NOT NULL
);

CREATE TABLE public.platform_audit (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor_id    uuid,
    actor_login text,
    entity      text NOT NULL,
    entity_id   text NOT NULL,
    action      text NOT NULL,
    before      jsonb,
    after       jsonb
);
CREATE INDEX platform_audit_at_idx ON public.platform_audit (at DESC);
