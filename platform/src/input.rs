//! Parsers of what a user types that every context shares (amounts); each returns a
//! validation error naming the field.

use rust_decimal::Decimal;

use crate::error::{AppError, AppResult};

/// An amount typed by a user: `12.5` or `12,5`, spaces ignored.
pub fn parse_amount(field: &str, text: &str) -> AppResult<Decimal> {
    let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    clean
        .replace(',', ".")
        .parse::<Decimal>()
        .map_err(|_| AppError::validation(field, "must be a number such as 12.5"))
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
}
