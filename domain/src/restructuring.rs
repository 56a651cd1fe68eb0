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

/// One month of the account as the agreement sees it: what was paid (payments booked in
/// the month) and the current bill those payments answer first (the previous month's
/// charges for services: charged + recalculation − benefit − subsidy; a penalty belongs
/// with the debt, not with the month's services).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Month {
    pub period: Period,
    pub paid: Decimal,
    pub current: Decimal,
}

/// An instalment with how it was kept (seed 001 «Нарахування та оплати за договором»).
/// `paid` and `behind` are None for a month not reached yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kept {
    pub period: Period,
    pub due: Decimal,
    /// What the month's payments brought to the agreement.
    pub paid: Option<Decimal>,
    /// Instalments due so far less what was brought so far (never below 0); the working
    /// month's own instalment is not due until the month is over.
    pub behind: Option<Decimal>,
}

/// How the schedule was kept through `through` (the working month). Rule: a month's
/// payments cover its current bill first (a debtor under an agreement still owes each
/// month's charges); what is left goes to the agreement. Paying ahead counts for the
/// next instalments, so `behind` compares the sums so far, not each month alone; the
/// working month shows what came so far, its instalment not yet counted as missed.
pub fn kept(schedule: &[(Period, Decimal)], months: &[Month], through: Period) -> Vec<Kept> {
    let mut due_so_far = Decimal::ZERO;
    let mut paid_so_far = Decimal::ZERO;
    schedule
        .iter()
        .map(|&(period, due)| {
            if period > through {
                return Kept {
                    period,
                    due,
                    paid: None,
                    behind: None,
                };
            }
            let paid = months
                .iter()
                .filter(|m| m.period == period)
                .map(|m| (m.paid - m.current.max(Decimal::ZERO)).max(Decimal::ZERO))
                .sum::<Decimal>();
            due_so_far += due;
            paid_so_far += paid;
            let missed = if period < through {
                due_so_far
            } else {
                due_so_far - due
            };
            Kept {
                period,
                due,
                paid: Some(kopecks(paid)),
                behind: Some(kopecks((missed - paid_so_far).max(Decimal::ZERO))),
            }
        })
        .collect()
}

/// Money as shown: two decimals, also for a zero.
fn kopecks(mut d: Decimal) -> Decimal {
    d.rescale(2);
    d
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

    #[test]
    fn payments_cover_the_current_bill_first_and_the_rest_keeps_the_schedule() {
        let s = schedule(dec!(300.00), 3, p("2026-10")).unwrap_or_default();
        let m = |at: &str, paid, current| Month {
            period: p(at),
            paid,
            current,
        };
        let months = [
            // October: the bill of 80 and the instalment of 100 paid.
            m("2026-10", dec!(180), dec!(80)),
            // November: only the bill; December: the bill, November's and December's.
            // (Through November, November is the working month: not yet behind.)
            m("2026-11", dec!(90), dec!(90)),
            m("2026-12", dec!(270), dec!(70)),
        ];
        let k = kept(&s, &months, p("2026-11"));
        let row = |x: &Kept| (x.paid, x.behind);
        assert_eq!(
            k.iter().map(row).collect::<Vec<_>>(),
            vec![
                (Some(dec!(100)), Some(dec!(0))),
                (Some(dec!(0)), Some(dec!(0))),
                (None, None)
            ]
        );
        let k = kept(&s, &months, p("2026-12"));
        assert_eq!((k[1].paid, k[1].behind), (Some(dec!(0)), Some(dec!(100))));
        assert_eq!((k[2].paid, k[2].behind), (Some(dec!(200)), Some(dec!(0))));
        // A month without payments, or paying less than its bill, brings nothing; a
        // credit (negative bill) does not add to what was paid.
        let k = kept(
            &s,
            &[
                m("2026-10", dec!(50), dec!(80)),
                m("2026-11", dec!(100), dec!(-30)),
            ],
            p("2026-12"),
        );
        assert_eq!(
            k.iter().map(row).collect::<Vec<_>>(),
            vec![
                (Some(dec!(0)), Some(dec!(100))),
                (Some(dec!(100)), Some(dec!(100))),
                (Some(dec!(0)), Some(dec!(100)))
            ]
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
