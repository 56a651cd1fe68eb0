//! The calculation engine (DOMAIN.md "Calculation"): the inputs of the accounts of one
//! building for one period in, invoice lines with the explanation of every amount out. No
//! IO and no clock; the caller loads the inputs in bulk and stores the results.
//!
//! A building is the unit because the common-house distribution needs every apartment's
//! quantity of the base service before it can share the remainder of the house meter.

mod benefit;
mod days;
mod distribution;
mod engine;
mod explain;
mod gaps;
mod late;
mod penalty;
mod quantity;
pub(crate) mod split;
mod zones;

#[cfg(test)]
mod tests;

pub use benefit::{benefit, subsidy};
pub use days::{Stay, overlap, persons, persons_except};
pub use distribution::{Distribution, Recipient, distribute};
pub use engine::{calculate_building, net_charge};
pub use explain::{Step, StepKind};
pub use gaps::{Gap, Warning, gaps};
pub use late::{LateCharge, paid_late};
pub use penalty::{PenaltyRule, Tranche, margin, overdue_from, penalty, tranches};
pub use split::split;
pub use zones::{HierarchyWarning, Zone, zones};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::Period;
use crate::readings::Basis;

/// How a service is charged (DOMAIN.md methods 1–5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Metered,
    Norm,
    Area,
    CommonHouse,
    Fixed,
}

impl Method {
    pub fn parse(s: &str) -> Option<Method> {
        Some(match s {
            "metered" => Method::Metered,
            "norm" => Method::Norm,
            "area" => Method::Area,
            "common_house" => Method::CommonHouse,
            "fixed" => Method::Fixed,
            _ => return None,
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            Method::Metered => "metered",
            Method::Norm => "norm",
            Method::Area => "area",
            Method::CommonHouse => "common_house",
            Method::Fixed => "fixed",
        }
    }
}

/// What a benefit covers (services.benefit_rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BenefitRule {
    /// No benefit on this service.
    None,
    /// Up to the social norm per covered person.
    SocialNorm,
    /// The covered persons' share of the whole consumption.
    Full,
}

/// A norm: per person, or per m² of the premises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Norm {
    PerPerson(Decimal),
    PerSquareMetre(Decimal),
}

/// A meter of the account's premises for one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeterInput {
    pub id: i64,
    pub installed_on: NaiveDate,
    pub removed_on: Option<NaiveDate>,
    /// This period's reading (consumption already derived, wrap-around included).
    pub reading: Option<PeriodReading>,
    /// Consumption of earlier periods with actual readings, newest first.
    pub history: Vec<(Period, Decimal)>,
    /// The main meter above it (a building, group, riser or entrance meter).
    pub main_id: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodReading {
    pub previous: Decimal,
    pub current: Decimal,
    pub consumption: Decimal,
}

/// One beneficiary of a benefit that covers the service: the percent and the persons it
/// covers (the beneficiary and the family it extends to), each over their dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenefitInput {
    pub percent: Decimal,
    pub covered: Vec<Stay>,
}

/// One service of the account in the period, with what prices it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceInput {
    pub service_id: i32,
    pub method: Method,
    /// The account has the service from .. to (inclusive; open ends as None).
    pub stay: Stay,
    /// Tariff in force on the period's first day (apartment's price list, else building's).
    pub tariff: Option<Decimal>,
    /// Consumption norm in force (Р fallback of metered, the norm method, heat per m²).
    pub norm: Option<Norm>,
    /// Social norm per covered person (the benefit's cap).
    pub social_norm: Option<Decimal>,
    pub benefit_rule: BenefitRule,
    /// Fixed services: the account's quantity (default 1).
    pub fixed_quantity: Option<Decimal>,
    /// Seasonal services are charged only on days inside one of these intervals.
    pub seasonal: bool,
    pub seasons: Vec<(NaiveDate, NaiveDate)>,
    pub meters: Vec<MeterInput>,
    pub benefits: Vec<BenefitInput>,
    pub subsidy: Option<Decimal>,
    /// Opening balance of the service (closing of the latest earlier invoice).
    pub opening: Decimal,
    /// The approved acts booked into this period on the service (their sum is the line's
    /// recalculation; each is a step of its explanation).
    pub acts: Vec<ActAmount>,
    /// Net charges of earlier periods, newest first (for the age of the debt).
    pub debt_history: Vec<(Period, Decimal)>,
    /// Common-house services: the metered service whose building meters are distributed.
    pub base_service_id: Option<i32>,
    /// Common-house services: spread per m² (heat) instead of per resident (water).
    pub by_area: bool,
    /// Common-house services: the most one resident (or m²) may be given.
    pub common_limit: Option<Decimal>,
    /// Days the service was not provided (inclusive, not overlapping): a recalculation
    /// act's interruption. They are not charged wherever days count (persons, area days,
    /// fixed days, the daily average); an actual meter reading stands as read.
    pub not_provided: Vec<(NaiveDate, NaiveDate)>,
    /// A seasonal service charged by area or per-m² norm: the heating floor coefficient of
    /// the building's storeys in force, and the storeys (`pricing::heating`).
    pub floor_coefficient: Option<(Decimal, i32)>,
    /// Last month's invoice was not paid by the due day and a price list "after the due
    /// day" applies: the difference it owes (`late`).
    pub late: Option<LateCharge>,
}

/// The heating floor coefficient of a building of `floors` storeys: `low_rise` up to four,
/// `high_rise` from five (seed 001 §2 «Параметри опалення»).
pub fn floor_coefficient(low_rise: Decimal, high_rise: Decimal, floors: i32) -> Decimal {
    if floors <= 4 { low_rise } else { high_rise }
}

impl ServiceInput {
    /// A service with nothing but its method and dates: no tariff, norms, meters,
    /// benefits, subsidy or balance (the caller fills in what applies).
    pub fn new(service_id: i32, method: Method, stay: Stay) -> Self {
        Self {
            service_id,
            method,
            stay,
            tariff: None,
            norm: None,
            social_norm: None,
            benefit_rule: BenefitRule::SocialNorm,
            fixed_quantity: None,
            seasonal: false,
            seasons: Vec::new(),
            meters: Vec::new(),
            benefits: Vec::new(),
            subsidy: None,
            opening: Decimal::ZERO,
            acts: Vec::new(),
            debt_history: Vec::new(),
            base_service_id: None,
            by_area: false,
            common_limit: None,
            not_provided: Vec::new(),
            floor_coefficient: None,
            late: None,
        }
    }
}

/// What one act books on a service: its number (as users know it) and the amount
/// (positive adds to the debt, negative takes off it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActAmount {
    pub number: i64,
    pub amount: Decimal,
}

/// A payment (or one service's part of it) received for the account in the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaymentInput {
    pub paid_on: NaiveDate,
    pub amount: Decimal,
    /// The service this part pays (split when the payment was entered); None: the engine
    /// splits it by what the lines owe at the opening.
    pub service_id: Option<i32>,
}

/// Everything one account brings to the calculation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountInput {
    pub account_id: i64,
    pub total_area: Decimal,
    pub heated_area: Decimal,
    /// Residents who count (living or registered, by the tenant's setting).
    pub residents: Vec<Stay>,
    pub services: Vec<ServiceInput>,
    pub payments: Vec<PaymentInput>,
    pub no_penalty: bool,
    /// A restructuring agreement is in force this period and the tenant charges no
    /// penalty under one (seed 001 §2): the penalty is waived, with a step saying why.
    pub penalty_under_agreement_waived: bool,
    /// The premises' riser and entrance (a riser or entrance main measures them).
    pub riser: Option<i32>,
    pub entrance: Option<i32>,
}

/// Where a main meter sits: the whole building, or a part of it (the riser or entrance
/// number when the meter card gives one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MainPlace {
    Building,
    Group,
    Riser(Option<i32>),
    Entrance(Option<i32>),
}

/// A main meter of a service in the building with its period consumption (None: not
/// read), working on some day of the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildingMeter {
    pub meter_id: i64,
    pub service_id: i32,
    pub consumption: Option<Decimal>,
    pub place: MainPlace,
    pub serial: String,
    pub installed_on: NaiveDate,
    pub removed_on: Option<NaiveDate>,
}

impl BuildingMeter {
    /// A building meter working throughout.
    pub fn house(meter_id: i64, service_id: i32, consumption: Option<Decimal>) -> Self {
        Self {
            meter_id,
            service_id,
            consumption,
            place: MainPlace::Building,
            serial: meter_id.to_string(),
            installed_on: NaiveDate::MIN,
            removed_on: None,
        }
    }
}

/// The accounts of one building and its house meters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildingInput {
    pub building_id: i32,
    pub accounts: Vec<AccountInput>,
    pub meters: Vec<BuildingMeter>,
}

/// The tenant's calculation settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// N of the СМ fallback: months of actual readings averaged.
    pub average_months: usize,
    /// A zero consumption takes the previous period's.
    pub zero_takes_previous: bool,
    pub penalty: PenaltyRule,
    /// Debt of period P is overdue after this day of month P+1.
    pub due_day: u32,
    /// Penalty base rate (% a year) from a date on.
    pub rates: Vec<(NaiveDate, Decimal)>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            average_months: 3,
            zero_takes_previous: false,
            penalty: PenaltyRule::Off,
            due_day: 20,
            rates: Vec::new(),
        }
    }
}

/// One invoice line: a service's amounts for the period and how they came about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub service_id: i32,
    pub method: Method,
    pub basis: Option<Basis>,
    pub quantity: Decimal,
    pub tariff: Decimal,
    pub opening: Decimal,
    pub charged: Decimal,
    pub recalculation: Decimal,
    pub benefit: Decimal,
    pub subsidy: Decimal,
    pub penalty: Decimal,
    pub paid: Decimal,
    pub closing: Decimal,
    pub steps: Vec<Step>,
}

/// Why an account could not be calculated; the others go on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalcError {
    #[error("service {0} has no tariff in force on the period's first day")]
    NoTariff(i32),
    #[error("service {0} needs a consumption norm and none is in force")]
    NoNorm(i32),
}

/// The result for one account: its lines, or why there are none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountResult {
    pub account_id: i64,
    pub lines: Result<Vec<Line>, CalcError>,
}

/// The house-meter (or a part's) remainder of a common-house service and where it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistributionReport {
    pub service_id: i32,
    /// None: the house; else the part's first main meter.
    pub part: Option<i64>,
    pub volume: Option<Decimal>,
    pub apartments: Decimal,
    pub remainder: Decimal,
    pub distributed: Decimal,
    pub undistributed: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildingResult {
    pub accounts: Vec<AccountResult>,
    pub distributions: Vec<DistributionReport>,
    /// What the main-meter hierarchy leaves unmeasured.
    pub warnings: Vec<HierarchyWarning>,
}
