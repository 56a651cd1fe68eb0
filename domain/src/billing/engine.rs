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
use super::zones::{Zone, volume, zones};
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
    let mut warnings = Vec::new();
    for (service_id, base, by_area, limit) in common {
        // The apartments' quantities of the base service.
        let used: Vec<Decimal> = b
            .accounts
            .iter()
            .zip(&quantities)
            .map(|(a, q)| match q {
                Ok(q) => a
                    .services
                    .iter()
                    .zip(q)
                    .filter(|(s, _)| Some(s.service_id) == base)
                    .map(|(_, qq)| qq.value)
                    .sum(),
                Err(_) => Decimal::ZERO,
            })
            .collect();
        // Who receives: each account's line of the service and its weight, once (an
        // account in a part zone shares in two remainders).
        let weights: Vec<Option<(usize, Decimal)>> = b
            .accounts
            .iter()
            .map(|a| {
                let si = a.services.iter().position(|s| s.service_id == service_id)?;
                let s = &a.services[si];
                let within = active(s, period)?;
                let w = if by_area {
                    let days = charged_days(s, within);
                    (a.total_area * Decimal::from(days) / Decimal::from(period.days())).round_dp(4)
                } else {
                    persons_except(&a.residents, period, within, &s.not_provided).1
                };
                Some((si, w))
            })
            .collect();
        let weight = |ai: usize| weights[ai];
        let (drawn, found) = match base {
            Some(base) => zones(b, base, period),
            None => (
                vec![Zone {
                    meters: Vec::new(),
                    measured: (0..b.accounts.len()).collect(),
                    sharing: (0..b.accounts.len()).collect(),
                    part: None,
                    nested: Vec::new(),
                }],
                Vec::new(),
            ),
        };
        warnings.extend(found);
        // The shares each line gets, zone by zone, with their steps.
        let mut got: Vec<Option<Quantity>> = vec![None; b.accounts.len()];
        for z in &drawn {
            let volume = volume(b, &drawn, z);
            let apartments: Decimal = z.measured.iter().map(|&ai| used[ai]).sum();
            let who: Vec<(usize, usize, Decimal)> = z
                .sharing
                .iter()
                .filter_map(|&ai| weight(ai).map(|(si, w)| (ai, si, w)))
                .collect();
            let recipients: Vec<Recipient> =
                who.iter().map(|w| Recipient { weight: w.2 }).collect();
            let d = volume.map(|v| distribute(v, apartments, &recipients, limit));
            let total_weight: Decimal = recipients.iter().map(|r| r.weight).sum();
            for (k, (ai, _, w)) in who.iter().enumerate() {
                let share = d.as_ref().map_or(Decimal::ZERO, |d| d.shares[k]);
                let q = got[*ai].get_or_insert_with(|| Quantity {
                    value: Decimal::ZERO,
                    basis: None,
                    steps: Vec::with_capacity(super::quantity::STEPS),
                });
                q.value += share;
                q.steps.push(Step::new(
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
                    q.steps.push(Step::new(
                        StepKind::CommonLimit,
                        &[l, *w],
                        (l * *w).round_dp(4),
                    ));
                }
            }
            distributions.push(DistributionReport {
                service_id,
                part: z.part,
                volume,
                apartments,
                remainder: d.as_ref().map_or(Decimal::ZERO, |d| d.remainder),
                distributed: d
                    .as_ref()
                    .map_or(Decimal::ZERO, |d| d.shares.iter().copied().sum()),
                undistributed: d.as_ref().map_or(Decimal::ZERO, |d| d.undistributed),
            });
        }
        for (ai, q) in got.into_iter().enumerate() {
            let (Some(q), Some((si, _))) = (q, weight(ai)) else {
                continue;
            };
            if let Some(Ok(lines)) = quantities.get_mut(ai) {
                lines[si] = q;
            }
        }
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
        warnings,
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
        let owes =
            !a.no_penalty && settings.penalty != PenaltyRule::Off && line.opening > Decimal::ZERO;
        if owes && a.penalty_under_agreement_waived {
            line.steps.push(Step::new(
                StepKind::PenaltyUnderAgreement,
                &[line.opening],
                Decimal::ZERO,
            ));
        } else if owes {
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
    if let Some(late) = s.late.filter(|l| !l.amount().is_zero()) {
        recalculation += late.amount();
        steps.push(Step::new(
            StepKind::LateTariff,
            &[
                Decimal::from(late.period.year()),
                Decimal::from(late.period.month()),
                late.quantity,
                late.late,
                late.regular,
            ],
            late.amount(),
        ));
    }
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
