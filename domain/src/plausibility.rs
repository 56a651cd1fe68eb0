//! Is a reading's consumption believable? A typo (99999 for 99) or a misread dial shows as
//! a month's consumption far above what the meter usually records, and is charged at once
//! if nobody looks. The rule (docs/architecture.md, "Meters and readings"):
//!
//! - the usual consumption is the average of the meter's last actual readings (at most 12
//!   months, calculated and averaged months left out: they are estimates themselves);
//!   without any, the account's monthly consumption norm (norm × residents or × area);
//!   without that either, nothing is usual and every value passes;
//! - a consumption is implausible when it is more than three times the usual and more than
//!   one unit above it (so a meter that usually shows 0.2 m³ may show 0.8).
//!
//! An operator is asked to confirm an implausible value; one the subscriber submits in the
//! portal is held for the office to review instead of being charged.

use rust_decimal::Decimal;

/// How many times the usual consumption a month may show before a person looks.
pub const FACTOR: Decimal = Decimal::from_parts(3, 0, 0, false, 0);

/// How many past months the average looks at.
pub const HISTORY_MONTHS: usize = 12;

/// What a meter's month usually shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usual {
    /// The average of this many months of actual readings.
    Average { months: usize, value: Decimal },
    /// The account's monthly consumption norm.
    Norm { value: Decimal },
}

impl Usual {
    pub fn value(self) -> Decimal {
        match self {
            Usual::Average { value, .. } | Usual::Norm { value } => value,
        }
    }
}

/// The usual month from the meter's past actual consumptions (newest first; only the first
/// [`HISTORY_MONTHS`] count) or, without them, the norm; `None` when neither says anything.
pub fn usual(history: &[Decimal], norm: Option<Decimal>) -> Option<Usual> {
    let months: Vec<Decimal> = history
        .iter()
        .copied()
        .filter(|c| *c >= Decimal::ZERO)
        .take(HISTORY_MONTHS)
        .collect();
    if !months.is_empty() {
        let value = months.iter().sum::<Decimal>() / Decimal::from(months.len());
        if value > Decimal::ZERO {
            return Some(Usual::Average {
                months: months.len(),
                value: value.round_dp(3),
            });
        }
    }
    norm.filter(|n| *n > Decimal::ZERO).map(|n| Usual::Norm {
        value: n.round_dp(3),
    })
}

/// `Some(usual)` when `consumption` is implausible against it.
pub fn implausible(consumption: Decimal, usual: Option<Usual>) -> Option<Usual> {
    let u = usual?;
    let v = u.value();
    (consumption > v * FACTOR && consumption - v > Decimal::ONE).then_some(u)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    #[test]
    fn the_average_of_the_last_year_is_usual() {
        let h = [dec!(10), dec!(12), dec!(8)];
        assert_eq!(
            usual(&h, Some(dec!(99))),
            Some(Usual::Average {
                months: 3,
                value: dec!(10)
            })
        );
        let long: Vec<Decimal> = (0..20)
            .map(|i| if i < 12 { dec!(5) } else { dec!(500) })
            .collect();
        assert_eq!(usual(&long, None).map(Usual::value), Some(dec!(5)));
    }

    #[test]
    fn without_history_the_norm_and_without_both_nothing() {
        assert_eq!(
            usual(&[], Some(dec!(7.2))),
            Some(Usual::Norm { value: dec!(7.2) })
        );
        assert_eq!(
            usual(&[dec!(0), dec!(0)], Some(dec!(4))),
            Some(Usual::Norm { value: dec!(4) })
        );
        assert_eq!(usual(&[], Some(dec!(0))), None);
        assert_eq!(usual(&[], None), None);
    }

    #[test]
    fn far_above_the_usual_is_implausible() {
        let u = usual(&[dec!(10)], None);
        assert_eq!(implausible(dec!(99989), u), u);
        assert_eq!(implausible(dec!(31), u), u);
        assert_eq!(implausible(dec!(30), u), None);
        assert_eq!(implausible(dec!(0), u), None);
        // A small meter may triple without a unit's difference.
        let small = usual(&[dec!(0.2)], None);
        assert_eq!(implausible(dec!(0.8), small), None);
        assert_eq!(implausible(dec!(1.3), small), small);
        assert_eq!(implausible(dec!(99999), None), None);
    }

    proptest! {
        #[test]
        fn never_implausible_within_the_factor(avg in 1u32..10_000, frac in 0u32..=300) {
            let u = usual(&[Decimal::from(avg)], None);
            let c = Decimal::from(avg) * Decimal::from(frac) / dec!(100);
            prop_assert_eq!(implausible(c, u), None);
        }
    }
}
