//! Reading rules with no IO: the basis flags, deriving the current reading from the
//! consumption or the other way round (with a meter's wrap-around past 10^digits), and
//! when an existing reading may no longer be corrected.

use std::fmt;

use rust_decimal::Decimal;

/// Why a period's quantity is what it is (DOMAIN.md glossary: Ф / Р / СМ / СС).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Basis {
    /// Ф: read off the meter.
    Actual,
    /// Р: calculated from the norm.
    Calculated,
    /// СМ: the average monthly consumption.
    MonthlyAverage,
    /// СС: the average daily consumption × days.
    DailyAverage,
}

impl Basis {
    pub const ALL: [Basis; 4] = [
        Basis::Actual,
        Basis::Calculated,
        Basis::MonthlyAverage,
        Basis::DailyAverage,
    ];

    /// As stored.
    pub fn code(self) -> &'static str {
        match self {
            Basis::Actual => "actual",
            Basis::Calculated => "calculated",
            Basis::MonthlyAverage => "monthly_average",
            Basis::DailyAverage => "daily_average",
        }
    }

    /// The flag printed on invoices and in the seeds' tables.
    pub fn flag(self) -> &'static str {
        match self {
            Basis::Actual => "Ф",
            Basis::Calculated => "Р",
            Basis::MonthlyAverage => "СМ",
            Basis::DailyAverage => "СС",
        }
    }

    /// From the stored code or the printed flag.
    pub fn parse(s: &str) -> Option<Basis> {
        let s = s.trim();
        Basis::ALL
            .into_iter()
            .find(|b| b.code() == s || b.flag() == s)
    }
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.flag())
    }
}

/// What the user typed: the meter's current reading or the period's consumption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Current(Decimal),
    Consumption(Decimal),
}

/// A reading as stored: both halves, whichever was entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Derived {
    pub current: Decimal,
    pub consumption: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadingError {
    #[error("must not be negative")]
    Negative,
    /// The current reading is below the previous one on a meter that cannot wrap (no digit
    /// count known) — most often a typing error.
    #[error("must not be less than the previous reading {0}")]
    BelowPrevious(Decimal),
    /// The value does not fit the meter's dial.
    #[error("must be less than {0} (the meter has {1} digits)")]
    BeyondDial(Decimal, u32),
    #[error("cannot be corrected: a later period has readings")]
    LaterReadings,
    #[error("cannot be corrected: the account has a payment in this period")]
    PaidPeriod,
}

/// The dial's capacity, 10^digits, when the digit count is known and sane.
fn capacity(digits: Option<u32>) -> Option<Decimal> {
    digits
        .filter(|d| (1..=12).contains(d))
        .map(|d| Decimal::from(10_i64.pow(d)))
}

/// Both halves of a reading from the entered one and the previous reading. A current
/// reading below the previous one on a meter with a known digit count means the dial went
/// round once (DOMAIN.md: "a meter with `digits` wraps at 10^digits"); a consumption that
/// passes the dial's end gives a current reading that starts again from zero.
pub fn derive(
    previous: Decimal,
    entry: Entry,
    digits: Option<u32>,
) -> Result<Derived, ReadingError> {
    let cap = capacity(digits);
    match entry {
        Entry::Current(current) => {
            if current < Decimal::ZERO {
                return Err(ReadingError::Negative);
            }
            if let (Some(c), Some(d)) = (cap, digits)
                && current >= c
            {
                return Err(ReadingError::BeyondDial(c, d));
            }
            let consumption = if current >= previous {
                current - previous
            } else {
                match cap {
                    Some(c) => c - previous + current,
                    None => return Err(ReadingError::BelowPrevious(previous.normalize())),
                }
            };
            Ok(Derived {
                current,
                consumption,
            })
        }
        Entry::Consumption(consumption) => {
            if consumption < Decimal::ZERO {
                return Err(ReadingError::Negative);
            }
            let mut current = previous + consumption;
            if let (Some(c), Some(d)) = (cap, digits) {
                if consumption >= c {
                    return Err(ReadingError::BeyondDial(c, d));
                }
                if current >= c {
                    current -= c;
                }
            }
            Ok(Derived {
                current,
                consumption,
            })
        }
    }
}

/// Whether an existing reading may still be corrected (DOMAIN.md "Meters"): not when a
/// later period already has a reading of the meter (its consumption was derived from this
/// one), nor when the account has a payment in the reading's period.
pub fn check_correction(later_readings: bool, paid_in_period: bool) -> Result<(), ReadingError> {
    if later_readings {
        Err(ReadingError::LaterReadings)
    } else if paid_in_period {
        Err(ReadingError::PaidPeriod)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn ok(r: Result<Derived, ReadingError>) -> Derived {
        match r {
            Ok(d) => d,
            Err(e) => panic!("refused: {e}"),
        }
    }

    #[test]
    fn current_gives_the_difference() {
        let d = ok(derive(dec!(120.5), Entry::Current(dec!(131.25)), Some(5)));
        assert_eq!(d.consumption, dec!(10.75));
        assert_eq!(d.current, dec!(131.25));
    }

    #[test]
    fn consumption_gives_the_current_reading() {
        let d = ok(derive(dec!(120.5), Entry::Consumption(dec!(7)), None));
        assert_eq!(d.current, dec!(127.5));
    }

    #[test]
    fn a_five_digit_dial_wraps() {
        // 99 990 → 00 015 on a five-digit meter is 25 m³, not −99 975.
        let d = ok(derive(dec!(99990), Entry::Current(dec!(15)), Some(5)));
        assert_eq!(d.consumption, dec!(25));
        let back = ok(derive(dec!(99990), Entry::Consumption(dec!(25)), Some(5)));
        assert_eq!(back.current, dec!(15));
    }

    #[test]
    fn without_digits_a_smaller_reading_is_refused_with_the_previous_one() {
        assert_eq!(
            derive(dec!(500.0), Entry::Current(dec!(499)), None),
            Err(ReadingError::BelowPrevious(dec!(500)))
        );
        assert_eq!(
            ReadingError::BelowPrevious(dec!(500)).to_string(),
            "must not be less than the previous reading 500"
        );
    }

    #[test]
    fn values_off_the_dial_and_negatives_are_refused() {
        assert_eq!(
            derive(dec!(1), Entry::Current(dec!(100000)), Some(5)),
            Err(ReadingError::BeyondDial(dec!(100000), 5))
        );
        assert_eq!(
            derive(dec!(1), Entry::Consumption(dec!(-1)), Some(5)),
            Err(ReadingError::Negative)
        );
        assert_eq!(
            derive(dec!(1), Entry::Current(dec!(-0.5)), None),
            Err(ReadingError::Negative)
        );
    }

    #[test]
    fn corrections_follow_the_two_rules_later_readings_first() {
        assert_eq!(check_correction(false, false), Ok(()));
        assert_eq!(
            check_correction(true, true),
            Err(ReadingError::LaterReadings)
        );
        assert_eq!(check_correction(false, true), Err(ReadingError::PaidPeriod));
    }

    #[test]
    fn basis_reads_its_code_and_its_flag() {
        for b in Basis::ALL {
            assert_eq!(Basis::parse(b.code()), Some(b));
            assert_eq!(Basis::parse(b.flag()), Some(b));
        }
        assert_eq!(Basis::parse("X"), None);
    }

    proptest! {
        /// Entering the consumption and entering the current reading it gives are the same
        /// reading, wrap-around included.
        #[test]
        fn both_entries_agree(prev in 0u32..99_999, used in 0u32..99_999) {
            let prev = Decimal::from(prev);
            let by_use = ok(derive(prev, Entry::Consumption(Decimal::from(used)), Some(5)));
            prop_assert!(by_use.current < dec!(100000));
            let by_dial = ok(derive(prev, Entry::Current(by_use.current), Some(5)));
            prop_assert_eq!(by_dial.consumption, Decimal::from(used));
        }
    }
}
