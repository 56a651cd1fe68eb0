//! Money rounding: amounts are `Decimal`, rounded half-up to kopecks (2 places).

use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds half-up (away from zero on .5) to 2 places and always carries 2 places, so
/// `0` prints as `0.00` and `1.005` becomes `1.01`.
pub fn money(amount: Decimal) -> Decimal {
    if amount.scale() <= 2 {
        // Nothing to round (a sum of kopecks); only the two places to carry.
        let mut d = amount;
        d.rescale(2);
        return d;
    }
    let mut d = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    if d.scale() != 2 {
        d.rescale(2);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn rounds_half_up_and_keeps_two_places() {
        assert_eq!(money(dec!(0)).to_string(), "0.00");
        assert_eq!(money(dec!(1.005)).to_string(), "1.01");
        assert_eq!(money(dec!(1.004)).to_string(), "1.00");
        assert_eq!(money(dec!(-1.005)).to_string(), "-1.01");
        assert_eq!(money(dec!(25)).to_string(), "25.00");
    }
}
