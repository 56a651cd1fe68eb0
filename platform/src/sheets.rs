//! The first sheet of an uploaded workbook (XLSX or XLS) as rows of text, as safely as a
//! worker needs it: an XLSX sheet's cells are read one by one and counted before any grid
//! is built (a sheet's declared size means nothing: two cells at A1 and XFD1048576 cost two
//! cells, not a sixteen-billion-cell grid); a sheet with more rows, columns or cells than a
//! file may have is refused naming the limit; no cell value can panic (a date-styled 1e15
//! is read as the number it is). Rows and columns count from the first used ones, as the
//! column numbers of the import templates do.

use std::io::Cursor;

use calamine::{Data, Reader};
use rust_decimal::Decimal;

use crate::error::{AppError, AppResult};

/// Rows a sheet may have (a million readings or payments, and a header).
pub const MAX_ROWS: u32 = 1_100_000;
/// Columns a sheet may have.
pub const MAX_COLUMNS: u32 = 256;
/// Cells with a value a sheet may have.
pub const MAX_CELLS: usize = 12_000_000;

fn unreadable(why: impl std::fmt::Display) -> AppError {
    AppError::validation("file", format!("cannot be read: {why}"))
}

fn too_big(what: &str, limit: u64) -> AppError {
    AppError::validation("file", format!("has more than {limit} {what}; split it"))
}

/// XLSX (a zip) or XLS (an OLE compound file), by their signatures.
pub fn is_workbook(bytes: &[u8]) -> bool {
    is_xlsx(bytes) || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// The first sheet's rows of text.
pub fn first_sheet(bytes: &[u8]) -> AppResult<Vec<Vec<String>>> {
    let cells = guarded(|| {
        if is_xlsx(bytes) {
            xlsx_cells(bytes)
        } else {
            xls_cells(bytes)
        }
    })?;
    Ok(grid(cells))
}

/// Runs the spreadsheet reader (calamine, a third party's code) so that a panic inside it
/// is a file that cannot be read, not a failed job: fuzzing found a cell reference whose
/// column letters overflow calamine's arithmetic (a panic wherever overflow is checked).
fn guarded<T>(read: impl FnOnce() -> AppResult<T> + std::panic::UnwindSafe) -> AppResult<T> {
    std::panic::catch_unwind(read)
        .unwrap_or_else(|_| Err(unreadable("the spreadsheet is malformed")))
}

/// (row, column, text) of every cell with a value, within the limits.
type Cells = Vec<(u32, u32, String)>;

fn check(row: u32, col: u32, count: usize) -> AppResult<()> {
    if row >= MAX_ROWS {
        return Err(too_big("rows", u64::from(MAX_ROWS)));
    }
    if col >= MAX_COLUMNS {
        return Err(too_big("columns", u64::from(MAX_COLUMNS)));
    }
    if count >= MAX_CELLS {
        return Err(too_big("cells", MAX_CELLS as u64));
    }
    Ok(())
}

fn xlsx_cells(bytes: &[u8]) -> AppResult<Cells> {
    let mut book: calamine::Xlsx<_> =
        calamine::Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let name = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(|| unreadable("the workbook has no sheet"))?;
    let mut reader = book.worksheet_cells_reader(&name).map_err(unreadable)?;
    let mut out = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (row, col) = cell.get_position();
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        check(row, col, out.len())?;
        out.push((row, col, text));
    }
    Ok(out)
}

/// XLS (the 1997 format) is read whole by calamine: its own limits (65,536 rows × 256
/// columns) bound what that costs.
fn xls_cells(bytes: &[u8]) -> AppResult<Cells> {
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).map_err(unreadable)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| unreadable("the workbook has no sheet"))?
        .map_err(unreadable)?;
    let mut out = Vec::new();
    for (row, col, value) in range.used_cells() {
        let text = cell_text(value);
        if text.is_empty() {
            continue;
        }
        let (row, col) = (
            u32::try_from(row).unwrap_or(u32::MAX),
            u32::try_from(col).unwrap_or(u32::MAX),
        );
        check(row, col, out.len())?;
        out.push((row, col, text));
    }
    Ok(out)
}

/// Rows from the first used row, columns from the first used column; each row as long as
/// its last cell.
fn grid(cells: Cells) -> Vec<Vec<String>> {
    let (Some(top), Some(left)) = (
        cells.iter().map(|c| c.0).min(),
        cells.iter().map(|c| c.1).min(),
    ) else {
        return Vec::new();
    };
    let bottom = cells.iter().map(|c| c.0).max().unwrap_or(top);
    let mut rows: Vec<Vec<String>> = vec![Vec::new(); (bottom - top + 1) as usize];
    for (r, c, text) in cells {
        let row = &mut rows[(r - top) as usize];
        let col = (c - left) as usize;
        if row.len() <= col {
            row.resize(col + 1, String::new());
        }
        row[col] = text;
    }
    rows
}

/// Excel's largest day number (9999-12-31).
const LAST_EXCEL_DAY: f64 = 2_958_465.0;

/// A cell as the text a user would have typed: numbers without binary noise (to four
/// decimals, the precision of quantities), dates as YYYY-MM-DD (a "date" outside the years
/// Excel can show is the number it is).
pub fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => {
            let f = d.as_f64();
            if !(0.0..=LAST_EXCEL_DAY).contains(&f) {
                return number(f);
            }
            // Excel's day numbers count from 1899-12-30 (the 1900 leap-year quirk included).
            chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|epoch| {
                    chrono::Duration::try_days(f.floor() as i64)
                        .and_then(|days| epoch.checked_add_signed(days))
                })
                .map(|t| t.to_string())
                .unwrap_or_else(|| number(f))
        }
    }
}

fn number(f: f64) -> String {
    Decimal::try_from(f)
        .map(|d| d.round_dp(4).normalize().to_string())
        .unwrap_or_else(|_| f.to_string())
}

/// The media type of an XLSX workbook (what the exports and protocols are stored as).
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[cfg(test)]
mod tests {
    use super::*;

    fn xlsx(
        write: impl FnOnce(&mut rust_xlsxwriter::Worksheet) -> Result<(), rust_xlsxwriter::XlsxError>,
    ) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let made = (|| {
            write(book.add_worksheet())?;
            book.save_to_buffer()
        })();
        made.unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn two_far_cells_cost_two_cells_and_too_wide_a_sheet_is_refused() {
        let bytes = xlsx(|ws| {
            ws.write(0, 0, "Serial")?;
            ws.write(1_048_575, 16_383, "far")?;
            Ok(())
        });
        let e = first_sheet(&bytes).err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("file: has more than 256 columns; split it")
        );
        // The last row a sheet can have, two cells: a million empty rows, no grid.
        let bytes = xlsx(|ws| {
            ws.write(0, 0, "Serial")?;
            ws.write(1_048_575, 1, "far")?;
            Ok(())
        });
        let rows = first_sheet(&bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows.len(), 1_048_576);
        assert_eq!(rows[1_048_575], ["", "far"]);
        assert!(rows[1..1_048_575].iter().all(Vec::is_empty));
    }

    #[test]
    fn a_date_styled_huge_number_is_the_number() {
        let bytes = xlsx(|ws| {
            let date = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
            ws.write(0, 0, "Reading")?;
            ws.write_number_with_format(1, 0, 1e15, &date)?;
            ws.write_number_with_format(2, 0, -5.0, &date)?;
            ws.write_number_with_format(3, 0, 46357.0, &date)?;
            Ok(())
        });
        let rows = first_sheet(&bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows[1], ["1000000000000000"]);
        assert_eq!(rows[2], ["-5"]);
        assert_eq!(rows[3], ["2026-12-01"]);
    }

    #[test]
    fn rows_and_columns_start_at_the_first_used_ones() {
        let bytes = xlsx(|ws| {
            ws.write(2, 1, "Account")?;
            ws.write(2, 3, "Amount")?;
            ws.write(4, 1, "100001")?;
            ws.write(4, 3, 12.5)?;
            Ok(())
        });
        let rows = first_sheet(&bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            rows,
            vec![
                vec!["Account".to_owned(), String::new(), "Amount".to_owned()],
                vec![],
                vec!["100001".to_owned(), String::new(), "12.5".to_owned()],
            ]
        );
    }
}
