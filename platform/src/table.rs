//! Tables in the files other systems write, read as rows of text: delimited text (any
//! delimiter, quotes honoured), fixed-width text (SDF), a workbook's first sheet and dBase
//! III/IV tables (the `dbase` crate: what social-protection offices and old systems write),
//! in UTF-8, Windows-1251, DOS cp866 or the Ukrainian DOS cp1125. Shared by the bank payment files and the data
//! imports; no IO, and nothing here panics on any input.

use crate::error::{AppError, AppResult};

/// The most data rows one file may hold.
pub const MAX_ROWS: usize = 1_000_000;

fn unreadable(why: impl std::fmt::Display) -> AppError {
    AppError::validation("file", format!("cannot be read: {why}"))
}

/// Where a field sits: a 1-based column, or a 1-based start and a width in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum Place {
    Column(usize),
    Fixed(usize, usize),
}

/// A text encoding files come in: one of `encoding_rs`'s, or the Ukrainian DOS code page
/// cp1125 (RST 2018-91), which `encoding_rs` (the WHATWG encodings only) lacks and no
/// maintained crate provides. cp1125 is cp866 but for eight bytes, 0xF2–0xF9, which hold
/// Ґ ґ Є є І і Ї ї (cp866 has Є є Ї ї Ў ў ° ∙ there) — so it is cp866 with those eight
/// replaced, not a table of our own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Std(&'static encoding_rs::Encoding),
    Cp1125,
}

/// cp1125's 0xF2–0xF9, and what cp866 decodes those bytes to (characters found nowhere
/// else in cp866): cp1125 text is cp866's with these eight exchanged.
const CP1125_F2: [char; 8] = ['Ґ', 'ґ', 'Є', 'є', 'І', 'і', 'Ї', 'ї'];
const CP866_F2: [char; 8] = ['Є', 'є', 'Ї', 'ї', 'Ў', 'ў', '°', '∙'];

/// cp866-decoded text as cp1125's.
fn cp1125_from_cp866(text: &str) -> String {
    text.chars()
        .map(|c| match CP866_F2.iter().position(|x| *x == c) {
            Some(i) => CP1125_F2[i],
            None => c,
        })
        .collect()
}

impl Charset {
    pub const UTF_8: Charset = Charset::Std(encoding_rs::UTF_8);
    pub const CP1251: Charset = Charset::Std(encoding_rs::WINDOWS_1251);
    pub const CP866: Charset = Charset::Std(encoding_rs::IBM866);

    /// The bytes as text (never fails: an unmapped byte becomes U+FFFD).
    pub fn decode_lossy(self, bytes: &[u8]) -> String {
        match self {
            Charset::Std(enc) => enc.decode(bytes).0.into_owned(),
            Charset::Cp1125 => cp1125_from_cp866(&encoding_rs::IBM866.decode(bytes).0),
        }
    }

    /// The text in this encoding (characters it lacks become `?`), for tests and samples.
    pub fn encode_lossy(self, text: &str) -> Vec<u8> {
        match self {
            Charset::Std(enc) => enc.encode(text).0.into_owned(),
            Charset::Cp1125 => {
                let mut out = Vec::with_capacity(text.len());
                let mut buf = [0u8; 4];
                for c in text.chars() {
                    if let Some(i) = CP1125_F2.iter().position(|x| *x == c) {
                        out.push(0xF2 + u8::try_from(i).unwrap_or(0));
                        continue;
                    }
                    let (bytes, _, bad) = encoding_rs::IBM866.encode(c.encode_utf8(&mut buf));
                    // cp866's own letters at 0xF2–0xF9 (Ў, °…) are not cp1125's.
                    match bytes.first() {
                        Some(b) if !bad && !(0xF2..=0xF9).contains(b) => {
                            out.extend_from_slice(&bytes)
                        }
                        _ => out.push(b'?'),
                    }
                }
                out
            }
        }
    }
}

/// The encodings a template may name.
pub fn encoding(name: &str) -> Option<Charset> {
    match name {
        "utf-8" => Some(Charset::UTF_8),
        "cp1251" => Some(Charset::CP1251),
        "cp866" => Some(Charset::CP866),
        "cp1125" => Some(Charset::Cp1125),
        _ => None,
    }
}

pub fn decode(bytes: &[u8], enc: Charset) -> AppResult<String> {
    if enc == Charset::UTF_8 {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        return std::str::from_utf8(bytes).map(str::to_owned).map_err(|_| {
            AppError::validation(
                "file",
                "is not UTF-8 text; choose the template with the file's encoding (cp1251, cp866)",
            )
        });
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(AppError::validation(
            "file",
            "is a spreadsheet; choose a spreadsheet template",
        ));
    }
    Ok(enc.decode_lossy(bytes))
}

/// One delimited line; quotes are honoured (a bank's payer may contain the delimiter).
pub fn split_delimited(line: &str, delimiter: u8) -> AppResult<Vec<String>> {
    // Most lines carry no quotes: a plain split, without a CSV reader per line.
    if !line.contains('"') {
        return Ok(line
            .split(char::from(delimiter))
            .map(str::to_owned)
            .collect());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(line.as_bytes());
    match reader.records().next() {
        None => Ok(Vec::new()),
        Some(r) => r
            .map(|r| r.iter().map(str::to_owned).collect())
            .map_err(unreadable),
    }
}

pub fn cell(cells: &[String], p: Place) -> Option<String> {
    match p {
        Place::Column(c) if c >= 1 => cells.get(c - 1).cloned(),
        _ => None,
    }
}

pub fn fixed(chars: &[char], p: Place) -> Option<String> {
    match p {
        Place::Fixed(start, width) if start >= 1 => {
            let from = (start - 1).min(chars.len());
            let to = from.saturating_add(width).min(chars.len());
            Some(chars[from..to].iter().collect())
        }
        _ => None,
    }
}

pub fn workbook_rows(bytes: &[u8]) -> AppResult<Vec<Vec<String>>> {
    if !crate::sheets::is_workbook(bytes) {
        return Err(AppError::validation(
            "file",
            "is not an XLSX or XLS workbook; choose a text template",
        ));
    }
    crate::sheets::first_sheet(bytes)
}

/// The records of a dBase III/IV table as text, fields in their order (a record is a
/// "line", numbered from 1); character fields decoded from `encoding` (cp866 or cp1251).
pub fn dbf_rows(bytes: &[u8], encoding: Charset) -> AppResult<Vec<Vec<String>>> {
    dbf_table(bytes, encoding).map(|(_, rows)| rows)
}

/// A dBase table's field names (upper case, as the table declares them) and its records as
/// text. Numbers come back as the shortest text that reads back to the same value — exact
/// for the up to 15 significant digits a DBF `N` field of money holds. A table the reader
/// cannot read — or panics on — is refused whole.
pub fn dbf_table(bytes: &[u8], encoding: Charset) -> AppResult<(Vec<String>, Vec<Vec<String>>)> {
    if !dbf_header_sane(bytes) {
        return Err(unreadable("not a dBase table (its header is damaged)"));
    }
    let owned = bytes.to_vec();
    let read = std::panic::catch_unwind(move || {
        let source = std::io::Cursor::new(owned);
        // cp1125 is read as cp866 and its eight letters exchanged after.
        let base = match encoding {
            Charset::Std(enc) => enc,
            Charset::Cp1125 => encoding_rs::IBM866,
        };
        let mut reader =
            dbase::Reader::new_with_encoding(source, dbase::encoding::EncodingRs::from(base))?;
        let names: Vec<String> = reader
            .fields()
            .iter()
            .map(|f| f.name().to_uppercase())
            .collect();
        reader.read_as::<DbfRecord>().map(|r| (names, r))
    });
    match read {
        Ok(Ok((names, records))) => {
            if records.len() > MAX_ROWS {
                return Err(AppError::validation(
                    "file",
                    format!("has more than {MAX_ROWS} rows; split it"),
                ));
            }
            let rows = records.into_iter().map(|r| r.0);
            Ok((
                names,
                match encoding {
                    Charset::Cp1125 => rows
                        .map(|r| r.iter().map(|c| cp1125_from_cp866(c)).collect())
                        .collect(),
                    Charset::Std(_) => rows.collect(),
                },
            ))
        }
        Ok(Err(e)) => Err(unreadable(format!("not a dBase table ({e})"))),
        Err(_) => Err(unreadable("not a dBase table")),
    }
}

/// The header lengths the `dbase` reader computes with, checked first: a header shorter
/// than its own 32 bytes and terminator (or, for Visual FoxPro, its 263-byte backlink) would
/// underflow the reader's field count (found by fuzzing: a panic in a debug build, a
/// wrapped count asking for an impossible allocation in a release one), and one longer than
/// the file cannot be read.
fn dbf_header_sane(bytes: &[u8]) -> bool {
    let (Some(&kind), Some(h), Some(r)) = (bytes.first(), bytes.get(8..10), bytes.get(10..12))
    else {
        return false;
    };
    let header_len = usize::from(u16::from_le_bytes([h[0], h[1]]));
    let record_len = u16::from_le_bytes([r[0], r[1]]);
    let visual_fox_pro = matches!(kind, 0x30..=0x32);
    let fields_end = if visual_fox_pro {
        header_len.checked_sub(263)
    } else {
        Some(header_len)
    };
    fields_end.is_some_and(|e| e >= 33) && header_len <= bytes.len() && record_len >= 1
}

/// A dBase III table of `fields` (name, type `C`/`N`/`D`, length) and `records` (each
/// field's bytes, already in the table's code page), with `code_page` as its mark (0x26
/// cp866, 0xC9 cp1251): what a social office's or bank's DOS-era system writes — for the
/// tests and the generator's sample files.
pub fn write_dbf(fields: &[(&str, u8, u8)], records: &[Vec<Vec<u8>>], code_page: u8) -> Vec<u8> {
    let record_len: u16 = 1 + fields.iter().map(|f| u16::from(f.2)).sum::<u16>();
    let header_len = u16::try_from(32 + 32 * fields.len() + 1).unwrap_or(u16::MAX);
    let mut out = vec![0x03, 126, 12, 1];
    out.extend(
        u32::try_from(records.len())
            .unwrap_or(u32::MAX)
            .to_le_bytes(),
    );
    out.extend(header_len.to_le_bytes());
    out.extend(record_len.to_le_bytes());
    out.extend([0u8; 20]);
    out[29] = code_page;
    for (name, kind, len) in fields {
        let mut d = [0u8; 32];
        let name = &name.as_bytes()[..name.len().min(10)];
        d[..name.len()].copy_from_slice(name);
        d[11] = *kind;
        d[16] = *len;
        d[17] = if *kind == b'N' { 2 } else { 0 };
        out.extend(d);
    }
    out.push(0x0D);
    for r in records {
        out.push(b' ');
        for (value, (_, kind, len)) in r.iter().zip(fields) {
            let width = usize::from(*len);
            let value = &value[..value.len().min(width)];
            let mut cell = vec![b' '; width];
            // Numbers stand to the right, text to the left.
            let at = if *kind == b'N' {
                width - value.len()
            } else {
                0
            };
            cell[at..at + value.len()].copy_from_slice(value);
            out.extend(cell);
        }
    }
    out.push(0x1A);
    out
}

/// One DBF record's fields as text, in the table's order.
struct DbfRecord(Vec<String>);

impl dbase::ReadableRecord for DbfRecord {
    fn read_using<Source, MemoSource>(
        fields: &mut dbase::FieldIterator<'_, Source, MemoSource>,
    ) -> Result<Self, dbase::FieldIOError>
    where
        Source: std::io::Read + std::io::Seek,
        MemoSource: std::io::Read + std::io::Seek,
    {
        let mut cells = Vec::new();
        for value in fields {
            cells.push(dbf_text(value?.value));
        }
        Ok(Self(cells))
    }
}

fn dbf_text(v: dbase::FieldValue) -> String {
    use dbase::FieldValue as V;
    match v {
        V::Character(Some(s)) | V::Memo(s) => s,
        V::Numeric(Some(f)) | V::Currency(f) | V::Double(f) => f.to_string(),
        V::Float(Some(f)) => f.to_string(),
        V::Integer(i) => i.to_string(),
        V::Date(Some(d)) => format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year()),
        V::Logical(Some(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// A delimiter as a template names it: one ASCII character, or `\t` / `tab`.
pub fn delimiter(d: &str) -> Option<u8> {
    match d {
        "\\t" | "\t" | "tab" => Some(b'\t'),
        _ if d.len() == 1 && d.is_ascii() => d.bytes().next(),
        _ => None,
    }
}

/// A template's text settings checked, each refusal naming its field.
pub fn check_layout(
    encoding_name: &str,
    delim: &str,
    skip_lines: i32,
    date_format: &str,
) -> AppResult<()> {
    if encoding(encoding_name).is_none() {
        return Err(AppError::validation(
            "encoding",
            "must be utf-8, cp1251, cp866 or cp1125",
        ));
    }
    if delimiter(delim).is_none() {
        return Err(AppError::validation(
            "delimiter",
            "must be one character or \\t",
        ));
    }
    if !(0..=100).contains(&skip_lines) {
        return Err(AppError::validation("skipLines", "must be from 0 to 100"));
    }
    let probe = chrono::NaiveDate::from_ymd_opt(2026, 11, 5).unwrap_or_default();
    let mut text = String::new();
    if std::fmt::write(&mut text, format_args!("{}", probe.format(date_format))).is_err()
        || chrono::NaiveDate::parse_from_str(&text, date_format) != Ok(probe)
    {
        return Err(AppError::validation(
            "dateFormat",
            "must be a date format such as %d.%m.%Y or %Y-%m-%d",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp1125_reads_the_ukrainian_letters_where_cp866_has_others() {
        // glibc's `iconv -f CP1125` gives ҐґЄєІіЇїЁё№ for these bytes.
        let bytes = b"\xf2\xf3\xf4\xf5\xf6\xf7\xf8\xf9\xf0\xf1\xfc";
        assert_eq!(Charset::Cp1125.decode_lossy(bytes), "ҐґЄєІіЇїЁё№");
        assert_eq!(Charset::CP866.decode_lossy(bytes), "ЄєЇїЎў°∙Ёё№");
        let name = "Їжак Ґанна Іванівна, вул. Європейська";
        let encoded = Charset::Cp1125.encode_lossy(name);
        assert_eq!(encoded.len(), name.chars().count());
        assert_eq!(Charset::Cp1125.decode_lossy(&encoded), name);
        // cp866's Ў has no place in cp1125.
        assert_eq!(Charset::Cp1125.encode_lossy("Ў"), b"?");
        assert_eq!(
            decode(&encoded, Charset::Cp1125).ok().as_deref(),
            Some(name)
        );
    }

    #[test]
    fn a_dbf_header_shorter_than_itself_is_refused_not_read() {
        let good = write_dbf(&[("LS", b'C', 10)], &[vec![b"1".to_vec()]], 0x26);
        assert!(dbf_rows(&good, Charset::CP866).is_ok());
        for offset in [0u16, 20, 32] {
            let mut bad = good.clone();
            bad[8..10].copy_from_slice(&offset.to_le_bytes());
            assert!(dbf_rows(&bad, Charset::CP866).is_err(), "{offset}");
        }
        let mut past = good.clone();
        past[8..10].copy_from_slice(&u16::MAX.to_le_bytes());
        assert!(dbf_rows(&past, Charset::CP866).is_err());
        assert!(dbf_rows(&good[..5], Charset::CP866).is_err());
    }

    #[test]
    fn a_cp1125_dbf_reads_its_letters() {
        let name = Charset::Cp1125.encode_lossy("Іваненко Ґ.");
        let dbf = write_dbf(&[("FIO", b'C', 20)], &[vec![name]], 0x26);
        let rows = dbf_rows(&dbf, Charset::Cp1125).unwrap_or_default();
        assert_eq!(rows, [["Іваненко Ґ.".to_owned()]]);
    }
}
