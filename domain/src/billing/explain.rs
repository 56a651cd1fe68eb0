//! The explanation of an amount: the steps that produced it, each a kind (translated by
//! the UI into a sentence with its formula) with the values it used and its result. The
//! steps explain the quantity, the benefit, the subsidy and the penalty; the tariff, the
//! charge (quantity × tariff, half-up) and the closing balance are the line's own fields,
//! which the "why" view shows as steps of their own.

use rust_decimal::Decimal;
use serde::Serialize;

/// What a step computed. The UI holds a template per kind; `args` fill it in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// A meter's reading of the period: previous, current → consumption (Ф).
    MeterReading,
    /// A meter without a reading: Σ of the last months' consumption, months → average (СМ).
    MonthlyAverage,
    /// A removed meter: Σ consumption, days it covers, days charged → quantity (СС).
    DailyAverage,
    /// A zero consumption replaced by the previous period's: previous → quantity.
    ZeroTakesPrevious,
    /// Resident-days, days of the period → persons (day-weighted).
    Residents,
    /// Norm × persons → quantity (Р, and the norm method).
    NormByPersons,
    /// Area × norm per m² × share of days → quantity.
    NormByArea,
    /// Area × share of days → quantity.
    Area,
    /// Days charged (inside the service's dates and, for seasonal services, the season),
    /// days of the period.
    Days,
    /// Fixed quantity × share of days → quantity.
    Fixed,
    /// Heating by area: quantity × the coefficient of the building's storeys (storeys)
    /// → quantity.
    FloorCoefficient,
    /// Building volume, Σ apartments, remainder, this account's weight, Σ weights → share.
    CommonShare,
    /// The share capped by the limit: limit × weight → quantity.
    CommonLimit,
    /// Tariff, eligible quantity, percent → benefit of one beneficiary.
    Benefit,
    /// Covered persons, consumption per person or social norm → eligible quantity.
    BenefitQuantity,
    /// No benefit because the service has a subsidy this period.
    BenefitSkippedForSubsidy,
    /// Subsidy amount, charge − benefit → subsidy applied.
    Subsidy,
    /// Debt, days, rate % a year, multiplier, days of the year → penalty of an interval.
    PenaltyInterval,
    /// The debt owed at the start → no penalty: a restructuring agreement is in force and
    /// the tenant charges no penalty under one.
    PenaltyUnderAgreement,
    /// An approved act booked on the line: act number → its amount (the recalculation is
    /// the sum of these and of a late tariff's difference).
    Act,
    /// Last month's invoice was not paid by the due day: year, month, its quantity, the
    /// late tariff, the tariff charged → the difference (tariffs "after the 20th").
    LateTariff,
    /// Days of the period the service was not provided (a recalculation act's
    /// interruption): not charged.
    NotProvided,
}

/// The most values a step uses (the common-house share, the benefit quantity, a penalty
/// interval: five).
pub const MAX_ARGS: usize = 5;

/// A step's values, kept inline: a million accounts make tens of millions of steps, and
/// one allocation each would cost more than the arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Args {
    len: u8,
    values: [Decimal; MAX_ARGS],
}

impl Args {
    /// The first `MAX_ARGS` of `values` (no step has more).
    pub fn of(values: &[Decimal]) -> Self {
        let mut a = Args {
            len: 0,
            values: [Decimal::ZERO; MAX_ARGS],
        };
        for (slot, v) in a.values.iter_mut().zip(values) {
            *slot = *v;
            a.len += 1;
        }
        a
    }

    pub fn as_slice(&self) -> &[Decimal] {
        &self.values[..usize::from(self.len)]
    }
}

impl Serialize for Args {
    /// Without trailing zeros ("7.5", not "7.5000"): a million invoices' steps are stored.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.as_slice().iter().map(|d| d.normalize()))
    }
}

/// One step with its inputs and result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub kind: StepKind,
    pub args: Args,
    pub value: Decimal,
}

impl Step {
    pub fn new(kind: StepKind, args: &[Decimal], value: Decimal) -> Self {
        Self {
            kind,
            args: Args::of(args),
            value,
        }
    }
}
