//! Readings files (XLSX or CSV, as meter readers' tools export them): any input is parsed
//! or refused, never a panic; rows carry the line they came from (past the header).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The parsers catch a panic of the spreadsheet reader and refuse the file; libFuzzer's
    // hook would abort on it before the catch. The default hook lets it unwind — a panic
    // no parser catches still reaches libfuzzer-sys, which aborts: a crash, as it should.
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| drop(std::panic::take_hook()));
    if let Ok(rows) = metering::reading_file::parse(data) {
        assert!(rows.iter().all(|r| r.line >= 2));
    }
});
