//! Interval data of a metering point: which intervals a month has in the point's time zone
//! (a day of 23 or 25 hours at the clock change) and what is wrong with a month's rows —
//! gaps, duplicates, negatives, intervals outside the month or off the grid, a total that
//! is not the file's. Times are UTC inside; a file's local "n-th interval of the day" is
//! turned into its UTC start here, so the 25-hour day's two 03:00 hours stay apart.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;

use crate::Period;

/// How long an interval is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    Hour,
    QuarterHour,
}

impl Resolution {
    pub fn length(self) -> Duration {
        match self {
            Self::Hour => Duration::hours(1),
            Self::QuarterHour => Duration::minutes(15),
        }
    }
}

/// The first moment of a local day. Midnight exists and is unique in every zone a
/// distributor works in (the clocks change at night, not at midnight); where it were
/// skipped, the day starts at the first moment after.
pub fn day_start(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    (0..=3)
        .find_map(|h| {
            tz.from_local_datetime(&(midnight + Duration::hours(h)))
                .earliest()
        })
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
}

/// The UTC start of a local day's `n`-th interval (1 the first): `None` past the day's
/// end (the 24th hour of a 23-hour day) or for 0.
pub fn interval_start(day: NaiveDate, n: u32, tz: Tz, res: Resolution) -> Option<DateTime<Utc>> {
    let start = day_start(day, tz) + res.length() * i32::try_from(n.checked_sub(1)?).ok()?;
    let end = day_start(day.succ_opt()?, tz);
    (start < end).then_some(start)
}

/// How many intervals a local day has (96 or 24 a normal day; 23/25 hours at the change).
pub fn intervals_in_day(day: NaiveDate, tz: Tz, res: Resolution) -> i64 {
    let Some(next) = day.succ_opt() else { return 0 };
    (day_start(next, tz) - day_start(day, tz)).num_minutes() / res.length().num_minutes()
}

/// The UTC start of every interval of a month in the zone, in order.
pub fn month_intervals(month: Period, tz: Tz, res: Resolution) -> Vec<DateTime<Utc>> {
    let (from, to) = (
        day_start(month.first_day(), tz),
        day_start(month.next().first_day(), tz),
    );
    let mut out = Vec::new();
    let mut at = from;
    while at < to {
        out.push(at);
        at += res.length();
    }
    out
}

/// One interval's quantity as a file gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub start: DateTime<Utc>,
    pub quantity: Decimal,
}

/// What is wrong with a month's rows of one point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// `count` intervals from `from` (UTC) on have no row.
    Missing { from: DateTime<Utc>, count: usize },
    /// A second row for the interval.
    Duplicate { start: DateTime<Utc> },
    Negative {
        start: DateTime<Utc>,
        quantity: Decimal,
    },
    /// A row outside the month (in the zone).
    Outside { start: DateTime<Utc> },
    /// A row that does not start on the month's grid of intervals.
    OffGrid { start: DateTime<Utc> },
    /// The rows do not add up to the total the file states.
    Total { stated: Decimal, rows: Decimal },
}

/// Checks a month's rows of one point: every interval present once, none negative, none
/// outside the month or off its grid, and the sum equal to `stated` when the file states a
/// total. Gaps are reported as runs (a missing day is one problem, not 96).
pub fn check(
    month: Period,
    tz: Tz,
    res: Resolution,
    rows: &[Row],
    stated: Option<Decimal>,
) -> Vec<Problem> {
    let expected = month_intervals(month, tz, res);
    let (Some(first), Some(last)) = (expected.first().copied(), expected.last().copied()) else {
        return Vec::new();
    };
    let step = res.length().num_minutes();
    let mut seen = vec![false; expected.len()];
    let mut problems = Vec::new();
    for row in rows {
        if row.start < first || row.start > last {
            problems.push(Problem::Outside { start: row.start });
            continue;
        }
        let minutes = (row.start - first).num_minutes();
        if minutes % step != 0 || (row.start - first).num_seconds() % 60 != 0 {
            problems.push(Problem::OffGrid { start: row.start });
            continue;
        }
        let Some(slot) = usize::try_from(minutes / step)
            .ok()
            .and_then(|i| seen.get_mut(i))
        else {
            problems.push(Problem::Outside { start: row.start });
            continue;
        };
        if *slot {
            problems.push(Problem::Duplicate { start: row.start });
        }
        *slot = true;
        if row.quantity.is_sign_negative() && !row.quantity.is_zero() {
            problems.push(Problem::Negative {
                start: row.start,
                quantity: row.quantity,
            });
        }
    }
    let mut i = 0;
    while i < seen.len() {
        if seen[i] {
            i += 1;
            continue;
        }
        let from = i;
        while i < seen.len() && !seen[i] {
            i += 1;
        }
        problems.push(Problem::Missing {
            from: expected[from],
            count: i - from,
        });
    }
    if let Some(stated) = stated {
        let sum: Decimal = rows.iter().map(|r| r.quantity).sum();
        if sum != stated {
            problems.push(Problem::Total { stated, rows: sum });
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    const SOFIA: Tz = chrono_tz::Europe::Sofia;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn month(y: i32, m: u32) -> Period {
        Period::new(y, m).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn the_clock_change_days_have_23_and_25_hours() {
        // 2026: summer time from 29 March, winter time from 25 October (last Sundays).
        assert_eq!(
            intervals_in_day(day(2026, 3, 29), SOFIA, Resolution::Hour),
            23
        );
        assert_eq!(
            intervals_in_day(day(2026, 10, 25), SOFIA, Resolution::Hour),
            25
        );
        assert_eq!(
            intervals_in_day(day(2026, 10, 25), SOFIA, Resolution::QuarterHour),
            100
        );
        assert_eq!(
            intervals_in_day(day(2026, 7, 1), SOFIA, Resolution::QuarterHour),
            96
        );
        assert_eq!(
            month_intervals(month(2026, 3), SOFIA, Resolution::Hour).len(),
            31 * 24 - 1
        );
        assert_eq!(
            month_intervals(month(2026, 10), SOFIA, Resolution::Hour).len(),
            31 * 24 + 1
        );
        assert_eq!(
            month_intervals(month(2026, 2), SOFIA, Resolution::QuarterHour).len(),
            28 * 96
        );
        // A Sofia day starts at 22:00 UTC in winter, 21:00 in summer.
        assert_eq!(
            day_start(day(2026, 1, 15), SOFIA).to_rfc3339(),
            "2026-01-14T22:00:00+00:00"
        );
        assert_eq!(
            day_start(day(2026, 7, 15), SOFIA).to_rfc3339(),
            "2026-07-14T21:00:00+00:00"
        );
    }

    #[test]
    fn the_25_hour_days_two_three_oclocks_are_two_intervals() {
        let d = day(2026, 10, 25);
        // Hours 4 and 5 of the day are both 03:00 local: 00:00 and 01:00 UTC.
        let h4 = interval_start(d, 4, SOFIA, Resolution::Hour);
        let h5 = interval_start(d, 5, SOFIA, Resolution::Hour);
        assert_eq!(
            h4.map(|t| t.to_rfc3339()),
            Some("2026-10-25T00:00:00+00:00".into())
        );
        assert_eq!(
            h5.map(|t| t.to_rfc3339()),
            Some("2026-10-25T01:00:00+00:00".into())
        );
        assert!(interval_start(d, 25, SOFIA, Resolution::Hour).is_some());
        assert_eq!(interval_start(d, 26, SOFIA, Resolution::Hour), None);
        assert_eq!(
            interval_start(day(2026, 3, 29), 24, SOFIA, Resolution::Hour),
            None
        );
        assert_eq!(interval_start(d, 0, SOFIA, Resolution::Hour), None);
    }

    #[test]
    fn a_months_rows_are_checked_for_gaps_duplicates_negatives_and_the_total() {
        let m = month(2026, 10);
        let all = month_intervals(m, SOFIA, Resolution::Hour);
        let full: Vec<Row> = all
            .iter()
            .map(|s| Row {
                start: *s,
                quantity: dec!(1.5),
            })
            .collect();
        let total = dec!(1.5) * Decimal::from(all.len());
        assert_eq!(
            check(m, SOFIA, Resolution::Hour, &full, Some(total)),
            vec![]
        );

        // A day missing (the 25-hour one), one hour twice, one negative, one of November,
        // one at half past.
        let mut rows: Vec<Row> = full
            .iter()
            .filter(|r| {
                r.start < day_start(day(2026, 10, 25), SOFIA)
                    || r.start >= day_start(day(2026, 10, 26), SOFIA)
            })
            .cloned()
            .collect();
        rows.push(Row {
            start: all[10],
            quantity: dec!(1.5),
        });
        rows[3].quantity = dec!(-0.2);
        let november = day_start(day(2026, 11, 1), SOFIA);
        rows.push(Row {
            start: november,
            quantity: dec!(1),
        });
        rows.push(Row {
            start: all[20] + Duration::minutes(30),
            quantity: dec!(1),
        });
        let problems = check(m, SOFIA, Resolution::Hour, &rows, Some(total));
        assert!(problems.contains(&Problem::Missing {
            from: day_start(day(2026, 10, 25), SOFIA),
            count: 25
        }));
        assert!(problems.contains(&Problem::Duplicate { start: all[10] }));
        assert!(problems.contains(&Problem::Negative {
            start: all[3],
            quantity: dec!(-0.2)
        }));
        assert!(problems.contains(&Problem::Outside { start: november }));
        assert!(problems.contains(&Problem::OffGrid {
            start: all[20] + Duration::minutes(30)
        }));
        let sum: Decimal = rows.iter().map(|r| r.quantity).sum();
        assert!(problems.contains(&Problem::Total {
            stated: total,
            rows: sum
        }));
        assert_eq!(problems.len(), 6, "{problems:?}");
    }
}
