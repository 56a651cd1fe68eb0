//! Claim letter templates as a tenant admin types them: any text is checked or refused,
//! never a panic; a template that passes the check fills in, and what it fills in holds
//! every placeholder's value and no brace of a placeholder.
#![no_main]

use domain::claim_letter::{check, fill};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let checked = check(text);
    let filled = fill(text, |name| format!("<{name}>"));
    assert_eq!(checked.is_ok(), filled.is_ok());
    if let Ok(out) = filled {
        // Only escaped braces and lone closing ones survive as braces.
        let opening = out.matches('{').count();
        assert!(opening <= text.matches("{{").count(), "{text:?} → {out:?}");
    }
});
