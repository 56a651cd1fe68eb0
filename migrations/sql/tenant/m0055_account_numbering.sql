-- Issue 22: how new accounts are numbered (seed 001 §4.3, the note before creating
-- accounts: automatic numbering, the number's format and length, padding with zeros).
-- One row. Automatic: the prefix, then the next free number padded with zeros to the
-- length; manual: the operator types every number.
CREATE TABLE account_numbering (
    id     boolean PRIMARY KEY DEFAULT true,
    auto   boolean NOT NULL DEFAULT true,
    prefix text NOT NULL DEFAULT '',
    length integer NOT NULL DEFAULT 6,
    CONSTRAINT account_numbering_one CHECK (id),
    CONSTRAINT account_numbering_length_check CHECK (length BETWEEN 1 AND 20),
    CONSTRAINT account_numbering_prefix_check CHECK (prefix ~ '^[0-9]{0,10}$' AND length(prefix) < length)
);
INSERT INTO account_numbering DEFAULT VALUES;
