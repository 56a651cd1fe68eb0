//! Bank payment files: the first two bytes choose the layout (format, encoding, delimiter,
//! where the fields sit, skipped lines, control markers), the rest is the file. Any input
//! must be parsed or refused, never panic; a parsed file's rows lie past the skipped lines.
#![no_main]

use payments::file::{Fields, Format, Layout, Place, parse};
use platform::table::Charset;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The parsers catch a panic of the spreadsheet reader and refuse the file; libFuzzer's
    // hook would abort on it before the catch. The default hook lets it unwind — a panic
    // no parser catches still reaches libfuzzer-sys, which aborts: a crash, as it should.
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| drop(std::panic::take_hook()));
    let (Some(&a), Some(&b)) = (data.first(), data.get(1)) else {
        return;
    };
    let body = &data[2..];
    let format = [Format::Csv, Format::Spreadsheet, Format::Fixed, Format::Dbf][usize::from(a % 4)];
    let encoding = [
        Charset::UTF_8,
        Charset::CP1251,
        Charset::CP866,
        Charset::Cp1125,
    ][usize::from((a / 3) % 4)];
    let delimiter = [b';', b',', b'\t', b'|'][usize::from((a / 9) % 4)];
    let skip_lines = usize::from((a / 36) % 3);
    let col = usize::from(b % 12);
    let (start, width) = (usize::from(b % 40), usize::from((b / 4) % 40));
    let fields = if b & 0x80 == 0 {
        Fields {
            account: Some(Place::Column(col)),
            amount: Some(Place::Column(col + 1)),
            paid_on: Some(Place::Column(col + 2)),
            payer: Some(Place::Column(col + 3)),
            ..Fields::default()
        }
    } else {
        Fields {
            account: Some(Place::Fixed(start, width)),
            amount: Some(Place::Fixed(start + width, 12)),
            paid_on: Some(Place::Column(col)),
            ..Fields::default()
        }
    };
    let layout = Layout {
        format,
        encoding,
        delimiter,
        skip_lines,
        fields,
        sum_marker: (b & 0x40 != 0).then(|| "#FILESUM".to_owned()),
        count_marker: (b & 0x20 != 0).then(|| "#FILECOUNT".to_owned()),
        comment_prefix: (b & 0x10 != 0).then(|| "#".to_owned()),
        own_account: None,
    };
    if let Ok(p) = parse(body, &layout) {
        assert!(p.rows.iter().all(|r| r.line > skip_lines));
    }
});
