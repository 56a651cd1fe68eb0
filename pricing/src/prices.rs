//! What prices a service: dated tariffs of price lists (a tariff may be a sum of
//! components), dated consumption and social norms, the dated penalty rate table, and
//! which price list a building or an apartment uses. Each write is one audited change;
//! a row of the same key and date is replaced (entering a correction is entering it again).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    FromQueryResult, QueryFilter, Value,
};
use serde_json::json;

use crate::entities::{norm, tariff, tariff_component};
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::input::parse_amount;
use platform::sql::stmt;

/// Largest price or norm accepted (a typo guard, far above any real one).
const MAX_AMOUNT: i64 = 1_000_000;

#[derive(Debug, Clone, async_graphql::SimpleObject, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TariffComponent {
    pub name: String,
    pub price: Decimal,
}

#[derive(Debug, Clone, async_graphql::SimpleObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tariff {
    pub id: i32,
    pub price_list_id: i32,
    pub service_id: i32,
    pub service_name: String,
    pub valid_from: NaiveDate,
    pub price: Decimal,
    /// Empty when the price was entered directly.
    pub components: Vec<TariffComponent>,
}

/// Amounts in inputs are text ("31.41", a decimal comma accepted) so that a mistyped
/// one is reported against its field rather than as an unreadable parse error.
#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct TariffComponentInput {
    pub name: String,
    pub price: String,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct TariffInput {
    pub price_list_id: i32,
    pub service_id: i32,
    pub valid_from: NaiveDate,
    /// Required without components; with them it may be left out (it is their sum) or
    /// given as a check.
    pub price: Option<String>,
    #[graphql(default)]
    pub components: Vec<TariffComponentInput>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum NormKind {
    /// What is charged without a meter.
    Consumption,
    /// What a benefit covers.
    Social,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum NormBasis {
    Person,
    M2,
}

impl NormKind {
    fn code(self) -> &'static str {
        match self {
            NormKind::Consumption => "consumption",
            NormKind::Social => "social",
        }
    }
    fn parse(s: &str) -> Self {
        if s == "social" {
            NormKind::Social
        } else {
            NormKind::Consumption
        }
    }
}

impl NormBasis {
    fn code(self) -> &'static str {
        match self {
            NormBasis::Person => "person",
            NormBasis::M2 => "m2",
        }
    }
    fn parse(s: &str) -> Self {
        if s == "m2" {
            NormBasis::M2
        } else {
            NormBasis::Person
        }
    }
}

#[derive(Debug, Clone, async_graphql::SimpleObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Norm {
    pub id: i32,
    pub service_id: i32,
    pub service_name: String,
    pub kind: NormKind,
    pub basis: NormBasis,
    pub valid_from: NaiveDate,
    pub quantity: Decimal,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct NormInput {
    pub service_id: i32,
    pub kind: NormKind,
    #[graphql(default_with = "NormBasis::Person")]
    pub basis: NormBasis,
    pub valid_from: NaiveDate,
    pub quantity: String,
}

#[derive(Debug, Clone, async_graphql::SimpleObject, serde::Serialize, FromQueryResult)]
#[serde(rename_all = "camelCase")]
pub struct PenaltyRate {
    pub valid_from: NaiveDate,
    /// Per cent a year.
    pub rate: Decimal,
}

/// A non-negative amount of at most 4 decimals, below the typo guard.
fn check_amount(field: &str, v: Decimal) -> AppResult<Decimal> {
    if v < Decimal::ZERO || v >= Decimal::from(MAX_AMOUNT) {
        return Err(AppError::validation(
            field,
            format!("must be from 0 to {MAX_AMOUNT}"),
        ));
    }
    if v.normalize().scale() > 4 {
        return Err(AppError::validation(
            field,
            "must have at most 4 decimal places",
        ));
    }
    Ok(v.normalize())
}

/// The price a tariff input stands for: the sum of its components, or the price given.
fn tariff_price(input: &TariffInput) -> AppResult<(Decimal, Vec<TariffComponent>)> {
    let mut components = Vec::with_capacity(input.components.len());
    for c in &input.components {
        let name = c.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AppError::validation(
                "components",
                "must be 1–100 characters",
            ));
        }
        components.push(TariffComponent {
            name: name.to_owned(),
            price: check_amount("components", parse_amount("components", &c.price)?)?,
        });
    }
    let sum =
        domain::dated::price_of_components(&components.iter().map(|c| c.price).collect::<Vec<_>>());
    let given = match input.price.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(p) => Some(parse_amount("price", p)?),
    };
    let price = match (sum, given) {
        (None, None) => {
            return Err(AppError::validation(
                "price",
                "enter the price or its components",
            ));
        }
        (None, Some(p)) => check_amount("price", p)?,
        (Some(s), None) => s,
        (Some(s), Some(p)) if p == s => s,
        (Some(s), Some(_)) => {
            return Err(AppError::validation(
                "price",
                format!("must equal the sum of the components ({s})"),
            ));
        }
    };
    Ok((check_amount("price", price)?, components))
}

#[derive(FromQueryResult)]
struct TariffRow {
    id: i32,
    price_list_id: i32,
    service_id: i32,
    service_name: String,
    valid_from: NaiveDate,
    price: Decimal,
    components: serde_json::Value,
}

const TARIFF_SELECT: &str = "SELECT t.id, t.price_list_id, t.service_id, s.name AS service_name, t.valid_from, t.price, \
     (SELECT coalesce(jsonb_agg(jsonb_build_object('name', c.name, 'price', c.price::text) ORDER BY c.position), '[]') \
      FROM tariff_components c WHERE c.tariff_id = t.id) AS components \
     FROM tariffs t JOIN services s ON s.id = t.service_id";

fn tariff(r: TariffRow) -> Tariff {
    let components = r
        .components
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| {
                    Some(TariffComponent {
                        name: c["name"].as_str()?.to_owned(),
                        price: c["price"].as_str()?.parse().ok()?,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Tariff {
        id: r.id,
        price_list_id: r.price_list_id,
        service_id: r.service_id,
        service_name: r.service_name,
        valid_from: r.valid_from,
        price: r.price.normalize(),
        components,
    }
}

/// A price list's tariffs by service and date (newest first), optionally of one service.
pub async fn tariffs(
    txn: &DatabaseTransaction,
    price_list_id: i32,
    service_id: Option<i32>,
) -> AppResult<Vec<Tariff>> {
    let rows = TariffRow::find_by_statement(stmt(
        &format!(
            "{TARIFF_SELECT} WHERE t.price_list_id = $1 AND ($2::int IS NULL OR t.service_id = $2) \
             ORDER BY s.code, t.valid_from DESC"
        ),
        vec![price_list_id.into(), service_id.into()],
    ))
    .all(txn)
    .await?;
    Ok(rows.into_iter().map(tariff).collect())
}

async fn tariff_by_id(txn: &DatabaseTransaction, id: i32) -> AppResult<Option<Tariff>> {
    Ok(TariffRow::find_by_statement(stmt(
        &format!("{TARIFF_SELECT} WHERE t.id = $1"),
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .map(tariff))
}

#[derive(FromQueryResult)]
struct Id {
    id: i32,
}

/// Whether row `id` exists in `table` (a name from this file).
async fn exists(txn: &DatabaseTransaction, table: &str, id: i32) -> AppResult<bool> {
    Ok(Id::find_by_statement(stmt(
        &format!("SELECT id FROM {table} WHERE id = $1"),
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .is_some())
}

async fn require(txn: &DatabaseTransaction, table: &str, field: &str, id: i32) -> AppResult<()> {
    if exists(txn, table, id).await? {
        Ok(())
    } else {
        Err(AppError::validation(field, "there is no such record"))
    }
}

/// Records one change of a dated row; the action follows from which sides exist
/// (none before: create; none after: delete; both: update).
async fn log<T: serde::Serialize>(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    entity: &str,
    id: String,
    before: Option<&T>,
    after: Option<&T>,
) -> AppResult<()> {
    audit::record_row(txn, actor, now, (entity, id), before, after).await
}

/// Enters a tariff (replacing the one of the same price list, service and date).
pub async fn set_tariff(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    input: &TariffInput,
) -> AppResult<Tariff> {
    let (price, components) = tariff_price(input)?;
    require(txn, "price_lists", "priceListId", input.price_list_id).await?;
    require(txn, "services", "serviceId", input.service_id).await?;
    let previous = Id::find_by_statement(stmt(
        "SELECT id FROM tariffs WHERE price_list_id = $1 AND service_id = $2 AND valid_from = $3",
        vec![
            input.price_list_id.into(),
            input.service_id.into(),
            input.valid_from.into(),
        ],
    ))
    .one(txn)
    .await?;
    let before = match &previous {
        Some(p) => tariff_by_id(txn, p.id).await?,
        None => None,
    };
    // SQL, not the entity: one upsert on `tariffs_key` (entering a correction is entering
    // the same day again).
    let id = Id::find_by_statement(stmt(
        "INSERT INTO tariffs (price_list_id, service_id, valid_from, price) VALUES ($1, $2, $3, $4) \
         ON CONFLICT ON CONSTRAINT tariffs_key DO UPDATE SET price = EXCLUDED.price RETURNING id",
        vec![
            input.price_list_id.into(),
            input.service_id.into(),
            input.valid_from.into(),
            price.into(),
        ],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("insert returned nothing".into()))?
    .id;
    // A correction replaces the components whole.
    tariff_component::Entity::delete_many()
        .filter(tariff_component::Column::TariffId.eq(id))
        .exec(txn)
        .await?;
    if !components.is_empty() {
        tariff_component::Entity::insert_many(components.iter().zip(1..).map(|(c, position)| {
            tariff_component::ActiveModel {
                tariff_id: Set(id),
                position: Set(position),
                name: Set(c.name.clone()),
                price: Set(c.price),
            }
        }))
        .exec_without_returning(txn)
        .await?;
    }
    let after = tariff_by_id(txn, id)
        .await?
        .ok_or_else(|| AppError::Internal("tariff vanished".into()))?;
    log(
        txn,
        actor,
        now,
        "tariff",
        id.to_string(),
        before.as_ref(),
        Some(&after),
    )
    .await?;
    Ok(after)
}

pub async fn delete_tariff(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i32,
) -> AppResult<()> {
    let before = tariff_by_id(txn, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))?;
    tariff::Entity::delete_by_id(id).exec(txn).await?;
    log(
        txn,
        actor,
        now,
        "tariff",
        id.to_string(),
        Some(&before),
        None,
    )
    .await
}

/// The tariff of a service for premises on a day: from the apartment's price list, else
/// the building's (DOMAIN.md "Tariff"). None when neither has a price in force.
#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct TariffInForce {
    pub price_list_id: i32,
    pub price_list_name: String,
    /// true: the apartment's own price list; false: the building's.
    pub from_premises: bool,
    pub tariff: Tariff,
}

#[derive(FromQueryResult)]
struct Lists {
    premises_list: Option<i32>,
    building_list: Option<i32>,
}

#[derive(FromQueryResult)]
struct Name {
    name: String,
}

pub async fn tariff_in_force(
    txn: &DatabaseTransaction,
    premises_id: i64,
    service_id: i32,
    on: NaiveDate,
) -> AppResult<Option<TariffInForce>> {
    let lists = Lists::find_by_statement(stmt(
        "SELECT p.price_list_id AS premises_list, b.price_list_id AS building_list \
         FROM premises p JOIN buildings b ON b.id = p.building_id WHERE p.id = $1",
        vec![premises_id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {premises_id} does not exist")))?;
    let (list, from_premises) = match (lists.premises_list, lists.building_list) {
        (Some(p), _) => (p, true),
        (None, Some(b)) => (b, false),
        (None, None) => return Ok(None),
    };
    let rows = tariffs(txn, list, Some(service_id)).await?;
    let dated: Vec<(NaiveDate, Tariff)> = rows.into_iter().map(|t| (t.valid_from, t)).collect();
    let Some(t) = domain::dated::in_force(&dated, on).cloned() else {
        return Ok(None);
    };
    let name = Name::find_by_statement(stmt(
        "SELECT name FROM price_lists WHERE id = $1",
        vec![list.into()],
    ))
    .one(txn)
    .await?
    .map(|n| n.name)
    .unwrap_or_default();
    Ok(Some(TariffInForce {
        price_list_id: list,
        price_list_name: name,
        from_premises,
        tariff: t,
    }))
}

/// Which of a building or an apartment gets a price list.
#[derive(Debug, Clone, Copy)]
pub enum PriceListOwner {
    Building(i32),
    Premises(i64),
}

/// Points a building or an apartment at a price list (None: no own list).
pub async fn set_price_list(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    owner: PriceListOwner,
    price_list_id: Option<i32>,
) -> AppResult<()> {
    if let Some(p) = price_list_id {
        require(txn, "price_lists", "priceListId", p).await?;
    }
    let (table, entity, id): (&str, &str, Value) = match owner {
        PriceListOwner::Building(b) => ("buildings", "building", b.into()),
        PriceListOwner::Premises(p) => ("premises", "premises", p.into()),
    };
    #[derive(FromQueryResult)]
    struct Old {
        price_list_id: Option<i32>,
    }
    let old = Old::find_by_statement(stmt(
        &format!("SELECT price_list_id FROM {table} WHERE id = $1 FOR UPDATE"),
        vec![id.clone()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))?;
    txn.execute_raw(stmt(
        &format!("UPDATE {table} SET price_list_id = $2 WHERE id = $1"),
        vec![id.clone(), price_list_id.into()],
    ))
    .await?;
    let entity_id = match owner {
        PriceListOwner::Building(b) => b.to_string(),
        PriceListOwner::Premises(p) => p.to_string(),
    };
    let change = Change {
        entity,
        entity_id,
        action: "set_price_list",
        before: Some(json!({ "priceListId": old.price_list_id })),
        after: Some(json!({ "priceListId": price_list_id })),
    };
    audit::record(txn, actor, now, change).await
}

#[derive(FromQueryResult)]
struct NormRow {
    id: i32,
    service_id: i32,
    service_name: String,
    kind: String,
    basis: String,
    valid_from: NaiveDate,
    quantity: Decimal,
}

fn norm(r: NormRow) -> Norm {
    Norm {
        id: r.id,
        service_id: r.service_id,
        service_name: r.service_name,
        kind: NormKind::parse(&r.kind),
        basis: NormBasis::parse(&r.basis),
        valid_from: r.valid_from,
        quantity: r.quantity.normalize(),
    }
}

const NORM_SELECT: &str = "SELECT n.id, n.service_id, s.name AS service_name, n.kind, n.basis, n.valid_from, n.quantity \
     FROM norms n JOIN services s ON s.id = n.service_id";

/// Norms by service, kind and date (newest first), optionally of one service.
pub async fn norms(txn: &DatabaseTransaction, service_id: Option<i32>) -> AppResult<Vec<Norm>> {
    let rows = NormRow::find_by_statement(stmt(
        &format!(
            "{NORM_SELECT} WHERE ($1::int IS NULL OR n.service_id = $1) ORDER BY s.code, n.kind, n.valid_from DESC"
        ),
        vec![service_id.into()],
    ))
    .all(txn)
    .await?;
    Ok(rows.into_iter().map(norm).collect())
}

async fn norm_by_id(txn: &DatabaseTransaction, id: i32) -> AppResult<Option<Norm>> {
    Ok(NormRow::find_by_statement(stmt(
        &format!("{NORM_SELECT} WHERE n.id = $1"),
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .map(norm))
}

pub async fn set_norm(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    input: &NormInput,
) -> AppResult<Norm> {
    let quantity = check_amount("quantity", parse_amount("quantity", &input.quantity)?)?;
    require(txn, "services", "serviceId", input.service_id).await?;
    let key = vec![
        input.service_id.into(),
        input.kind.code().into(),
        input.valid_from.into(),
    ];
    let previous = Id::find_by_statement(stmt(
        "SELECT id FROM norms WHERE service_id = $1 AND kind = $2 AND valid_from = $3",
        key.clone(),
    ))
    .one(txn)
    .await?;
    let before = match &previous {
        Some(p) => norm_by_id(txn, p.id).await?,
        None => None,
    };
    let mut values = key;
    values.push(input.basis.code().into());
    values.push(quantity.into());
    let id = Id::find_by_statement(stmt(
        "INSERT INTO norms (service_id, kind, valid_from, basis, quantity) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT ON CONSTRAINT norms_key DO UPDATE SET basis = EXCLUDED.basis, quantity = EXCLUDED.quantity RETURNING id",
        values,
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("insert returned nothing".into()))?
    .id;
    let after = norm_by_id(txn, id)
        .await?
        .ok_or_else(|| AppError::Internal("norm vanished".into()))?;
    log(
        txn,
        actor,
        now,
        "norm",
        id.to_string(),
        before.as_ref(),
        Some(&after),
    )
    .await?;
    Ok(after)
}

pub async fn delete_norm(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i32,
) -> AppResult<()> {
    let before = norm_by_id(txn, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))?;
    norm::Entity::delete_by_id(id).exec(txn).await?;
    log(txn, actor, now, "norm", id.to_string(), Some(&before), None).await
}

pub async fn penalty_rates(txn: &DatabaseTransaction) -> AppResult<Vec<PenaltyRate>> {
    Ok(PenaltyRate::find_by_statement(stmt(
        "SELECT valid_from, rate FROM penalty_rates ORDER BY valid_from DESC",
        vec![],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|r| PenaltyRate {
        rate: r.rate.normalize(),
        ..r
    })
    .collect())
}

async fn rate_on(txn: &DatabaseTransaction, day: NaiveDate) -> AppResult<Option<PenaltyRate>> {
    Ok(PenaltyRate::find_by_statement(stmt(
        "SELECT valid_from, rate FROM penalty_rates WHERE valid_from = $1",
        vec![day.into()],
    ))
    .one(txn)
    .await?)
}

pub async fn set_penalty_rate(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    valid_from: NaiveDate,
    rate: &str,
) -> AppResult<PenaltyRate> {
    let rate = parse_amount("rate", rate)?;
    if rate < Decimal::ZERO || rate > Decimal::ONE_HUNDRED || rate.normalize().scale() > 4 {
        return Err(AppError::validation(
            "rate",
            "must be from 0 to 100 (per cent a year), at most 4 decimal places",
        ));
    }
    let before = rate_on(txn, valid_from).await?;
    txn.execute_raw(stmt(
        "INSERT INTO penalty_rates (valid_from, rate) VALUES ($1, $2) \
         ON CONFLICT (valid_from) DO UPDATE SET rate = EXCLUDED.rate",
        vec![valid_from.into(), rate.into()],
    ))
    .await?;
    let after = PenaltyRate {
        valid_from,
        rate: rate.normalize(),
    };
    log(
        txn,
        actor,
        now,
        "penalty_rate",
        valid_from.to_string(),
        before.as_ref(),
        Some(&after),
    )
    .await?;
    Ok(after)
}

pub async fn delete_penalty_rate(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    valid_from: NaiveDate,
) -> AppResult<()> {
    let before = rate_on(txn, valid_from)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("record {valid_from} does not exist")))?;
    txn.execute_raw(stmt(
        "DELETE FROM penalty_rates WHERE valid_from = $1",
        vec![valid_from.into()],
    ))
    .await?;
    log(
        txn,
        actor,
        now,
        "penalty_rate",
        valid_from.to_string(),
        Some(&before),
        None,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn input(price: Option<Decimal>, parts: &[Decimal]) -> TariffInput {
        let price = price.map(|p| p.to_string());
        TariffInput {
            price_list_id: 1,
            service_id: 1,
            valid_from: NaiveDate::MIN,
            price,
            components: parts
                .iter()
                .enumerate()
                .map(|(i, p)| TariffComponentInput {
                    name: format!("part {i}"),
                    price: p.to_string(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_tariff_of_components_costs_their_sum() {
        let (p, c) = tariff_price(&input(None, &[dec!(18.421), dec!(12.987)])).unwrap_or_default();
        assert_eq!(p, dec!(31.408));
        assert_eq!(c.len(), 2);
        assert!(tariff_price(&input(Some(dec!(31.408)), &[dec!(18.421), dec!(12.987)])).is_ok());
        let e = tariff_price(&input(Some(dec!(31.40)), &[dec!(18.421), dec!(12.987)]));
        assert!(matches!(e, Err(AppError::Validation { .. })), "{e:?}");
    }

    #[test]
    fn a_price_is_checked() {
        assert!(tariff_price(&input(None, &[])).is_err());
        assert!(tariff_price(&input(Some(dec!(-1)), &[])).is_err());
        assert!(tariff_price(&input(Some(dec!(1.23456)), &[])).is_err());
        assert_eq!(
            tariff_price(&input(Some(dec!(28.5000)), &[]))
                .map(|(p, _)| p)
                .ok(),
            Some(dec!(28.5))
        );
        assert_eq!(parse_amount("price", " 1 234,5 ").ok(), Some(dec!(1234.5)));
        assert!(matches!(
            parse_amount("price", "дорого"),
            Err(AppError::Validation { field, .. }) if field == "price"
        ));
    }
}
