-- Data imports (seed 001 §5, §4.3.2): accounts with their addresses, residents, meters and
-- opening balances from the files another system writes. One row per uploaded file (a ZIP
-- gives one row per file inside it), its protocol per row, and the tenant's layouts.

-- A layout of one import kind: where each field sits. `columns` empty = by the header row
-- (the file's first row, or a DBF's field names, names the columns; see imports::kinds).
CREATE TABLE import_templates (
    id          serial PRIMARY KEY,
    kind        text NOT NULL,
    name        text NOT NULL,
    format      text NOT NULL,
    encoding    text NOT NULL DEFAULT 'utf-8',
    delimiter   text NOT NULL DEFAULT ';',
    skip_lines  integer NOT NULL DEFAULT 1,
    date_format text NOT NULL DEFAULT '%d.%m.%Y',
    columns     jsonb NOT NULL DEFAULT '{}',
    active      boolean NOT NULL DEFAULT true,
    CONSTRAINT import_templates_kind_check CHECK (kind IN ('accounts', 'residents', 'resident_list', 'meters', 'balances')),
    CONSTRAINT import_templates_format_check CHECK (format IN ('csv', 'xlsx', 'fixed', 'dbf')),
    CONSTRAINT import_templates_encoding_check CHECK (encoding IN ('utf-8', 'cp1251', 'cp866')),
    CONSTRAINT import_templates_skip_check CHECK (skip_lines BETWEEN 0 AND 100),
    CONSTRAINT import_templates_name_key UNIQUE (kind, name)
);

CREATE TABLE import_files (
    id          bigserial PRIMARY KEY,
    kind        text NOT NULL,
    template_id integer NOT NULL REFERENCES import_templates (id),
    -- The import's choice, e.g. {"mode": "replace"} for meters.
    options     jsonb NOT NULL DEFAULT '{}',
    file_name   text NOT NULL,
    -- The ZIP the file came in, if any.
    archive     text,
    sha256      text NOT NULL,
    object_key  text NOT NULL,
    size        bigint NOT NULL,
    uploaded_at timestamptz NOT NULL,
    uploaded_by text NOT NULL,
    job_id      uuid,
    -- queued → checked (a dry run's protocol) → posted; refused: nothing written.
    state       text NOT NULL DEFAULT 'queued',
    rows_total  integer NOT NULL DEFAULT 0,
    rows_done   integer NOT NULL DEFAULT 0,
    rows_skipped integer NOT NULL DEFAULT 0,
    -- The import's totals (e.g. the balances' sum per service), for the reconciliation.
    totals      jsonb NOT NULL DEFAULT '{}',
    message     text,
    posted_at   timestamptz,
    CONSTRAINT import_files_kind_check CHECK (kind IN ('accounts', 'residents', 'resident_list', 'meters', 'balances')),
    CONSTRAINT import_files_state_check CHECK (state IN ('queued', 'checked', 'posted', 'refused')),
    CONSTRAINT import_files_sha256_key UNIQUE (kind, sha256)
);
CREATE INDEX import_files_kind_idx ON import_files (kind, id DESC);

-- The protocol: every row not imported (outcome 'skipped', with the reason "field: rule"),
-- and the imported rows' keys (outcome 'imported') so a file's effect can be traced.
CREATE TABLE import_rows (
    file_id bigint NOT NULL REFERENCES import_files (id) ON DELETE CASCADE,
    line    integer NOT NULL,
    outcome text NOT NULL,
    key     text,
    reason  text,
    PRIMARY KEY (file_id, line),
    CONSTRAINT import_rows_outcome_check CHECK (outcome IN ('imported', 'skipped'))
);

-- The shipped layouts: every kind by its header row, as CSV (UTF-8, ';'), a workbook, and
-- a DOS-era DBF (cp866) whose field names are the header.
INSERT INTO import_templates (kind, name, format, encoding, delimiter, skip_lines)
SELECT k, n, f, e, ';', s
FROM unnest(ARRAY['accounts', 'residents', 'resident_list', 'meters', 'balances']) k,
     (VALUES ('CSV (UTF-8, ;)', 'csv', 'utf-8', 1), ('CSV (Windows-1251, ;)', 'csv', 'cp1251', 1),
             ('XLSX / XLS', 'xlsx', 'utf-8', 1), ('DBF (cp866)', 'dbf', 'cp866', 0),
             ('DBF (cp1251)', 'dbf', 'cp1251', 0)) AS t(n, f, e, s);
