//! 1C ClientBankExchange statements: any bytes are read or refused, never a panic; a
//! statement read gives, for each of its accounts, rows and skipped documents that
//! together account for every document of the statement (or a refusal).
#![no_main]

use libfuzzer_sys::fuzz_target;
use payments::client_bank::{read, rows_for};

fuzz_target!(|data: &[u8]| {
    let Ok(st) = read(data) else {
        return;
    };
    for a in &st.accounts {
        if let Ok((rows, skipped)) = rows_for(&st, &a.account) {
            assert_eq!(rows.len() + skipped.len(), st.documents.len());
        }
    }
});
