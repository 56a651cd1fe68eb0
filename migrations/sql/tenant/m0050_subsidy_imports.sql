-- The social-protection office's monthly subsidies as a data import (seed 001 §5.3), with
-- the template's rules for the sewerage lines: `rules` = {"fallback": {"<code>": "<code>"},
-- "split": {"<code>": [["<code>", percent], …]}} (imports::post::SubsidyRules).
ALTER TABLE import_templates
    ADD COLUMN rules jsonb NOT NULL DEFAULT '{}',
    DROP CONSTRAINT import_templates_kind_check,
    ADD CONSTRAINT import_templates_kind_check CHECK (kind IN ('accounts', 'residents', 'resident_list', 'meters', 'balances', 'subsidies'));
ALTER TABLE import_files
    DROP CONSTRAINT import_files_kind_check,
    ADD CONSTRAINT import_files_kind_check CHECK (kind IN ('accounts', 'residents', 'resident_list', 'meters', 'balances', 'subsidies'));

INSERT INTO import_templates (kind, name, format, encoding, delimiter, skip_lines)
VALUES ('subsidies', 'CSV (UTF-8, ;)', 'csv', 'utf-8', ';', 1),
       ('subsidies', 'CSV (Windows-1251, ;)', 'csv', 'cp1251', ';', 1),
       ('subsidies', 'XLSX / XLS', 'xlsx', 'utf-8', ';', 1),
       ('subsidies', 'DBF (cp866)', 'dbf', 'cp866', ';', 0),
       ('subsidies', 'DBF (cp1251)', 'dbf', 'cp1251', ';', 0);
