//! Seasons (a heating season, say) and their yearly recurrence: a season entered once
//! with its dates may repeat every year, so the tenant does not enter it again each
//! autumn (issue 22, "seasons with yearly recurrence").

use chrono::{Datelike, NaiveDate};

use crate::Period;

/// `day` moved by `years`; 29 February becomes 28 February in a year that lacks it.
fn shifted(day: NaiveDate, years: i32) -> Option<NaiveDate> {
    let year = day.year().checked_add(years)?;
    day.with_year(year)
        .or_else(|| NaiveDate::from_ymd_opt(year, day.month(), 28))
}

/// The occurrences of a season (first and last day, inclusive) that may touch `period`:
/// the season itself, and for a yearly one its copies moved by whole years.
pub fn occurrences(
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    yearly: bool,
    period: Period,
) -> Vec<(NaiveDate, NaiveDate)> {
    if !yearly {
        return vec![(starts_on, ends_on)];
    }
    let first = period.first_day();
    let last = period.last_day();
    // A season spans at most a little over a year, so the copies starting from the year
    // before the period's to its own are all that can overlap it.
    let base = first.year() - starts_on.year();
    (base - 2..=base + 1)
        .filter_map(|k| Some((shifted(starts_on, k)?, shifted(ends_on, k)?)))
        .filter(|(s, e)| *s <= last && *e >= first)
        .collect()
}

/// Seasons as disjoint intervals in order: overlapping or touching ones joined, so a day
/// two seasons share (a yearly season and the next year's entered again) counts once.
pub fn merged(mut seasons: Vec<(NaiveDate, NaiveDate)>) -> Vec<(NaiveDate, NaiveDate)> {
    seasons.sort();
    let mut out: Vec<(NaiveDate, NaiveDate)> = Vec::with_capacity(seasons.len());
    for (s, e) in seasons {
        match out.last_mut() {
            Some(last) if s <= last.1.succ_opt().unwrap_or(last.1) => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn p(text: &str) -> Period {
        text.parse().unwrap_or_else(|_| panic!("{text}"))
    }

    #[test]
    fn overlapping_seasons_count_each_day_once() {
        let yearly = occurrences(d(2025, 10, 15), d(2026, 4, 15), true, p("2026-12"));
        let again = vec![
            (d(2026, 10, 15), d(2027, 4, 15)),
            (d(2027, 4, 16), d(2027, 5, 1)),
        ];
        assert_eq!(
            merged(yearly.into_iter().chain(again).collect()),
            vec![(d(2026, 10, 15), d(2027, 5, 1))]
        );
        let apart = vec![
            (d(2027, 1, 1), d(2027, 1, 5)),
            (d(2026, 1, 1), d(2026, 1, 5)),
        ];
        assert_eq!(
            merged(apart),
            vec![
                (d(2026, 1, 1), d(2026, 1, 5)),
                (d(2027, 1, 1), d(2027, 1, 5))
            ]
        );
    }

    #[test]
    fn a_yearly_heating_season_recurs_across_the_new_year() {
        let (s, e) = (d(2024, 10, 15), d(2025, 4, 15));
        assert_eq!(
            occurrences(s, e, true, p("2026-11")),
            vec![(d(2026, 10, 15), d(2027, 4, 15))]
        );
        assert_eq!(
            occurrences(s, e, true, p("2027-03")),
            vec![(d(2026, 10, 15), d(2027, 4, 15))]
        );
        assert_eq!(occurrences(s, e, true, p("2026-07")), vec![]);
        // Earlier years too: a recalculation of the past sees the season of its time.
        assert_eq!(
            occurrences(s, e, true, p("2023-12")),
            vec![(d(2023, 10, 15), d(2024, 4, 15))]
        );
    }

    #[test]
    fn a_season_that_is_not_yearly_stays_where_it_was_entered() {
        let (s, e) = (d(2025, 10, 15), d(2026, 4, 15));
        assert_eq!(occurrences(s, e, false, p("2026-11")), vec![(s, e)]);
    }

    #[test]
    fn the_29th_of_february_falls_back_to_the_28th() {
        let (s, e) = (d(2024, 1, 1), d(2024, 2, 29));
        assert_eq!(
            occurrences(s, e, true, p("2025-02")),
            vec![(d(2025, 1, 1), d(2025, 2, 28))]
        );
    }
}
