//! Days inside a period: overlap of inclusive date intervals, and persons weighted by the
//! days they count (resident-days ÷ days of the period).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::Period;

/// An inclusive interval; an open end is `None` (since ever / until further notice).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stay {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Stay {
    pub const ALWAYS: Stay = Stay {
        from: None,
        to: None,
    };

    pub fn new(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Self {
        Self { from, to }
    }

    /// The part of this stay inside `[first, last]`, if any.
    pub fn clip(self, first: NaiveDate, last: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let from = self.from.map_or(first, |f| f.max(first));
        let to = self.to.map_or(last, |t| t.min(last));
        (from <= to).then_some((from, to))
    }
}

/// Days of `[from, to]` (inclusive) that also lie in `[first, last]`.
pub fn overlap(from: NaiveDate, to: NaiveDate, first: NaiveDate, last: NaiveDate) -> u32 {
    let a = from.max(first);
    let b = to.min(last);
    if a > b {
        0
    } else {
        u32::try_from((b - a).num_days() + 1).unwrap_or(0)
    }
}

/// Days of `stay` inside the period and inside `within` (the service's own interval).
pub fn days_of(stay: Stay, period: Period, within: (NaiveDate, NaiveDate)) -> u32 {
    stay.clip(period.first_day(), period.last_day())
        .map_or(0, |(f, t)| overlap(f, t, within.0, within.1))
}

/// Σ days of the stays inside the period and `within`, and that as persons: Σ ÷ days of
/// the period, to 4 places (a resident for half the month counts 0.5).
pub fn persons(stays: &[Stay], period: Period, within: (NaiveDate, NaiveDate)) -> (u32, Decimal) {
    let days: u32 = stays.iter().map(|s| days_of(*s, period, within)).sum();
    (days, as_persons(days, period))
}

/// The same without the days of `gaps` (inclusive intervals, not overlapping each other:
/// days a service was not provided, from recalculation acts).
pub fn persons_except(
    stays: &[Stay],
    period: Period,
    within: (NaiveDate, NaiveDate),
    gaps: &[(NaiveDate, NaiveDate)],
) -> (u32, Decimal) {
    if gaps.is_empty() {
        return persons(stays, period, within);
    }
    let mut days = 0u32;
    for s in stays {
        let cut: u32 = gaps
            .iter()
            .map(|(f, t)| {
                let (a, b) = (within.0.max(*f), within.1.min(*t));
                if a > b {
                    0
                } else {
                    days_of(*s, period, (a, b))
                }
            })
            .sum();
        days += days_of(*s, period, within).saturating_sub(cut);
    }
    (days, as_persons(days, period))
}

/// Resident-days as persons: ÷ days of the period, to 4 places.
fn as_persons(days: u32, period: Period) -> Decimal {
    let whole = period.days();
    // Everyone there all month (the usual case) needs no division.
    if days.is_multiple_of(whole) {
        Decimal::from(days / whole)
    } else {
        (Decimal::from(days) / Decimal::from(whole)).round_dp(4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn persons_are_weighted_by_days() {
        let p = Period::new(2026, 4).unwrap_or_else(|e| panic!("{e}"));
        let all = (p.first_day(), p.last_day());
        let stays = [
            Stay::ALWAYS,
            Stay::new(Some(d(2026, 4, 16)), None),
            Stay::new(None, Some(d(2026, 3, 31))),
        ];
        assert_eq!(persons(&stays, p, all), (45, dec!(1.5)));
        // The service ends on the 10th: the first resident counts 10 days, the second none.
        assert_eq!(
            persons(&stays, p, (p.first_day(), d(2026, 4, 10))),
            (10, dec!(0.3333))
        );
    }

    #[test]
    fn days_a_service_was_not_provided_do_not_count() {
        let p = Period::new(2026, 4).unwrap_or_else(|e| panic!("{e}"));
        let all = (p.first_day(), p.last_day());
        let stays = [Stay::ALWAYS, Stay::new(Some(d(2026, 4, 16)), None)];
        // 15 days without the service (1st–15th): the first resident counts 15 days, the
        // second (from the 16th) all of theirs.
        let gap = [(d(2026, 4, 1), d(2026, 4, 15))];
        assert_eq!(persons_except(&stays, p, all, &gap), (30, dec!(1)));
        assert_eq!(persons_except(&stays, p, all, &[]), persons(&stays, p, all));
    }

    #[test]
    fn overlap_is_inclusive() {
        assert_eq!(
            overlap(d(2026, 1, 1), d(2026, 1, 1), d(2026, 1, 1), d(2026, 1, 31)),
            1
        );
        assert_eq!(
            overlap(d(2026, 2, 1), d(2026, 3, 1), d(2026, 1, 1), d(2026, 1, 31)),
            0
        );
        assert_eq!(
            overlap(
                d(2025, 12, 20),
                d(2026, 1, 10),
                d(2026, 1, 1),
                d(2026, 1, 31)
            ),
            10
        );
    }
}
