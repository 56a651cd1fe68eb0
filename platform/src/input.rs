//! Parsers of what a user types that every context shares (amounts, language codes);
//! each returns a validation error naming the field.

use rust_decimal::Decimal;

use crate::error::{AppError, AppResult};
use crate::i18n::Lang;

/// An amount typed by a user: `12.5` or `12,5`, spaces ignored.
pub fn parse_amount(field: &str, text: &str) -> AppResult<Decimal> {
    let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    clean
        .replace(',', ".")
        .parse::<Decimal>()
        .map_err(|_| AppError::validation(field, "must be a number such as 12.5"))
}

/// A language code typed into a form (a user's or tenant's locale, an export's headers):
/// exactly one of the catalog's locales, else a validation error on `field` naming them
/// (so a locale added as a folder under `locales/` is accepted everywhere at once).
pub fn parse_lang(field: &str, code: &str) -> AppResult<Lang> {
    Lang::all().find(|l| l.code() == code).ok_or_else(|| {
        let codes: Vec<&str> = Lang::all().map(Lang::code).collect();
        AppError::validation(
            field,
            format!("must be one of the languages {}", codes.join(", ")),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_take_a_comma_and_spaces() {
        assert_eq!(
            parse_amount("x", " 1 234,5 ").ok(),
            Some(Decimal::new(12345, 1))
        );
        assert!(matches!(
            parse_amount("quantity", "12.5.1"),
            Err(AppError::Validation { ref field, .. }) if field == "quantity"
        ));
    }

    #[test]
    fn a_language_is_one_of_the_catalogs_locales() {
        assert_eq!(parse_lang("locale", "uk").ok(), Some(Lang::UK));
        let Err(AppError::Validation { field, message: m }) = parse_lang("locale", "de") else {
            panic!("de is not a locale of the catalogs");
        };
        assert_eq!(field, "locale");
        assert!(m.starts_with("must be one of the languages ") && m.contains("uk"));
        assert!(crate::i18n::message(Lang::UK, &m).starts_with("має бути однією з мов "));
    }
}
