//! `Eic`: the 16-character Energy Identification Code of a metering point, a party or an
//! area (ENTSO-E's EIC scheme), its check character verified.
//!
//! The scheme: two characters of the issuing office, one of the object type (Z a metering
//! point, X a party, Y an area, W a resource, V a location, T a tie line, A a substation),
//! twelve of the code (A–Z, 0–9 and `-`), then the check character. The check character:
//! each of the first fifteen characters has a value (0–9 the digit, A–Z 10–35, `-` 36) and
//! a weight (16 for the first down to 2 for the fifteenth); the check's value is
//! 36 − ((Σ value × weight − 1) mod 37) — never 36, so the check is never `-`. Verified
//! against codes in use (`10YAT-APG------L`, `10YCA-BULGARIA-R`, `10YNL----------L`,
//! `10YBE----------2`; the unit tests).

use std::fmt;

/// A valid EIC, upper case (a lower-case code as typed is accepted and kept upper).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Eic(String);

/// Why a text is not an EIC; the message names the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidEic {
    #[error("an EIC has 16 characters")]
    Length,
    #[error("an EIC has only Latin letters, digits and -")]
    Character,
    #[error("the EIC's last character is not its check character (mistyped?)")]
    Check,
}

/// The value of an EIC character, if it is one.
fn value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A'..=b'Z' => Some(u32::from(c - b'A') + 10),
        b'-' => Some(36),
        _ => None,
    }
}

/// The character of a value 0–36.
fn character(v: u32) -> u8 {
    match v {
        0..=9 => b'0' + v as u8,
        10..=35 => b'A' + (v - 10) as u8,
        _ => b'-',
    }
}

impl Eic {
    /// Parses a code as typed or as a file gives it: spaces around are dropped, letters
    /// taken in either case.
    pub fn parse(raw: &str) -> Result<Self, InvalidEic> {
        let code = raw.trim().to_ascii_uppercase();
        if code.chars().count() != 16 {
            return Err(InvalidEic::Length);
        }
        let bytes = code.as_bytes();
        if bytes.iter().any(|b| value(*b).is_none()) {
            return Err(InvalidEic::Character);
        }
        match Self::check_character(&code[..15]) {
            Some(c) if c == char::from(bytes[15]) => Ok(Self(code)),
            _ => Err(InvalidEic::Check),
        }
    }

    /// The check character of the first fifteen characters; `None` when they are not
    /// fifteen EIC characters, or when no check character exists for them (the sum
    /// would give `-`: such a code is never issued).
    pub fn check_character(first15: &str) -> Option<char> {
        let bytes = first15.as_bytes();
        if bytes.len() != 15 {
            return None;
        }
        let mut sum = 0u32;
        for (i, b) in bytes.iter().enumerate() {
            // Weights 16 down to 2.
            sum += value(*b)? * (16 - i as u32);
        }
        let check = 36 - ((sum + 36) % 37);
        (check < 36).then(|| char::from(character(check)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The object type: `Z` a metering point, `X` a party, `Y` an area…
    pub fn object_type(&self) -> char {
        char::from(self.0.as_bytes()[2])
    }

    /// Whether it names a metering point (type `Z`).
    pub fn is_metering_point(&self) -> bool {
        self.object_type() == 'Z'
    }
}

impl fmt::Display for Eic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes_in_use_are_valid() {
        for code in [
            "10YAT-APG------L",
            "10YCA-BULGARIA-R",
            "10YNL----------L",
            "10YBE----------2",
        ] {
            assert_eq!(Eic::parse(code).map(|e| e.to_string()), Ok(code.to_owned()));
        }
        let typed = Eic::parse(" 10yca-bulgaria-r ").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(typed.as_str(), "10YCA-BULGARIA-R");
        assert_eq!(typed.object_type(), 'Y');
        assert!(!typed.is_metering_point());
    }

    #[test]
    fn each_rule_is_named() {
        assert_eq!(Eic::parse("10YCA-BULGARIA-"), Err(InvalidEic::Length));
        assert_eq!(Eic::parse("10YCA-BULGARIA-RR"), Err(InvalidEic::Length));
        assert_eq!(Eic::parse("10YCA_BULGARIA-R"), Err(InvalidEic::Character));
        assert_eq!(Eic::parse("10YCA-BULGАRIA-R"), Err(InvalidEic::Character)); // a Cyrillic А
        assert_eq!(Eic::parse("10YCA-BULGARIA-S"), Err(InvalidEic::Check));
        // Two neighbours swapped.
        assert_eq!(Eic::parse("10YCA-BULGAIRA-R"), Err(InvalidEic::Check));
        assert_eq!(
            InvalidEic::Check.to_string(),
            "the EIC's last character is not its check character (mistyped?)"
        );
    }

    #[test]
    fn a_metering_point_of_a_bulgarian_distributor() {
        // The code part as a distributor numbers its points; the check computed.
        let first = "32Z4000000123456"[..15].to_owned();
        let check = Eic::check_character(&first).unwrap_or_else(|| panic!("no check for {first}"));
        let eic = Eic::parse(&format!("{first}{check}")).unwrap_or_else(|e| panic!("{e}"));
        assert!(eic.is_metering_point());
    }

    fn code_part() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[0-9]{2}[XYZWVTA][0-9A-Z-]{12}")
            .unwrap_or_else(|e| panic!("{e}"))
    }

    proptest! {
        /// Every code with its check character parses, and any one character changed to
        /// another is caught (mod 37 with weights 2–16 misses no single substitution).
        #[test]
        fn one_mistyped_character_is_always_caught(
            first in code_part(),
            at in 0usize..16,
            to in 0u32..37,
        ) {
            let Some(check) = Eic::check_character(&first) else { return Ok(()) };
            let code = format!("{first}{check}");
            prop_assert!(Eic::parse(&code).is_ok());
            let mut bytes = code.into_bytes();
            let new = character(to);
            prop_assume!(bytes[at] != new);
            bytes[at] = new;
            let changed = String::from_utf8(bytes).unwrap_or_default();
            prop_assert!(Eic::parse(&changed).is_err(), "{changed}");
        }

        /// Any text is parsed or refused, never a panic.
        #[test]
        fn any_text_is_parsed_or_refused(raw in ".{0,40}") {
            let _ = Eic::parse(&raw);
        }
    }
}
