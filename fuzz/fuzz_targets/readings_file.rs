//! Readings files (XLSX or CSV, as meter readers' tools export them): any input is parsed
//! or refused, never a panic; rows carry the line they came from (past the header).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(rows) = backend::registry::reading_file::parse(data) {
        assert!(rows.iter().all(|r| r.line >= 2));
    }
});
