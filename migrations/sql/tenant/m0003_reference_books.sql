-- The first reference books (seed 000 Fig. 14–15, seed 001 §4.1): simple code + name
-- lists with a few attributes each. Rows still referenced elsewhere cannot be deleted
-- (foreign keys without ON DELETE), so "delete refused while in use" is the database's.
ALTER TABLE branches ADD COLUMN active boolean NOT NULL DEFAULT true;

CREATE TABLE banks (
    id     serial PRIMARY KEY,
    code   text NOT NULL,
    name   text NOT NULL,
    tax_id text,
    iban   text,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT banks_code_key UNIQUE (code)
);

CREATE TABLE payment_types (
    id      serial PRIMARY KEY,
    code    text NOT NULL,
    name    text NOT NULL,
    channel text NOT NULL DEFAULT 'bank',
    active  boolean NOT NULL DEFAULT true,
    CONSTRAINT payment_types_code_key UNIQUE (code),
    CONSTRAINT payment_types_channel_check CHECK (channel IN ('bank', 'cash_desk', 'online', 'other'))
);

CREATE TABLE recalculation_reasons (
    id     serial PRIMARY KEY,
    code   text NOT NULL,
    name   text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT recalculation_reasons_code_key UNIQUE (code)
);

CREATE TABLE account_types (
    id     serial PRIMARY KEY,
    code   text NOT NULL,
    name   text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT account_types_code_key UNIQUE (code)
);

-- Employees, controllers (meter readers) among them.
CREATE TABLE employees (
    id            serial PRIMARY KEY,
    code          text NOT NULL,
    name          text NOT NULL,
    position      text,
    is_controller boolean NOT NULL DEFAULT false,
    active        boolean NOT NULL DEFAULT true,
    CONSTRAINT employees_code_key UNIQUE (code)
);

CREATE TABLE journals (
    id     serial PRIMARY KEY,
    code   text NOT NULL,
    name   text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT journals_code_key UNIQUE (code)
);

INSERT INTO payment_types (code, name, channel) VALUES
    ('bank', 'Банк', 'bank'), ('cash', 'Каса', 'cash_desk'), ('online', 'Онлайн', 'online');
INSERT INTO recalculation_reasons (code, name) VALUES
    ('interruption', 'Перерва в наданні послуги'),
    ('quality', 'Невідповідність санітарним нормам'),
    ('temperature', 'Невідповідність температури'),
    ('absence', 'Відсутність споживача');
INSERT INTO account_types (code, name) VALUES ('individual', 'Фізична особа'), ('legal', 'Юридична особа');

-- A branch still limiting a user's access is in use: deleting it must not silently widen
-- that user's scope to every branch.
ALTER TABLE user_branches
    DROP CONSTRAINT user_branches_branch_id_fkey,
    ADD CONSTRAINT user_branches_branch_id_fkey FOREIGN KEY (branch_id) REFERENCES branches (id);
