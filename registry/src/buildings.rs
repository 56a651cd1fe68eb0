//! The building card's editable part (seed 000 §4.5: main data, characteristics, areas,
//! lifts, services provided, price list) and the apartment card's (floor, entrance, riser,
//! rooms, stove type, price list). Areas of premises stay dated (`addresses::set_areas`).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde_json::json;

use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

/// The building's characteristics as stored (also the audit's before/after).
#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildingDetails {
    pub branch_id: Option<i32>,
    pub floors: Option<i32>,
    pub entrances: Option<i32>,
    pub year_built: Option<i32>,
    pub lifts: i32,
    pub total_area: Option<Decimal>,
    pub living_area: Option<Decimal>,
    pub common_area: Option<Decimal>,
    pub price_list_id: Option<i32>,
    /// The price list that applies when an invoice is not paid by the due day (tariffs
    /// "after the 20th"); none: the same tariffs whenever it is paid.
    pub late_price_list_id: Option<i32>,
    pub service_ids: Vec<i32>,
    /// The controller who reads the building's meters (an employee marked as one).
    pub controller_id: Option<i32>,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct BuildingInput {
    pub branch_id: Option<i32>,
    pub floors: Option<i32>,
    pub entrances: Option<i32>,
    pub year_built: Option<i32>,
    #[graphql(default)]
    pub lifts: i32,
    /// m², as text ("1 250,5").
    pub total_area: Option<String>,
    pub living_area: Option<String>,
    pub common_area: Option<String>,
    pub price_list_id: Option<i32>,
    /// The price list "after the due day" (none: one list whatever the payment date).
    pub late_price_list_id: Option<i32>,
    /// The services the building is provided with.
    #[graphql(default)]
    pub service_ids: Vec<i32>,
    /// The controller who reads its meters (the route sheet's); none: not assigned.
    pub controller_id: Option<i32>,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct PremisesInput {
    pub floor: Option<i32>,
    pub entrance: Option<i32>,
    pub riser: Option<i32>,
    pub rooms: Option<i32>,
    /// gas, electric or none.
    pub stove_type: String,
    pub price_list_id: Option<i32>,
    /// The apartment's own price list "after the due day" (none: the building's).
    pub late_price_list_id: Option<i32>,
}

/// Database checks that are the user's to satisfy: constraint → (field, rule).
const CHECKS: &[platform::error::Check] = &[
    (
        "buildings_counts_check",
        "floors",
        "floors and entrances must be more than 0, lifts 0 or more",
    ),
    (
        "buildings_areas_check",
        "totalArea",
        "areas must not be negative",
    ),
    (
        "buildings_year_check",
        "yearBuilt",
        "must be from 1700 to 2100",
    ),
    (
        "buildings_living_area_check",
        "livingArea",
        "must not be more than the total area",
    ),
    ("premises_rooms_check", "rooms", "must be from 0 to 50"),
    ("premises_floor_check", "floor", "must be from -5 to 200"),
    (
        "premises_stove_check",
        "stoveType",
        "must be gas, electric or none",
    ),
];

fn refused(e: sea_orm::DbErr) -> AppError {
    match platform::error::named_check(&e, CHECKS) {
        Some(refusal) => refusal,
        None if e.to_string().contains("late_price_list_id_fkey") => {
            AppError::validation("latePriceListId", "there is no such record")
        }
        None if e.to_string().contains("violates foreign key constraint") => {
            AppError::validation("priceListId", "there is no such record")
        }
        None => e.into(),
    }
}

fn area(field: &str, v: Option<&str>) -> AppResult<Option<Decimal>> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(t) => Ok(Some(platform::input::parse_amount(field, t)?.round_dp(4))),
    }
}

#[derive(FromQueryResult)]
struct Controller {
    active: bool,
    is_controller: bool,
}

/// A building's controller is an employee of the book marked as a controller.
async fn check_controller(txn: &DatabaseTransaction, id: i32) -> AppResult<()> {
    let found = Controller::find_by_statement(stmt(
        "SELECT active, is_controller FROM employees WHERE id = $1",
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::validation("controllerId", "there is no such record"))?;
    if !found.is_controller || !found.active {
        return Err(AppError::validation(
            "controllerId",
            "must be a controller (an employee marked as one)",
        ));
    }
    Ok(())
}

pub async fn details(txn: &DatabaseTransaction, id: i32) -> AppResult<BuildingDetails> {
    BuildingDetails::find_by_statement(stmt(
        "SELECT branch_id, floors, entrances, year_built, lifts, total_area, living_area, common_area, price_list_id, late_price_list_id, controller_id, \
                ARRAY(SELECT service_id FROM building_services WHERE building_id = b.id ORDER BY service_id) AS service_ids \
         FROM buildings b WHERE id = $1",
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .map(|mut d| {
        // "4120.5", not the column's "4120.5000".
        for a in [&mut d.total_area, &mut d.living_area, &mut d.common_area] {
            *a = a.map(|v| v.normalize());
        }
        d
    })
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))
}

pub async fn update_building(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i32,
    input: &BuildingInput,
) -> AppResult<BuildingDetails> {
    let before = details(txn, id).await?;
    let total = area("totalArea", input.total_area.as_deref())?;
    let living = area("livingArea", input.living_area.as_deref())?;
    let common = area("commonArea", input.common_area.as_deref())?;
    if let Some(c) = input.controller_id {
        check_controller(txn, c).await?;
    }
    txn.execute_raw(stmt(
        "UPDATE buildings SET branch_id = $2, floors = $3, entrances = $4, year_built = $5, lifts = $6, \
            total_area = $7, living_area = $8, common_area = $9, price_list_id = $10, controller_id = $11, \
            late_price_list_id = $12 WHERE id = $1",
        vec![
            id.into(),
            input.branch_id.into(),
            input.floors.into(),
            input.entrances.into(),
            input.year_built.into(),
            input.lifts.into(),
            total.into(),
            living.into(),
            common.into(),
            input.price_list_id.into(),
            input.controller_id.into(),
            input.late_price_list_id.into(),
        ],
    ))
    .await
    .map_err(|e| {
        // The branch is the other foreign key of the row.
        if e.to_string().contains("buildings_branch_id_fkey") {
            AppError::validation("branchId", "there is no such record")
        } else {
            refused(e)
        }
    })?;
    let mut services = input.service_ids.clone();
    services.sort_unstable();
    services.dedup();
    txn.execute_raw(stmt(
        "DELETE FROM building_services WHERE building_id = $1",
        vec![id.into()],
    ))
    .await?;
    let inserted = txn
        .execute_raw(stmt(
            "INSERT INTO building_services (building_id, service_id) \
             SELECT $1, s.id FROM services s WHERE s.id = ANY($2)",
            vec![id.into(), services.clone().into()],
        ))
        .await?
        .rows_affected();
    if inserted != services.len() as u64 {
        return Err(AppError::validation(
            "serviceIds",
            "there is no such record",
        ));
    }
    let after = details(txn, id).await?;
    let c = Change {
        entity: "building",
        entity_id: id.to_string(),
        action: "update",
        before: Some(json!(before)),
        after: Some(json!(after)),
    };
    audit::record(txn, actor, now, c).await?;
    Ok(after)
}

#[derive(Debug, Clone, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct PremisesDetails {
    building_id: i32,
    floor: Option<i32>,
    entrance: Option<i32>,
    riser: Option<i32>,
    rooms: Option<i32>,
    stove_type: String,
    price_list_id: Option<i32>,
    late_price_list_id: Option<i32>,
}

/// Updates an apartment's card; returns its building.
pub async fn update_premises(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    input: &PremisesInput,
) -> AppResult<i32> {
    let select = "SELECT building_id, floor, entrance, riser, rooms, stove_type, price_list_id, late_price_list_id FROM premises WHERE id = $1";
    let before = PremisesDetails::find_by_statement(stmt(select, vec![id.into()]))
        .one(txn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))?;
    txn.execute_raw(stmt(
        "UPDATE premises SET floor = $2, entrance = $3, riser = $4, rooms = $5, stove_type = $6, price_list_id = $7, \
                late_price_list_id = $8 WHERE id = $1",
        vec![
            id.into(),
            input.floor.into(),
            input.entrance.into(),
            input.riser.into(),
            input.rooms.into(),
            input.stove_type.trim().into(),
            input.price_list_id.into(),
            input.late_price_list_id.into(),
        ],
    ))
    .await
    .map_err(refused)?;
    let after = PremisesDetails::find_by_statement(stmt(select, vec![id.into()]))
        .one(txn)
        .await?
        .ok_or_else(|| AppError::Internal("premises vanished".into()))?;
    let c = Change {
        entity: "premises",
        entity_id: id.to_string(),
        action: "update",
        before: Some(json!(before)),
        after: Some(json!(after)),
    };
    audit::record(txn, actor, now, c).await?;
    Ok(after.building_id)
}

/// A foreign key refusing a delete: the record is in use (`what` says by what).
fn in_use(e: sea_orm::DbErr, what: &str) -> AppError {
    if e.to_string().contains("violates foreign key constraint") {
        AppError::Conflict(what.to_owned())
    } else {
        e.into()
    }
}

/// Deletes premises entered by mistake (their dated areas go with them); premises with
/// an account, a contract or a meter stay. Returns the building.
pub async fn delete_premises(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> AppResult<i32> {
    let select = "SELECT building_id, floor, entrance, riser, rooms, stove_type, price_list_id, late_price_list_id FROM premises WHERE id = $1";
    let before = PremisesDetails::find_by_statement(stmt(select, vec![id.into()]))
        .one(txn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))?;
    txn.execute_raw(stmt("DELETE FROM premises WHERE id = $1", vec![id.into()]))
        .await
        .map_err(|e| in_use(e, "the premises have an account or a meter; they stay"))?;
    let c = Change {
        entity: "premises",
        entity_id: id.to_string(),
        action: "delete",
        before: Some(json!(before)),
        after: None,
    };
    audit::record(txn, actor, now, c).await?;
    Ok(before.building_id)
}

/// Deletes a building entered by mistake with its premises; one whose premises have
/// accounts, or with meters, users limited to it or acts naming it, stays.
pub async fn delete_building(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i32,
) -> AppResult<()> {
    #[derive(FromQueryResult, serde::Serialize)]
    struct Before {
        number: String,
        street_id: i32,
        premises: i64,
    }
    let before = Before::find_by_statement(stmt(
        "SELECT number, street_id, (SELECT count(*) FROM premises WHERE building_id = b.id) AS premises \
         FROM buildings b WHERE id = $1",
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))?;
    let refused = "the building has accounts, meters or users limited to it; it stays";
    txn.execute_raw(stmt(
        "DELETE FROM premises WHERE building_id = $1",
        vec![id.into()],
    ))
    .await
    .map_err(|e| in_use(e, refused))?;
    txn.execute_raw(stmt("DELETE FROM buildings WHERE id = $1", vec![id.into()]))
        .await
        .map_err(|e| in_use(e, refused))?;
    let c = Change {
        entity: "building",
        entity_id: id.to_string(),
        action: "delete",
        before: Some(json!(before)),
        after: None,
    };
    audit::record(txn, actor, now, c).await
}
