//! Metering points a trader supplies: the EIC (checked with its check character), the
//! distributor's point number (ИТН), the grid operator, the voltage level, how it is
//! metered (hourly intervals, or a monthly quantity spread by a standard load profile),
//! and the days the distributor had it registered with the trader. One point is one
//! customer's at a time (an exclusion constraint on the EIC and the days).

use chrono::{DateTime, NaiveDate, Utc};
use domain::electricity::Eic;
use sea_orm::{DatabaseTransaction, FromQueryResult};

use access::auth::Reach;
use platform::audit::{self, Actor};
use platform::error::{AppError, AppResult, Check};
use platform::sql::stmt;

use crate::customers::{self, book_has};
use crate::text;

pub const VOLTAGES: [&str; 3] = ["low", "medium", "high"];
pub const METERINGS: [&str; 2] = ["hourly", "profile"];

#[derive(
    Debug, Clone, PartialEq, async_graphql::SimpleObject, FromQueryResult, serde::Serialize,
)]
#[serde(rename_all = "camelCase")]
pub struct RetailPoint {
    pub id: i64,
    pub customer_id: i64,
    pub eic: String,
    pub point_number: String,
    pub grid_operator_id: i32,
    #[serde(skip)]
    pub grid_operator_name: String,
    pub voltage: String,
    pub metering: String,
    pub profile: String,
    pub address: String,
    pub registered_from: NaiveDate,
    pub registered_to: Option<NaiveDate>,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct RetailPointInput {
    pub eic: String,
    #[graphql(default)]
    pub point_number: String,
    pub grid_operator_id: i32,
    /// low, medium or high.
    pub voltage: String,
    /// hourly or profile.
    pub metering: String,
    /// The standard load profile's code, for a profile-metered point.
    #[graphql(default)]
    pub profile: String,
    #[graphql(default)]
    pub address: String,
    pub registered_from: NaiveDate,
    pub registered_to: Option<NaiveDate>,
}

const SELECT: &str = "SELECT p.id, p.customer_id, p.eic, p.point_number, p.grid_operator_id, \
     g.name AS grid_operator_name, p.voltage, p.metering, p.profile, p.address, \
     p.registered_from, p.registered_to FROM el_points p JOIN grid_operators g ON g.id = p.grid_operator_id";

const CHECKS: &[Check] = &[
    (
        "el_points_one_customer",
        "eic",
        "the point is supplied to a customer over some of these days already",
    ),
    (
        "el_points_dates_check",
        "registeredTo",
        "must not be before the start",
    ),
];

/// A customer's points, those still supplied first, then by EIC.
pub async fn of_customer(txn: &DatabaseTransaction, customer: i64) -> AppResult<Vec<RetailPoint>> {
    Ok(RetailPoint::find_by_statement(stmt(
        &format!(
            "{SELECT} WHERE p.customer_id = $1 \
             ORDER BY p.registered_to IS NOT NULL, p.eic, p.registered_from"
        ),
        vec![customer.into()],
    ))
    .all(txn)
    .await?)
}

async fn one(txn: &DatabaseTransaction, id: i64) -> AppResult<RetailPoint> {
    RetailPoint::find_by_statement(stmt(&format!("{SELECT} WHERE p.id = $1"), vec![id.into()]))
        .one(txn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))
}

/// Adds a point to a customer (`id` none) or changes one; the customer must be within
/// reach; returns the customer's id. One audited record.
pub async fn save(
    txn: &DatabaseTransaction,
    reach: &Reach,
    actor: &Actor,
    now: DateTime<Utc>,
    customer: Option<i64>,
    id: Option<i64>,
    input: &RetailPointInput,
) -> AppResult<i64> {
    let before = match id {
        Some(id) => Some(one(txn, id).await?),
        None => None,
    };
    let customer = match (&before, customer) {
        (Some(b), _) => b.customer_id,
        (None, Some(c)) => c,
        (None, None) => return Err(AppError::validation("customerId", "is required")),
    };
    customers::one(txn, reach, customer).await?;
    let eic = Eic::parse(&input.eic).map_err(|e| AppError::validation("eic", e.to_string()))?;
    if !eic.is_metering_point() {
        return Err(AppError::validation(
            "eic",
            "a metering point's EIC has Z as its third character",
        ));
    }
    if !book_has(txn, "grid_operators", input.grid_operator_id).await? {
        return Err(AppError::validation(
            "gridOperatorId",
            format!("there is no grid operator {}", input.grid_operator_id),
        ));
    }
    let voltage = crate::one_of("voltage", &input.voltage, &VOLTAGES)?;
    let metering = crate::one_of("metering", &input.metering, &METERINGS)?;
    let profile = text("profile", &input.profile, 20)?;
    if metering == "profile" && profile.is_empty() {
        return Err(AppError::validation(
            "profile",
            "a point without interval metering needs its load profile",
        ));
    }
    let values = vec![
        customer.into(),
        eic.as_str().into(),
        text("pointNumber", &input.point_number, 40)?.into(),
        input.grid_operator_id.into(),
        voltage.into(),
        metering.into(),
        profile.into(),
        text("address", &input.address, 300)?.into(),
        input.registered_from.into(),
        input.registered_to.into(),
        id.into(),
    ];
    let sql = if id.is_some() {
        "UPDATE el_points SET customer_id = $1, eic = $2, point_number = $3, grid_operator_id = $4, \
         voltage = $5, metering = $6, profile = $7, address = $8, registered_from = $9, \
         registered_to = $10 WHERE id = $11 RETURNING id"
    } else {
        "INSERT INTO el_points (customer_id, eic, point_number, grid_operator_id, voltage, \
         metering, profile, address, registered_from, registered_to) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 WHERE $11::bigint IS NULL RETURNING id"
    };
    let saved = crate::write_row(txn, sql, values, CHECKS).await?;
    let after = one(txn, saved).await?;
    audit::record_row(
        txn,
        actor,
        now,
        ("retail_point", saved.to_string()),
        before.as_ref(),
        Some(&after),
    )
    .await?;
    Ok(customer)
}
