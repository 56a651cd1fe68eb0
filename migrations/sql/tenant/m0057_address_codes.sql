-- Issue 22: the address book's own codes and postal indexes (seed 001 §2.1, §6.4): a
-- locality, a street and a building each carry the utility's code for it and the postal
-- index; a building's index is needed where one street has two post offices. Codes are
-- free text (the utility's or the state register's), unique where given.
ALTER TABLE localities ADD COLUMN code text NOT NULL DEFAULT '',
    ADD COLUMN postal_code text NOT NULL DEFAULT '',
    ADD CONSTRAINT localities_postal_code_check CHECK (postal_code ~ '^[0-9A-Z -]{0,10}$'),
    ADD CONSTRAINT localities_code_check CHECK (length(code) <= 20);
ALTER TABLE streets ADD COLUMN code text NOT NULL DEFAULT '',
    ADD COLUMN postal_code text NOT NULL DEFAULT '',
    ADD CONSTRAINT streets_postal_code_check CHECK (postal_code ~ '^[0-9A-Z -]{0,10}$'),
    ADD CONSTRAINT streets_code_check CHECK (length(code) <= 20);
ALTER TABLE buildings ADD COLUMN code text NOT NULL DEFAULT '',
    ADD COLUMN postal_code text NOT NULL DEFAULT '',
    ADD CONSTRAINT buildings_postal_code_check CHECK (postal_code ~ '^[0-9A-Z -]{0,10}$'),
    ADD CONSTRAINT buildings_code_check CHECK (length(code) <= 20);
CREATE UNIQUE INDEX localities_code_key ON localities (code) WHERE code <> '';
CREATE UNIQUE INDEX streets_code_key ON streets (locality_id, code) WHERE code <> '';
CREATE UNIQUE INDEX buildings_code_key ON buildings (code) WHERE code <> '';
