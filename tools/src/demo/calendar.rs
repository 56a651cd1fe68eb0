//! The demo's time line, relative to the day it is seeded: the utility went live three
//! months before the current one; those three months are closed, the current one is open.
//! Everything that happened is dated inside that line, never after `now`.

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use domain::Period;

use backend::error::{AppError, AppResult};

/// Closed months of history before the open one.
pub const CLOSED: usize = 3;

#[derive(Debug, Clone, Copy)]
pub struct Calendar {
    /// The month that is open when the seeding ends (the month of `now`).
    pub open: Period,
    pub now: DateTime<Utc>,
}

impl Calendar {
    pub fn new(now: DateTime<Utc>) -> AppResult<Self> {
        let open =
            Period::containing(now.date_naive()).map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(Self { open, now })
    }

    /// The closed months, oldest first.
    pub fn closed(&self) -> [Period; CLOSED] {
        let third = self.open.prev();
        let second = third.prev();
        [second.prev(), second, third]
    }

    /// The go-live month (the first closed one).
    pub fn start(&self) -> Period {
        self.closed()[0]
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    /// Day `d` of `p` (its last day when shorter), never after today.
    pub fn day(&self, p: Period, d: u32) -> NaiveDate {
        let last = p.last_day();
        let day = p
            .first_day()
            .checked_add_days(Days::new(u64::from(d.max(1) - 1)))
            .unwrap_or(last)
            .min(last);
        day.min(self.today()).max(p.first_day().min(self.today()))
    }

    /// An instant on `day` at `hour` (UTC), never after `now`.
    pub fn at(&self, day: NaiveDate, hour: u32) -> DateTime<Utc> {
        let t = day
            .and_hms_opt(hour.min(23), 0, 0)
            .map(|t| Utc.from_utc_datetime(&t))
            .unwrap_or(self.now);
        t.min(self.now)
    }
}

/// A stable pseudo-random number for `key` (FNV-1a), so the same demo is seeded every time.
pub fn mix(key: &str, salt: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^ (h >> 29)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d}"))
    }

    #[test]
    fn three_closed_months_before_the_open_one() {
        let now = Utc
            .with_ymd_and_hms(2027, 1, 1, 6, 0, 0)
            .single()
            .unwrap_or_else(|| panic!("time"));
        let c = Calendar::new(now).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.open.to_string(), "2027-01");
        let closed: Vec<String> = c.closed().iter().map(|p| p.to_string()).collect();
        assert_eq!(closed, ["2026-10", "2026-11", "2026-12"]);
        // Day 31 of a 30-day month is its last day; a day of the open month after today is today.
        let nov = c.closed()[1];
        assert_eq!(c.day(nov, 31), day(2026, 11, 30));
        assert_eq!(c.day(c.open, 15), day(2027, 1, 1));
        assert!(c.at(c.today(), 23) <= now);
    }

    #[test]
    fn mixing_is_stable_and_spread() {
        assert_eq!(mix("100001", 1), mix("100001", 1));
        assert_ne!(mix("100001", 1), mix("100001", 2));
        assert_ne!(mix("100001", 1), mix("100002", 1));
    }
}
