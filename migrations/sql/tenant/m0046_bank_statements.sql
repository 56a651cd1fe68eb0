-- Bank statements in the formats banks send, as payment-file formats beside the column
-- templates: the 1C ClientBankExchange statement (`1c`), read for one settlement account
-- of the tenant's — the template's own, or else the one on the invoices
-- (`invoice_settings.account`). The statement's documents that are not payments to that
-- account (the tenant paying, money to another account) are kept in the protocol as
-- `skipped`, with the reason, and counted apart from the refused rows.
ALTER TABLE payment_templates
    DROP CONSTRAINT payment_templates_format_check,
    ADD CONSTRAINT payment_templates_format_check CHECK (format IN ('csv', 'xlsx', 'fixed', '1c')),
    ADD COLUMN own_account text;

ALTER TABLE payment_file_rows
    DROP CONSTRAINT payment_file_rows_outcome_check,
    ADD CONSTRAINT payment_file_rows_outcome_check CHECK (outcome IN ('paid', 'refused', 'matched', 'skipped'));

ALTER TABLE payment_files
    ADD COLUMN rows_skipped integer NOT NULL DEFAULT 0;

INSERT INTO payment_templates (name, format, encoding, delimiter, skip_lines, fields, date_format, sum_marker, count_marker, comment_prefix) VALUES
    -- The statement names its own encoding (`Кодировка=Windows|DOS`; UTF-8 is recognised).
    ('1C ClientBankExchange statement', '1c', 'cp1251', ';', 0, '{}', '%d.%m.%Y', NULL, NULL, NULL),
    -- The same Sberbank housing registry as the cp1251 one, from DOS-era branches.
    ('Registry ;-separated, #FILESUM (cp866)', 'csv', 'cp866', ';', 0,
     '{"paidOn": 1, "document": 3, "account": 5, "payer": 6, "address": 7, "amount": 9}',
     '%d-%m-%Y', '#FILESUM', '#FILELINES', '#'),
    -- Kaspi Bank's registry of payments (XLSX/XLS, one header row): №, date and time of the
    -- payment, transaction number, account, payer, address, amount.
    ('Kaspi Bank registry (XLSX)', 'xlsx', 'utf-8', ';', 1,
     '{"paidOn": 2, "document": 3, "account": 4, "payer": 5, "address": 6, "amount": 7}',
     '%d.%m.%Y', NULL, NULL, NULL),
    -- Kazpost's registry of payments (XLSX, one header row): account, payer, address,
    -- amount, date, receipt number.
    ('Kazpost registry (XLSX)', 'xlsx', 'utf-8', ';', 1,
     '{"account": 1, "payer": 2, "address": 3, "amount": 4, "paidOn": 5, "document": 6}',
     '%d.%m.%Y', NULL, NULL, NULL),
    -- The Ukrainian banks' (Privatbank, Oschadbank) registry CSV with a header row: date,
    -- document, the payer's ЄДРПОУ/ІПН, the payer, the payer's IBAN, the account (особовий
    -- рахунок), the amount, the purpose.
    ('Ukrainian bank registry CSV (ЄДРПОУ/IBAN)', 'csv', 'utf-8', ';', 1,
     '{"paidOn": 1, "document": 2, "payer": 4, "account": 6, "amount": 7}',
     '%d.%m.%Y', NULL, NULL, NULL);
