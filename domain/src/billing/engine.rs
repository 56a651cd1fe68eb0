//! One building's accounts for one period: quantities first, then the common-house
//! shares (they need every apartment's quantity of the base service), then money per line:
//! charge, benefit, subsidy, the period's payments split over the lines, penalty, closing.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::benefit::{benefit, subsidy};
use super::days::persons_except;
use super::distribution::{Recipient, distribute};
use super::explain::{Step, StepKind};
use super::penalty::{PenaltyRule, penalty, tranches};
use super::quantity::{Quantity, active, charged_days, quantity};
use super::split::split;
use super::{
    AccountInput, AccountResult, BuildingInput, BuildingResult, CalcError, DistributionReport,
    Line, Method, PaymentInput, ServiceInput, Settings,
};
use crate::Period;
use crate::money;

/// What a line adds to the debt: charged + recalculation − benefit − subsidy.
pub fn net_charge(line: &Line) -> Decimal {
    line.charged + line.recalculation - line.benefit - line.subsidy
}

/// Calculates every account of the building for `period`.
pub fn calculate_building(
    b: &BuildingInput,
    period: Period,
    settings: &Settings,
) -> BuildingResult {
    // Phase 1: the quantity of every service that is not common-house.
    let mut quantities: Vec<Result<Vec<Quantity>, CalcError>> = b
        .accounts
        .iter()
        .map(|a| {
            a.services
                .iter()
                .map(|s| quantity(a, s, period, settings))
                .collect()
        })
        .collect();

    // Phase 2: each common-house service shares its base service's house-meter remainder.
    let mut distributions = Vec::new();
    let mut common: Vec<(i32, Option<i32>, bool, Option<Decimal>)> = Vec::new();
    for a in &b.accounts {
        for s in a
            .services
            .iter()
            .filter(|s| s.method == Method::CommonHouse)
        {
            if !common.iter().any(|c| c.0 == s.service_id) {
                common.push((s.service_id, s.base_service_id, s.by_area, s.common_limit));
            }
        }
    }
    for (service_id, base, by_area, limit) in common {
        let meters: Vec<_> = b
            .meters
            .iter()
            .filter(|m| Some(m.service_id) == base)
            .collect();
        let volume = if meters.is_empty() || meters.iter().any(|m| m.consumption.is_none()) {
            None
        } else {
            Some(meters.iter().filter_map(|m| m.consumption).sum::<Decimal>())
        };
        let mut apartments = Decimal::ZERO;
        for (a, q) in b.accounts.iter().zip(&quantities) {
            let Ok(q) = q else { continue };
            for (s, qq) in a.services.iter().zip(q) {
                if Some(s.service_id) == base {
                    apartments += qq.value;
                }
            }
        }
        // Who receives, with the index of their line and their weight.
        let mut who: Vec<(usize, usize, Decimal, u32)> = Vec::new();
        for (ai, a) in b.accounts.iter().enumerate() {
            for (si, s) in a.services.iter().enumerate() {
                if s.service_id != service_id {
                    continue;
                }
                let Some(within) = active(s, period) else {
                    continue;
                };
                let (w, days) = if by_area {
                    let days = charged_days(s, within);
                    (
                        (a.total_area * Decimal::from(days) / Decimal::from(period.days()))
                            .round_dp(4),
                        days,
                    )
                } else {
                    let (days, p) = persons_except(&a.residents, period, within, &s.not_provided);
                    (p, days)
                };
                who.push((ai, si, w, days));
            }
        }
        let recipients: Vec<Recipient> = who.iter().map(|w| Recipient { weight: w.2 }).collect();
        let d = volume.map(|v| distribute(v, apartments, &recipients, limit));
        let total_weight: Decimal = recipients.iter().map(|r| r.weight).sum();
        for (k, (ai, si, w, _)) in who.iter().enumerate() {
            let Some(Ok(q)) = quantities.get_mut(*ai) else {
                continue;
            };
            let share = d.as_ref().map_or(Decimal::ZERO, |d| d.shares[k]);
            let mut steps = Vec::with_capacity(super::quantity::STEPS);
            steps.push(Step::new(
                StepKind::CommonShare,
                &[
                    volume.unwrap_or_default(),
                    apartments,
                    d.as_ref().map_or(Decimal::ZERO, |d| d.remainder),
                    *w,
                    total_weight,
                ],
                share,
            ));
            if let Some(l) = limit {
                steps.push(Step::new(
                    StepKind::CommonLimit,
                    &[l, *w],
                    (l * *w).round_dp(4),
                ));
            }
            q[*si] = Quantity {
                value: share,
                basis: None,
                steps,
            };
        }
        distributions.push(DistributionReport {
            service_id,
            volume,
            apartments,
            remainder: d.as_ref().map_or(Decimal::ZERO, |d| d.remainder),
            distributed: d
                .as_ref()
                .map_or(Decimal::ZERO, |d| d.shares.iter().copied().sum()),
            undistributed: d.as_ref().map_or(Decimal::ZERO, |d| d.undistributed),
        });
    }

    // Phase 3: money.
    let accounts = b
        .accounts
        .iter()
        .zip(quantities)
        .map(|(a, q)| AccountResult {
            account_id: a.account_id,
            lines: q.and_then(|q| account_lines(a, q, period, settings)),
        })
        .collect();
    BuildingResult {
        accounts,
        distributions,
    }
}

fn account_lines(
    a: &AccountInput,
    quantities: Vec<Quantity>,
    period: Period,
    settings: &Settings,
) -> Result<Vec<Line>, CalcError> {
    let mut lines = Vec::with_capacity(a.services.len());
    for (s, q) in a.services.iter().zip(quantities) {
        lines.push(charge_line(a, s, q, period)?);
    }
    // The period's payments, each split over the lines by what they owe at the opening
    // (else by this period's charge), so every line knows its part and the day it came.
    let mut weights: Vec<Decimal> = lines.iter().map(|l| l.opening.max(Decimal::ZERO)).collect();
    if weights.iter().all(|w| w.is_zero()) {
        weights = lines.iter().map(net_charge).collect();
    }
    // (line, part of a payment), in payment order.
    let mut parts: Vec<(usize, PaymentInput)> = Vec::with_capacity(a.payments.len() * lines.len());
    for p in &a.payments {
        // A part already assigned to a service stays with its line.
        if let Some(i) = p
            .service_id
            .and_then(|sid| a.services.iter().position(|s| s.service_id == sid))
        {
            parts.push((i, *p));
            continue;
        }
        for (i, amount) in split(p.amount, &weights).into_iter().enumerate() {
            if !amount.is_zero() {
                parts.push((
                    i,
                    PaymentInput {
                        paid_on: p.paid_on,
                        amount,
                        service_id: None,
                    },
                ));
            }
        }
    }
    for (i, (line, s)) in lines.iter_mut().zip(&a.services).enumerate() {
        line.paid = parts
            .iter()
            .filter(|(l, _)| *l == i)
            .map(|(_, p)| p.amount)
            .sum();
        if !a.no_penalty && settings.penalty != PenaltyRule::Off && line.opening > Decimal::ZERO {
            let pays: Vec<PaymentInput> = parts
                .iter()
                .filter(|(l, _)| *l == i)
                .map(|(_, p)| *p)
                .collect();
            let t = tranches(line.opening, &s.debt_history, settings.due_day, period);
            let (p, steps) = penalty(settings.penalty, &t, &pays, &settings.rates, period);
            line.penalty = money(p);
            line.steps.extend(steps);
        }
        line.closing =
            line.opening + line.charged + line.recalculation - line.benefit - line.subsidy
                + line.penalty
                - line.paid;
    }
    Ok(lines)
}

/// Charge, benefit and subsidy of one service (payments, penalty and closing come later).
fn charge_line(
    a: &AccountInput,
    s: &ServiceInput,
    q: Quantity,
    period: Period,
) -> Result<Line, CalcError> {
    let within = active(s, period);
    let mut steps = q.steps;
    let tariff = match (s.tariff, within) {
        (Some(t), _) => t,
        (None, None) => Decimal::ZERO,
        (None, Some(_)) => return Err(CalcError::NoTariff(s.service_id)),
    };
    let mut charged = Decimal::ZERO;
    let mut ben = Decimal::ZERO;
    let mut sub = Decimal::ZERO;
    if let Some(within) = within {
        charged = money(q.value * tariff);
        ben = benefits(a, s, tariff, q.value, period, within, charged, &mut steps);
        if let Some(amount) = s.subsidy {
            let (applied, step) = subsidy(amount, charged, ben);
            sub = applied;
            steps.push(step);
        }
    }
    let mut recalculation = Decimal::ZERO;
    for act in &s.acts {
        recalculation += act.amount;
        steps.push(Step::new(
            StepKind::Act,
            &[Decimal::from(act.number)],
            act.amount,
        ));
    }
    Ok(Line {
        service_id: s.service_id,
        method: s.method,
        basis: q.basis,
        quantity: q.value,
        tariff,
        opening: s.opening,
        charged,
        recalculation,
        benefit: ben,
        subsidy: sub,
        penalty: Decimal::ZERO,
        paid: Decimal::ZERO,
        closing: Decimal::ZERO,
        steps,
    })
}

/// Σ of the beneficiaries' benefits, rounded, never above the charge; none when the
/// service has a subsidy this period.
#[allow(clippy::too_many_arguments)]
fn benefits(
    a: &AccountInput,
    s: &ServiceInput,
    tariff: Decimal,
    quantity: Decimal,
    period: Period,
    within: (NaiveDate, NaiveDate),
    charged: Decimal,
    steps: &mut Vec<Step>,
) -> Decimal {
    if s.benefits.is_empty() {
        return Decimal::ZERO;
    }
    if s.subsidy.is_some_and(|x| x > Decimal::ZERO) {
        steps.push(Step::new(
            StepKind::BenefitSkippedForSubsidy,
            &[],
            Decimal::ZERO,
        ));
        return Decimal::ZERO;
    }
    let (_, residents) = persons_except(&a.residents, period, within, &s.not_provided);
    let mut total = Decimal::ZERO;
    for b in &s.benefits {
        let (amount, st) = benefit(
            s.benefit_rule,
            b,
            tariff,
            quantity,
            residents,
            s.social_norm,
            period,
            (within, &s.not_provided),
        );
        total += amount;
        steps.extend(st);
    }
    money(total).min(charged.max(Decimal::ZERO))
}
