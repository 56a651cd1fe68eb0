//! The penalty statement (розрахунок пені, расчёт пени): the penalty on a list of debts
//! and payments up to a day, as a table of intervals a court can check line by line. Pure:
//! the caller brings the debts, the payments, the rate table and the rules.
//!
//! Conventions (docs/reports.md "Penalty statement"):
//! - the debt of a period is due on `due_day` of the next month and overdue from the day
//!   after; payments pay the oldest debt first unless they name a period (then that one
//!   first, the rest oldest first; what is left over pays nothing);
//! - a payment's own day still bears interest on the debt before it;
//! - days are counted up to the day before `as_of`;
//! - under the Russian rule (Housing Code art. 155 §14) the first `grace_days` days of
//!   delay (30) are free, days up to the 90th bear 1/300 of the rate a day, from the 91st
//!   1/130; under the Ukrainian rule every overdue day bears 2 × the rate / the days of
//!   its year;
//! - moratoria are days with no penalty (their bounds included); the delay runs on;
//! - the rate: each day's own rate (`Daily`), the rate on the day the part of the debt was
//!   paid and on `as_of` for what is unpaid (`PaymentDay`), or the rate on `as_of` for
//!   everything (`CalculationDay`); a cap lowers the rate chosen when the rate's day falls
//!   in the cap's range (the rate's day: the counted day, the payment day or `as_of`);
//! - each row is rounded half-up to the kopeck; the total is the sum of the rows.

use chrono::{Datelike, Duration, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::Period;
use crate::billing::overdue_from;
use crate::dated::in_force;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Ukraine,
    Russia,
    Kazakhstan,
    Bulgaria,
}

impl Rule {
    /// The billing rule of the same arithmetic.
    fn billing(self) -> crate::billing::PenaltyRule {
        use crate::billing::PenaltyRule as P;
        match self {
            Rule::Ukraine => P::Ukraine,
            Rule::Russia => P::Russia,
            Rule::Kazakhstan => P::Kazakhstan,
            Rule::Bulgaria => P::Bulgaria,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateMode {
    Daily,
    PaymentDay,
    CalculationDay,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Debt {
    pub period: Period,
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Payment {
    pub date: NaiveDate,
    pub amount: Decimal,
    /// The period it pays first; none: the oldest debt.
    pub period: Option<Period>,
}

/// A rate no higher than `percent` while the rate's day is within `from`–`to`.
#[derive(Debug, Clone, PartialEq)]
pub struct Cap {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub percent: Decimal,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub rule: Rule,
    pub debts: Vec<Debt>,
    pub payments: Vec<Payment>,
    pub as_of: NaiveDate,
    pub due_day: u32,
    /// (from, percent a year), any order.
    pub rates: Vec<(NaiveDate, Decimal)>,
    pub mode: RateMode,
    pub caps: Vec<Cap>,
    pub grace_days: i64,
    /// (from, to), both days included.
    pub moratoria: Vec<(NaiveDate, NaiveDate)>,
}

/// One interval of one debt: the same debt, rate and fraction every day of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub period: Period,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: i64,
    pub debt: Decimal,
    /// % a year.
    pub rate: Decimal,
    /// (numerator, denominator) of the rate a day: 1/300, 1/130, 2/365…
    pub fraction: (i64, i64),
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Statement {
    pub rows: Vec<Row>,
    pub total: Decimal,
}

/// A part of a debt with the day it was paid (none: unpaid on `as_of`).
#[derive(Debug, Clone, PartialEq)]
struct Portion {
    debt: usize,
    amount: Decimal,
    paid_on: Option<NaiveDate>,
}

/// The debts cut by the payments into portions, each paid on one day or not at all.
fn portions(debts: &[Debt], payments: &[Payment]) -> Vec<Portion> {
    let mut order: Vec<usize> = (0..debts.len()).collect();
    order.sort_by_key(|i| debts[*i].period);
    let mut left: Vec<Decimal> = debts.iter().map(|d| d.amount.max(Decimal::ZERO)).collect();
    let mut out = Vec::new();
    let mut pays: Vec<&Payment> = payments.iter().collect();
    pays.sort_by_key(|p| p.date);
    for p in pays {
        let mut money = p.amount.max(Decimal::ZERO);
        let named = p
            .period
            .and_then(|period| order.iter().copied().find(|i| debts[*i].period == period));
        for i in named.into_iter().chain(order.iter().copied()) {
            if money <= Decimal::ZERO {
                break;
            }
            let part = money.min(left[i]);
            if part > Decimal::ZERO {
                out.push(Portion {
                    debt: i,
                    amount: part,
                    paid_on: Some(p.date),
                });
                left[i] -= part;
                money -= part;
            }
        }
    }
    for (i, l) in left.iter().enumerate() {
        if *l > Decimal::ZERO {
            out.push(Portion {
                debt: i,
                amount: *l,
                paid_on: None,
            });
        }
    }
    out
}

fn year_days(year: i32) -> i64 {
    if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
        366
    } else {
        365
    }
}

impl Input {
    /// The fraction of the rate a day on `day` of a debt overdue from `from`; None: free.
    fn fraction(&self, from: NaiveDate, day: NaiveDate) -> Option<(i64, i64)> {
        let delay = (day - from).num_days() + 1;
        if delay < 1 || self.moratoria.iter().any(|(a, b)| *a <= day && day <= *b) {
            return None;
        }
        match self.rule {
            Rule::Ukraine => (delay > self.grace_days).then(|| (2, year_days(day.year()))),
            Rule::Kazakhstan => (delay > self.grace_days).then(|| (1, year_days(day.year()))),
            Rule::Bulgaria => (delay > self.grace_days).then_some((1, 360)),
            Rule::Russia => match delay {
                d if d <= self.grace_days => None,
                ..=90 => Some((1, 300)),
                _ => Some((1, 130)),
            },
        }
    }

    /// The rate whose day is `day`, lowered by a cap over that day, with the points the
    /// rule adds (Bulgaria's legal interest).
    fn rate_of(&self, day: NaiveDate) -> Decimal {
        let rate = in_force(&self.rates, day).copied().unwrap_or_default();
        self.caps
            .iter()
            .filter(|c| c.from <= day && day <= c.to)
            .fold(rate, |r, c| r.min(c.percent))
            + crate::billing::margin(self.rule.billing(), day)
    }
}

/// The statement of `input` (see the module).
pub fn statement(input: &Input) -> Statement {
    let parts = portions(&input.debts, &input.payments);
    let last = input.as_of - Duration::days(1);
    // Per payment-day rate each portion makes its own rows; otherwise a debt's portions
    // are summed day by day.
    let groups: Vec<Vec<&Portion>> = match input.mode {
        RateMode::PaymentDay => parts.iter().map(|p| vec![p]).collect(),
        RateMode::Daily | RateMode::CalculationDay => {
            let mut by_debt: Vec<Vec<&Portion>> = vec![Vec::new(); input.debts.len()];
            for p in &parts {
                by_debt[p.debt].push(p);
            }
            by_debt.into_iter().filter(|g| !g.is_empty()).collect()
        }
    };
    let mut rows: Vec<Row> = Vec::new();
    for group in groups {
        let Some(first) = group.first() else { continue };
        let debt = &input.debts[first.debt];
        let from = overdue_from(debt.period, input.due_day);
        let mut open: Option<Row> = None;
        let mut day = from;
        while day <= last {
            let owed: Decimal = group
                .iter()
                .filter(|p| p.paid_on.is_none_or(|paid| day <= paid))
                .map(|p| p.amount)
                .sum();
            if owed <= Decimal::ZERO {
                break;
            }
            let rate_day = match input.mode {
                RateMode::Daily => day,
                RateMode::CalculationDay => input.as_of,
                RateMode::PaymentDay => first.paid_on.unwrap_or(input.as_of),
            };
            let key = input
                .fraction(from, day)
                .map(|f| (owed, input.rate_of(rate_day), f));
            match (&mut open, key) {
                (Some(r), Some((d, rate, f)))
                    if r.debt == d
                        && r.rate == rate
                        && r.fraction == f
                        && r.to + Duration::days(1) == day =>
                {
                    r.to = day;
                    r.days += 1;
                }
                (_, Some((d, rate, f))) => {
                    rows.extend(open.take());
                    open = Some(Row {
                        period: debt.period,
                        from: day,
                        to: day,
                        days: 1,
                        debt: d,
                        rate,
                        fraction: f,
                        amount: Decimal::ZERO,
                    });
                }
                (_, None) => rows.extend(open.take()),
            }
            day += Duration::days(1);
        }
        rows.extend(open);
    }
    for r in &mut rows {
        let (num, den) = r.fraction;
        r.amount = (r.debt * Decimal::from(r.days) * r.rate / Decimal::from(100)
            * Decimal::from(num)
            / Decimal::from(den))
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    }
    rows.retain(|r| !r.rate.is_zero() || !r.amount.is_zero());
    rows.sort_by_key(|r| (r.period, r.from));
    let total = rows.iter().map(|r| r.amount).sum();
    Statement { rows, total }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn p(y: i32, m: u32) -> Period {
        Period::new(y, m).unwrap_or_else(|_| unreachable!())
    }

    fn russia(debts: Vec<Debt>, payments: Vec<Payment>, as_of: NaiveDate) -> Input {
        Input {
            rule: Rule::Russia,
            debts,
            payments,
            as_of,
            due_day: 10,
            rates: vec![(d(2020, 1, 1), dec!(9.5))],
            mode: RateMode::CalculationDay,
            caps: Vec::new(),
            grace_days: 30,
            moratoria: Vec::new(),
        }
    }

    /// A row as (from, to, days, debt, fraction, amount).
    type Line = (NaiveDate, NaiveDate, i64, Decimal, (i64, i64), Decimal);

    fn summary(s: &Statement) -> Vec<Line> {
        s.rows
            .iter()
            .map(|r| (r.from, r.to, r.days, r.debt, r.fraction, r.amount))
            .collect()
    }

    #[test]
    fn russian_rule_thirty_days_free_then_one_three_hundredth_then_one_hundred_thirtieth() {
        // 10,000.00 of January 2024, due on 10 February, overdue from the 11th; counted to
        // 31 May. Days 1–30 (11 Feb – 11 Mar) free; 12 Mar – 10 May, 60 days at 1/300 of
        // 9.5 %: 190.00; 11–31 May, 21 days at 1/130: 153.46.
        let s = statement(&russia(
            vec![Debt {
                period: p(2024, 1),
                amount: dec!(10000),
            }],
            vec![],
            d(2024, 6, 1),
        ));
        assert_eq!(
            summary(&s),
            vec![
                (
                    d(2024, 3, 12),
                    d(2024, 5, 10),
                    60,
                    dec!(10000),
                    (1, 300),
                    dec!(190.00)
                ),
                (
                    d(2024, 5, 11),
                    d(2024, 5, 31),
                    21,
                    dec!(10000),
                    (1, 130),
                    dec!(153.46)
                ),
            ]
        );
        assert_eq!(s.total, dec!(343.46));
    }

    #[test]
    fn a_payment_day_bears_the_old_debt_and_a_moratorium_stops_the_penalty() {
        // 5,000.00 of January 2022 (overdue from 11 February), 2,000.00 paid on 15 March,
        // the moratorium of 31 March – 1 October 2022, counted to 31 October.
        let mut input = russia(
            vec![Debt {
                period: p(2022, 1),
                amount: dec!(5000),
            }],
            vec![Payment {
                date: d(2022, 3, 15),
                amount: dec!(2000),
                period: None,
            }],
            d(2022, 11, 1),
        );
        input.moratoria = vec![(d(2022, 3, 31), d(2022, 10, 1))];
        let s = statement(&input);
        assert_eq!(
            summary(&s),
            vec![
                // 5,000 × 3 × 9.5 % / 300 = 4.75 (the 15th still on the old debt).
                (
                    d(2022, 3, 13),
                    d(2022, 3, 15),
                    3,
                    dec!(5000),
                    (1, 300),
                    dec!(4.75)
                ),
                // 3,000 × 15 × 9.5 % / 300 = 14.25.
                (
                    d(2022, 3, 16),
                    d(2022, 3, 30),
                    15,
                    dec!(3000),
                    (1, 300),
                    dec!(14.25)
                ),
                // 3,000 × 30 × 9.5 % / 130 = 65.769… → 65.77.
                (
                    d(2022, 10, 2),
                    d(2022, 10, 31),
                    30,
                    dec!(3000),
                    (1, 130),
                    dec!(65.77)
                ),
            ]
        );
        assert_eq!(s.total, dec!(84.77));
    }

    #[test]
    fn ukrainian_rule_double_rate_by_the_day_with_a_rate_change() {
        // 1,000.00 of September 2023 due on the 20th of October, overdue from the 21st;
        // the NBU rate 22 % then 20 % from 27 October; 400.00 paid on 5 November.
        let input = Input {
            rule: Rule::Ukraine,
            debts: vec![Debt {
                period: p(2023, 9),
                amount: dec!(1000),
            }],
            payments: vec![Payment {
                date: d(2023, 11, 5),
                amount: dec!(400),
                period: None,
            }],
            as_of: d(2023, 12, 1),
            due_day: 20,
            rates: vec![(d(2023, 10, 27), dec!(20)), (d(2023, 7, 28), dec!(22))],
            mode: RateMode::Daily,
            caps: Vec::new(),
            grace_days: 0,
            moratoria: Vec::new(),
        };
        let s = statement(&input);
        assert_eq!(
            summary(&s),
            vec![
                // 1,000 × 6 × 22 % × 2 / 365 = 7.232… → 7.23.
                (
                    d(2023, 10, 21),
                    d(2023, 10, 26),
                    6,
                    dec!(1000),
                    (2, 365),
                    dec!(7.23)
                ),
                // 1,000 × 10 × 20 % × 2 / 365 = 10.958… → 10.96.
                (
                    d(2023, 10, 27),
                    d(2023, 11, 5),
                    10,
                    dec!(1000),
                    (2, 365),
                    dec!(10.96)
                ),
                // 600 × 25 × 20 % × 2 / 365 = 16.438… → 16.44.
                (
                    d(2023, 11, 6),
                    d(2023, 11, 30),
                    25,
                    dec!(600),
                    (2, 365),
                    dec!(16.44)
                ),
            ]
        );
        assert_eq!(s.total, dec!(34.63));
    }

    #[test]
    fn the_rate_of_the_payment_day_or_of_the_calculation_day_and_a_cap() {
        // 1,000.00 of November 2021 (overdue from 11 December) paid whole on 15 February
        // 2022; the key rate 8.5 %, 9.5 % from 14 February, 20 % from 28 February; counted
        // to 28 February. Day 31 is 10 January: 37 days at 1/300 to the payment day.
        let mut input = russia(
            vec![Debt {
                period: p(2021, 11),
                amount: dec!(1000),
            }],
            vec![Payment {
                date: d(2022, 2, 15),
                amount: dec!(1000),
                period: None,
            }],
            d(2022, 3, 1),
        );
        input.rates = vec![
            (d(2022, 1, 1), dec!(8.5)),
            (d(2022, 2, 14), dec!(9.5)),
            (d(2022, 2, 28), dec!(20)),
        ];
        input.mode = RateMode::PaymentDay;
        // The payment day's 9.5 %: 1,000 × 37 × 9.5 % / 300 = 11.716… → 11.72.
        let s = statement(&input);
        assert_eq!(
            summary(&s),
            vec![(
                d(2022, 1, 10),
                d(2022, 2, 15),
                37,
                dec!(1000),
                (1, 300),
                dec!(11.72)
            )]
        );
        // The calculation day's 20 %: 24.666… → 24.67.
        input.mode = RateMode::CalculationDay;
        assert_eq!(statement(&input).total, dec!(24.67));
        // Capped at 9.5 % while the rate's day is in 28 Feb – 31 Dec 2022: 11.72 again.
        input.caps = vec![Cap {
            from: d(2022, 2, 28),
            to: d(2022, 12, 31),
            percent: dec!(9.5),
        }];
        assert_eq!(statement(&input).total, dec!(11.72));
        // Each day's own rate: 8.5 % to the 13th (35 days: 9.92), 9.5 % for 2 days (0.63).
        input.caps.clear();
        input.mode = RateMode::Daily;
        let s = statement(&input);
        assert_eq!(
            summary(&s),
            vec![
                (
                    d(2022, 1, 10),
                    d(2022, 2, 13),
                    35,
                    dec!(1000),
                    (1, 300),
                    dec!(9.92)
                ),
                (
                    d(2022, 2, 14),
                    d(2022, 2, 15),
                    2,
                    dec!(1000),
                    (1, 300),
                    dec!(0.63)
                ),
            ]
        );
    }

    #[test]
    fn a_payment_naming_a_period_pays_it_first() {
        // Two debts; the payment names the newer one, so the older keeps bearing penalty.
        let s = statement(&russia(
            vec![
                Debt {
                    period: p(2024, 1),
                    amount: dec!(1000),
                },
                Debt {
                    period: p(2024, 2),
                    amount: dec!(1000),
                },
            ],
            vec![Payment {
                date: d(2024, 3, 1),
                amount: dec!(1000),
                period: Some(p(2024, 2)),
            }],
            d(2024, 5, 1),
        ));
        assert!(s.rows.iter().all(|r| r.period == p(2024, 1)), "{s:?}");
        // January's 1,000 from day 31 (12 March) to 30 April: 50 days at 1/300 → 15.83.
        assert_eq!(s.total, dec!(15.83));
    }

    #[test]
    fn nothing_owed_or_nothing_overdue_is_an_empty_statement() {
        let s = statement(&russia(
            vec![Debt {
                period: p(2024, 1),
                amount: dec!(100),
            }],
            vec![Payment {
                date: d(2024, 2, 5),
                amount: dec!(150),
                period: None,
            }],
            d(2024, 12, 1),
        ));
        assert_eq!(s, Statement::default());
        let s = statement(&russia(
            vec![Debt {
                period: p(2024, 1),
                amount: dec!(100),
            }],
            vec![],
            d(2024, 2, 11),
        ));
        assert_eq!(s, Statement::default());
    }

    proptest::proptest! {
        #[test]
        fn rows_stay_within_the_overdue_days_and_add_up_to_the_total(
            debts in proptest::collection::vec((1u32..=12, 1i64..500_000), 1..4),
            payments in proptest::collection::vec((0i64..400, 1i64..300_000), 0..4),
            russian in proptest::bool::ANY,
            mode in 0u8..3,
            as_of_days in 0i64..700,
        ) {
            let input = Input {
                rule: if russian { Rule::Russia } else { Rule::Ukraine },
                debts: debts.iter().map(|(m, a)| Debt { period: p(2023, *m), amount: Decimal::new(*a, 2) }).collect(),
                payments: payments.iter().map(|(day, a)| Payment {
                    date: d(2023, 1, 1) + Duration::days(*day),
                    amount: Decimal::new(*a, 2),
                    period: None,
                }).collect(),
                as_of: d(2023, 2, 1) + Duration::days(as_of_days),
                due_day: 20,
                rates: vec![(d(2022, 1, 1), dec!(25)), (d(2023, 6, 1), dec!(20))],
                mode: [RateMode::Daily, RateMode::PaymentDay, RateMode::CalculationDay][usize::from(mode)],
                caps: Vec::new(),
                grace_days: if russian { 30 } else { 0 },
                moratoria: vec![(d(2023, 8, 1), d(2023, 8, 31))],
            };
            let s = statement(&input);
            proptest::prop_assert_eq!(s.total, s.rows.iter().map(|r| r.amount).sum::<Decimal>());
            let owed: Decimal = input.debts.iter().map(|x| x.amount).sum();
            for r in &s.rows {
                proptest::prop_assert!(r.amount >= Decimal::ZERO && r.debt > Decimal::ZERO && r.debt <= owed);
                proptest::prop_assert!(r.from >= overdue_from(r.period, 20) && r.to < input.as_of);
                proptest::prop_assert_eq!(r.days, (r.to - r.from).num_days() + 1);
                proptest::prop_assert!(r.to < d(2023, 8, 1) || r.from > d(2023, 8, 31), "a moratorium day: {:?}", r);
            }
        }
    }
}
