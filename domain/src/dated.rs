//! Values in force from a date on (tariffs, norms, penalty rates, areas): the row in force
//! on a day is the one with the latest `valid_from` not after that day.

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// The value in force on `day`; None before the first row. `rows` in any order.
pub fn in_force<T>(rows: &[(NaiveDate, T)], day: NaiveDate) -> Option<&T> {
    rows.iter()
        .filter(|(from, _)| *from <= day)
        .max_by_key(|(from, _)| *from)
        .map(|(_, v)| v)
}

/// A price made of components equals their sum; None when there are no components (the
/// price is then entered directly).
pub fn price_of_components(components: &[Decimal]) -> Option<Decimal> {
    (!components.is_empty()).then(|| components.iter().copied().sum())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn the_latest_row_not_after_the_day_is_in_force() {
        let rows = [
            (d(2026, 7, 1), dec!(32.10)),
            (d(2026, 1, 1), dec!(28.50)),
            (d(2026, 11, 1), dec!(35.00)),
        ];
        assert_eq!(in_force(&rows, d(2025, 12, 31)), None);
        assert_eq!(in_force(&rows, d(2026, 1, 1)), Some(&dec!(28.50)));
        assert_eq!(in_force(&rows, d(2026, 6, 30)), Some(&dec!(28.50)));
        assert_eq!(in_force(&rows, d(2026, 7, 1)), Some(&dec!(32.10)));
        assert_eq!(in_force(&rows, d(2027, 3, 1)), Some(&dec!(35.00)));
    }

    #[test]
    fn a_price_of_components_is_their_sum() {
        assert_eq!(price_of_components(&[]), None);
        assert_eq!(
            price_of_components(&[dec!(18.4210), dec!(12.9870)]),
            Some(dec!(31.4080))
        );
    }
}
