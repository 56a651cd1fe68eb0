//! Addresses: localities, streets, buildings and premises. "Add address" (seed 000
//! Fig. 20) creates whatever part of an address is missing, optionally with a range of
//! apartments laid out over the building's entrances and floors; running it again with
//! the same address creates nothing new. Premises' areas are kept with the date they
//! apply from.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, FromQueryResult, Statement, Value};
use serde_json::json;

use access::auth::Reach;
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};

/// Most apartments one "add address" may create.
pub const MAX_RANGE: i32 = 2_000;

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct AddAddressInput {
    #[graphql(default_with = "\"UA\".to_owned()")]
    pub country: String,
    #[graphql(default)]
    pub region: String,
    #[graphql(default)]
    pub district: String,
    pub locality: String,
    #[graphql(default_with = "\"street\".to_owned()")]
    pub street_kind: String,
    pub street: String,
    pub building: String,
    /// First and last apartment number of a range to create (both or neither).
    pub apartments_from: Option<i32>,
    pub apartments_to: Option<i32>,
    pub entrances: Option<i32>,
    pub floors: Option<i32>,
}

#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct AddedAddress {
    pub building_id: i32,
    pub address: String,
    pub premises_created: i32,
    pub premises_existing: i32,
}

#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildingView {
    pub id: i32,
    pub address: String,
    pub locality: String,
    pub street: String,
    pub number: String,
    pub branch_id: Option<i32>,
    pub floors: Option<i32>,
    pub entrances: Option<i32>,
    pub lifts: i32,
    pub total_area: Option<Decimal>,
    pub premises_count: i64,
}

#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PremisesView {
    pub id: i64,
    pub building_id: i32,
    pub number: String,
    pub kind: String,
    pub floor: Option<i32>,
    pub entrance: Option<i32>,
    pub riser: Option<i32>,
    pub rooms: Option<i32>,
    pub stove_type: String,
    /// The premises' own price list (over the building's), if any.
    pub price_list_id: Option<i32>,
    /// Its own price list "after the due day" (over the building's), if any.
    pub late_price_list_id: Option<i32>,
    /// The area in force on the day asked for (today unless given).
    pub total_area: Option<Decimal>,
    pub living_area: Option<Decimal>,
    pub heated_area: Option<Decimal>,
}

pub(crate) fn required(field: &str, value: &str) -> AppResult<String> {
    let v = value.trim();
    if v.is_empty() || v.chars().count() > 200 {
        return Err(AppError::validation(field, "must be 1–200 characters"));
    }
    Ok(v.to_owned())
}

fn optional(value: &str) -> AppResult<String> {
    let v = value.trim();
    if v.chars().count() > 200 {
        return Err(AppError::validation(
            "region",
            "must be at most 200 characters",
        ));
    }
    Ok(v.to_owned())
}

#[derive(FromQueryResult)]
struct Id32 {
    id: i32,
}

/// Inserts unless a row with the same key exists; returns the id either way.
async fn upsert_id(
    txn: &DatabaseTransaction,
    insert: &str,
    select: &str,
    values: Vec<Value>,
) -> AppResult<i32> {
    if let Some(r) = Id32::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        insert,
        values.clone(),
    ))
    .one(txn)
    .await?
    {
        return Ok(r.id);
    }
    Id32::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        select,
        values,
    ))
    .one(txn)
    .await?
    .map(|r| r.id)
    .ok_or_else(|| AppError::Internal("address row vanished".into()))
}

pub async fn add_address(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    i: &AddAddressInput,
) -> AppResult<AddedAddress> {
    let country = required("country", &i.country)?;
    let (region, district) = (optional(&i.region)?, optional(&i.district)?);
    let locality = required("locality", &i.locality)?;
    let street = required("street", &i.street)?;
    let number = required("building", &i.building)?;
    let range = match (i.apartments_from, i.apartments_to) {
        (None, None) => None,
        (Some(a), Some(b)) if a >= 1 && b >= a && b - a < MAX_RANGE => Some((a, b)),
        (Some(_), Some(_)) => {
            return Err(AppError::validation(
                "apartmentsTo",
                format!(
                    "must be from apartmentsFrom to apartmentsFrom + {}",
                    MAX_RANGE - 1
                ),
            ));
        }
        _ => {
            return Err(AppError::validation(
                "apartmentsTo",
                "give both ends of the range or neither",
            ));
        }
    };
    for (field, v) in [("entrances", i.entrances), ("floors", i.floors)] {
        if v.is_some_and(|n| !(1..=200).contains(&n)) {
            return Err(AppError::validation(field, "must be from 1 to 200"));
        }
    }
    let locality_id = upsert_id(
        txn,
        "INSERT INTO localities (country, region, district, name) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id",
        "SELECT id FROM localities WHERE country = $1 AND region = $2 AND district = $3 AND name = $4",
        vec![country.into(), region.into(), district.into(), locality.clone().into()],
    )
    .await?;
    let street_id = upsert_id(
        txn,
        "INSERT INTO streets (locality_id, kind, name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id",
        "SELECT id FROM streets WHERE locality_id = $1 AND kind = $2 AND name = $3",
        vec![locality_id.into(), i.street_kind.clone().into(), street.clone().into()],
    )
    .await
    .map_err(|e| match e {
        AppError::Db(m) if m.contains("streets_kind_check") => {
            AppError::validation("streetKind", "must be street, avenue, lane, square, boulevard, district, road or other")
        }
        other => other,
    })?;
    let building_id = upsert_id(
        txn,
        "INSERT INTO buildings (street_id, number, floors, entrances) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id",
        "SELECT id FROM buildings WHERE street_id = $1 AND number = $2",
        vec![street_id.into(), number.clone().into(), i.floors.into(), i.entrances.into()],
    )
    .await?;
    let (mut created, mut existing) = (0, 0);
    if let Some((from, to)) = range {
        let n = u32::try_from(to - from + 1).unwrap_or(0);
        let spots = domain::premises::layout(
            n,
            i.entrances.unwrap_or(1).unsigned_abs(),
            i.floors.unwrap_or(1).unsigned_abs(),
        );
        for (k, (entrance, floor)) in spots.into_iter().enumerate() {
            let apt = from + i32::try_from(k).unwrap_or(0);
            let inserted = txn
                .execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "INSERT INTO premises (building_id, number, entrance, floor) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                    [building_id.into(), apt.to_string().into(), i32::try_from(entrance).ok().into(), i32::try_from(floor).ok().into()],
                ))
                .await?
                .rows_affected();
            if inserted == 1 {
                created += 1
            } else {
                existing += 1
            }
        }
    }
    let building = building(txn, &Reach::default(), building_id).await?;
    let change = Change {
        entity: "building",
        entity_id: building_id.to_string(),
        action: "add_address",
        before: None,
        after: Some(
            json!({ "address": building.address, "premisesCreated": created, "premisesExisting": existing }),
        ),
    };
    audit::record(txn, actor, now, change).await?;
    Ok(AddedAddress {
        building_id,
        address: building.address,
        premises_created: created,
        premises_existing: existing,
    })
}

const BUILDING_SELECT: &str = "SELECT b.id, concat_ws(', ', l.name, s.name, b.number) AS address, l.name AS locality, \
       s.name AS street, b.number, b.branch_id, b.floors, b.entrances, b.lifts, b.total_area, \
       (SELECT count(*) FROM premises p WHERE p.building_id = b.id) AS premises_count \
     FROM buildings b JOIN streets s ON s.id = b.street_id JOIN localities l ON l.id = s.locality_id";

pub async fn building(
    txn: &DatabaseTransaction,
    reach: &Reach,
    id: i32,
) -> AppResult<BuildingView> {
    let within = reach
        .building_condition("b")
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default();
    BuildingView::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("{BUILDING_SELECT} WHERE b.id = $1{within}"),
        [id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))
}

/// Whether the premises exist in a building within reach (outside the user's reach a
/// record is as good as absent).
pub async fn premises_in_reach(
    txn: &DatabaseTransaction,
    reach: &Reach,
    premises_id: i64,
) -> AppResult<bool> {
    let within = reach
        .building_condition("b")
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default();
    let found = Count::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "SELECT count(*) AS n FROM premises p JOIN buildings b ON b.id = p.building_id WHERE p.id = $1{within}"
        ),
        [premises_id.into()],
    ))
    .one(txn)
    .await?
    .map_or(0, |c| c.n);
    Ok(found > 0)
}

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

/// Buildings within reach by address; `search` matches locality, street or number.
pub async fn buildings(
    txn: &DatabaseTransaction,
    reach: &Reach,
    search: Option<&str>,
    offset: u64,
    limit: u64,
) -> AppResult<(i64, Vec<BuildingView>)> {
    let pattern = platform::sql::like_pattern(search);
    let within = reach
        .building_condition("b")
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default();
    let filter = format!(
        "WHERE ($1::text IS NULL OR concat_ws(', ', l.name, s.name, b.number) ILIKE $1){within}"
    );
    let total = Count::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("SELECT count(*) AS n FROM buildings b JOIN streets s ON s.id = b.street_id JOIN localities l ON l.id = s.locality_id {filter}"),
        [pattern.clone().into()],
    ))
    .one(txn)
    .await?
    .map_or(0, |c| c.n);
    let rows = BuildingView::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("{BUILDING_SELECT} {filter} ORDER BY l.name, s.name, length(b.number), b.number OFFSET $2 LIMIT $3"),
        [pattern.into(), i64::try_from(offset).unwrap_or(i64::MAX).into(), i64::try_from(limit).unwrap_or(i64::MAX).into()],
    ))
    .all(txn)
    .await?;
    Ok((total, rows))
}

/// The total area of premises in force on `on` (the latest record not after it).
pub async fn total_area_on(
    txn: &DatabaseTransaction,
    premises_id: i64,
    on: NaiveDate,
) -> AppResult<Option<Decimal>> {
    #[derive(FromQueryResult)]
    struct Area {
        total_area: Decimal,
    }
    Ok(Area::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT total_area FROM premises_areas WHERE premises_id = $1 AND valid_from <= $2 \
         ORDER BY valid_from DESC LIMIT 1",
        [premises_id.into(), on.into()],
    ))
    .one(txn)
    .await?
    .map(|a| a.total_area.normalize()))
}

/// A building's premises in number order, with the areas in force on `on`.
pub async fn premises(
    txn: &DatabaseTransaction,
    building_id: i32,
    on: NaiveDate,
) -> AppResult<Vec<PremisesView>> {
    Ok(PremisesView::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT p.id, p.building_id, p.number, p.kind, p.floor, p.entrance, p.riser, p.rooms, p.stove_type, \
                p.price_list_id, p.late_price_list_id, a.total_area, a.living_area, a.heated_area \
         FROM premises p LEFT JOIN LATERAL ( \
             SELECT total_area, living_area, heated_area FROM premises_areas \
             WHERE premises_id = p.id AND valid_from <= $2 ORDER BY valid_from DESC LIMIT 1) a ON true \
         WHERE p.building_id = $1 ORDER BY length(p.number), p.number",
        [building_id.into(), on.into()],
    ))
    .all(txn)
    .await?)
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct AreasInput {
    /// The day the areas apply from.
    pub valid_from: NaiveDate,
    pub total_area: Decimal,
    pub living_area: Option<Decimal>,
    pub heated_area: Option<Decimal>,
}

/// Records areas of premises from a date on (replacing a record of the same date).
pub async fn set_areas(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    premises_id: i64,
    a: &AreasInput,
) -> AppResult<()> {
    if a.total_area <= Decimal::ZERO || a.total_area > Decimal::from(100_000) {
        return Err(AppError::validation(
            "totalArea",
            "must be more than 0 and at most 100000 m²",
        ));
    }
    for (field, v) in [("livingArea", a.living_area), ("heatedArea", a.heated_area)] {
        if v.is_some_and(|v| v < Decimal::ZERO || v > a.total_area) {
            return Err(AppError::validation(
                field,
                "must be from 0 to the total area",
            ));
        }
    }
    let exists = txn
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT 1 FROM premises WHERE id = $1",
            [premises_id.into()],
        ))
        .await?
        .rows_affected();
    if exists == 0 {
        return Err(AppError::NotFound(format!(
            "record {premises_id} does not exist"
        )));
    }
    let round = |d: Decimal| d.round_dp(4);
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO premises_areas (premises_id, valid_from, total_area, living_area, heated_area) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (premises_id, valid_from) DO UPDATE SET total_area = EXCLUDED.total_area, \
         living_area = EXCLUDED.living_area, heated_area = EXCLUDED.heated_area",
        [
            premises_id.into(),
            a.valid_from.into(),
            round(a.total_area).into(),
            a.living_area.map(round).into(),
            a.heated_area.map(round).into(),
        ],
    ))
    .await?;
    let change = Change {
        entity: "premises",
        entity_id: premises_id.to_string(),
        action: "set_areas",
        before: None,
        after: Some(
            json!({ "validFrom": a.valid_from, "totalArea": a.total_area, "livingArea": a.living_area, "heatedArea": a.heated_area }),
        ),
    };
    audit::record(txn, actor, now, change).await
}
