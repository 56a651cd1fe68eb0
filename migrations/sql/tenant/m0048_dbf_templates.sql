-- dBase tables (DBF) as a payment-file format: a field is a column by its order in the
-- table; character fields in the template's code page (cp866 in DOS-era systems, cp1251).
ALTER TABLE payment_templates
    DROP CONSTRAINT payment_templates_format_check,
    ADD CONSTRAINT payment_templates_format_check CHECK (format IN ('csv', 'xlsx', 'fixed', '1c', 'dbf'));

INSERT INTO payment_templates (name, format, encoding, delimiter, skip_lines, fields, date_format, sum_marker, count_marker, comment_prefix) VALUES
    -- A bank's or post office's DBF registry: account, payer, amount, date paid.
    ('DBF registry (cp866)', 'dbf', 'cp866', ';', 0,
     '{"account": 1, "payer": 2, "amount": 3, "paidOn": 4}', '%d.%m.%Y', NULL, NULL, NULL);
