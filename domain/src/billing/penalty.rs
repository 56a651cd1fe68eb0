//! Penalty on overdue debt (DOMAIN.md "Penalty"). The opening debt of a service is cut
//! into tranches by the period it was charged in (payments pay the oldest debt first, so
//! the debt still open is the newest charges); a tranche is overdue from the day after the
//! tenant's due day of the following month. Over the days of the period the interest is
//! summed over intervals split by payments (the payment day still on the old debt), rate
//! changes and, under the Russian rule, the 31st and 91st day of delay.

use chrono::{Datelike, Duration, NaiveDate};
use rust_decimal::Decimal;

use super::PaymentInput;
use super::explain::{Step, StepKind};
use crate::Period;
use crate::dated::in_force;

/// The jurisdiction's rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PenaltyRule {
    Off,
    /// `debt × days × 2 × NBU rate / (365 or 366)`.
    Ukraine,
    /// Housing Code art. 155 §14: days 31–90 of delay 1/300 of the key rate a day, from
    /// day 91 1/130.
    Russia,
    /// `debt × days × NBK base rate / (365 or 366)` from the day after the due day (the
    /// 25th of the next month by the Typical rules of communal services, order No. 249 as
    /// amended by order No. 336 of 29.08.2025): a penalty of the National Bank's base rate
    /// for each day of delay, as Kazakh billing computes it (P = N × R/100 × K × D / 365,
    /// K = 1 here).
    Kazakhstan,
    /// Bulgaria's legal interest (Council of Ministers' decree No. 426 of 18.12.2014):
    /// a year's interest of the central bank's base rate + 10 percentage points, from
    /// 1 January 2026 the ECB's main refinancing rate + 8 (the decree as amended in
    /// December 2025, with the euro) — the rate in force from 1 January or 1 July; each
    /// day of delay 1/360 of it.
    Bulgaria,
}

/// The day Bulgaria's legal interest margin went from 10 to 8 percentage points.
fn bulgarian_euro_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// Percentage points the rule adds to the rate in force on `day`.
pub fn margin(rule: PenaltyRule, day: NaiveDate) -> Decimal {
    match rule {
        PenaltyRule::Bulgaria if day < bulgarian_euro_day() => Decimal::from(10),
        PenaltyRule::Bulgaria => Decimal::from(8),
        _ => Decimal::ZERO,
    }
}

impl PenaltyRule {
    pub fn parse(s: &str) -> Option<PenaltyRule> {
        Some(match s {
            "off" => PenaltyRule::Off,
            "ukraine" => PenaltyRule::Ukraine,
            "russia" => PenaltyRule::Russia,
            "kazakhstan" => PenaltyRule::Kazakhstan,
            "bulgaria" => PenaltyRule::Bulgaria,
            _ => return None,
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            PenaltyRule::Off => "off",
            PenaltyRule::Ukraine => "ukraine",
            PenaltyRule::Russia => "russia",
            PenaltyRule::Kazakhstan => "kazakhstan",
            PenaltyRule::Bulgaria => "bulgaria",
        }
    }
}

/// A part of the debt and the first day it is overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tranche {
    pub amount: Decimal,
    pub overdue_from: NaiveDate,
}

/// The first overdue day of the debt charged in `p`: the day after `due_day` of p + 1.
pub fn overdue_from(p: Period, due_day: u32) -> NaiveDate {
    let next = p.next();
    let day = due_day.clamp(1, next.days());
    next.first_day()
        .with_day(day)
        .unwrap_or_else(|| next.last_day())
        + Duration::days(1)
}

/// Cuts a positive opening debt into tranches, oldest first: newest charges first, then
/// whatever is older than the history reaches (overdue since before its oldest period).
pub fn tranches(
    opening: Decimal,
    history: &[(Period, Decimal)],
    due_day: u32,
    period: Period,
) -> Vec<Tranche> {
    let mut left = opening;
    let mut out = Vec::new();
    if left <= Decimal::ZERO {
        return out;
    }
    let mut oldest = period.prev();
    for (p, charge) in history {
        if left <= Decimal::ZERO {
            break;
        }
        oldest = *p;
        if *charge <= Decimal::ZERO {
            continue;
        }
        let t = left.min(*charge);
        out.push(Tranche {
            amount: t,
            overdue_from: overdue_from(*p, due_day),
        });
        left -= t;
    }
    if left > Decimal::ZERO {
        out.push(Tranche {
            amount: left,
            overdue_from: overdue_from(oldest.prev(), due_day),
        });
    }
    out.reverse();
    out
}

fn year_days(year: i32) -> i64 {
    if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
        366
    } else {
        365
    }
}

/// (multiplier, divisor) of the daily interest on day `day` of a tranche overdue from
/// `from`; None while it is not (yet) charged.
fn factor(rule: PenaltyRule, from: NaiveDate, day: NaiveDate) -> Option<(i64, i64)> {
    if day < from {
        return None;
    }
    match rule {
        PenaltyRule::Off => None,
        PenaltyRule::Ukraine => Some((2, year_days(day.year()))),
        PenaltyRule::Kazakhstan => Some((1, year_days(day.year()))),
        PenaltyRule::Bulgaria => Some((1, 360)),
        PenaltyRule::Russia => {
            let delay = (day - from).num_days() + 1;
            match delay {
                ..=30 => None,
                31..=90 => Some((1, 300)),
                _ => Some((1, 130)),
            }
        }
    }
}

/// The penalty accrued over the days of `period` on `tranches` (oldest first), payments
/// of the period paying them oldest first. Unrounded, with a step per interval.
pub fn penalty(
    rule: PenaltyRule,
    tranches: &[Tranche],
    payments: &[PaymentInput],
    rates: &[(NaiveDate, Decimal)],
    period: Period,
) -> (Decimal, Vec<Step>) {
    if rule == PenaltyRule::Off || tranches.is_empty() {
        return (Decimal::ZERO, Vec::new());
    }
    let first = period.first_day();
    let end = period.last_day() + Duration::days(1);
    let mut cuts: Vec<NaiveDate> = vec![first, end];
    for p in payments {
        cuts.push(p.paid_on + Duration::days(1));
    }
    for (from, _) in rates {
        cuts.push(*from);
    }
    if rule == PenaltyRule::Bulgaria {
        cuts.push(bulgarian_euro_day());
    }
    for t in tranches {
        cuts.push(t.overdue_from);
        if rule == PenaltyRule::Russia {
            cuts.push(t.overdue_from + Duration::days(30));
            cuts.push(t.overdue_from + Duration::days(90));
        }
    }
    cuts.retain(|d| *d >= first && *d <= end);
    cuts.sort();
    cuts.dedup();

    let mut debt: Vec<Decimal> = tranches.iter().map(|t| t.amount).collect();
    let mut total = Decimal::ZERO;
    let mut steps = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        // Payments made before `a` (the payment day itself is still on the old debt).
        for p in payments
            .iter()
            .filter(|p| p.paid_on + Duration::days(1) == a)
        {
            let mut left = p.amount;
            for d in debt.iter_mut() {
                if left <= Decimal::ZERO {
                    break;
                }
                let take = left.min(*d);
                *d -= take;
                left -= take;
            }
        }
        let days = (b - a).num_days();
        let Some(rate) = in_force(rates, a).map(|r| *r + margin(rule, a)) else {
            continue;
        };
        // Tranches under the same factor are one interval in the explanation.
        let mut groups: Vec<((i64, i64), Decimal)> = Vec::new();
        for (t, d) in tranches.iter().zip(&debt) {
            if *d <= Decimal::ZERO {
                continue;
            }
            if let Some(f) = factor(rule, t.overdue_from, a) {
                match groups.iter_mut().find(|(g, _)| *g == f) {
                    Some((_, s)) => *s += *d,
                    None => groups.push((f, *d)),
                }
            }
        }
        for ((mult, div), d) in groups {
            // One division: debt × days × rate × multiplier ÷ (100 × divisor).
            let v = d * Decimal::from(days) * rate * Decimal::from(mult) / Decimal::from(100 * div);
            total += v;
            steps.push(Step::new(
                StepKind::PenaltyInterval,
                &[
                    d,
                    Decimal::from(days),
                    rate,
                    Decimal::from(mult),
                    Decimal::from(div),
                ],
                v.round_dp(4),
            ));
        }
    }
    (total, steps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }
    fn p(y: i32, m: u32) -> Period {
        Period::new(y, m).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn debt_is_overdue_after_the_due_day_of_the_next_month() {
        assert_eq!(overdue_from(p(2026, 1), 20), d(2026, 2, 21));
        // Day 31 of a 28-day February is its last day.
        assert_eq!(overdue_from(p(2026, 1), 31), d(2026, 3, 1));
    }

    #[test]
    fn opening_debt_is_cut_newest_charges_first() {
        let h = [
            (p(2026, 3), dec!(100)),
            (p(2026, 2), dec!(80)),
            (p(2026, 1), dec!(90)),
        ];
        let t = tranches(dec!(250), &h, 20, p(2026, 4));
        assert_eq!(
            t,
            vec![
                Tranche {
                    amount: dec!(70),
                    overdue_from: d(2026, 2, 21)
                },
                Tranche {
                    amount: dec!(80),
                    overdue_from: d(2026, 3, 21)
                },
                Tranche {
                    amount: dec!(100),
                    overdue_from: d(2026, 4, 21)
                },
            ]
        );
        // More debt than the history explains: the rest is older still.
        let t = tranches(dec!(120), &[(p(2026, 3), dec!(100))], 20, p(2026, 4));
        assert_eq!(
            t[0],
            Tranche {
                amount: dec!(20),
                overdue_from: d(2026, 3, 21)
            }
        );
        assert!(tranches(dec!(-5), &h, 20, p(2026, 4)).is_empty());
    }

    #[test]
    fn ukraine_rule_splits_at_payment_and_rate_change() {
        // 1 000.00 overdue all April 2026 (30 days); 400.00 paid on the 10th; the rate
        // goes 15.5 → 13.5 on the 20th. Intervals: 1–10 on 1000 at 15.5 (10 days),
        // 11–19 on 600 at 15.5 (9 days), 20–30 on 600 at 13.5 (11 days).
        let t = [Tranche {
            amount: dec!(1000),
            overdue_from: d(2026, 1, 21),
        }];
        let pay = [PaymentInput {
            paid_on: d(2026, 4, 10),
            amount: dec!(400),
            service_id: None,
        }];
        let rates = [(d(2026, 1, 1), dec!(15.5)), (d(2026, 4, 20), dec!(13.5))];
        let (v, steps) = penalty(PenaltyRule::Ukraine, &t, &pay, &rates, p(2026, 4));
        let expect = dec!(1000) * dec!(10) * dec!(0.155) * dec!(2) / dec!(365)
            + dec!(600) * dec!(9) * dec!(0.155) * dec!(2) / dec!(365)
            + dec!(600) * dec!(11) * dec!(0.135) * dec!(2) / dec!(365);
        assert_eq!(crate::money(v), crate::money(expect));
        assert_eq!(crate::money(v), dec!(17.96));
        assert_eq!(steps.len(), 3);
    }

    #[test]
    fn kazakhstan_rule_is_the_base_rate_a_day_of_delay() {
        // 2 000.00 overdue all of November 2026 (30 days) at the NBK base rate of 16.5%:
        // 2000 × 30 × 0.165 / 365 = 27.123… → 27.12.
        let t = [Tranche {
            amount: dec!(2000),
            overdue_from: d(2026, 10, 26),
        }];
        let rates = [(d(2026, 1, 1), dec!(16.5))];
        let (v, steps) = penalty(PenaltyRule::Kazakhstan, &t, &[], &rates, p(2026, 11));
        assert_eq!(crate::money(v), dec!(27.12));
        assert_eq!(steps[0].args.as_slice()[3..], [dec!(1), dec!(365)]);
        // Nothing before the first overdue day.
        let late = [Tranche {
            amount: dec!(2000),
            overdue_from: d(2026, 11, 26),
        }];
        let (v, _) = penalty(PenaltyRule::Kazakhstan, &late, &[], &rates, p(2026, 11));
        // 5 days (26–30 November): 2000 × 5 × 0.165 / 365 = 4.52.
        assert_eq!(crate::money(v), dec!(4.52));
    }

    #[test]
    fn bulgarian_legal_interest_is_the_rate_plus_the_margin_over_360_days() {
        let t = [Tranche {
            amount: dec!(1000),
            overdue_from: d(2025, 1, 1),
        }];
        // December 2025: BNB base rate 1.81% + 10 points, 31 days: 1000 × 31 × 0.1181 / 360
        // = 10.169… → 10.17.
        let rates = [(d(2025, 7, 1), dec!(1.81)), (d(2026, 1, 1), dec!(2.15))];
        let (v, steps) = penalty(PenaltyRule::Bulgaria, &t, &[], &rates, p(2025, 12));
        assert_eq!(crate::money(v), dec!(10.17));
        assert_eq!(steps[0].args.as_slice()[2], dec!(11.81));
        // January 2026: the ECB rate 2.15% + 8 points: 1000 × 31 × 0.1015 / 360 = 8.74.
        let (v, steps) = penalty(PenaltyRule::Bulgaria, &t, &[], &rates, p(2026, 1));
        assert_eq!(crate::money(v), dec!(8.74));
        assert_eq!(
            steps[0].args.as_slice()[2..],
            [dec!(10.15), dec!(1), dec!(360)]
        );
    }

    #[test]
    fn leap_year_divides_by_366() {
        let t = [Tranche {
            amount: dec!(366),
            overdue_from: d(2028, 1, 21),
        }];
        let rates = [(d(2028, 1, 1), dec!(50))];
        // 366 × 29 days × 2 × 0.5 / 366 = 29.00 in February 2028.
        let (v, _) = penalty(PenaltyRule::Ukraine, &t, &[], &rates, p(2028, 2));
        assert_eq!(crate::money(v), dec!(29.00));
    }

    #[test]
    fn russia_rule_charges_from_day_31_and_more_from_day_91() {
        let rates = [(d(2026, 1, 1), dec!(21))];
        // Overdue from 10 March: April 1–8 are days 23–30 (free), 9–30 days 31–52.
        let t = [Tranche {
            amount: dec!(3000),
            overdue_from: d(2026, 3, 10),
        }];
        let (v, steps) = penalty(PenaltyRule::Russia, &t, &[], &rates, p(2026, 4));
        assert_eq!(steps.len(), 1);
        assert_eq!(
            crate::money(v),
            crate::money(dec!(3000) * dec!(22) * dec!(0.21) / dec!(300))
        );
        // Overdue from 1 January: April 1 is day 91, all at 1/130.
        let t = [Tranche {
            amount: dec!(1300),
            overdue_from: d(2026, 1, 1),
        }];
        let (v, _) = penalty(PenaltyRule::Russia, &t, &[], &rates, p(2026, 4));
        assert_eq!(crate::money(v), dec!(63.00));
    }

    #[test]
    fn nothing_when_off_or_not_yet_overdue() {
        let rates = [(d(2026, 1, 1), dec!(15))];
        let t = [Tranche {
            amount: dec!(500),
            overdue_from: d(2026, 5, 21),
        }];
        assert_eq!(
            penalty(PenaltyRule::Ukraine, &t, &[], &rates, p(2026, 4)).0,
            dec!(0)
        );
        let t = [Tranche {
            amount: dec!(500),
            overdue_from: d(2026, 1, 21),
        }];
        assert_eq!(
            penalty(PenaltyRule::Off, &t, &[], &rates, p(2026, 4)).0,
            dec!(0)
        );
    }
}
