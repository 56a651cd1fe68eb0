//! Meter rules with no IO: the next verification date, and a reading's wrap-around.

use chrono::{Datelike, Months, NaiveDate};

/// The next verification: the last one plus the interval in months (the 31st becomes the
/// month's last day where the month is shorter).
pub fn next_verification(verified_on: NaiveDate, interval_months: u32) -> Option<NaiveDate> {
    verified_on.checked_add_months(Months::new(interval_months))
}

/// Whether a working meter's verification is overdue on `day`, or due within `soon` days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    Overdue,
    DueSoon,
    Fine,
}

pub fn verification_state(next: Option<NaiveDate>, day: NaiveDate, soon: i64) -> Verification {
    match next {
        Some(n) if n < day => Verification::Overdue,
        Some(n) if (n - day).num_days() <= soon => Verification::DueSoon,
        _ => Verification::Fine,
    }
}

/// Years a meter has been in service on `day` (for the card).
pub fn years_in_service(installed_on: NaiveDate, day: NaiveDate) -> i32 {
    let mut years = day.year() - installed_on.year();
    if (day.month(), day.day()) < (installed_on.month(), installed_on.day()) {
        years -= 1;
    }
    years.max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_else(|| panic!("{y}-{m}-{day}"))
    }

    #[test]
    fn the_next_verification_adds_the_interval() {
        assert_eq!(next_verification(d(2026, 3, 15), 48), Some(d(2030, 3, 15)));
        assert_eq!(next_verification(d(2026, 1, 31), 1), Some(d(2026, 2, 28)));
        assert_eq!(next_verification(d(2027, 12, 31), 2), Some(d(2028, 2, 29)));
    }

    #[test]
    fn due_soon_and_overdue_are_told_apart() {
        let day = d(2026, 11, 23);
        assert_eq!(
            verification_state(Some(d(2026, 11, 22)), day, 30),
            Verification::Overdue
        );
        assert_eq!(
            verification_state(Some(d(2026, 12, 23)), day, 30),
            Verification::DueSoon
        );
        assert_eq!(
            verification_state(Some(d(2026, 12, 24)), day, 30),
            Verification::Fine
        );
        assert_eq!(verification_state(None, day, 30), Verification::Fine);
        assert_eq!(years_in_service(d(2020, 12, 1), day), 5);
    }
}
