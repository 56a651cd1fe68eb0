//! Reminders to subscribers (seed 001 §4.1): to submit meter readings and to pay, each on a
//! day of the month the tenant chooses, from an hour of the tenant's local day on.
//!
//! Rules chosen here: a day is 1–31; in a month shorter than the day, the reminder goes on
//! the month's last day (a "31" tenant still reminds in February). A day's reminder of one
//! kind goes once; the caller keeps that record, this module only says whether it is due.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

/// What a reminder asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReminderKind {
    /// Submit this month's meter readings (accounts with a working meter not yet read).
    Readings,
    /// Pay the invoice (accounts that owe).
    Payment,
}

impl ReminderKind {
    pub const ALL: [ReminderKind; 2] = [ReminderKind::Readings, ReminderKind::Payment];

    pub fn code(self) -> &'static str {
        match self {
            Self::Readings => "readings",
            Self::Payment => "payment",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A tenant's reminder schedule; a kind without a day is not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Schedule {
    pub readings_day: Option<u32>,
    pub payment_day: Option<u32>,
    /// The local hour (0–23) from which a due reminder goes.
    pub hour: u32,
}

/// Why a schedule was refused: the field and the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleError {
    pub field: &'static str,
    pub rule: &'static str,
}

impl Schedule {
    pub fn new(
        readings_day: Option<u32>,
        payment_day: Option<u32>,
        hour: u32,
    ) -> Result<Self, ScheduleError> {
        for (field, day) in [
            ("readingsReminderDay", readings_day),
            ("paymentReminderDay", payment_day),
        ] {
            if day.is_some_and(|d| !(1..=31).contains(&d)) {
                return Err(ScheduleError {
                    field,
                    rule: "must be a day of the month from 1 to 31",
                });
            }
        }
        if hour > 23 {
            return Err(ScheduleError {
                field: "reminderHour",
                rule: "must be an hour from 0 to 23",
            });
        }
        Ok(Self {
            readings_day,
            payment_day,
            hour,
        })
    }

    pub fn day(&self, kind: ReminderKind) -> Option<u32> {
        match kind {
            ReminderKind::Readings => self.readings_day,
            ReminderKind::Payment => self.payment_day,
        }
    }

    /// The kinds due at `local` (the tenant's wall-clock time).
    pub fn due(&self, local: NaiveDateTime) -> Vec<ReminderKind> {
        if local.hour() < self.hour {
            return Vec::new();
        }
        ReminderKind::ALL
            .into_iter()
            .filter(|k| {
                self.day(*k)
                    .is_some_and(|d| reminder_date(local.date(), d) == local.date())
            })
            .collect()
    }
}

/// The date in `today`'s month on which a reminder of day `day` goes.
pub fn reminder_date(today: NaiveDate, day: u32) -> NaiveDate {
    let last = last_day(today);
    today.with_day(day.min(last)).unwrap_or(today)
}

fn last_day(d: NaiveDate) -> u32 {
    (28..=31)
        .rev()
        .find(|n| d.with_day(*n).is_some())
        .unwrap_or(28)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|x| x.and_hms_opt(h, 0, 0))
            .unwrap_or_default()
    }

    #[test]
    fn a_reminder_is_due_on_its_day_from_its_hour() {
        let s = Schedule::new(Some(20), Some(5), 9).unwrap_or_default();
        assert_eq!(s.due(at(2026, 11, 20, 9)), vec![ReminderKind::Readings]);
        assert_eq!(s.due(at(2026, 11, 20, 23)), vec![ReminderKind::Readings]);
        assert!(s.due(at(2026, 11, 20, 8)).is_empty());
        assert!(s.due(at(2026, 11, 21, 10)).is_empty());
        assert_eq!(s.due(at(2026, 12, 5, 12)), vec![ReminderKind::Payment]);
    }

    #[test]
    fn both_kinds_on_one_day() {
        let s = Schedule::new(Some(10), Some(10), 0).unwrap_or_default();
        assert_eq!(
            s.due(at(2026, 1, 10, 0)),
            vec![ReminderKind::Readings, ReminderKind::Payment]
        );
    }

    #[test]
    fn a_day_past_the_month_end_goes_on_the_last_day() {
        let s = Schedule::new(Some(31), None, 0).unwrap_or_default();
        assert_eq!(s.due(at(2026, 2, 28, 1)), vec![ReminderKind::Readings]);
        assert_eq!(s.due(at(2028, 2, 29, 1)), vec![ReminderKind::Readings]);
        assert!(s.due(at(2028, 2, 28, 1)).is_empty());
        assert_eq!(s.due(at(2026, 4, 30, 1)), vec![ReminderKind::Readings]);
        assert_eq!(s.due(at(2026, 5, 31, 1)), vec![ReminderKind::Readings]);
        assert!(s.due(at(2026, 5, 30, 1)).is_empty());
    }

    #[test]
    fn no_day_no_reminder() {
        let s = Schedule::new(None, None, 0).unwrap_or_default();
        assert!(s.due(at(2026, 3, 1, 12)).is_empty());
    }

    #[test]
    fn out_of_range_values_name_the_field() {
        let e = Schedule::new(Some(0), None, 9).err();
        assert_eq!(e.map(|e| e.field), Some("readingsReminderDay"));
        let e = Schedule::new(None, Some(32), 9).err();
        assert_eq!(e.map(|e| e.field), Some("paymentReminderDay"));
        let e = Schedule::new(None, None, 24).err();
        assert_eq!(e.map(|e| e.field), Some("reminderHour"));
    }

    #[test]
    fn kinds_round_trip_their_codes() {
        for k in ReminderKind::ALL {
            assert_eq!(ReminderKind::parse(k.code()), Some(k));
        }
        assert_eq!(ReminderKind::parse("other"), None);
    }
}
