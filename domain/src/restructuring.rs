//! Debt restructuring (seed 001 "Реструктуризація боргу"): a debt paid in equal monthly
//! instalments. Every instalment is the debt divided by the months, rounded down to the
//! kopeck; the last takes what is left, so the schedule always adds up to the debt.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::Period;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("the debt must be more than 0 with at most 2 decimal places")]
    Debt,
    #[error("the months must be from 1 to 120, and the debt at least 0.01 a month")]
    Months,
}

/// Instalments by period from `first` on.
pub fn schedule(
    debt: Decimal,
    months: u32,
    first: Period,
) -> Result<Vec<(Period, Decimal)>, ScheduleError> {
    if debt <= Decimal::ZERO || debt.normalize().scale() > 2 {
        return Err(ScheduleError::Debt);
    }
    let n = Decimal::from(months);
    if !(1..=120).contains(&months) || debt < n * Decimal::new(1, 2) {
        return Err(ScheduleError::Months);
    }
    let each = (debt / n).round_dp_with_strategy(2, RoundingStrategy::ToZero);
    let mut out = Vec::with_capacity(months as usize);
    let mut period = first;
    for i in 1..=months {
        let amount = if i == months {
            debt - each * Decimal::from(months - 1)
        } else {
            each
        };
        out.push((period, amount));
        period = period.next();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn p(s: &str) -> Period {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn a_debt_splits_into_equal_months_and_the_last_takes_the_rest() {
        let s = schedule(dec!(1000.00), 3, p("2026-11")).unwrap_or_default();
        assert_eq!(
            s,
            vec![
                (p("2026-11"), dec!(333.33)),
                (p("2026-12"), dec!(333.33)),
                (p("2027-01"), dec!(333.34)),
            ]
        );
    }

    #[test]
    fn bad_terms_are_refused() {
        assert_eq!(schedule(dec!(0), 3, p("2026-11")), Err(ScheduleError::Debt));
        assert_eq!(
            schedule(dec!(10.001), 3, p("2026-11")),
            Err(ScheduleError::Debt)
        );
        assert_eq!(
            schedule(dec!(100), 0, p("2026-11")),
            Err(ScheduleError::Months)
        );
        assert_eq!(
            schedule(dec!(0.02), 3, p("2026-11")),
            Err(ScheduleError::Months)
        );
        assert_eq!(
            schedule(dec!(100), 121, p("2026-11")),
            Err(ScheduleError::Months)
        );
    }

    proptest! {
        #[test]
        fn the_schedule_adds_up_to_the_debt_and_runs_month_by_month(
            kopecks in 1i64..100_000_000, months in 1u32..=120,
        ) {
            let debt = Decimal::new(kopecks, 2);
            match schedule(debt, months, p("2026-01")) {
                Ok(s) => {
                    prop_assert_eq!(s.len(), months as usize);
                    prop_assert_eq!(s.iter().map(|x| x.1).sum::<Decimal>(), debt);
                    prop_assert!(s.iter().all(|x| x.1 > Decimal::ZERO));
                    // Every instalment but the last is the same; the last is not smaller.
                    prop_assert!(s.windows(2).all(|w| w[0].0.next() == w[1].0));
                    let first = s[0].1;
                    prop_assert!(s[..s.len() - 1].iter().all(|x| x.1 == first));
                    prop_assert!(s[s.len() - 1].1 >= first);
                }
                Err(e) => prop_assert!(debt < Decimal::from(months) * Decimal::new(1, 2), "{e}"),
            }
        }
    }
}
