//! Contracts and annexes of a trader's customer, each dated, with the price terms it
//! sets (`domain::electricity::terms`): an annex names the contract it amends and its
//! terms replace the contract's from its first day on; it lies within the contract's
//! days.

use chrono::{DateTime, NaiveDate, Utc};
use domain::electricity::terms::{PriceTerms, TermsDraft};
use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult};

use access::auth::Reach;
use platform::audit::{self, Actor};
use platform::error::{AppError, AppResult, Check};
use platform::sql::stmt;

use crate::customers;
use crate::{optional_amount, text};

pub const PRICE_KINDS: [&str; 3] = ["fixed", "zones", "exchange"];

#[derive(
    Debug, Clone, PartialEq, async_graphql::SimpleObject, FromQueryResult, serde::Serialize,
)]
#[serde(rename_all = "camelCase")]
pub struct RetailContract {
    pub id: i64,
    pub customer_id: i64,
    /// The contract an annex amends; none for a contract.
    pub contract_id: Option<i64>,
    pub number: String,
    pub signed_on: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// fixed, zones or exchange.
    pub price_kind: String,
    /// Per MWh.
    pub price: Option<Decimal>,
    pub price_day: Option<Decimal>,
    pub price_night: Option<Decimal>,
    pub price_peak: Option<Decimal>,
    /// Over the hour's exchange price, per MWh.
    pub margin: Option<Decimal>,
    pub price_min: Option<Decimal>,
    pub price_max: Option<Decimal>,
    pub note: String,
}

/// Prices are text as typed ("120,5"); empty is none.
#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct RetailContractInput {
    pub number: String,
    pub signed_on: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub price_kind: String,
    pub price: Option<String>,
    pub price_day: Option<String>,
    pub price_night: Option<String>,
    pub price_peak: Option<String>,
    pub margin: Option<String>,
    pub price_min: Option<String>,
    pub price_max: Option<String>,
    #[graphql(default)]
    pub note: String,
}

const COLUMNS: &str = "id, customer_id, contract_id, number, signed_on, valid_from, valid_to, \
     price_kind, trim_scale(price) AS price, trim_scale(price_day) AS price_day, \
     trim_scale(price_night) AS price_night, trim_scale(price_peak) AS price_peak, \
     trim_scale(margin) AS margin, trim_scale(price_min) AS price_min, \
     trim_scale(price_max) AS price_max, note";

const CHECKS: &[Check] = &[
    (
        "el_contracts_number_key",
        "number",
        "the customer has a contract or annex with this number",
    ),
    (
        "el_contracts_dates_check",
        "validTo",
        "must not be before the start",
    ),
];

/// A customer's contracts, each followed by its annexes.
pub async fn of_customer(
    txn: &DatabaseTransaction,
    customer: i64,
) -> AppResult<Vec<RetailContract>> {
    Ok(RetailContract::find_by_statement(stmt(
        &format!(
            "SELECT {COLUMNS} FROM el_contracts c WHERE c.customer_id = $1 \
             ORDER BY (SELECT k.valid_from FROM el_contracts k WHERE k.id = coalesce(c.contract_id, c.id)), \
                      coalesce(c.contract_id, c.id), c.contract_id IS NOT NULL, c.valid_from, c.id"
        ),
        vec![customer.into()],
    ))
    .all(txn)
    .await?)
}

async fn one(txn: &DatabaseTransaction, id: i64) -> AppResult<RetailContract> {
    RetailContract::find_by_statement(stmt(
        &format!("SELECT {COLUMNS} FROM el_contracts WHERE id = $1"),
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))
}

/// What a save is about: a new contract of a customer, a new annex of a contract, or a
/// change of either.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    NewContract { customer: i64 },
    NewAnnex { contract: i64 },
    Change { id: i64 },
}

/// Saves a contract or an annex; returns the customer's id. One audited record.
pub async fn save(
    txn: &DatabaseTransaction,
    reach: &Reach,
    actor: &Actor,
    now: DateTime<Utc>,
    target: Target,
    input: &RetailContractInput,
) -> AppResult<i64> {
    let (before, customer, parent) = match target {
        Target::NewContract { customer } => (None, customer, None),
        Target::NewAnnex { contract } => {
            let c = one(txn, contract).await?;
            if c.contract_id.is_some() {
                return Err(AppError::validation(
                    "contractId",
                    "an annex amends a contract, not another annex",
                ));
            }
            (None, c.customer_id, Some(c))
        }
        Target::Change { id } => {
            let b = one(txn, id).await?;
            let parent = match b.contract_id {
                Some(p) => Some(one(txn, p).await?),
                None => None,
            };
            let customer = b.customer_id;
            (Some(b), customer, parent)
        }
    };
    customers::one(txn, reach, customer).await?;
    let number = text("number", &input.number, 50)?;
    if number.is_empty() {
        return Err(AppError::validation("number", "is required"));
    }
    if input.signed_on > input.valid_from {
        return Err(AppError::validation(
            "validFrom",
            "must not be before the day it was signed",
        ));
    }
    if let Some(p) = &parent
        && (input.valid_from < p.valid_from || p.valid_to.is_some_and(|to| input.valid_from > to))
    {
        return Err(AppError::validation(
            "validFrom",
            "an annex begins within its contract's days",
        ));
    }
    let kind = input.price_kind.as_str();
    if !PRICE_KINDS.contains(&kind) {
        return Err(AppError::validation(
            "priceKind",
            "must be fixed, zones or exchange",
        ));
    }
    let amount = |f: &'static str, v: &Option<String>| optional_amount(f, v.as_deref());
    let draft = TermsDraft {
        kind,
        price: amount("price", &input.price)?,
        day: amount("priceDay", &input.price_day)?,
        night: amount("priceNight", &input.price_night)?,
        peak: amount("pricePeak", &input.price_peak)?,
        margin: amount("margin", &input.margin)?,
        min: amount("priceMin", &input.price_min)?,
        max: amount("priceMax", &input.price_max)?,
    };
    PriceTerms::parse(&draft).map_err(|e| AppError::validation(e.field(), e.to_string()))?;
    let id = match target {
        Target::Change { id } => Some(id),
        _ => None,
    };
    let values = vec![
        customer.into(),
        parent.as_ref().map(|p| p.id).into(),
        number.into(),
        input.signed_on.into(),
        input.valid_from.into(),
        input.valid_to.into(),
        kind.into(),
        draft.price.into(),
        draft.day.into(),
        draft.night.into(),
        draft.peak.into(),
        draft.margin.into(),
        draft.min.into(),
        draft.max.into(),
        text("note", &input.note, 500)?.into(),
        id.into(),
    ];
    let sql = if id.is_some() {
        "UPDATE el_contracts SET customer_id = $1, contract_id = $2, number = $3, signed_on = $4, \
         valid_from = $5, valid_to = $6, price_kind = $7, price = $8, price_day = $9, \
         price_night = $10, price_peak = $11, margin = $12, price_min = $13, price_max = $14, \
         note = $15 WHERE id = $16 RETURNING id"
    } else {
        "INSERT INTO el_contracts (customer_id, contract_id, number, signed_on, valid_from, \
         valid_to, price_kind, price, price_day, price_night, price_peak, margin, price_min, \
         price_max, note) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15 \
         WHERE $16::bigint IS NULL RETURNING id"
    };
    let saved = crate::write_row(txn, sql, values, CHECKS).await?;
    let after = one(txn, saved).await?;
    audit::record_row(
        txn,
        actor,
        now,
        ("retail_contract", saved.to_string()),
        before.as_ref(),
        Some(&after),
    )
    .await?;
    Ok(customer)
}
