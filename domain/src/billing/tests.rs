//! Worked examples of the engine (one account or one building, one period) and its
//! invariants over random inputs.

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::*;
use crate::Period;
use crate::readings::Basis;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}
fn p(y: i32, m: u32) -> Period {
    Period::new(y, m).unwrap_or_else(|e| panic!("{e}"))
}

fn service(id: i32, method: Method, tariff: Decimal) -> ServiceInput {
    ServiceInput {
        tariff: Some(tariff),
        ..ServiceInput::new(id, method, Stay::ALWAYS)
    }
}

fn account(id: i64, residents: usize, services: Vec<ServiceInput>) -> AccountInput {
    AccountInput {
        account_id: id,
        total_area: dec!(50),
        heated_area: dec!(48),
        residents: vec![Stay::ALWAYS; residents],
        services,
        payments: Vec::new(),
        no_penalty: false,
        penalty_under_agreement_waived: false,
        riser: None,
        entrance: None,
    }
}

fn meter(
    id: i64,
    reading: Option<(Decimal, Decimal)>,
    history: &[(Period, Decimal)],
) -> MeterInput {
    MeterInput {
        id,
        installed_on: d(2020, 1, 1),
        removed_on: None,
        reading: reading.map(|(previous, current)| PeriodReading {
            previous,
            current,
            consumption: current - previous,
        }),
        history: history.to_vec(),
        main_id: None,
    }
}

fn one(a: AccountInput, period: Period, settings: &Settings) -> Vec<Line> {
    let b = BuildingInput {
        building_id: 1,
        accounts: vec![a],
        meters: Vec::new(),
    };
    let mut r = calculate_building(&b, period, settings);
    match r.accounts.pop().map(|a| a.lines) {
        Some(Ok(lines)) => lines,
        other => panic!("{other:?}"),
    }
}

#[test]
fn seed_row_opening_paid_correction_closing() {
    // Seed 000 Fig. 9: opening 111.00, paid 120.00, charged 0.00, correction 34.00,
    // penalty 0.00 → closing 25.00.
    let mut s = service(1, Method::Fixed, dec!(0));
    s.opening = dec!(111.00);
    s.acts = vec![ActAmount {
        number: 7,
        amount: dec!(34.00),
    }];
    let mut a = account(1, 1, vec![s]);
    a.payments = vec![PaymentInput {
        paid_on: d(2026, 4, 5),
        amount: dec!(120.00),
        service_id: None,
    }];
    let l = &one(a, p(2026, 4), &Settings::default())[0];
    assert_eq!(
        (
            l.opening,
            l.paid,
            l.charged,
            l.recalculation,
            l.penalty,
            l.closing
        ),
        (
            dec!(111.00),
            dec!(120.00),
            dec!(0.00),
            dec!(34.00),
            dec!(0.00),
            dec!(25.00)
        )
    );
    // The line's explanation names the act behind the correction.
    assert!(
        l.steps.iter().any(|s| s.kind == StepKind::Act
            && s.args.as_slice() == [dec!(7)]
            && s.value == dec!(34.00)),
        "{:?}",
        l.steps
    );
}

#[test]
fn metered_actual_reading() {
    let mut s = service(1, Method::Metered, dec!(28.50));
    s.meters = vec![meter(7, Some((dec!(100), dec!(108.5))), &[])];
    let l = &one(account(1, 2, vec![s]), p(2026, 4), &Settings::default())[0];
    assert_eq!(
        (l.basis, l.quantity, l.charged),
        (Some(Basis::Actual), dec!(8.5), dec!(242.25))
    );
    assert_eq!(l.steps[0].kind, StepKind::MeterReading);
}

#[test]
fn metered_without_reading_takes_the_monthly_average_of_n_months() {
    let mut s = service(1, Method::Metered, dec!(10));
    let h = [
        (p(2026, 3), dec!(4)),
        (p(2026, 2), dec!(5)),
        (p(2026, 1), dec!(7)),
        (p(2025, 12), dec!(100)),
    ];
    s.meters = vec![meter(7, None, &h)];
    let l = &one(
        account(1, 2, vec![s.clone()]),
        p(2026, 4),
        &Settings::default(),
    )[0];
    // (4 + 5 + 7) / 3 = 5.3333
    assert_eq!(
        (l.basis, l.quantity, l.charged),
        (Some(Basis::MonthlyAverage), dec!(5.3333), dec!(53.33))
    );
    let two = Settings {
        average_months: 2,
        ..Settings::default()
    };
    assert_eq!(
        one(account(1, 2, vec![s]), p(2026, 4), &two)[0].quantity,
        dec!(4.5)
    );
}

#[test]
fn metered_without_history_is_norm_times_residents() {
    let mut s = service(1, Method::Metered, dec!(10));
    s.meters = vec![meter(7, None, &[])];
    s.norm = Some(Norm::PerPerson(dec!(3.6)));
    let l = &one(
        account(1, 3, vec![s.clone()]),
        p(2026, 4),
        &Settings::default(),
    )[0];
    assert_eq!(
        (l.basis, l.quantity, l.charged),
        (Some(Basis::Calculated), dec!(10.8), dec!(108.00))
    );
    // No norm in force: the account cannot be calculated, and says why.
    s.norm = None;
    let b = BuildingInput {
        building_id: 1,
        accounts: vec![account(1, 3, vec![s])],
        meters: vec![],
    };
    let r = calculate_building(&b, p(2026, 4), &Settings::default());
    assert_eq!(r.accounts[0].lines, Err(CalcError::NoNorm(1)));
}

#[test]
fn removed_meter_without_replacement_takes_the_daily_average() {
    let mut s = service(1, Method::Metered, dec!(10));
    let mut m = meter(
        7,
        None,
        &[
            (p(2026, 2), dec!(6)),
            (p(2026, 1), dec!(6.2)),
            (p(2025, 12), dec!(6.2)),
        ],
    );
    m.removed_on = Some(d(2026, 2, 28));
    s.meters = vec![m];
    // March 2026: 18.4 m³ over 28 + 31 + 31 = 90 days × 31 days = 6.3378.
    let l = &one(account(1, 1, vec![s]), p(2026, 3), &Settings::default())[0];
    assert_eq!(
        (l.basis, l.quantity),
        (Some(Basis::DailyAverage), dec!(6.3378))
    );
}

#[test]
fn zero_consumption_may_take_the_previous_periods() {
    let mut s = service(1, Method::Metered, dec!(10));
    s.meters = vec![meter(
        7,
        Some((dec!(50), dec!(50))),
        &[(p(2026, 3), dec!(4.2))],
    )];
    let a = account(1, 1, vec![s]);
    assert_eq!(
        one(a.clone(), p(2026, 4), &Settings::default())[0].quantity,
        dec!(0)
    );
    let on = Settings {
        zero_takes_previous: true,
        ..Settings::default()
    };
    assert_eq!(one(a, p(2026, 4), &on)[0].quantity, dec!(4.2));
}

#[test]
fn norm_is_prorated_by_days_lived() {
    let mut s = service(1, Method::Norm, dec!(17.11));
    s.norm = Some(Norm::PerPerson(dec!(5.9)));
    let mut a = account(1, 1, vec![s]);
    // One resident all April, one moving in on the 21st (10 days of 30).
    a.residents.push(Stay::new(Some(d(2026, 4, 21)), None));
    let l = &one(a, p(2026, 4), &Settings::default())[0];
    // 5.9 × 1.3333 = 7.8665; × 17.11 = 134.60
    assert_eq!((l.quantity, l.charged), (dec!(7.8665), dec!(134.60)));
}

#[test]
fn days_the_service_was_not_provided_are_not_charged() {
    // Cold water by norm for two residents in April (30 days), interrupted on the
    // 1st–15th: 3.6 × 2 × 15/30 = 3.6 m³; × 30.00 = 108.00 instead of 216.00. A benefit
    // of 50 % for one resident within a social norm of 2.4 shrinks with it:
    // min(3.6 × 0.5 / 1, 2.4 × 0.5) = 1.2 m³ × 30.00 × 50 % = 18.00 (36.00 in full).
    let mut s = service(1, Method::Norm, dec!(30.00));
    s.norm = Some(Norm::PerPerson(dec!(3.6)));
    s.social_norm = Some(dec!(2.4));
    s.benefits = vec![BenefitInput {
        percent: dec!(50),
        covered: vec![Stay::ALWAYS],
    }];
    let full = &one(
        account(1, 2, vec![s.clone()]),
        p(2026, 4),
        &Settings::default(),
    )[0];
    assert_eq!(
        (full.quantity, full.charged, full.benefit),
        (dec!(7.2), dec!(216.00), dec!(36.00))
    );
    s.not_provided = vec![(d(2026, 4, 1), d(2026, 4, 15))];
    let cut = &one(
        account(1, 2, vec![s.clone()]),
        p(2026, 4),
        &Settings::default(),
    )[0];
    assert_eq!(
        (cut.quantity, cut.charged, cut.benefit),
        (dec!(3.6), dec!(108.00), dec!(18.00))
    );
    assert_eq!(cut.steps[0].kind, StepKind::NotProvided, "{:?}", cut.steps);
    assert_eq!(cut.steps[0].value, dec!(15));
    // By area and fixed alike; a meter read stands as read.
    for method in [Method::Area, Method::Fixed] {
        let mut s = service(2, method, dec!(10.00));
        s.not_provided = vec![(d(2026, 4, 1), d(2026, 4, 15))];
        let l = &one(account(1, 1, vec![s]), p(2026, 4), &Settings::default())[0];
        let whole = if method == Method::Area {
            dec!(500.00)
        } else {
            dec!(10.00)
        };
        assert_eq!(l.charged * dec!(2), whole, "{method:?}");
    }
    let mut s = service(3, Method::Metered, dec!(30.00));
    s.meters = vec![meter(1, Some((dec!(10), dec!(16))), &[])];
    s.not_provided = vec![(d(2026, 4, 1), d(2026, 4, 15))];
    let l = &one(account(1, 1, vec![s]), p(2026, 4), &Settings::default())[0];
    assert_eq!(l.charged, dec!(180.00));
}

#[test]
fn service_ending_mid_month_counts_its_days_only() {
    let mut s = service(1, Method::Area, dec!(8.45));
    s.stay = Stay::new(None, Some(d(2026, 4, 15)));
    let l = &one(account(1, 1, vec![s]), p(2026, 4), &Settings::default())[0];
    // 50 m² × 15/30 = 25 m²; × 8.45 = 211.25
    assert_eq!((l.quantity, l.charged), (dec!(25), dec!(211.25)));
}

#[test]
fn heating_counts_only_season_days_on_the_heated_area() {
    let mut s = service(1, Method::Area, dec!(48.62));
    s.seasonal = true;
    s.seasons = vec![
        (d(2025, 10, 15), d(2026, 4, 15)),
        (d(2026, 10, 15), d(2027, 4, 15)),
    ];
    let a = account(1, 1, vec![s.clone()]);
    // April: 15 of 30 days on 48 m² = 24 m²; × 48.62 = 1166.88
    let l = &one(a.clone(), p(2026, 4), &Settings::default())[0];
    assert_eq!((l.quantity, l.charged), (dec!(24), dec!(1166.88)));
    // July: no heating.
    assert_eq!(
        one(a, p(2026, 7), &Settings::default())[0].charged,
        dec!(0.00)
    );
    // With a heat norm per m² (Gcal): 48 × 0.0165 × 31/31 = 0.792 Gcal in January.
    s.norm = Some(Norm::PerSquareMetre(dec!(0.0165)));
    s.tariff = Some(dec!(1654.18));
    let l = &one(account(1, 1, vec![s]), p(2026, 1), &Settings::default())[0];
    assert_eq!((l.quantity, l.charged), (dec!(0.792), dec!(1310.11)));
}

#[test]
fn heating_by_area_takes_the_storeys_coefficient_and_nothing_else_does() {
    let mut s = service(1, Method::Area, dec!(48.62));
    s.seasonal = true;
    s.seasons = vec![(d(2025, 10, 15), d(2026, 4, 15))];
    s.floor_coefficient = Some((dec!(1.08), 9));
    // January, 48 m² heated × 1.08 (a nine-storey house) = 51.84 m²; × 48.62 = 2520.46.
    let l = &one(
        account(1, 1, vec![s.clone()]),
        p(2026, 1),
        &Settings::default(),
    )[0];
    assert_eq!((l.quantity, l.charged), (dec!(51.84), dec!(2520.46)));
    let last = l.steps.last().map(|x| (x.kind, x.args.as_slice().to_vec()));
    assert_eq!(
        last,
        Some((
            StepKind::FloorCoefficient,
            vec![dec!(48), dec!(1.08), dec!(9)]
        ))
    );
    // A per-m² heat norm too: 48 × 0.0165 = 0.792 Gcal × 1.08 = 0.8554.
    s.norm = Some(Norm::PerSquareMetre(dec!(0.0165)));
    let l = &one(
        account(1, 1, vec![s.clone()]),
        p(2026, 1),
        &Settings::default(),
    )[0];
    assert_eq!(l.quantity, dec!(0.8554));
    // Not a service out of season, nor one that is not seasonal.
    let l = &one(
        account(1, 1, vec![s.clone()]),
        p(2026, 7),
        &Settings::default(),
    )[0];
    assert_eq!(l.quantity, dec!(0));
    let mut upkeep = service(2, Method::Area, dec!(8.45));
    upkeep.floor_coefficient = Some((dec!(1.08), 9));
    let l = &one(
        account(1, 1, vec![upkeep]),
        p(2026, 1),
        &Settings::default(),
    )[0];
    assert_eq!(l.quantity, dec!(50));
}

#[test]
fn fixed_quantity_times_tariff() {
    let mut s = service(1, Method::Fixed, dec!(12.5));
    s.fixed_quantity = Some(dec!(2));
    assert_eq!(
        one(account(1, 1, vec![s]), p(2026, 4), &Settings::default())[0].charged,
        dec!(25.00)
    );
}

#[test]
fn benefit_within_the_social_norm_and_no_benefit_with_a_subsidy() {
    let mut s = service(1, Method::Metered, dec!(30));
    s.meters = vec![meter(7, Some((dec!(0), dec!(12))), &[])];
    s.social_norm = Some(dec!(2.4));
    // The beneficiary only (not the family) at 50 %: of 3 residents, 12 m³ / 3 = 4 m³ per
    // person, capped at the social norm 2.4 → 30 × 2.4 × 50 % = 36.00.
    s.benefits = vec![BenefitInput {
        percent: dec!(50),
        covered: vec![Stay::ALWAYS],
    }];
    let l = &one(
        account(1, 3, vec![s.clone()]),
        p(2026, 4),
        &Settings::default(),
    )[0];
    assert_eq!((l.charged, l.benefit), (dec!(360.00), dec!(36.00)));
    // A subsidy the same period: no benefit; the subsidy is capped at the charge.
    s.subsidy = Some(dec!(500));
    let l = &one(account(1, 3, vec![s]), p(2026, 4), &Settings::default())[0];
    assert_eq!((l.benefit, l.subsidy), (dec!(0), dec!(360.00)));
    assert!(
        l.steps
            .iter()
            .any(|x| x.kind == StepKind::BenefitSkippedForSubsidy)
    );
}

#[test]
fn benefit_is_prorated_by_its_days_and_rule_full_has_no_cap() {
    let mut s = service(1, Method::Metered, dec!(30));
    s.meters = vec![meter(7, Some((dec!(0), dec!(6))), &[])];
    s.benefit_rule = BenefitRule::Full;
    s.benefits = vec![BenefitInput {
        percent: dec!(100),
        covered: vec![Stay::new(Some(d(2026, 4, 16)), None)],
    }];
    // Covered 15/30 = 0.5 person of 2: 6 × 0.5 / 2 = 1.5 m³ × 30 = 45.00.
    let l = &one(account(1, 2, vec![s]), p(2026, 4), &Settings::default())[0];
    assert_eq!(l.benefit, dec!(45.00));
}

#[test]
fn subsidy_takes_what_the_benefit_left() {
    assert_eq!(subsidy(dec!(100), dec!(80), dec!(30)).0, dec!(50.00));
    assert_eq!(subsidy(dec!(10), dec!(80), dec!(30)).0, dec!(10.00));
    assert_eq!(subsidy(dec!(10), dec!(20), dec!(30)).0, dec!(0.00));
}

#[test]
fn common_house_remainder_goes_to_residents_with_a_limit() {
    // House meter 40 m³; apartments: 10 (metered) + 12 (metered) = 22 → remainder 18
    // shared per resident (1 and 2 persons): 6 and 12, capped at 5 m³ per person.
    let cw = |id: i64, c: Decimal, res: usize| {
        let mut s = service(1, Method::Metered, dec!(30));
        s.meters = vec![meter(id, Some((dec!(0), c)), &[])];
        let mut odn = service(2, Method::CommonHouse, dec!(30));
        odn.base_service_id = Some(1);
        odn.common_limit = Some(dec!(5));
        account(id, res, vec![s, odn])
    };
    let b = BuildingInput {
        building_id: 1,
        accounts: vec![cw(1, dec!(10), 1), cw(2, dec!(12), 2)],
        meters: vec![BuildingMeter::house(99, 1, Some(dec!(40)))],
    };
    let r = calculate_building(&b, p(2026, 4), &Settings::default());
    let q = |i: usize| match &r.accounts[i].lines {
        Ok(l) => l[1].quantity,
        Err(e) => panic!("{e}"),
    };
    assert_eq!((q(0), q(1)), (dec!(5), dec!(10)));
    let d = &r.distributions[0];
    assert_eq!(
        (d.remainder, d.distributed, d.undistributed),
        (dec!(18), dec!(15), dec!(3))
    );
    // An unread house meter distributes nothing and says so.
    let mut b2 = b.clone();
    b2.meters[0].consumption = None;
    let r = calculate_building(&b2, p(2026, 4), &Settings::default());
    assert_eq!(r.distributions[0].volume, None);
    assert_eq!(r.distributions[0].distributed, dec!(0));
}

#[test]
fn missing_tariff_is_an_error_of_that_account_only() {
    let mut s = service(3, Method::Area, dec!(1));
    s.tariff = None;
    let b = BuildingInput {
        building_id: 1,
        accounts: vec![
            account(1, 1, vec![s]),
            account(2, 1, vec![service(1, Method::Area, dec!(1))]),
        ],
        meters: vec![],
    };
    let r = calculate_building(&b, p(2026, 4), &Settings::default());
    assert_eq!(r.accounts[0].lines, Err(CalcError::NoTariff(3)));
    assert!(r.accounts[1].lines.is_ok());
}

#[test]
fn payments_are_split_by_opening_debt_and_penalty_charged_on_overdue_debt() {
    let mut a1 = service(1, Method::Fixed, dec!(0));
    a1.opening = dec!(300);
    a1.debt_history = vec![(p(2026, 3), dec!(300))];
    let mut a2 = service(2, Method::Fixed, dec!(0));
    a2.opening = dec!(100);
    a2.debt_history = vec![(p(2026, 2), dec!(100))];
    let mut a = account(1, 1, vec![a1, a2]);
    a.payments = vec![PaymentInput {
        paid_on: d(2026, 4, 25),
        amount: dec!(200),
        service_id: None,
    }];
    let settings = Settings {
        penalty: PenaltyRule::Ukraine,
        rates: vec![(d(2026, 1, 1), dec!(18.25))],
        ..Settings::default()
    };
    let l = one(a.clone(), p(2026, 4), &settings);
    assert_eq!((l[0].paid, l[1].paid), (dec!(150.00), dec!(50.00)));
    // Line 1: March's 300 overdue from 21 April: 5 days on 300, then 5 on 150.
    // 300×5×2×0.1825/365 = 1.50; 150×5×… = 0.75 → 2.25
    assert_eq!(l[0].penalty, dec!(2.25));
    // Line 2: February's 100 overdue all April: 25 days on 100, 5 on 50 → 2.50 + 0.25
    assert_eq!(l[1].penalty, dec!(2.75));
    // Under a restructuring agreement (the tenant charging none then) the penalty is
    // waived, and the line says why instead of going silent.
    a.penalty_under_agreement_waived = true;
    let waived = one(a.clone(), p(2026, 4), &settings);
    assert_eq!((waived[0].penalty, waived[1].penalty), (dec!(0), dec!(0)));
    assert_eq!(
        waived[0]
            .steps
            .iter()
            .filter(|s| s.kind == StepKind::PenaltyUnderAgreement)
            .map(|s| s.args.as_slice().to_vec())
            .collect::<Vec<_>>(),
        vec![vec![dec!(300)]]
    );
    assert_eq!(
        waived[0].closing,
        dec!(150.00),
        "300 − 150 paid, nothing added"
    );
    a.penalty_under_agreement_waived = false;
    a.no_penalty = true;
    let none = one(a.clone(), p(2026, 4), &settings);
    assert_eq!(none[0].penalty, dec!(0.00));
    assert!(
        none[0]
            .steps
            .iter()
            .all(|s| s.kind != StepKind::PenaltyUnderAgreement)
    );

    // Parts split when the payment was entered stay with their service; a part for a
    // service the account no longer has is split like a whole payment.
    a.payments = vec![
        PaymentInput {
            paid_on: d(2026, 4, 25),
            amount: dec!(80),
            service_id: Some(2),
        },
        PaymentInput {
            paid_on: d(2026, 4, 25),
            amount: dec!(40),
            service_id: Some(99),
        },
    ];
    let l = one(a, p(2026, 4), &settings);
    assert_eq!((l[0].paid, l[1].paid), (dec!(30.00), dec!(90.00)));
}

fn arb_service() -> impl Strategy<Value = ServiceInput> {
    (
        0usize..5,
        0i64..100_000,
        -50_000i64..50_000,
        0i64..5_000,
        0i64..2_000,
        proptest::option::of(0i64..20_000),
    )
        .prop_map(|(m, tariff, opening, recalc, reading, sub)| {
            let method = [
                Method::Metered,
                Method::Norm,
                Method::Area,
                Method::Fixed,
                Method::CommonHouse,
            ][m];
            let mut s = service(1 + m as i32, method, Decimal::new(tariff, 3));
            s.norm = Some(Norm::PerPerson(dec!(3.6)));
            s.social_norm = Some(dec!(2.4));
            s.opening = Decimal::new(opening, 2);
            s.acts = vec![ActAmount {
                number: 1,
                amount: Decimal::new(recalc - 2_500, 2),
            }];
            s.debt_history = vec![(p(2026, 3), Decimal::new(opening.abs(), 2))];
            s.meters = vec![meter(
                1,
                Some((dec!(10), dec!(10) + Decimal::new(reading, 2))),
                &[],
            )];
            s.benefits = vec![BenefitInput {
                percent: dec!(50),
                covered: vec![Stay::ALWAYS],
            }];
            s.subsidy = sub.map(|x| Decimal::new(x, 2));
            s.base_service_id = Some(1);
            s
        })
}

proptest! {
    #[test]
    fn balances_always_add_up(
        services in proptest::collection::vec(arb_service(), 1..5),
        pay in proptest::collection::vec((1u32..=30, 0i64..100_000), 0..3),
        residents in 0usize..5,
        volume in 0i64..10_000,
    ) {
        let mut a = account(1, residents, services);
        a.payments = pay.iter().map(|(day, x)| PaymentInput { paid_on: d(2026, 4, *day), amount: Decimal::new(*x, 2), service_id: None }).collect();
        let paid: Decimal = a.payments.iter().map(|x| x.amount).sum();
        let b = BuildingInput {
            building_id: 1,
            accounts: vec![a],
            meters: vec![BuildingMeter::house(9, 1, Some(Decimal::new(volume, 2)))],
        };
        let settings = Settings { penalty: PenaltyRule::Ukraine, rates: vec![(d(2026, 1, 1), dec!(15))], ..Settings::default() };
        let r = calculate_building(&b, p(2026, 4), &settings);
        let lines = match &r.accounts[0].lines { Ok(l) => l.clone(), Err(e) => panic!("{e}") };
        prop_assert_eq!(lines.iter().map(|l| l.paid).sum::<Decimal>(), paid);
        for l in &lines {
            prop_assert_eq!(l.closing, l.opening + l.charged + l.recalculation - l.benefit - l.subsidy + l.penalty - l.paid);
            prop_assert!(l.benefit >= Decimal::ZERO && l.benefit <= l.charged.max(Decimal::ZERO));
            prop_assert!(l.subsidy >= Decimal::ZERO && l.subsidy + l.benefit <= l.charged.max(Decimal::ZERO));
            prop_assert!(l.penalty >= Decimal::ZERO);
            prop_assert_eq!(l.charged, crate::money(l.quantity * l.tariff));
        }
    }
}

#[test]
fn a_zero_charge_from_a_missing_input_is_a_gap_and_a_real_zero_is_not() {
    let period = p(2026, 4);
    let settings = Settings::default();
    // Area-priced upkeep of an apartment with no area: zero, and why.
    let mut a = account(1, 2, vec![service(1, Method::Area, dec!(5))]);
    a.total_area = Decimal::ZERO;
    a.heated_area = Decimal::ZERO;
    let lines = one(a.clone(), period, &settings);
    assert_eq!(lines[0].charged, Decimal::ZERO);
    assert_eq!(
        gaps(&a, &lines, period),
        vec![Warning {
            service_id: 1,
            gap: Gap::NoArea
        }]
    );
    // A per-person norm with nobody living there.
    let mut water = service(2, Method::Norm, dec!(30));
    water.norm = Some(Norm::PerPerson(dec!(3)));
    let empty = account(2, 0, vec![water.clone()]);
    let lines = one(empty.clone(), period, &settings);
    assert_eq!(
        gaps(&empty, &lines, period),
        vec![Warning {
            service_id: 2,
            gap: Gap::NoResidents
        }]
    );
    // Metered with no reading, no history and no norm: not a silent zero but an error.
    let mut cold = service(3, Method::Metered, dec!(30));
    cold.meters = vec![meter(7, None, &[])];
    let b = BuildingInput {
        building_id: 1,
        accounts: vec![account(3, 2, vec![cold.clone()])],
        meters: Vec::new(),
    };
    let r = calculate_building(&b, period, &settings);
    assert_eq!(r.accounts[0].lines, Err(CalcError::NoNorm(3)));
    // A real zero: the meter was read and nothing was used.
    cold.meters = vec![meter(7, Some((dec!(10), dec!(10))), &[])];
    let read = account(4, 2, vec![cold]);
    let lines = one(read.clone(), period, &settings);
    assert_eq!(lines[0].quantity, Decimal::ZERO);
    assert!(gaps(&read, &lines, period).is_empty());
    // With people and area, the same services are charged and nothing is flagged.
    let full = account(5, 2, vec![service(1, Method::Area, dec!(5)), water]);
    let lines = one(full.clone(), period, &settings);
    assert!(lines.iter().all(|l| l.charged > Decimal::ZERO), "{lines:?}");
    assert!(gaps(&full, &lines, period).is_empty());
}

/// Cold water (service 1, metered) and its common-house share (service 2, per person).
fn odn_account(id: i64, residents: usize, used: Option<(Decimal, Option<i64>)>) -> AccountInput {
    let mut s = service(1, Method::Metered, dec!(30));
    s.norm = Some(Norm::PerPerson(dec!(3)));
    if let Some((c, main)) = used {
        let mut m = meter(id * 10, Some((dec!(0), c)), &[]);
        m.main_id = main;
        s.meters = vec![m];
    }
    let mut odn = service(2, Method::CommonHouse, dec!(30));
    odn.base_service_id = Some(1);
    account(id, residents, vec![s, odn])
}

fn riser(id: i64, at: i32, consumption: Decimal) -> BuildingMeter {
    BuildingMeter {
        place: MainPlace::Riser(Some(at)),
        ..BuildingMeter::house(id, 1, Some(consumption))
    }
}

fn shares(r: &BuildingResult) -> Vec<Decimal> {
    r.accounts
        .iter()
        .map(|a| match &a.lines {
            Ok(l) => l[1].quantity,
            Err(e) => panic!("{e}"),
        })
        .collect()
}

#[test]
fn a_riser_meter_shares_its_remainder_in_its_zone_and_the_house_meter_what_is_left() {
    // House meter 100 m³ above riser meter 7 (riser 1, 40 m³). Riser 1: account 1 (meter
    // linked to 7, 10 m³, 1 person) and account 2 (on riser 1, its meter linked to
    // nothing, 12 m³, 2 persons); account 3 straight under the house meter (20 m³, 1).
    let mut a2 = odn_account(2, 2, Some((dec!(12), None)));
    a2.riser = Some(1);
    let b = BuildingInput {
        building_id: 1,
        accounts: vec![
            odn_account(1, 1, Some((dec!(10), Some(7)))),
            a2,
            odn_account(3, 1, Some((dec!(20), Some(99)))),
        ],
        meters: vec![
            BuildingMeter::house(99, 1, Some(dec!(100))),
            riser(7, 1, dec!(40)),
        ],
    };
    let r = calculate_building(&b, p(2026, 4), &Settings::default());
    // Riser: 40 − 22 = 18 by persons 1:2 → 6, 12. House: 100 − 40 − 20 = 40 over every
    // account by persons 1:2:1 → 10, 20, 10.
    assert_eq!(shares(&r), vec![dec!(16), dec!(32), dec!(10)]);
    let part = &r.distributions[0];
    assert_eq!(
        (part.part, part.volume, part.apartments, part.distributed),
        (Some(7), Some(dec!(40)), dec!(22), dec!(18))
    );
    let house = &r.distributions[1];
    assert_eq!(
        (
            house.part,
            house.volume,
            house.apartments,
            house.distributed
        ),
        (None, Some(dec!(60)), dec!(20), dec!(40))
    );
    // Each share is explained: one step per zone.
    let Ok(lines) = &r.accounts[0].lines else {
        panic!("calculated")
    };
    let kinds: Vec<StepKind> = lines[1].steps.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, vec![StepKind::CommonShare, StepKind::CommonShare]);
    assert_eq!(
        r.warnings,
        vec![HierarchyWarning::NoMain {
            account_id: 2,
            meter_id: 20,
            service_id: 1
        }]
    );
}

#[test]
fn a_main_replaced_on_the_day_of_removal_adds_both_volumes_and_a_gap_is_reported() {
    let old = |removed: NaiveDate| BuildingMeter {
        removed_on: Some(removed),
        ..riser(7, 1, dec!(15))
    };
    let new = |installed: NaiveDate| BuildingMeter {
        installed_on: installed,
        ..riser(8, 1, dec!(25))
    };
    let building = |meters: Vec<BuildingMeter>| BuildingInput {
        building_id: 1,
        accounts: vec![
            odn_account(1, 1, Some((dec!(10), Some(8)))),
            odn_account(2, 1, Some((dec!(10), Some(8)))),
        ],
        meters,
    };
    let r = calculate_building(
        &building(vec![old(d(2026, 4, 10)), new(d(2026, 4, 10))]),
        p(2026, 4),
        &Settings::default(),
    );
    // One zone of 15 + 25 = 40 less 20 → 10 each; nothing to warn about.
    assert_eq!(shares(&r), vec![dec!(10), dec!(10)]);
    assert_eq!(r.distributions.len(), 1);
    assert_eq!(r.warnings, vec![]);
    // Two days between the removal and the replacement: said, with the day it came.
    let r = calculate_building(
        &building(vec![old(d(2026, 4, 10)), new(d(2026, 4, 12))]),
        p(2026, 4),
        &Settings::default(),
    );
    assert_eq!(
        r.warnings,
        vec![HierarchyWarning::MainGap {
            meter_id: 7,
            serial: "7".into(),
            service_id: 1,
            removed_on: d(2026, 4, 10),
            next: Some(d(2026, 4, 12)),
        }]
    );
    // Removed and never replaced: said too, and the accounts linked to the new meter
    // that is not there are told they have no main.
    let r = calculate_building(
        &building(vec![old(d(2026, 4, 10))]),
        p(2026, 4),
        &Settings::default(),
    );
    assert!(r.warnings.contains(&HierarchyWarning::MainGap {
        meter_id: 7,
        serial: "7".into(),
        service_id: 1,
        removed_on: d(2026, 4, 10),
        next: None,
    }));
    assert_eq!(
        r.warnings
            .iter()
            .filter(|w| matches!(w, HierarchyWarning::NoMain { .. }))
            .count(),
        2
    );
}

#[test]
fn an_entrance_meter_takes_the_unmetered_apartments_of_its_entrance_by_their_norm() {
    // Entrance 2's meter (30 m³) measures account 1 (unmetered: norm 3 m³ × 2 persons) and
    // account 2 (unmetered, 1 person: 3 m³); account 3 on entrance 1 is under no meter.
    let at = |id: i64, res: usize, entrance: i32| {
        let mut a = odn_account(id, res, None);
        a.entrance = Some(entrance);
        a
    };
    let b = BuildingInput {
        building_id: 1,
        accounts: vec![at(1, 2, 2), at(2, 1, 2), at(3, 1, 1)],
        meters: vec![BuildingMeter {
            place: MainPlace::Entrance(Some(2)),
            ..BuildingMeter::house(5, 1, Some(dec!(30)))
        }],
    };
    let r = calculate_building(&b, p(2026, 4), &Settings::default());
    // 30 − 9 = 21 by persons 2:1 → 14, 7; account 3 shares in nothing (no meter above it).
    assert_eq!(shares(&r), vec![dec!(14), dec!(7), dec!(0)]);
    assert_eq!(r.distributions.len(), 1);
    assert_eq!(r.warnings, vec![]);
}

#[test]
fn a_late_paid_month_is_charged_the_late_tariffs_difference_as_a_recalculation() {
    // November was 10 m³ at 30.00; the late list asks 33.00: 10 × 3.00 = 30.00 more in
    // December, beside December's own charge and an act.
    let mut s = service(1, Method::Fixed, dec!(30.00));
    s.fixed_quantity = Some(dec!(1));
    s.late = Some(LateCharge {
        period: p(2026, 11),
        quantity: dec!(10),
        regular: dec!(30.00),
        late: dec!(33.00),
    });
    s.acts = vec![ActAmount {
        number: 3,
        amount: dec!(-5.00),
    }];
    let l = &one(account(1, 1, vec![s]), p(2026, 12), &Settings::default())[0];
    assert_eq!((l.charged, l.recalculation), (dec!(30.00), dec!(25.00)));
    assert!(
        l.steps.iter().any(|s| s.kind == StepKind::LateTariff
            && s.args.as_slice() == [dec!(2026), dec!(11), dec!(10), dec!(33.00), dec!(30.00)]
            && s.value == dec!(30.00)),
        "{:?}",
        l.steps
    );
    // A late list no dearer than the regular one adds nothing and says nothing.
    let mut s = service(1, Method::Fixed, dec!(30.00));
    s.late = Some(LateCharge {
        period: p(2026, 11),
        quantity: dec!(10),
        regular: dec!(30.00),
        late: dec!(30.00),
    });
    let l = &one(account(1, 1, vec![s]), p(2026, 12), &Settings::default())[0];
    assert_eq!(l.recalculation, dec!(0));
    assert!(!l.steps.iter().any(|s| s.kind == StepKind::LateTariff));
}
