//! Bank payment files as a template lays them out: CSV-like text (any delimiter), a
//! spreadsheet's first sheet (XLSX/XLS through calamine), fixed-width text or a 1C
//! ClientBankExchange statement (read by `client_bank` for one settlement account) or a
//! dBase table (DBF, the `dbase` crate: what social-protection offices and old systems
//! write, fields by their order); UTF-8,
//! Windows-1251 or DOS cp866; header/footer lines carrying the file's control sum and
//! count (e.g. `#FILESUM 1234.56`). No IO: bytes in, rows of text out; the values are
//! checked when the rows are matched. Nothing here panics on any input (fuzzed below).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use platform::error::{AppError, AppResult};
pub use platform::table::{Place, encoding, write_dbf};
use platform::table::{cell, dbf_rows, decode, fixed, split_delimited, workbook_rows};

/// The most data rows one file may hold.
pub const MAX_ROWS: usize = 1_000_000;

/// The fields a registry row may carry (account and amount are required).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fields {
    pub account: Option<Place>,
    pub payer: Option<Place>,
    pub address: Option<Place>,
    pub amount: Option<Place>,
    pub paid_on: Option<Place>,
    pub service: Option<Place>,
    pub document: Option<Place>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Spreadsheet,
    Fixed,
    /// A 1C ClientBankExchange statement: no columns, the statement names its fields.
    ClientBank,
    /// A dBase III/IV table: a field is a column (1 = the table's first field).
    Dbf,
}

impl Format {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "csv" => Some(Self::Csv),
            "xlsx" => Some(Self::Spreadsheet),
            "fixed" => Some(Self::Fixed),
            "1c" => Some(Self::ClientBank),
            "dbf" => Some(Self::Dbf),
            _ => None,
        }
    }
}

/// A bank's layout (the `payment_templates` row, checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub format: Format,
    pub encoding: platform::table::Charset,
    pub delimiter: u8,
    pub skip_lines: usize,
    pub fields: Fields,
    pub sum_marker: Option<String>,
    pub count_marker: Option<String>,
    pub comment_prefix: Option<String>,
    /// The tenant's settlement account a statement (`ClientBank`) is read for.
    pub own_account: Option<String>,
}

/// One data row as text, with its line in the file (1-based).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RawRow {
    pub line: usize,
    pub account: Option<String>,
    pub payer: Option<String>,
    pub address: Option<String>,
    pub amount: Option<String>,
    pub paid_on: Option<String>,
    pub service: Option<String>,
    pub document: Option<String>,
}

/// A parsed file: its rows and the control totals its header or footer declared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub rows: Vec<RawRow>,
    pub control_sum: Option<Decimal>,
    pub control_count: Option<usize>,
    /// Documents of a statement no payment comes of, with the reason ("field: rule").
    pub skipped: Vec<(RawRow, String)>,
}

/// The rows of a payment file laid out by `layout`; a file that cannot be read at all is
/// refused whole with the reason.
pub fn parse(bytes: &[u8], layout: &Layout) -> AppResult<Parsed> {
    if layout.format != Format::ClientBank
        && (layout.fields.account.is_none() || layout.fields.amount.is_none())
    {
        return Err(AppError::validation(
            "fields",
            "the template must say where the account and the amount are",
        ));
    }
    let mut out = Parsed::default();
    match layout.format {
        Format::ClientBank => return statement(bytes, layout.own_account.as_deref()),
        Format::Spreadsheet => {
            let table = workbook_rows(bytes)?;
            for (n, cells) in table.into_iter().enumerate().skip(layout.skip_lines) {
                push(&mut out, n + 1, |p| cell(&cells, p), layout)?;
            }
        }
        Format::Dbf => {
            let table = dbf_rows(bytes, layout.encoding)?;
            for (n, cells) in table.into_iter().enumerate().skip(layout.skip_lines) {
                push(&mut out, n + 1, |p| cell(&cells, p), layout)?;
            }
        }
        Format::Csv | Format::Fixed => {
            let text = decode(bytes, layout.encoding)?;
            for (n, line) in text.lines().enumerate().skip(layout.skip_lines) {
                let line = line.trim_end_matches('\r');
                if control_line(&mut out, line, layout)? {
                    continue;
                }
                if layout
                    .comment_prefix
                    .as_deref()
                    .is_some_and(|c| !c.is_empty() && line.starts_with(c))
                {
                    continue;
                }
                if layout.format == Format::Fixed {
                    let chars: Vec<char> = line.chars().collect();
                    push(&mut out, n + 1, |p| fixed(&chars, p), layout)?;
                } else {
                    let cells = split_delimited(line, layout.delimiter)?;
                    push(&mut out, n + 1, |p| cell(&cells, p), layout)?;
                }
            }
        }
    }
    Ok(out)
}

/// The payment rows of a 1C statement for the tenant's settlement account `own`.
fn statement(bytes: &[u8], own: Option<&str>) -> AppResult<Parsed> {
    let own = own.map(str::trim).filter(|a| !a.is_empty()).ok_or_else(|| {
        AppError::validation(
            "ownAccount",
            "is not set: name the settlement account in the template or in the invoice requisites",
        )
    })?;
    let bad = |e: crate::client_bank::StatementError| AppError::validation("file", e.to_string());
    let st = crate::client_bank::read(bytes).map_err(bad)?;
    let (rows, skipped) = crate::client_bank::rows_for(&st, own).map_err(bad)?;
    if rows.len() + skipped.len() > MAX_ROWS {
        return Err(AppError::validation(
            "file",
            format!("has more than {MAX_ROWS} rows; split it"),
        ));
    }
    Ok(Parsed {
        rows,
        skipped: skipped.into_iter().map(|s| (s.row, s.reason)).collect(),
        ..Parsed::default()
    })
}

/// Adds the row at `line` unless it is blank.
fn push(
    out: &mut Parsed,
    line: usize,
    get: impl Fn(Place) -> Option<String>,
    layout: &Layout,
) -> AppResult<()> {
    let f = &layout.fields;
    let take = |p: Option<Place>| {
        p.and_then(&get)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let row = RawRow {
        line,
        account: take(f.account),
        payer: take(f.payer),
        address: take(f.address),
        amount: take(f.amount),
        paid_on: take(f.paid_on),
        service: take(f.service),
        document: take(f.document),
    };
    if row.account.is_none() && row.amount.is_none() && row.payer.is_none() {
        return Ok(());
    }
    if out.rows.len() >= MAX_ROWS {
        return Err(AppError::validation(
            "file",
            format!("has more than {MAX_ROWS} rows; split it"),
        ));
    }
    out.rows.push(row);
    Ok(())
}

/// A `#FILESUM 1234.56` / `#FILELINES 12` line: read into the control totals.
fn control_line(out: &mut Parsed, line: &str, layout: &Layout) -> AppResult<bool> {
    let value = |marker: &Option<String>| {
        marker
            .as_deref()
            .filter(|m| !m.is_empty())
            .and_then(|m| line.strip_prefix(m))
            .map(|rest| {
                rest.trim_matches(|c: char| c.is_whitespace() || matches!(c, ';' | '=' | ':'))
                    .to_owned()
            })
    };
    if let Some(v) = value(&layout.sum_marker) {
        let sum = parse_amount(&v).ok_or_else(|| {
            AppError::validation("file", format!("the control sum is not a number: \"{v}\""))
        })?;
        out.control_sum = Some(sum);
        return Ok(true);
    }
    if let Some(v) = value(&layout.count_marker) {
        let n = v.parse::<usize>().map_err(|_| {
            AppError::validation(
                "file",
                format!("the control count is not a number: \"{v}\""),
            )
        })?;
        out.control_count = Some(n);
        return Ok(true);
    }
    Ok(false)
}

/// An amount as banks write it: `1 234,56`, `1234.56`, `1,234.56`; None if not a number.
pub fn parse_amount(text: &str) -> Option<Decimal> {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    let t = if t.contains(',') && t.contains('.') {
        t.replace(',', "")
    } else {
        t.replace(',', ".")
    };
    if t.is_empty() || t.len() > 24 {
        return None;
    }
    t.parse::<Decimal>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn registry() -> Layout {
        Layout {
            format: Format::Csv,
            encoding: platform::table::Charset::CP1251,
            delimiter: b';',
            skip_lines: 0,
            fields: Fields {
                paid_on: Some(Place::Column(1)),
                document: Some(Place::Column(3)),
                account: Some(Place::Column(5)),
                payer: Some(Place::Column(6)),
                address: Some(Place::Column(7)),
                amount: Some(Place::Column(9)),
                ..Fields::default()
            },
            sum_marker: Some("#FILESUM".into()),
            count_marker: Some("#FILELINES".into()),
            comment_prefix: Some("#".into()),
            own_account: None,
        }
    }

    #[test]
    fn a_cp1251_registry_with_its_control_header() {
        let text = "#FILESUM 1 300,50\n#FILELINES 2\n#TYPE 7\n\
                    05-11-2026;10:00;0001;1;0000012;Іванов І.І.;Київ, Хрещатик 1;10-2026;1000,00\n\
                    \n\
                    06-11-2026;11:00;0002;1;0000013;\"Петров; П.\";Київ;10-2026;300.50\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        let p = parse(&bytes, &registry()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.control_sum, Some(dec!(1300.50)));
        assert_eq!(p.control_count, Some(2));
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.rows[0].payer.as_deref(), Some("Іванов І.І."));
        assert_eq!(p.rows[0].account.as_deref(), Some("0000012"));
        assert_eq!(p.rows[1].payer.as_deref(), Some("Петров; П."));
        assert_eq!(
            (p.rows[1].line, p.rows[1].amount.as_deref()),
            (6, Some("300.50"))
        );
    }

    #[test]
    fn a_fixed_width_cp866_registry() {
        let layout = Layout {
            format: Format::Fixed,
            encoding: platform::table::Charset::CP866,
            skip_lines: 1,
            fields: Fields {
                account: Some(Place::Fixed(1, 10)),
                payer: Some(Place::Fixed(11, 30)),
                amount: Some(Place::Fixed(41, 12)),
                paid_on: Some(Place::Fixed(53, 10)),
                ..Fields::default()
            },
            comment_prefix: Some("*".into()),
            sum_marker: None,
            count_marker: None,
            ..registry()
        };
        let text = format!(
            "РЕЕСТР\n{:<10}{:<30}{:>12}{:<10}\n* итог\n",
            "0000012", "Сидоров С.С.", "125,00", "03.11.2026"
        );
        let (bytes, _, _) = encoding_rs::IBM866.encode(&text);
        let p = parse(&bytes, &layout).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.rows.len(), 1);
        assert_eq!(p.rows[0].payer.as_deref(), Some("Сидоров С.С."));
        assert_eq!(p.rows[0].amount.as_deref(), Some("125,00"));
        assert_eq!(p.rows[0].paid_on.as_deref(), Some("03.11.2026"));
    }

    #[test]
    fn a_spreadsheet_with_a_header_row() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let written = (|| -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
            let ws = book.add_worksheet();
            for (c, h) in ["ОР", "Платник", "Адреса", "Сума", "Дата"]
                .iter()
                .enumerate()
            {
                ws.write(0, c as u16, *h)?;
            }
            ws.write(1, 0, "0000012")?;
            ws.write(1, 1, "Іванов")?;
            ws.write(1, 3, 120.1 + 0.2)?;
            let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 11, 3)?;
            ws.write_datetime_with_format(
                1,
                4,
                &date,
                &rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy"),
            )?;
            ws.write(2, 0, 12345)?;
            ws.write(2, 3, "15,5")?;
            book.save_to_buffer()
        })()
        .unwrap_or_else(|e| panic!("{e}"));
        let layout = Layout {
            format: Format::Spreadsheet,
            skip_lines: 1,
            fields: Fields {
                account: Some(Place::Column(1)),
                payer: Some(Place::Column(2)),
                address: Some(Place::Column(3)),
                amount: Some(Place::Column(4)),
                paid_on: Some(Place::Column(5)),
                ..Fields::default()
            },
            ..registry()
        };
        let p = parse(&written, &layout).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.rows[0].account.as_deref(), Some("0000012"));
        assert_eq!(
            p.rows[0].amount.as_deref().and_then(parse_amount),
            Some(dec!(120.3))
        );
        assert_eq!(p.rows[0].paid_on.as_deref(), Some("2026-11-03"));
        assert_eq!(
            (p.rows[1].line, p.rows[1].account.as_deref()),
            (3, Some("12345"))
        );
        assert_eq!(p.rows[1].address, None);
    }

    #[test]
    fn malformed_files_are_refused_with_the_reason() {
        let msg = |bytes: &[u8], l: &Layout| parse(bytes, l).err().map(|e| e.to_string());
        let utf8 = Layout {
            encoding: platform::table::Charset::UTF_8,
            ..registry()
        };
        assert!(msg(b"\xff\xfe;1", &utf8).is_some_and(|m| m.contains("not UTF-8")));
        assert!(msg(b"#FILESUM abc\n", &registry()).is_some_and(|m| m.contains("control sum")));
        let sheet = Layout {
            format: Format::Spreadsheet,
            ..registry()
        };
        assert!(msg(b"PK\x03\x04broken", &sheet).is_some_and(|m| m.contains("cannot be read")));
        assert!(msg(b"a;b;c", &sheet).is_some_and(|m| m.contains("not an XLSX")));
        let none = Layout {
            fields: Fields::default(),
            ..registry()
        };
        assert!(msg(b"1;2", &none).is_some_and(|m| m.starts_with("fields:")));
    }

    #[test]
    fn a_1c_statement_is_read_for_the_settlement_account_the_template_names() {
        let text = "1CClientBankExchange\nВерсияФормата=1.03\nКодировка=Windows\n\
                    СекцияРасчСчет\nРасчСчет=40702\nНачальныйОстаток=0\nВсегоПоступило=10.00\n\
                    ВсегоСписано=4.00\nКонечныйОстаток=6.00\nКонецРасчСчет\n\
                    СекцияДокумент=Платежное поручение\nНомер=1\nДата=03.12.2026\nСумма=10.00\n\
                    ПлательщикСчет=40817\nПолучательСчет=40702\nНазначениеПлатежа=ЛС 12345\nКонецДокумента\n\
                    СекцияДокумент=Платежное поручение\nНомер=2\nДата=03.12.2026\nСумма=4.00\n\
                    ПлательщикСчет=40702\nПолучательСчет=40999\nНазначениеПлатежа=аренда\nКонецДокумента\n\
                    КонецФайла\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        let layout = Layout {
            format: Format::ClientBank,
            fields: Fields::default(),
            own_account: Some(" 40702 ".into()),
            ..registry()
        };
        let p = parse(&bytes, &layout).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.rows.len(), 1);
        assert_eq!(p.rows[0].account.as_deref(), Some("12345"));
        assert_eq!(p.rows[0].line, 11, "the document's first line");
        assert_eq!(p.skipped.len(), 1);
        assert_eq!(p.skipped[0].0.line, 19);
        assert_eq!(p.skipped[0].0.amount.as_deref(), Some("4.00"));
        assert!(p.skipped[0].1.starts_with("document: "), "{:?}", p.skipped);
        let unnamed = Layout {
            own_account: Some("  ".into()),
            ..layout.clone()
        };
        let refused = parse(&bytes, &unnamed).err().map(|e| e.to_string());
        assert!(refused.is_some_and(|m| m.contains("ownAccount")));
        let other = Layout {
            own_account: Some("40999".into()),
            ..layout
        };
        let refused = parse(&bytes, &other).err().map(|e| e.to_string());
        assert!(refused.is_some_and(|m| m.contains("no section of account 40999")));
    }

    #[test]
    fn a_dbf_table_in_cp866_reads_by_field_order() {
        let cp866 = |t: &str| encoding_rs::IBM866.encode(t).0.into_owned();
        let bytes = write_dbf(
            &[
                ("LS", b'C', 10),
                ("FIO", b'C', 30),
                ("SUMMA", b'N', 12),
                ("DATA", b'D', 8),
            ],
            &[
                vec![
                    b"0000012".to_vec(),
                    cp866("Сидоренко С.С."),
                    b"1234.56".to_vec(),
                    b"20261103".to_vec(),
                ],
                vec![
                    b"0000013".to_vec(),
                    cp866("Петренко"),
                    b"15.50".to_vec(),
                    b"20261104".to_vec(),
                ],
            ],
            0x26,
        );
        let layout = Layout {
            format: Format::Dbf,
            encoding: platform::table::Charset::CP866,
            fields: Fields {
                account: Some(Place::Column(1)),
                payer: Some(Place::Column(2)),
                amount: Some(Place::Column(3)),
                paid_on: Some(Place::Column(4)),
                ..Fields::default()
            },
            sum_marker: None,
            count_marker: None,
            comment_prefix: None,
            ..registry()
        };
        let p = parse(&bytes, &layout).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.rows[0].payer.as_deref(), Some("Сидоренко С.С."));
        assert_eq!(
            p.rows[0].amount.as_deref().and_then(parse_amount),
            Some(dec!(1234.56))
        );
        assert_eq!(p.rows[0].paid_on.as_deref(), Some("03.11.2026"));
        assert_eq!(
            (p.rows[1].line, p.rows[1].account.as_deref()),
            (2, Some("0000013"))
        );
        // Not a table at all, or cut short: refused with the reason, never a panic.
        let refused = parse(b"ACCOUNT;SUM\n1;2\n", &layout)
            .err()
            .map(|e| e.to_string());
        assert!(refused.is_some_and(|m| m.contains("dBase")), "a text file");
        let _ = parse(&bytes[..bytes.len() / 2], &layout);
    }

    #[test]
    fn amounts_as_banks_write_them() {
        assert_eq!(parse_amount("1 234,56"), Some(dec!(1234.56)));
        assert_eq!(parse_amount("1,234.56"), Some(dec!(1234.56)));
        assert_eq!(parse_amount("-5"), Some(dec!(-5)));
        assert_eq!(parse_amount("12a"), None);
        assert_eq!(parse_amount(""), None);
    }

    /// Every file kept in the corpus (malformed files met so far and the shapes the fuzzer
    /// found) parses or is refused — never a panic.
    #[test]
    fn the_corpus_never_panics() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/payment_files");
        let mut n = 0;
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
            for format in [Format::Csv, Format::Spreadsheet, Format::Fixed, Format::Dbf] {
                let layout = Layout {
                    format,
                    fields: Fields {
                        account: Some(Place::Fixed(1, 10)),
                        amount: Some(Place::Column(2)),
                        ..registry().fields
                    },
                    ..registry()
                };
                let _ = parse(&bytes, &layout);
                let _ = parse(&bytes, &registry());
            }
            n += 1;
        }
        assert!(n >= 5, "the corpus holds {n} files");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn any_bytes_parse_or_are_refused(bytes in proptest::collection::vec(any::<u8>(), 0..600),
                                          format in 0usize..4, enc in 0usize..4, skip in 0usize..3,
                                          col in 0usize..12, start in 0usize..40, width in 0usize..40) {
            let layout = Layout {
                format: [Format::Csv, Format::Spreadsheet, Format::Fixed, Format::Dbf][format],
                encoding: [
                    platform::table::Charset::UTF_8,
                    platform::table::Charset::CP1251,
                    platform::table::Charset::CP866,
                    platform::table::Charset::Cp1125,
                ][enc],
                skip_lines: skip,
                fields: Fields {
                    account: Some(Place::Column(col)),
                    amount: Some(Place::Fixed(start, width)),
                    paid_on: Some(Place::Column(col + 1)),
                    ..Fields::default()
                },
                ..registry()
            };
            if let Ok(p) = parse(&bytes, &layout) {
                prop_assert!(p.rows.iter().all(|r| r.line > skip));
            }
        }

        #[test]
        fn registry_lines_round_trip(rows in proptest::collection::vec(("[0-9]{1,10}", 1i64..100_000_000, "[A-Za-zА-Яа-я .]{0,20}"), 1..30)) {
            let mut text = String::new();
            for (acc, amount, payer) in &rows {
                text.push_str(&format!("01-11-2026;;1;;{acc};{payer};;;{}\n", Decimal::new(*amount, 2)));
            }
            let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
            let p = parse(&bytes, &registry()).unwrap_or_else(|e| panic!("{e}"));
            prop_assert_eq!(p.rows.len(), rows.len());
            for (r, (acc, amount, _)) in p.rows.iter().zip(&rows) {
                prop_assert_eq!(r.account.as_deref(), Some(acc.as_str()));
                prop_assert_eq!(r.amount.as_deref().and_then(parse_amount), Some(Decimal::new(*amount, 2)));
            }
        }
    }
}
