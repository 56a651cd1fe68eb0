-- Three more data imports (issue 21): tariffs of price lists, the penalty base rate table
-- (the NBU's discount rates from its .dbf) and beneficiaries (seed 001 §4.1, §5.2).
ALTER TABLE import_templates
    DROP CONSTRAINT import_templates_kind_check,
    ADD CONSTRAINT import_templates_kind_check CHECK (kind IN ('tariffs', 'penalty_rates', 'accounts', 'residents',
        'resident_list', 'meters', 'balances', 'beneficiaries', 'subsidies'));
ALTER TABLE import_files
    DROP CONSTRAINT import_files_kind_check,
    ADD CONSTRAINT import_files_kind_check CHECK (kind IN ('tariffs', 'penalty_rates', 'accounts', 'residents',
        'resident_list', 'meters', 'balances', 'beneficiaries', 'subsidies'));

INSERT INTO import_templates (kind, name, format, encoding, delimiter, skip_lines)
SELECT k, n, f, e, ';', s
FROM unnest(ARRAY['tariffs', 'penalty_rates', 'beneficiaries']) k,
     (VALUES ('CSV (UTF-8, ;)', 'csv', 'utf-8', 1), ('CSV (Windows-1251, ;)', 'csv', 'cp1251', 1),
             ('XLSX / XLS', 'xlsx', 'utf-8', 1), ('DBF (cp866)', 'dbf', 'cp866', 0),
             ('DBF (cp1251)', 'dbf', 'cp1251', 0)) AS t(n, f, e, s);
