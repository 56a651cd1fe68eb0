//! What every chunk of a period's calculation shares, read once per run: the tenant's
//! settings, the services with their methods, the tariffs and norms in force on the
//! period's first day, the seasons, the penalty rates and the benefits' services.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::Period;
use domain::billing::{BenefitRule, Method, Norm, PenaltyRule, Settings};
use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult};

use platform::error::{AppError, AppResult};
use platform::sql::settings_row;
use platform::sql::stmt;

/// A service as the engine needs it.
#[derive(Debug, Clone)]
pub struct ServiceDef {
    pub method: Method,
    pub seasonal: bool,
    pub benefit_rule: BenefitRule,
    pub base_service_id: Option<i32>,
    pub by_area: bool,
    pub common_limit: Option<Decimal>,
    pub norm: Option<Norm>,
    pub social_norm: Option<Decimal>,
}

#[derive(Debug, Clone)]
pub struct Catalog {
    pub period: Period,
    pub settings: Settings,
    /// Living (true) or registered residents count.
    pub living: bool,
    pub services: HashMap<i32, ServiceDef>,
    /// Service names, for messages.
    pub names: HashMap<i32, String>,
    /// (price list, service) → price in force on the period's first day.
    pub tariffs: HashMap<(i32, i32), Decimal>,
    pub seasons: Vec<(NaiveDate, NaiveDate)>,
    /// benefit → (percent, services it covers).
    pub benefits: HashMap<i32, (Decimal, Vec<i32>)>,
    /// The heating floor coefficients (1–4 storeys, 5 and more) in force on the period's
    /// first day.
    pub heating: Option<(Decimal, Decimal)>,
    /// The tenant charges the penalty in the months of a restructuring agreement too.
    pub penalty_under_agreement: bool,
    /// The day the period is calculated on, when it may still be running (the open
    /// period's calculation, its simulation): what depends on days not come yet waits
    /// (a late tariff before the due day has passed). None: the period is judged whole
    /// (an act recomputing a closed month).
    pub as_of: Option<NaiveDate>,
}

impl Catalog {
    /// The catalog as of `day` (see `as_of`).
    pub fn as_of(self, day: NaiveDate) -> Self {
        Self {
            as_of: Some(day),
            ..self
        }
    }
}

#[derive(FromQueryResult)]
struct HeatingRow {
    low_rise: Decimal,
    high_rise: Decimal,
}

#[derive(FromQueryResult)]
struct SettingsRow {
    average_months: i32,
    zero_takes_previous: bool,
    residents_basis: String,
    penalty_rule: String,
    due_day: i32,
    penalty_under_agreement: bool,
}

#[derive(FromQueryResult)]
struct ServiceRow {
    id: i32,
    name: String,
    method: String,
    seasonal: bool,
    benefit_rule: String,
    base_service_id: Option<i32>,
    unit: Option<String>,
    common_limit: Option<Decimal>,
}

#[derive(FromQueryResult)]
struct NormRow {
    service_id: i32,
    kind: String,
    basis: String,
    quantity: Decimal,
}

#[derive(FromQueryResult)]
struct TariffRow {
    price_list_id: i32,
    service_id: i32,
    price: Decimal,
}

#[derive(FromQueryResult)]
struct DatedRate {
    valid_from: NaiveDate,
    rate: Decimal,
}

#[derive(FromQueryResult)]
struct SeasonRow {
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    yearly: bool,
}

#[derive(FromQueryResult)]
struct BenefitRow {
    id: i32,
    percent: Decimal,
    services: Vec<i32>,
}

fn bad(what: &str, v: &str) -> AppError {
    AppError::Internal(format!("stored {what} {v:?} is not one the engine knows"))
}

pub async fn load(txn: &DatabaseTransaction, period: Period) -> AppResult<Catalog> {
    let first = period.first_day();
    let s = settings_row::<SettingsRow>(
        txn,
        "billing_settings",
        "SELECT average_months, zero_takes_previous, residents_basis, penalty_rule, due_day, \
                penalty_under_agreement FROM billing_settings",
    )
    .await?;
    let rates = DatedRate::find_by_statement(stmt(
        "SELECT valid_from, rate FROM penalty_rates ORDER BY valid_from",
        vec![],
    ))
    .all(txn)
    .await?;
    let settings = Settings {
        average_months: usize::try_from(s.average_months).unwrap_or(3),
        zero_takes_previous: s.zero_takes_previous,
        penalty: PenaltyRule::parse(&s.penalty_rule)
            .ok_or_else(|| bad("penalty rule", &s.penalty_rule))?,
        due_day: u32::try_from(s.due_day).unwrap_or(20),
        rates: rates.into_iter().map(|r| (r.valid_from, r.rate)).collect(),
    };

    let norms = NormRow::find_by_statement(stmt(
        "SELECT DISTINCT ON (service_id, kind) service_id, kind, basis, quantity FROM norms \
         WHERE valid_from <= $1 ORDER BY service_id, kind, valid_from DESC",
        vec![first.into()],
    ))
    .all(txn)
    .await?;
    let mut services = HashMap::new();
    let mut names = HashMap::new();
    for r in ServiceRow::find_by_statement(stmt(
        "SELECT s.id, s.name, s.method, s.seasonal, s.benefit_rule, s.base_service_id, u.code AS unit, \
                s.common_limit \
         FROM services s LEFT JOIN units u ON u.id = s.unit_id",
        vec![],
    ))
    .all(txn)
    .await?
    {
        let norm = norms
            .iter()
            .find(|n| n.service_id == r.id && n.kind == "consumption")
            .map(|n| {
                if n.basis == "m2" {
                    Norm::PerSquareMetre(n.quantity)
                } else {
                    Norm::PerPerson(n.quantity)
                }
            });
        let social_norm = norms
            .iter()
            .find(|n| n.service_id == r.id && n.kind == "social")
            .map(|n| n.quantity);
        let def = ServiceDef {
            method: Method::parse(&r.method).ok_or_else(|| bad("method", &r.method))?,
            seasonal: r.seasonal,
            benefit_rule: match r.benefit_rule.as_str() {
                "none" => BenefitRule::None,
                "full" => BenefitRule::Full,
                _ => BenefitRule::SocialNorm,
            },
            base_service_id: r.base_service_id,
            by_area: r.unit.as_deref() == Some("gcal"),
            common_limit: r.common_limit,
            norm,
            social_norm,
        };
        services.insert(r.id, def);
        names.insert(r.id, r.name);
    }
    let tariffs = TariffRow::find_by_statement(stmt(
        "SELECT DISTINCT ON (price_list_id, service_id) price_list_id, service_id, price \
         FROM tariffs WHERE valid_from <= $1 ORDER BY price_list_id, service_id, valid_from DESC",
        vec![first.into()],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|t| ((t.price_list_id, t.service_id), t.price))
    .collect();
    let seasons: Vec<(NaiveDate, NaiveDate)> = SeasonRow::find_by_statement(stmt(
        "SELECT starts_on, ends_on, yearly FROM seasons \
         WHERE active AND starts_on IS NOT NULL AND ends_on IS NOT NULL",
        vec![],
    ))
    .all(txn)
    .await?
    .into_iter()
    // A yearly season as it falls around this period.
    .flat_map(|s| domain::seasons::occurrences(s.starts_on, s.ends_on, s.yearly, period))
    .collect();
    let seasons = domain::seasons::merged(seasons);
    let benefits = BenefitRow::find_by_statement(stmt(
        "SELECT b.id, b.percent, coalesce(array_agg(bs.service_id) FILTER (WHERE bs.service_id IS NOT NULL), '{}') AS services \
         FROM benefits b LEFT JOIN benefit_services bs ON bs.benefit_id = b.id GROUP BY b.id, b.percent",
        vec![],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|b| (b.id, (b.percent, b.services)))
    .collect();
    let heating = HeatingRow::find_by_statement(stmt(
        "SELECT low_rise, high_rise FROM heating_coefficients WHERE valid_from <= $1 \
         ORDER BY valid_from DESC LIMIT 1",
        vec![first.into()],
    ))
    .one(txn)
    .await?
    .map(|h| (h.low_rise, h.high_rise));
    Ok(Catalog {
        period,
        settings,
        heating,
        living: s.residents_basis == "living",
        penalty_under_agreement: s.penalty_under_agreement,
        services,
        names,
        tariffs,
        seasons,
        benefits,
        as_of: None,
    })
}
