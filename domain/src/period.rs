//! `Period`: a billing period, one calendar month.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

/// A billing period `(year, month)`. Ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    year: i32,
    month: u32,
    /// Derived from year and month when made (the engine asks for it millions of times).
    first: NaiveDate,
    days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("period must look like YYYY-MM with a month from 01 to 12 and a year from 2000 to 2199")]
pub struct InvalidPeriod;

impl Period {
    pub fn new(year: i32, month: u32) -> Result<Self, InvalidPeriod> {
        if (2000..=2199).contains(&year) && (1..=12).contains(&month) {
            Ok(Self::make(year, month))
        } else {
            Err(InvalidPeriod)
        }
    }

    /// `year` and `month` are in range (checked by the callers).
    fn make(year: i32, month: u32) -> Self {
        let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default();
        let (ny, nm) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
        let next = NaiveDate::from_ymd_opt(ny, nm, 1).unwrap_or_default();
        let days = u32::try_from((next - first).num_days()).unwrap_or(30);
        Self {
            year,
            month,
            first,
            days,
        }
    }

    /// The period that contains `date`.
    pub fn containing(date: NaiveDate) -> Result<Self, InvalidPeriod> {
        Self::new(date.year(), date.month())
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        self.first
    }

    pub fn last_day(self) -> NaiveDate {
        self.first + chrono::Duration::days(i64::from(self.days) - 1)
    }

    pub fn days(self) -> u32 {
        self.days
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Self::make(self.year + 1, 1)
        } else {
            Self::make(self.year, self.month + 1)
        }
    }

    pub fn prev(self) -> Self {
        if self.month == 1 {
            Self::make(self.year - 1, 12)
        } else {
            Self::make(self.year, self.month - 1)
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Period {
    type Err = InvalidPeriod;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (y, m) = s.split_once('-').ok_or(InvalidPeriod)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(InvalidPeriod);
        }
        let year = y.parse().map_err(|_| InvalidPeriod)?;
        let month = m.parse().map_err(|_| InvalidPeriod)?;
        Self::new(year, month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn parses_and_prints_round_trip() {
        assert_eq!(p("2026-11").to_string(), "2026-11");
        for bad in [
            "2026-13", "2026-00", "26-11", "2026-1", "abcd-ef", "2026/11", "1999-12",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
    }

    #[test]
    fn days_follow_the_calendar_including_leap_years() {
        assert_eq!(p("2024-02").days(), 29);
        assert_eq!(p("2025-02").days(), 28);
        assert_eq!(p("2100-02").days(), 28);
        assert_eq!(p("2000-02").days(), 29);
        assert_eq!(p("2026-12").days(), 31);
        assert_eq!(p("2026-04").last_day().to_string(), "2026-04-30");
    }

    #[test]
    fn next_and_prev_cross_year_boundaries() {
        assert_eq!(p("2026-12").next(), p("2027-01"));
        assert_eq!(p("2027-01").prev(), p("2026-12"));
        assert!(p("2026-12") < p("2027-01"));
    }
}
