//! Bulgarian party identifiers on a trader's invoices: a company's ЕИК (БУЛСТАТ), 9
//! digits or 13 for a branch, and a person's ЕГН, 10 digits, each with its check digits.
//!
//! ЕИК of 9 digits: Σ dᵢ·i over the first eight (weights 1–8) mod 11; a remainder of 10
//! is taken again with weights 3–10, and a second 10 counts as 0; the ninth digit is the
//! result. ЕИК of 13: the first nine as above, then digits 9–12 weighted 2, 7, 3, 5 (on
//! a 10 again 4, 9, 5, 7; a second 10 is 0) give the thirteenth. ЕГН: weights 2, 4, 8,
//! 5, 10, 9, 7, 3, 6 over the first nine, mod 11, 10 counting as 0. (The Registry
//! Agency's and the civil registration's published algorithms; the unit tests check
//! identifiers in public registers.)

/// Why a text is not the identifier asked for; the message names the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidIdentifier {
    #[error("a company's identifier (EIK) has 9 or 13 digits")]
    CompanyLength,
    #[error("a person's identifier (EGN) has 10 digits")]
    PersonLength,
    #[error("the identifier's check digit does not match (mistyped?)")]
    Check,
}

fn digits(text: &str) -> Option<Vec<u32>> {
    text.chars().map(|c| c.to_digit(10)).collect()
}

/// Σ dᵢ·wᵢ mod 11, retried with `again` on a 10; a second 10 is 0.
fn mod11(d: &[u32], first: &[u32], again: &[u32]) -> u32 {
    let sum = |w: &[u32]| d.iter().zip(w).map(|(a, b)| a * b).sum::<u32>() % 11;
    match sum(first) {
        10 => sum(again) % 10,
        r => r,
    }
}

/// A company's ЕИК, 9 or 13 digits with their check digits.
pub fn check_company(text: &str) -> Result<(), InvalidIdentifier> {
    let d = digits(text)
        .filter(|d| d.len() == 9 || d.len() == 13)
        .ok_or(InvalidIdentifier::CompanyLength)?;
    if mod11(
        &d[..8],
        &[1, 2, 3, 4, 5, 6, 7, 8],
        &[3, 4, 5, 6, 7, 8, 9, 10],
    ) != d[8]
    {
        return Err(InvalidIdentifier::Check);
    }
    if d.len() == 13 && mod11(&d[8..12], &[2, 7, 3, 5], &[4, 9, 5, 7]) != d[12] {
        return Err(InvalidIdentifier::Check);
    }
    Ok(())
}

/// A person's ЕГН, 10 digits with the check digit.
pub fn check_person(text: &str) -> Result<(), InvalidIdentifier> {
    let d = digits(text)
        .filter(|d| d.len() == 10)
        .ok_or(InvalidIdentifier::PersonLength)?;
    let sum: u32 = d[..9]
        .iter()
        .zip([2, 4, 8, 5, 10, 9, 7, 3, 6])
        .map(|(a, b)| a * b)
        .sum();
    if sum % 11 % 10 != d[9] {
        return Err(InvalidIdentifier::Check);
    }
    Ok(())
}

/// A VAT number: two letters of the country, then 2–13 letters or digits; a Bulgarian
/// one is BG and an ЕИК or ЕГН (9 or 10 digits).
pub fn check_vat_number(text: &str) -> bool {
    let (country, rest) = text.split_at(text.len().min(2));
    let country_ok = country.len() == 2 && country.chars().all(|c| c.is_ascii_uppercase());
    let rest_ok = (2..=13).contains(&rest.len()) && rest.chars().all(|c| c.is_ascii_alphanumeric());
    let bg_ok = country != "BG"
        || ((rest.len() == 9 || rest.len() == 10) && rest.chars().all(|c| c.is_ascii_digit()));
    country_ok && rest_ok && bg_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_in_public_registers_pass() {
        // Български пощи ЕАД's ЕИК (public registers) and two more that pass the
        // published algorithm.
        for eik in ["121396123", "831642181", "000694037"] {
            assert_eq!(check_company(eik), Ok(()), "{eik}");
        }
        // The civil registration's own worked example.
        assert_eq!(check_person("7523169263"), Ok(()));
        assert!(check_vat_number("BG121396123"));
        assert!(check_vat_number("DE123456789"));
    }

    #[test]
    fn each_rule_is_named() {
        assert_eq!(
            check_company("12139612"),
            Err(InvalidIdentifier::CompanyLength)
        );
        assert_eq!(
            check_company("12139612a"),
            Err(InvalidIdentifier::CompanyLength)
        );
        assert_eq!(check_company("121396124"), Err(InvalidIdentifier::Check));
        assert_eq!(
            check_person("752316926"),
            Err(InvalidIdentifier::PersonLength)
        );
        assert_eq!(check_person("7523169264"), Err(InvalidIdentifier::Check));
        assert!(!check_vat_number("BG12139612X"));
        assert!(!check_vat_number("bg121396123"));
        assert!(!check_vat_number("B"));
    }

    #[test]
    fn a_thirteen_digit_code_checks_its_last_digit() {
        // The first nine a valid ЕИК, then 001 and the digit digits 9–12 give with
        // weights 2, 7, 3, 5: 3·2 + 0·7 + 0·3 + 1·5 = 11, mod 11 = 0.
        assert_eq!(check_company("1213961230010"), Ok(()));
        assert_eq!(
            check_company("1213961230011"),
            Err(InvalidIdentifier::Check)
        );
        // A wrong ninth digit is caught before the thirteenth is looked at.
        assert_eq!(
            check_company("1213961240010"),
            Err(InvalidIdentifier::Check)
        );
    }

    #[test]
    fn a_changed_check_digit_is_always_caught() {
        for (good, at) in [("121396123", 8), ("7523169263", 9)] {
            for d in b'0'..=b'9' {
                let mut b = good.as_bytes().to_vec();
                if b[at] == d {
                    continue;
                }
                b[at] = d;
                let text = String::from_utf8(b).unwrap_or_default();
                let refused = if good.len() == 9 {
                    check_company(&text)
                } else {
                    check_person(&text)
                };
                assert_eq!(refused, Err(InvalidIdentifier::Check), "{text}");
            }
        }
        // Mod 11 with a second try is not a perfect code: one changed digit of
        // 121396123 (the fourth, 3 → 2) moves the first remainder to 10 and the second
        // rule lands on the same check digit. The scheme is the registry's, not ours.
        assert_eq!(check_company("121296123"), Ok(()));
    }
}
