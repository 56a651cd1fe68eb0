//! A file read through an import template into rows of the kind's fields: by the header
//! row (the first row, or a DBF's own field names) or by the template's column places; a
//! file without a column a required field needs is refused whole, naming the field. No IO;
//! nothing here panics on any input (fuzzed with the payment files' tables).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::kinds::{self, Kind};
use platform::error::{AppError, AppResult};
use platform::table::{self, MAX_ROWS, Place};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Sheet,
    Fixed,
    Dbf,
}

impl Format {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "csv" => Some(Self::Csv),
            "xlsx" => Some(Self::Sheet),
            "fixed" => Some(Self::Fixed),
            "dbf" => Some(Self::Dbf),
            _ => None,
        }
    }
}

/// A template, checked.
#[derive(Debug, Clone)]
pub struct Layout {
    pub kind: Kind,
    pub format: Format,
    pub encoding: platform::table::Charset,
    pub delimiter: u8,
    /// Lines before the data; by header, the last of them is the header.
    pub skip_lines: usize,
    /// (field index, place); empty = by the header row.
    pub columns: Vec<(usize, Place)>,
    pub date_format: String,
}

/// One data row: its line in the file (1-based) and the kind's fields as trimmed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub values: Vec<Option<String>>,
}

impl Record {
    pub fn get(&self, kind: Kind, field: &str) -> Option<&str> {
        kind.index(field)
            .and_then(|i| self.values.get(i))
            .and_then(|v| v.as_deref())
    }
}

/// The rows of `bytes` laid out by `layout`.
pub fn read(bytes: &[u8], layout: &Layout) -> AppResult<Vec<Record>> {
    let (names, rows): (Option<Vec<String>>, Vec<Vec<String>>) = match layout.format {
        Format::Dbf => {
            let (names, rows) = table::dbf_table(bytes, layout.encoding)?;
            (Some(names), rows)
        }
        Format::Sheet => {
            if !platform::sheets::is_workbook(bytes) {
                return Err(AppError::validation(
                    "file",
                    "is not an XLSX or XLS workbook; choose a text template",
                ));
            }
            (None, platform::sheets::first_sheet(bytes)?)
        }
        Format::Csv => {
            let text = table::decode(bytes, layout.encoding)?;
            let mut rows = Vec::new();
            for line in text.lines() {
                if rows.len() > MAX_ROWS {
                    return Err(too_many());
                }
                rows.push(table::split_delimited(
                    line.trim_end_matches('\r'),
                    layout.delimiter,
                )?);
            }
            (None, rows)
        }
        Format::Fixed => {
            let text = table::decode(bytes, layout.encoding)?;
            if layout.columns.is_empty() {
                return Err(AppError::validation(
                    "columns",
                    "a fixed-width file needs every field's start and width",
                ));
            }
            let mut out = Vec::new();
            for (n, line) in text.lines().enumerate().skip(layout.skip_lines) {
                let chars: Vec<char> = line.trim_end_matches('\r').chars().collect();
                let values = fields(layout, |p| table::fixed(&chars, p));
                push(&mut out, n + 1, values)?;
            }
            return Ok(out);
        }
    };
    let mut out = Vec::new();
    if layout.columns.is_empty() {
        // By header: a DBF names its fields; a text or sheet's header is the last line
        // skipped (the first line when none is).
        let (header, first_data) = match names {
            Some(n) => (n, 0),
            None => {
                let at = layout.skip_lines.saturating_sub(1);
                (rows.get(at).cloned().unwrap_or_default(), at + 1)
            }
        };
        let columns = by_header(layout.kind, &header)?;
        let layout = Layout {
            columns,
            ..layout.clone()
        };
        for (n, cells) in rows.iter().enumerate().skip(first_data) {
            push(&mut out, n + 1, fields(&layout, |p| table::cell(cells, p)))?;
        }
    } else {
        let skip = if names.is_some() {
            0
        } else {
            layout.skip_lines
        };
        for (n, cells) in rows.iter().enumerate().skip(skip) {
            push(&mut out, n + 1, fields(layout, |p| table::cell(cells, p)))?;
        }
    }
    Ok(out)
}

fn too_many() -> AppError {
    AppError::validation("file", format!("has more than {MAX_ROWS} rows; split it"))
}

fn fields(layout: &Layout, get: impl Fn(Place) -> Option<String>) -> Vec<Option<String>> {
    let mut values = vec![None; layout.kind.fields().len()];
    for (i, p) in &layout.columns {
        if let Some(slot) = values.get_mut(*i) {
            *slot = get(*p)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty());
        }
    }
    values
}

/// Adds a row unless it is blank.
fn push(out: &mut Vec<Record>, line: usize, values: Vec<Option<String>>) -> AppResult<()> {
    if values.iter().all(Option::is_none) {
        return Ok(());
    }
    if out.len() >= MAX_ROWS {
        return Err(too_many());
    }
    out.push(Record { line, values });
    Ok(())
}

/// The places of the kind's fields in a header row; every required field must be there.
pub fn by_header(kind: Kind, header: &[String]) -> AppResult<Vec<(usize, Place)>> {
    let mut columns: Vec<(usize, Place)> = Vec::new();
    for (c, h) in header.iter().enumerate() {
        if let Some(i) = kinds::field_of(kind, h)
            && !columns.iter().any(|(f, _)| *f == i)
        {
            columns.push((i, Place::Column(c + 1)));
        }
    }
    for (i, f) in kind.fields().iter().enumerate() {
        if f.required && !columns.iter().any(|(c, _)| *c == i) {
            return Err(AppError::validation(
                "columns",
                format!(
                    "the file has no column \"{}\" (the header may also say: {})",
                    f.name,
                    f.headers.join(", ")
                ),
            ));
        }
    }
    Ok(columns)
}

/// A date as the template writes it, or as ISO (what a workbook's date cells read as).
pub fn date(text: &str, format: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, format)
        .or_else(|_| NaiveDate::parse_from_str(text, "%Y-%m-%d"))
        .ok()
}

/// An amount or quantity as files write them (`1 234,56`, `1234.56`).
pub fn number(text: &str) -> Option<Decimal> {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect::<String>()
        .replace(',', ".");
    if t.is_empty() || t.len() > 24 {
        return None;
    }
    t.parse::<Decimal>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn csv(kind: Kind) -> Layout {
        Layout {
            kind,
            format: Format::Csv,
            encoding: platform::table::Charset::UTF_8,
            delimiter: b';',
            skip_lines: 1,
            columns: Vec::new(),
            date_format: "%d.%m.%Y".into(),
        }
    }

    #[test]
    fn a_csv_by_its_header_in_any_column_order() {
        let text = "Сальдо;Послуга;ЛС\n12,50;COLD;000123\n\n-3;HEAT;000124\n";
        let rows = read(text.as_bytes(), &csv(Kind::Balances)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].get(Kind::Balances, "account"), Some("000123"));
        assert_eq!(rows[0].get(Kind::Balances, "amount"), Some("12,50"));
        assert_eq!(
            (rows[1].line, rows[1].get(Kind::Balances, "service")),
            (4, Some("HEAT"))
        );
    }

    #[test]
    fn a_missing_required_column_is_named() {
        let err = read(b"account;amount\n1;2\n", &csv(Kind::Balances))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("\"service\""), "{err}");
    }

    #[test]
    fn a_cp866_dbf_by_its_field_names() {
        let name = |s: &str| encoding_rs::IBM866.encode(s).0.into_owned();
        let bytes = table::write_dbf(
            &[("LS", b'C', 10), ("FIO", b'C', 30), ("KOLZAR", b'N', 3)],
            &[vec![
                b"000123".to_vec(),
                name("Петренко Іван"),
                b"3".to_vec(),
            ]],
            0x26,
        );
        let layout = Layout {
            format: Format::Dbf,
            encoding: platform::table::Charset::CP866,
            skip_lines: 0,
            ..csv(Kind::Residents)
        };
        let rows = read(&bytes, &layout).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].get(Kind::Residents, "account"), Some("000123"));
        assert_eq!(rows[0].get(Kind::Residents, "registered"), Some("3"));
    }

    #[test]
    fn fixed_width_by_places() {
        let layout = Layout {
            format: Format::Fixed,
            skip_lines: 0,
            columns: vec![
                (0, Place::Fixed(1, 6)),
                (1, Place::Fixed(7, 4)),
                (2, Place::Fixed(11, 8)),
            ],
            ..csv(Kind::Balances)
        };
        let rows =
            read("000123COLD   12.50\n".as_bytes(), &layout).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows[0].get(Kind::Balances, "amount"), Some("12.50"));
    }

    proptest! {
        #[test]
        fn no_input_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            for format in [Format::Csv, Format::Sheet, Format::Dbf] {
                let layout = Layout { format, ..csv(Kind::Accounts) };
                let _ = read(&bytes, &layout);
            }
        }
    }
}
