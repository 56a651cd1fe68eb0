-- Access control inside a tenant: roles with a permission matrix (document × action),
-- users' roles, scopes limited to branches, subscribers' accounts, and the audit log.
CREATE TABLE roles (
    id      serial PRIMARY KEY,
    code    text NOT NULL,
    name    text NOT NULL,
    builtin boolean NOT NULL DEFAULT false,
    CONSTRAINT roles_code_key UNIQUE (code),
    CONSTRAINT roles_code_format CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$')
);

CREATE TABLE role_permissions (
    role_id  integer NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    document text NOT NULL,
    action   text NOT NULL,
    PRIMARY KEY (role_id, document, action),
    CONSTRAINT role_permissions_document_check CHECK (document IN (
        'subscribers', 'accounts', 'meters', 'readings', 'payments', 'acts', 'invoices',
        'reports', 'reference_books', 'settings', 'users')),
    CONSTRAINT role_permissions_action_check CHECK (action IN ('view', 'create', 'update', 'delete'))
);

-- user_id points at public.users, which this schema's role cannot read: no foreign key.
CREATE TABLE user_roles (
    user_id uuid NOT NULL,
    role_id integer NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, role_id)
);

-- A user with rows here sees only these branches' accounts; none = all branches.
CREATE TABLE user_branches (
    user_id   uuid NOT NULL,
    branch_id integer NOT NULL REFERENCES branches (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, branch_id)
);

CREATE TABLE subscriber_accounts (
    user_id    uuid NOT NULL,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, account_id)
);

CREATE TABLE audit_log (
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
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at DESC);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);

INSERT INTO roles (code, name, builtin) VALUES
    ('tenant_admin', 'Tenant admin', true),
    ('operator', 'Operator', true),
    ('accountant', 'Accountant', true),
    ('controller', 'Controller (meter reader)', true),
    ('viewer', 'Viewer', true),
    ('subscriber', 'Subscriber', true);

WITH docs(d) AS (VALUES ('subscribers'), ('accounts'), ('meters'), ('readings'), ('payments'),
                        ('acts'), ('invoices'), ('reports'), ('reference_books'), ('settings'), ('users')),
     acts(a) AS (VALUES ('view'), ('create'), ('update'), ('delete')),
     matrix(code, d, a) AS (
        SELECT 'tenant_admin', d, a FROM docs, acts
        UNION ALL SELECT 'viewer', d, 'view' FROM docs WHERE d NOT IN ('users', 'settings')
        UNION ALL SELECT 'operator', d, 'view' FROM docs WHERE d NOT IN ('users', 'settings')
        UNION ALL SELECT 'operator', d, a FROM docs, acts
            WHERE d IN ('subscribers', 'accounts', 'meters', 'readings', 'payments', 'acts', 'invoices')
              AND a IN ('create', 'update')
        UNION ALL SELECT 'operator', d, 'delete' FROM docs WHERE d IN ('readings', 'payments')
        UNION ALL SELECT 'accountant', d, 'view' FROM docs WHERE d NOT IN ('users', 'settings')
        UNION ALL SELECT 'accountant', d, a FROM docs, acts
            WHERE d IN ('payments', 'acts', 'invoices') AND a IN ('create', 'update', 'delete')
        UNION ALL SELECT 'controller', d, 'view' FROM docs WHERE d IN ('subscribers', 'accounts', 'meters', 'readings')
        UNION ALL SELECT 'controller', 'readings', a FROM acts WHERE a IN ('create', 'update')
        UNION ALL SELECT 'controller', 'meters', 'update'
     )
INSERT INTO role_permissions (role_id, document, action)
SELECT r.id, m.d, m.a FROM matrix m JOIN roles r ON r.code = m.code;
