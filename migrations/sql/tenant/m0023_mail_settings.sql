-- The tenant's own outgoing mail server for invoices and reminders (the platform's is used
-- while `host` is empty). The password is sealed (ChaCha20-Poly1305, the deployment's key):
-- the database never holds it in the clear.
CREATE TABLE mail_settings (
    id             boolean PRIMARY KEY DEFAULT true,
    host           text NOT NULL DEFAULT '',
    port           integer NOT NULL DEFAULT 587,
    tls            text NOT NULL DEFAULT 'starttls',
    login          text NOT NULL DEFAULT '',
    password_enc   bytea,
    sender_name    text NOT NULL DEFAULT '',
    sender_address text NOT NULL DEFAULT '',
    CONSTRAINT mail_settings_one CHECK (id),
    CONSTRAINT mail_settings_tls CHECK (tls IN ('none', 'starttls', 'tls')),
    CONSTRAINT mail_settings_port CHECK (port BETWEEN 1 AND 65535)
);
INSERT INTO mail_settings DEFAULT VALUES;

-- Invoices sent by e-mail: one message per account and period, its state (queued, sent,
-- failed with the reason) and attempts; a sent one is not sent again unless asked.
CREATE TABLE invoice_mails (
    account_id bigint NOT NULL,
    period     date NOT NULL,
    email      text NOT NULL,
    state      text NOT NULL DEFAULT 'queued',
    attempts   integer NOT NULL DEFAULT 0,
    error      text,
    job_id     uuid,
    queued_at  timestamptz NOT NULL,
    sent_at    timestamptz,
    PRIMARY KEY (account_id, period),
    CONSTRAINT invoice_mails_state CHECK (state IN ('queued', 'sent', 'failed'))
);
