//! The quantity of one service for one account (methods 1, 2, 3 and 5 of DOMAIN.md; the
//! common-house share is [`super::distribution`]'s), with the basis and the steps.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::days::{overlap, persons_except};
use super::explain::{Step, StepKind};
use super::{AccountInput, CalcError, Method, Norm, ServiceInput, Settings};
use crate::Period;
use crate::readings::Basis;

/// A quantity, why it is what it is, and how it was reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Quantity {
    pub value: Decimal,
    pub basis: Option<Basis>,
    pub steps: Vec<Step>,
}

/// Room for a line's usual steps (the quantity's, a benefit, a subsidy or a penalty), so
/// the line's later steps rarely move the vector.
pub(crate) const STEPS: usize = 4;

/// A step list of one step, with room for the rest of the line's.
fn one(step: Step) -> Vec<Step> {
    let mut v = Vec::with_capacity(STEPS);
    v.push(step);
    v
}

fn q4(d: Decimal) -> Decimal {
    // Most quantities already have at most four places: rounding them is pure cost.
    if d.scale() <= 4 { d } else { d.round_dp(4) }
}

/// The service's own days inside the period, as an inclusive interval (None: not at all).
pub(crate) fn active(svc: &ServiceInput, period: Period) -> Option<(NaiveDate, NaiveDate)> {
    svc.stay.clip(period.first_day(), period.last_day())
}

/// Days charged: the active days, and for a seasonal service only those in a season;
/// days the service was not provided left out.
pub(crate) fn charged_days(svc: &ServiceInput, within: (NaiveDate, NaiveDate)) -> u32 {
    let provided = |a: NaiveDate, b: NaiveDate| -> u32 {
        if a > b {
            return 0;
        }
        let cut: u32 = svc
            .not_provided
            .iter()
            .map(|(f, t)| overlap(*f, *t, a, b))
            .sum();
        overlap(a, b, a, b).saturating_sub(cut)
    };
    if svc.seasonal {
        svc.seasons
            .iter()
            .map(|(f, t)| provided((*f).max(within.0), (*t).min(within.1)))
            .sum()
    } else {
        provided(within.0, within.1)
    }
}

/// Days inside `within` the service was not provided.
fn not_provided_days(svc: &ServiceInput, within: (NaiveDate, NaiveDate)) -> u32 {
    svc.not_provided
        .iter()
        .map(|(f, t)| overlap(*f, *t, within.0, within.1))
        .sum()
}

/// Quantity of a service that is not common-house.
pub(crate) fn quantity(
    acct: &AccountInput,
    svc: &ServiceInput,
    period: Period,
    settings: &Settings,
) -> Result<Quantity, CalcError> {
    let Some(within) = active(svc, period) else {
        return Ok(Quantity {
            value: Decimal::ZERO,
            basis: None,
            steps: Vec::new(),
        });
    };
    let mut q = match svc.method {
        Method::Metered => metered(acct, svc, period, within, settings),
        Method::Norm => by_norm(acct, svc, period, within),
        Method::Area => area(acct, svc, period, within),
        Method::Fixed => Ok(fixed(svc, period, within)),
        Method::CommonHouse => Ok(Quantity {
            value: Decimal::ZERO,
            basis: None,
            steps: Vec::new(),
        }),
    }?;
    // Heating by area or per-m² norm, × the building's storeys coefficient.
    let by_area = svc.method == Method::Area
        || (svc.method == Method::Norm && matches!(svc.norm, Some(Norm::PerSquareMetre(_))));
    if let (true, true, false, Some((k, floors))) = (
        svc.seasonal,
        by_area,
        q.value.is_zero(),
        svc.floor_coefficient,
    ) {
        let v = q4(q.value * k);
        q.steps.push(Step::new(
            StepKind::FloorCoefficient,
            &[q.value, k, Decimal::from(floors)],
            v,
        ));
        q.value = v;
    }
    let gap = not_provided_days(svc, within);
    if gap > 0 {
        q.steps.insert(
            0,
            Step::new(
                StepKind::NotProvided,
                &[Decimal::from(gap)],
                Decimal::from(gap),
            ),
        );
    }
    Ok(q)
}

fn share_of_days(days: u32, period: Period) -> Decimal {
    // The whole month is the usual case; a Decimal division costs more than the rest.
    if days == period.days() {
        Decimal::ONE
    } else {
        Decimal::from(days) / Decimal::from(period.days())
    }
}

/// Norm × persons (per-person norm) or area × norm × share of days (per-m² norm).
fn by_norm(
    acct: &AccountInput,
    svc: &ServiceInput,
    period: Period,
    within: (NaiveDate, NaiveDate),
) -> Result<Quantity, CalcError> {
    let norm = svc.norm.ok_or(CalcError::NoNorm(svc.service_id))?;
    let mut steps = Vec::with_capacity(STEPS);
    let value = match norm {
        Norm::PerPerson(n) => {
            let (days, p) = persons_except(&acct.residents, period, within, &svc.not_provided);
            steps.push(Step::new(
                StepKind::Residents,
                &[Decimal::from(days), Decimal::from(period.days())],
                p,
            ));
            let v = q4(n * p);
            steps.push(Step::new(StepKind::NormByPersons, &[n, p], v));
            v
        }
        Norm::PerSquareMetre(n) => {
            let days = charged_days(svc, within);
            let v = q4(acct.total_area * n * share_of_days(days, period));
            steps.push(Step::new(
                StepKind::NormByArea,
                &[
                    acct.total_area,
                    n,
                    Decimal::from(days),
                    Decimal::from(period.days()),
                ],
                v,
            ));
            v
        }
    };
    Ok(Quantity {
        value,
        basis: Some(Basis::Calculated),
        steps,
    })
}

/// Area × share of charged days; with a per-m² norm (heat), × the norm as well. Seasonal
/// services use the heated area.
fn area(
    acct: &AccountInput,
    svc: &ServiceInput,
    period: Period,
    within: (NaiveDate, NaiveDate),
) -> Result<Quantity, CalcError> {
    let days = charged_days(svc, within);
    let area = if svc.seasonal {
        acct.heated_area
    } else {
        acct.total_area
    };
    let mut steps = Vec::with_capacity(STEPS);
    steps.push(Step::new(
        StepKind::Days,
        &[Decimal::from(days), Decimal::from(period.days())],
        Decimal::from(days),
    ));
    let value = match svc.norm {
        Some(Norm::PerSquareMetre(n)) => {
            let v = q4(area * n * share_of_days(days, period));
            steps.push(Step::new(
                StepKind::NormByArea,
                &[area, n, Decimal::from(days), Decimal::from(period.days())],
                v,
            ));
            v
        }
        _ => {
            let v = q4(area * share_of_days(days, period));
            steps.push(Step::new(
                StepKind::Area,
                &[area, Decimal::from(days), Decimal::from(period.days())],
                v,
            ));
            v
        }
    };
    Ok(Quantity {
        value,
        basis: None,
        steps,
    })
}

fn fixed(svc: &ServiceInput, period: Period, within: (NaiveDate, NaiveDate)) -> Quantity {
    let q = svc.fixed_quantity.unwrap_or(Decimal::ONE);
    let days = charged_days(svc, within);
    let v = q4(q * share_of_days(days, period));
    Quantity {
        value: v,
        basis: None,
        steps: one(Step::new(
            StepKind::Fixed,
            &[q, Decimal::from(days), Decimal::from(period.days())],
            v,
        )),
    }
}

/// Whether a meter serves some day of the period.
fn working(m: &super::MeterInput, period: Period) -> bool {
    m.installed_on <= period.last_day() && m.removed_on.is_none_or(|r| r >= period.first_day())
}

/// Metered: Σ of the working meters' consumption (Ф); a meter without a reading takes the
/// average of its last N months with readings (СМ); a meter with neither makes the whole
/// service Р (norm × persons). No working meter but one removed earlier: its average daily
/// consumption over its last three months × the days (СС). No meter at all: Р.
fn metered(
    acct: &AccountInput,
    svc: &ServiceInput,
    period: Period,
    within: (NaiveDate, NaiveDate),
    settings: &Settings,
) -> Result<Quantity, CalcError> {
    let mut steps = Vec::with_capacity(STEPS + svc.meters.len());
    let mut total = Decimal::ZERO;
    let mut basis = Basis::Actual;
    let mut any_working = false;
    for m in svc.meters.iter().filter(|m| working(m, period)) {
        any_working = true;
        if let Some(r) = m.reading {
            steps.push(Step::new(
                StepKind::MeterReading,
                &[Decimal::from(m.id), r.previous, r.current],
                r.consumption,
            ));
            total += r.consumption;
            continue;
        }
        let last: Vec<Decimal> = m
            .history
            .iter()
            .take(settings.average_months.max(1))
            .map(|(_, c)| *c)
            .collect();
        if last.is_empty() {
            return by_norm(acct, svc, period, within);
        }
        let sum: Decimal = last.iter().copied().sum();
        let avg = q4(sum / Decimal::from(last.len()));
        steps.push(Step::new(
            StepKind::MonthlyAverage,
            &[Decimal::from(m.id), sum, Decimal::from(last.len())],
            avg,
        ));
        total += avg;
        basis = Basis::MonthlyAverage;
    }
    if !any_working {
        let removed = svc
            .meters
            .iter()
            .filter(|m| m.removed_on.is_some_and(|r| r < period.first_day()))
            .max_by_key(|m| m.removed_on);
        return match removed {
            Some(m) if !m.history.is_empty() => Ok(daily_average(m, svc, period, within)),
            _ => by_norm(acct, svc, period, within),
        };
    }
    if total.is_zero() && settings.zero_takes_previous && basis == Basis::Actual {
        let prev: Decimal = svc
            .meters
            .iter()
            .filter(|m| working(m, period))
            .filter_map(|m| m.history.first())
            .filter(|(p, _)| *p == period.prev())
            .map(|(_, c)| *c)
            .sum();
        steps.push(Step::new(StepKind::ZeroTakesPrevious, &[prev], prev));
        total = prev;
    }
    Ok(Quantity {
        value: q4(total),
        basis: Some(basis),
        steps,
    })
}

/// СС: Σ of the removed meter's last three months ÷ their days × the days charged.
fn daily_average(
    m: &super::MeterInput,
    svc: &ServiceInput,
    period: Period,
    within: (NaiveDate, NaiveDate),
) -> Quantity {
    let last = &m.history[..m.history.len().min(3)];
    let sum: Decimal = last.iter().map(|(_, c)| *c).sum();
    let days: u32 = last.iter().map(|(p, _)| p.days()).sum();
    let charged = overlap(within.0, within.1, period.first_day(), period.last_day())
        .saturating_sub(not_provided_days(svc, within));
    let v = q4(sum / Decimal::from(days.max(1)) * Decimal::from(charged));
    Quantity {
        value: v,
        basis: Some(Basis::DailyAverage),
        steps: one(Step::new(
            StepKind::DailyAverage,
            &[
                Decimal::from(m.id),
                sum,
                Decimal::from(days),
                Decimal::from(charged),
            ],
            v,
        )),
    }
}
