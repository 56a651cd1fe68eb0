-- The code a subscriber registers in the portal with, beside the account number: printed
-- on the account's invoice (made when first printed or shown), renewed by the office.
CREATE TABLE portal_codes (
    account_id bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    code       text NOT NULL,
    created_at timestamptz NOT NULL
);
