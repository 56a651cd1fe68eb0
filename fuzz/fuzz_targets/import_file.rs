//! Data-import files (accounts, residents, meters, balances): the first two bytes choose
//! the kind and the layout (format, encoding, delimiter, skipped lines, by header or by
//! column/fixed places), the rest is the file — or, when it is a ZIP, the archive unpacked
//! first. Any input must be read or refused, never panic.
#![no_main]

use imports::kinds::Kind;
use imports::read::{Format, Layout, read};
use libfuzzer_sys::fuzz_target;
use platform::table::{Charset, Place};

fuzz_target!(|data: &[u8]| {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| drop(std::panic::take_hook()));
    let (Some(&a), Some(&b)) = (data.first(), data.get(1)) else {
        return;
    };
    let body = &data[2..];
    let kind = Kind::ALL[usize::from(a) % Kind::ALL.len()];
    let format = [Format::Csv, Format::Sheet, Format::Fixed, Format::Dbf][usize::from((a / 9) % 4)];
    let encoding = [Charset::UTF_8, Charset::CP1251, Charset::CP866, Charset::Cp1125]
        [usize::from((a / 36) % 4)];
    let columns = if b & 0x80 == 0 && format != Format::Fixed {
        Vec::new()
    } else {
        (0..kind.fields().len())
            .map(|i| {
                let n = usize::from(b % 16) + i;
                let place = if format == Format::Fixed {
                    Place::Fixed(n, usize::from(b % 9) + 1)
                } else {
                    Place::Column(n)
                };
                (i, place)
            })
            .collect()
    };
    let layout = Layout {
        kind,
        format,
        encoding,
        delimiter: [b';', b',', b'\t', b'|'][usize::from((b / 16) % 4)],
        skip_lines: usize::from((b / 64) % 2),
        columns,
        date_format: "%d.%m.%Y".into(),
    };
    if imports::archive::is_archive(body) {
        if let Ok(files) = imports::archive::files(body, 1 << 20) {
            for (_, bytes) in files {
                let _ = read(&bytes, &layout);
            }
        }
        return;
    }
    let _ = read(body, &layout);
});
