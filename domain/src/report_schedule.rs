//! Scheduled reports (seed 000 §4.8: reports "formed automatically at a set time"): when a
//! schedule is due in the tenant's local time, and which days a date-range report covers.
//!
//! Rules chosen here: a schedule runs daily, weekly on an ISO weekday (1 = Monday … 7 =
//! Sunday) or monthly on a day 1–31 — in a month shorter than the day, on its last day, as
//! the reminders do — from a local hour on; a slot is that local day, and whoever records
//! it first forms it (the caller keeps the record). A tick later the same day (a worker
//! that was down at the hour) still forms it; a day missed altogether is not caught up:
//! the next slot's report covers the days anew. A date-range report covers the interval
//! the slot closes: daily → the day before, weekly → the seven days before, monthly → the
//! previous calendar month.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};

use crate::reminders::reminder_date;

/// How often a schedule runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Daily,
    /// On an ISO weekday, 1 (Monday) to 7 (Sunday).
    Weekly(u32),
    /// On a day of the month, 1 to 31.
    Monthly(u32),
}

impl Frequency {
    pub fn code(self) -> &'static str {
        match self {
            Self::Daily => "daily",
            Self::Weekly(_) => "weekly",
            Self::Monthly(_) => "monthly",
        }
    }
}

/// Why a schedule was refused: the field and the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleError {
    pub field: &'static str,
    pub rule: &'static str,
}

/// When a report is formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportSchedule {
    pub frequency: Frequency,
    /// The local hour (0–23) from which the day's report is formed.
    pub hour: u32,
}

impl ReportSchedule {
    /// From the form's fields: `frequency` is `daily`, `weekly` (with `weekday`) or
    /// `monthly` (with `monthDay`).
    pub fn new(
        frequency: &str,
        weekday: Option<u32>,
        month_day: Option<u32>,
        hour: u32,
    ) -> Result<Self, ScheduleError> {
        let frequency = match frequency {
            "daily" => Frequency::Daily,
            "weekly" => match weekday {
                Some(d) if (1..=7).contains(&d) => Frequency::Weekly(d),
                _ => {
                    return Err(ScheduleError {
                        field: "weekday",
                        rule: "must be a day of the week from 1 (Monday) to 7 (Sunday)",
                    });
                }
            },
            "monthly" => match month_day {
                Some(d) if (1..=31).contains(&d) => Frequency::Monthly(d),
                _ => {
                    return Err(ScheduleError {
                        field: "monthDay",
                        rule: "must be a day of the month from 1 to 31",
                    });
                }
            },
            _ => {
                return Err(ScheduleError {
                    field: "frequency",
                    rule: "must be daily, weekly or monthly",
                });
            }
        };
        if hour > 23 {
            return Err(ScheduleError {
                field: "hour",
                rule: "must be an hour from 0 to 23",
            });
        }
        Ok(Self { frequency, hour })
    }

    /// Whether `day` is a day of the schedule.
    pub fn runs_on(&self, day: NaiveDate) -> bool {
        match self.frequency {
            Frequency::Daily => true,
            Frequency::Weekly(w) => day.weekday().number_from_monday() == w,
            Frequency::Monthly(d) => reminder_date(day, d) == day,
        }
    }

    /// The slot due at `local` (the tenant's wall-clock time): today, when today is a day
    /// of the schedule and its hour has come.
    pub fn due(&self, local: NaiveDateTime) -> Option<NaiveDate> {
        (local.hour() >= self.hour && self.runs_on(local.date())).then(|| local.date())
    }

    /// The days (both included) a date-range report formed for `slot` covers.
    pub fn range(&self, slot: NaiveDate) -> (NaiveDate, NaiveDate) {
        let yesterday = slot - Duration::days(1);
        match self.frequency {
            Frequency::Daily => (yesterday, yesterday),
            Frequency::Weekly(_) => (slot - Duration::days(7), yesterday),
            Frequency::Monthly(_) => {
                let this_month = slot.with_day(1).unwrap_or(slot);
                let last = this_month - Duration::days(1);
                (last.with_day(1).unwrap_or(last), last)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        day(y, m, d).and_hms_opt(h, 0, 0).unwrap_or_default()
    }

    fn schedule(f: &str, w: Option<u32>, m: Option<u32>, h: u32) -> ReportSchedule {
        ReportSchedule::new(f, w, m, h).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn daily_is_due_every_day_from_its_hour() {
        let s = schedule("daily", None, None, 7);
        assert_eq!(s.due(at(2026, 12, 6, 6)), None);
        assert_eq!(s.due(at(2026, 12, 6, 7)), Some(day(2026, 12, 6)));
        assert_eq!(s.due(at(2026, 12, 6, 23)), Some(day(2026, 12, 6)));
        assert_eq!(
            s.range(day(2026, 12, 6)),
            (day(2026, 12, 5), day(2026, 12, 5))
        );
        // Across the year.
        assert_eq!(
            s.range(day(2027, 1, 1)),
            (day(2026, 12, 31), day(2026, 12, 31))
        );
    }

    #[test]
    fn weekly_runs_on_its_weekday_over_the_week_before() {
        // 2026-12-07 is a Monday.
        let s = schedule("weekly", Some(1), None, 8);
        assert_eq!(s.due(at(2026, 12, 7, 8)), Some(day(2026, 12, 7)));
        assert_eq!(s.due(at(2026, 12, 8, 8)), None);
        assert_eq!(s.due(at(2026, 12, 6, 9)), None);
        assert_eq!(
            s.range(day(2026, 12, 7)),
            (day(2026, 11, 30), day(2026, 12, 6))
        );
    }

    #[test]
    fn monthly_on_a_day_past_the_months_end_runs_on_its_last_day() {
        let s = schedule("monthly", None, Some(31), 0);
        assert_eq!(s.due(at(2027, 2, 28, 0)), Some(day(2027, 2, 28)));
        assert_eq!(s.due(at(2027, 2, 27, 12)), None);
        assert_eq!(s.due(at(2026, 12, 31, 1)), Some(day(2026, 12, 31)));
        let first = schedule("monthly", None, Some(1), 6);
        assert_eq!(
            first.range(day(2027, 1, 1)),
            (day(2026, 12, 1), day(2026, 12, 31))
        );
        assert_eq!(
            first.range(day(2024, 3, 1)),
            (day(2024, 2, 1), day(2024, 2, 29))
        );
    }

    #[test]
    fn refusals_name_the_field() {
        let field = |f: &str, w, m, h| ReportSchedule::new(f, w, m, h).err().map(|e| e.field);
        assert_eq!(field("hourly", None, None, 1), Some("frequency"));
        assert_eq!(field("weekly", None, None, 1), Some("weekday"));
        assert_eq!(field("weekly", Some(8), None, 1), Some("weekday"));
        assert_eq!(field("monthly", None, Some(0), 1), Some("monthDay"));
        assert_eq!(field("daily", None, None, 24), Some("hour"));
        assert_eq!(
            field("daily", Some(9), Some(99), 23),
            None,
            "unused fields are ignored"
        );
    }
}
