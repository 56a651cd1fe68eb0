//! Reading files as they arrive from controllers and subscribers' portals: the first sheet
//! of an XLSX/XLS workbook (calamine) or a CSV (`;`, `,` or tab; UTF-8, else Windows-1251),
//! whose first row names the columns in Russian, Ukrainian or English. No IO: bytes in,
//! rows of text out; the values are checked when the rows are applied.

use platform::error::{AppError, AppResult};

/// One data row as text, with its line in the file (the header is line 1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileRow {
    pub line: usize,
    pub serial: Option<String>,
    pub account: Option<String>,
    pub service: Option<String>,
    pub current: Option<String>,
    pub consumption: Option<String>,
    pub date: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Serial,
    Account,
    Service,
    Current,
    Consumption,
    Date,
}

/// Header names each column is known by (compared trimmed, lower-case, `ё` as `е`).
const NAMES: &[(Column, &[&str])] = &[
    (
        Column::Serial,
        &[
            "serial",
            "meter",
            "meter serial",
            "счетчик",
            "номер счетчика",
            "заводской номер",
            "лічильник",
            "номер лічильника",
            "заводський номер",
        ],
    ),
    (
        Column::Account,
        &[
            "account",
            "лс",
            "л/с",
            "лицевой счет",
            "особовий рахунок",
            "ор",
            "о/р",
        ],
    ),
    (Column::Service, &["service", "услуга", "послуга"]),
    (
        Column::Current,
        &[
            "reading",
            "current",
            "current reading",
            "показание",
            "показания",
            "текущее показание",
            "показання",
            "поточне показання",
            "поточні показання",
        ],
    ),
    (
        Column::Consumption,
        &[
            "consumption",
            "расход",
            "объем",
            "споживання",
            "обсяг",
            "витрата",
        ],
    ),
    (
        Column::Date,
        &["date", "дата", "дата показания", "дата показання"],
    ),
];

fn column_of(header: &str) -> Option<Column> {
    let h = header.trim().to_lowercase().replace('ё', "е");
    NAMES
        .iter()
        .find(|(_, names)| names.contains(&h.as_str()))
        .map(|(c, _)| *c)
}

/// The rows of a readings file; a file whose first row names neither a serial nor an
/// account column, or neither a reading nor a consumption column, is refused whole.
pub fn parse(bytes: &[u8]) -> AppResult<Vec<FileRow>> {
    let table = if platform::sheets::is_workbook(bytes) {
        platform::sheets::first_sheet(bytes)?
    } else {
        csv_rows(bytes)?
    };
    let mut lines = table.into_iter();
    let header = lines.next().unwrap_or_default();
    let columns: Vec<Option<Column>> = header.iter().map(|h| column_of(h)).collect();
    let has = |c: Column| columns.contains(&Some(c));
    if !(has(Column::Serial) || has(Column::Account))
        || !(has(Column::Current) || has(Column::Consumption))
    {
        return Err(AppError::validation(
            "file",
            "the first row must name the columns: a meter serial or an account, and a reading or a consumption",
        ));
    }
    let mut rows = Vec::new();
    for (n, cells) in lines.enumerate() {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut row = FileRow {
            line: n + 2,
            ..FileRow::default()
        };
        for (cell, column) in cells.into_iter().zip(&columns) {
            let value = Some(cell.trim().to_owned()).filter(|v| !v.is_empty());
            match column {
                Some(Column::Serial) => row.serial = value,
                Some(Column::Account) => row.account = value,
                Some(Column::Service) => row.service = value,
                Some(Column::Current) => row.current = value,
                Some(Column::Consumption) => row.consumption = value,
                Some(Column::Date) => row.date = value,
                None => {}
            }
        }
        rows.push(row);
    }
    Ok(rows)
}

fn csv_rows(bytes: &[u8]) -> AppResult<Vec<Vec<String>>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_owned(),
        // Spreadsheets saved "as CSV" on Windows in Ukraine and Russia are cp1251.
        Err(_) => encoding_rs::WINDOWS_1251.decode(bytes).0.into_owned(),
    };
    let first = text.lines().next().unwrap_or_default();
    let delimiter = [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b';');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record =
            record.map_err(|e| AppError::validation("file", format!("cannot be read: {e}")))?;
        rows.push(record.iter().map(str::to_owned).collect());
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(bytes: &[u8]) -> Vec<FileRow> {
        parse(bytes).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The files fuzzing found (`fuzz/run readings_file`), kept: each is refused as
    /// unreadable, none panics.
    #[test]
    fn the_files_fuzzing_found_are_refused_not_panicked_on() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/readings_files");
        let mut n = 0;
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
            let refused = parse(&bytes)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(refused.starts_with("file: "), "{path:?}: {refused}");
            n += 1;
        }
        assert!(n >= 2, "{n} files kept");
    }

    #[test]
    fn a_semicolon_csv_with_ukrainian_headers() {
        let r = rows("Лічильник;Показання;Дата\nХВ-1;123,5;20.11.2026\n;;\nХВ-2;7;\n".as_bytes());
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].serial.as_deref(), Some("ХВ-1"));
        assert_eq!(r[0].current.as_deref(), Some("123,5"));
        assert_eq!(r[0].date.as_deref(), Some("20.11.2026"));
        assert_eq!((r[1].line, r[1].date.as_deref()), (4, None));
    }

    #[test]
    fn a_cp1251_csv_is_decoded() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Л/С,Расход\n0001,12.5\n");
        let r = rows(&bytes);
        assert_eq!(r[0].account.as_deref(), Some("0001"));
        assert_eq!(r[0].consumption.as_deref(), Some("12.5"));
    }

    #[test]
    fn an_xlsx_sheet_reads_numbers_without_float_noise() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let written = (|| -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
            let ws = book.add_worksheet();
            ws.write(0, 0, "Serial")?;
            ws.write(0, 1, "Reading")?;
            ws.write(1, 0, "A-1")?;
            ws.write(1, 1, 0.1 + 0.2)?;
            book.save_to_buffer()
        })();
        let r = rows(&written.unwrap_or_else(|e| panic!("{e}")));
        assert_eq!(r[0].current.as_deref(), Some("0.3"));
    }

    #[test]
    fn a_file_without_known_columns_is_refused_by_name() {
        let e = parse(b"foo,bar\n1,2\n").err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some(
                "file: the first row must name the columns: a meter serial or an account, and a reading or a consumption"
            )
        );
    }
}
