//! Benefit and subsidy of one service line (DOMAIN.md "Benefit", "Subsidy").

use rust_decimal::Decimal;

use super::days::persons_except;
use super::explain::{Step, StepKind};
use super::{BenefitInput, BenefitRule};
use crate::Period;
use crate::money;
use chrono::NaiveDate;

/// The benefit of one beneficiary:
/// `tariff × min(consumption × covered / residents, social_norm × covered) × pct / 100`,
/// `covered` being the persons it covers weighted by their days of validity. Under the
/// `Full` rule there is no social-norm cap; with no residents counted the covered persons
/// stand for them. Returns the unrounded amount and its steps.
#[allow(clippy::too_many_arguments)]
pub fn benefit(
    rule: BenefitRule,
    b: &BenefitInput,
    tariff: Decimal,
    consumption: Decimal,
    residents: Decimal,
    social_norm: Option<Decimal>,
    period: Period,
    (within, not_provided): ((NaiveDate, NaiveDate), &[(NaiveDate, NaiveDate)]),
) -> (Decimal, Vec<Step>) {
    if rule == BenefitRule::None {
        return (Decimal::ZERO, Vec::new());
    }
    let (days, covered) = persons_except(&b.covered, period, within, not_provided);
    if covered.is_zero() {
        return (Decimal::ZERO, Vec::new());
    }
    let per_resident = if residents > Decimal::ZERO {
        consumption * covered / residents
    } else {
        consumption
    };
    let eligible = match (rule, social_norm) {
        (BenefitRule::SocialNorm, Some(n)) => per_resident.min(n * covered),
        _ => per_resident,
    }
    .round_dp(4);
    let amount = tariff * eligible * b.percent / Decimal::ONE_HUNDRED;
    let steps = vec![
        Step::new(
            StepKind::BenefitQuantity,
            &[
                Decimal::from(days),
                covered,
                consumption,
                residents,
                social_norm.unwrap_or_default(),
            ],
            eligible,
        ),
        Step::new(
            StepKind::Benefit,
            &[tariff, eligible, b.percent],
            money(amount),
        ),
    ];
    (amount, steps)
}

/// `subsidy_applied = min(subsidy, max(0, charge − benefit))`.
pub fn subsidy(amount: Decimal, charge: Decimal, benefit: Decimal) -> (Decimal, Step) {
    let applied = money(amount.min((charge - benefit).max(Decimal::ZERO)));
    (
        applied,
        Step::new(StepKind::Subsidy, &[amount, charge - benefit], applied),
    )
}
