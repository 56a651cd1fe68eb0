-- Files in the Ukrainian DOS code page cp1125 (RST 2018-91: cp866 with Ґ ґ Є є І і Ї ї at
-- 0xF2–0xF9), which social-protection offices' and old Ukrainian systems' DBF and text
-- files use, for the data imports and the bank payment files alike.
ALTER TABLE import_templates
    DROP CONSTRAINT import_templates_encoding_check,
    ADD CONSTRAINT import_templates_encoding_check CHECK (encoding IN ('utf-8', 'cp1251', 'cp866', 'cp1125'));
ALTER TABLE payment_templates
    DROP CONSTRAINT payment_templates_encoding_check,
    ADD CONSTRAINT payment_templates_encoding_check CHECK (encoding IN ('utf-8', 'cp1251', 'cp866', 'cp1125'));

INSERT INTO import_templates (kind, name, format, encoding, delimiter, skip_lines)
SELECT k, 'DBF (cp1125)', 'dbf', 'cp1125', ';', 0
FROM unnest(ARRAY['residents', 'resident_list', 'meters', 'balances', 'beneficiaries', 'subsidies']) k;
