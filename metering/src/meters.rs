//! The meter registry: meter cards (create, correct, remove with the final reading,
//! restore), the working and archive lists with search by serial, address or seal and the
//! verification filters. Every change is audited (the card's history is its audit rows)
//! and refreshes the account's meter count and the serials its word search knows.

use chrono::{DateTime, NaiveDate, Utc};
use domain::meters::next_verification;
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseTransaction, EntityTrait,
    FromQueryResult,
};
use serde_json::json;

use crate::entities::meter;
use access::auth::Reach;
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::input::parse_amount;
use platform::sql::{optional_text, stmt};

#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeterView {
    pub id: i64,
    pub serial: String,
    pub model_id: Option<i32>,
    pub model_name: Option<String>,
    pub service_id: i32,
    pub service_name: String,
    pub install_method: String,
    pub building_id: i32,
    pub premises_id: Option<i64>,
    pub account_id: Option<i64>,
    pub account_number: Option<String>,
    pub address: String,
    pub place: Option<String>,
    pub installed_on: NaiveDate,
    pub initial_reading: Decimal,
    pub digits: Option<i32>,
    pub seal_number: Option<String>,
    pub sealed_on: Option<NaiveDate>,
    pub verified_on: Option<NaiveDate>,
    pub verification_months: Option<i32>,
    pub next_verification: Option<NaiveDate>,
    pub removed_on: Option<NaiveDate>,
    pub final_reading: Option<Decimal>,
    /// The main meter above this one.
    pub parent_id: Option<i64>,
    pub parent_serial: Option<String>,
    /// The main meter above this one is removed (seed 001 §6.7.1.5: shown in red, the
    /// meter wants a working main).
    pub parent_removed: bool,
    /// The account's holder (the list's "ФИО").
    pub holder_name: Option<String>,
    /// The latest reading: its period (first day), the reading before it, its value,
    /// consumption and basis flag.
    pub last_period: Option<NaiveDate>,
    pub last_previous: Option<Decimal>,
    pub last_reading: Option<Decimal>,
    pub last_consumption: Option<Decimal>,
    pub last_flag: Option<String>,
    pub manufacturer: Option<String>,
    pub manufactured_on: Option<NaiveDate>,
    pub installer: Option<String>,
    /// Put into service (may follow the installation).
    pub commissioned_on: Option<NaiveDate>,
    pub remote_reading: bool,
    /// A computed point with no device of its own.
    pub is_virtual: bool,
    /// Whose balance the meter is on: subscriber or utility.
    pub balance_owner: Option<String>,
    pub riser: Option<i32>,
    pub entrance: Option<i32>,
    pub note: Option<String>,
    /// The legal entity's metering point the meter stands on, and its name.
    pub metering_point_id: Option<i64>,
    pub metering_point_name: Option<String>,
}

#[derive(Debug, Clone, Default, async_graphql::InputObject)]
pub struct MeterInput {
    pub serial: String,
    pub model_id: Option<i32>,
    pub service_id: i32,
    /// building, group, riser, entrance, apartment or building_group.
    #[graphql(default_with = "\"apartment\".to_owned()")]
    pub install_method: String,
    pub building_id: i32,
    /// For an apartment meter: the apartment (its account is found from it).
    pub premises_id: Option<i64>,
    pub place: Option<String>,
    pub installed_on: NaiveDate,
    /// Text, more than 0.
    pub initial_reading: String,
    pub seal_number: Option<String>,
    pub sealed_on: Option<NaiveDate>,
    pub verified_on: Option<NaiveDate>,
    /// The passport (seed 000 Fig. 12, 14; seed 001 §6.7).
    pub manufacturer: Option<String>,
    pub manufactured_on: Option<NaiveDate>,
    pub installer: Option<String>,
    pub commissioned_on: Option<NaiveDate>,
    #[graphql(default)]
    pub remote_reading: bool,
    #[graphql(default)]
    pub is_virtual: bool,
    /// subscriber or utility; none: not recorded.
    pub balance_owner: Option<String>,
    pub riser: Option<i32>,
    pub entrance: Option<i32>,
    pub note: Option<String>,
    /// A metering point of a contract whose account is on the meter's apartment (a legal
    /// entity's meter), measuring the meter's service when the point names one.
    #[graphql(default)]
    pub metering_point_id: Option<i64>,
}

/// The Meters list's filter as a screen had it, for its XLSX export.
#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    async_graphql::InputObject,
)]
#[graphql(name = "MeterListFilter")]
pub struct MeterListFilter {
    #[graphql(default)]
    pub archive: bool,
    pub search: Option<String>,
    pub verification: Option<VerificationFilter>,
}

/// Which meters a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum MeterState {
    Working,
    Archive,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, async_graphql::Enum,
)]
pub enum VerificationFilter {
    /// Next verification within the tenant's warning window (30 days).
    DueSoon,
    Overdue,
}

/// Lists count their rows up to this many; a total above it means "more than this".
pub const COUNT_CAP: i64 = 10_000;

/// Days before the next verification that count as "due soon".
pub const DUE_SOON_DAYS: i64 = 30;

const SELECT_COLUMNS: &str = "SELECT m.id, m.serial, m.model_id, mm.name AS model_name, m.service_id, s.name AS service_name, \
        m.install_method, m.building_id, m.premises_id, m.account_id, a.number AS account_number, \
        concat_ws(', ', l.name, st.name, b.number) || coalesce(', кв. ' || p.number, '') AS address, m.place, \
        m.installed_on, m.initial_reading, m.digits, m.seal_number, m.sealed_on, m.verified_on, \
        m.verification_months, m.next_verification, m.removed_on, m.final_reading, \
        m.parent_id, (SELECT x.serial FROM meters x WHERE x.id = m.parent_id) AS parent_serial, \
        coalesce((SELECT x.removed_on IS NOT NULL FROM meters x WHERE x.id = m.parent_id), false) AS parent_removed, \
        a.holder_name, lr.period AS last_period, lr.previous AS last_previous, lr.current AS last_reading, \
        lr.consumption AS last_consumption, \
        CASE lr.basis WHEN 'actual' THEN 'Ф' WHEN 'calculated' THEN 'Р' WHEN 'monthly_average' THEN 'СМ' \
            WHEN 'daily_average' THEN 'СС' END AS last_flag, \
        m.manufacturer, m.manufactured_on, m.installer, m.commissioned_on, m.remote_reading, m.is_virtual, \
        m.balance_owner, m.riser, m.entrance, m.note, m.metering_point_id, \
        (SELECT mp.name FROM metering_points mp WHERE mp.id = m.metering_point_id) AS metering_point_name";

/// The latest reading of each meter shown (joined for the rows only, not for counting).
const LAST: &str = " LEFT JOIN LATERAL (SELECT r.period, r.previous, r.current, r.consumption, r.basis FROM readings r \
     WHERE r.meter_id = m.id ORDER BY r.period DESC LIMIT 1) lr ON true";

/// The meters and what a row shows of their service, model, building and account.
const FROM: &str = "meters m JOIN services s ON s.id = m.service_id LEFT JOIN meter_models mm ON mm.id = m.model_id \
     JOIN buildings b ON b.id = m.building_id JOIN streets st ON st.id = b.street_id \
     JOIN localities l ON l.id = st.locality_id LEFT JOIN premises p ON p.id = m.premises_id \
     LEFT JOIN accounts a ON a.id = m.account_id";

fn normalized(mut m: MeterView) -> MeterView {
    m.initial_reading = m.initial_reading.normalize();
    m.final_reading = m.final_reading.map(|r| r.normalize());
    m.last_previous = m.last_previous.map(|r| r.normalize());
    m.last_reading = m.last_reading.map(|r| r.normalize());
    m.last_consumption = m.last_consumption.map(|r| r.normalize());
    m
}

/// The condition, on `meters m` joined to `buildings b`, that a reach-limited user sees
/// the meter: an apartment's (an account's) meter when the account is within reach, a
/// house or group meter (no account) when its building is. None: all.
pub fn within(reach: &Reach) -> Option<String> {
    let building = reach.building_condition("b")?;
    let account = reach.account_condition_of("ma")?;
    Some(format!(
        "(CASE WHEN m.account_id IS NULL THEN {building} \
          ELSE EXISTS (SELECT 1 FROM accounts ma WHERE ma.id = m.account_id AND {account}) END)"
    ))
}

pub async fn by_id(txn: &DatabaseTransaction, reach: &Reach, id: i64) -> AppResult<MeterView> {
    let within = within(reach)
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default();
    MeterView::find_by_statement(stmt(
        &format!("{SELECT_COLUMNS} FROM {FROM}{LAST} WHERE m.id = $1{within}"),
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .map(normalized)
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))
}

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

/// A page of meters: working or archived, by serial, address or seal (contains), and
/// optionally only those whose verification is due soon or overdue on `on`.
#[allow(clippy::too_many_arguments)]
pub async fn list(
    txn: &DatabaseTransaction,
    reach: &Reach,
    state: MeterState,
    search: Option<&str>,
    verification: Option<VerificationFilter>,
    account_id: Option<i64>,
    on: NaiveDate,
    offset: u64,
    limit: u64,
) -> AppResult<(i64, Vec<MeterView>)> {
    let pattern = platform::sql::like_pattern(search);
    let mut filter = String::from(match state {
        MeterState::Working => "WHERE m.removed_on IS NULL",
        MeterState::Archive => "WHERE m.removed_on IS NOT NULL",
    });
    filter.push_str(" AND ($1::text IS NULL OR m.search_text ILIKE $1)");
    match verification {
        Some(VerificationFilter::Overdue) => filter.push_str(" AND m.next_verification < $2"),
        Some(VerificationFilter::DueSoon) => filter.push_str(&format!(
            " AND m.next_verification >= $2 AND m.next_verification <= $2 + {DUE_SOON_DAYS}"
        )),
        None => filter.push_str(" AND $2::date IS NOT NULL"),
    }
    if let Some(c) = within(reach) {
        filter.push_str(&format!(" AND {c}"));
    }
    if let Some(a) = account_id {
        filter.push_str(&format!(" AND m.account_id = {a}"));
    }
    // Counted up to a cap: past it the exact figure costs a scan of the whole list and
    // tells the user nothing a "10,000+" does not.
    let total = Count::find_by_statement(stmt(
        &format!(
            "SELECT count(*) AS n FROM (SELECT 1 FROM meters m JOIN buildings b ON b.id = m.building_id \
             {filter} LIMIT {}) x",
            COUNT_CAP + 1
        ),
        vec![pattern.clone().into(), on.into()],
    ))
    .one(txn)
    .await?
    .map_or(0, |c| c.n);
    let rows = MeterView::find_by_statement(stmt(
        &format!(
            "{SELECT_COLUMNS} FROM {FROM}{LAST} {filter} ORDER BY m.next_verification NULLS LAST, m.serial OFFSET $3 LIMIT $4"
        ),
        vec![
            pattern.into(),
            on.into(),
            i64::try_from(offset).unwrap_or(i64::MAX).into(),
            i64::try_from(limit).unwrap_or(i64::MAX).into(),
        ],
    ))
    .all(txn)
    .await?;
    Ok((total, rows.into_iter().map(normalized).collect()))
}

/// Database checks that are the user's to satisfy: constraint → (field, rule).
const CHECKS: &[platform::error::Check] = &[
    (
        "meters_method_check",
        "installMethod",
        "must be building, group, riser, entrance, apartment or building_group",
    ),
    (
        "meters_initial_check",
        "initialReading",
        "must be more than 0",
    ),
    (
        "meters_removed_check",
        "removedOn",
        "must not be before the install date",
    ),
    (
        "meters_apartment_check",
        "premisesId",
        "an apartment meter needs its apartment",
    ),
    (
        "meters_serial_working_idx",
        "serial",
        "a working meter of this model already has this serial",
    ),
    (
        "meters_made_check",
        "manufacturedOn",
        "must not be after the install date",
    ),
    (
        "meters_commissioned_check",
        "commissionedOn",
        "must not be before the install date",
    ),
    (
        "meters_position_check",
        "riser",
        "riser and entrance must be more than 0",
    ),
];

fn refused(e: sea_orm::DbErr) -> AppError {
    match platform::error::named_check(&e, CHECKS) {
        Some(refusal) => refusal,
        None if e.to_string().contains("violates foreign key constraint") => {
            AppError::validation("modelId", "there is no such record")
        }
        None => e.into(),
    }
}

/// Whose balance the meter is on, as the API takes it.
fn balance_owner(v: Option<&str>) -> AppResult<Option<String>> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(o @ ("subscriber" | "utility")) => Ok(Some(o.to_owned())),
        Some(_) => Err(AppError::validation(
            "balanceOwner",
            "must be subscriber or utility",
        )),
    }
}

/// The checked card as the row to write: serial, model, service, method, building,
/// premises, account (found from the premises), place, install date, initial reading,
/// digits and verification interval (from the model), seal, seal date, verified on, next
/// verification, the passport. Removal, parent and search text are left to their own operations.
async fn values(txn: &DatabaseTransaction, i: &MeterInput) -> AppResult<meter::ActiveModel> {
    let serial = optional_text(Some(&i.serial), "serial", 40)?
        .ok_or_else(|| AppError::validation("serial", "must be 1–40 characters"))?;
    let initial = parse_amount("initialReading", &i.initial_reading)?;
    #[derive(FromQueryResult)]
    struct Service {
        method: String,
    }
    // Seed 001 §6.7: no meter card for a service charged by area or as a fixed sum.
    let service = Service::find_by_statement(stmt(
        "SELECT method FROM services WHERE id = $1",
        vec![i.service_id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::validation("serviceId", "there is no such record"))?;
    if matches!(service.method.as_str(), "area" | "fixed") {
        return Err(AppError::validation(
            "serviceId",
            "is charged by area or as a fixed sum: it has no meters",
        ));
    }
    #[derive(FromQueryResult)]
    struct Model {
        digits: Option<i32>,
        verification_months: Option<i32>,
    }
    let model = match i.model_id {
        Some(m) => Some(
            Model::find_by_statement(stmt(
                "SELECT digits, verification_months FROM meter_models WHERE id = $1",
                vec![m.into()],
            ))
            .one(txn)
            .await?
            .ok_or_else(|| AppError::validation("modelId", "there is no such record"))?,
        ),
        None => None,
    };
    #[derive(FromQueryResult)]
    struct Place {
        building_id: i32,
        account_id: Option<i64>,
    }
    let account_id = match i.premises_id {
        Some(p) => {
            let place = Place::find_by_statement(stmt(
                "SELECT p.building_id, (SELECT a.id FROM accounts a WHERE a.premises_id = p.id \
                   AND a.status NOT IN ('closed', 'annulled') ORDER BY a.id LIMIT 1) AS account_id \
                 FROM premises p WHERE p.id = $1",
                vec![p.into()],
            ))
            .one(txn)
            .await?
            .ok_or_else(|| {
                AppError::validation("premisesId", format!("there is no premises {p}"))
            })?;
            if place.building_id != i.building_id {
                return Err(AppError::validation(
                    "premisesId",
                    "must be in the meter's building",
                ));
            }
            place.account_id
        }
        None => None,
    };
    if let Some(point) = i.metering_point_id {
        check_point(txn, point, i).await?;
    }
    let months = model.as_ref().and_then(|m| m.verification_months);
    let next = match (i.verified_on, months) {
        (Some(v), Some(m)) => next_verification(v, u32::try_from(m).unwrap_or(0)),
        _ => None,
    };
    Ok(meter::ActiveModel {
        serial: Set(serial),
        model_id: Set(i.model_id),
        service_id: Set(i.service_id),
        install_method: Set(i.install_method.trim().to_owned()),
        building_id: Set(i.building_id),
        premises_id: Set(i.premises_id),
        account_id: Set(account_id),
        place: Set(optional_text(i.place.as_deref(), "place", 200)?),
        installed_on: Set(i.installed_on),
        initial_reading: Set(initial),
        digits: Set(model.as_ref().and_then(|m| m.digits)),
        verification_months: Set(months),
        seal_number: Set(optional_text(i.seal_number.as_deref(), "sealNumber", 40)?),
        sealed_on: Set(i.sealed_on),
        verified_on: Set(i.verified_on),
        next_verification: Set(next),
        manufacturer: Set(optional_text(
            i.manufacturer.as_deref(),
            "manufacturer",
            200,
        )?),
        manufactured_on: Set(i.manufactured_on),
        installer: Set(optional_text(i.installer.as_deref(), "installer", 200)?),
        commissioned_on: Set(i.commissioned_on),
        remote_reading: Set(i.remote_reading),
        is_virtual: Set(i.is_virtual),
        balance_owner: Set(balance_owner(i.balance_owner.as_deref())?),
        riser: Set(i.riser),
        entrance: Set(i.entrance),
        note: Set(optional_text(i.note.as_deref(), "note", 1000)?),
        metering_point_id: Set(i.metering_point_id),
        ..Default::default()
    })
}

/// The metering points a meter on `premises_id` may stand on: those of contracts whose
/// account is on that apartment (or that name the apartment themselves).
const POINTS_OF_PREMISES: &str = "SELECT mp.id, mp.name, mp.service_id, c.number AS contract_number \
     FROM metering_points mp JOIN contracts c ON c.id = mp.contract_id \
     LEFT JOIN accounts a ON a.id = c.account_id \
     WHERE coalesce(mp.premises_id, a.premises_id) = $1";

/// A point the meter may stand on, by the rules of [`POINTS_OF_PREMISES`].
#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult)]
pub struct PointChoice {
    pub id: i64,
    pub name: String,
    pub service_id: Option<i32>,
    pub contract_number: String,
}

/// The metering points of the contracts on `premises_id`, by contract and name.
pub async fn points_of_premises(
    txn: &DatabaseTransaction,
    premises_id: i64,
) -> AppResult<Vec<PointChoice>> {
    Ok(PointChoice::find_by_statement(stmt(
        &format!("{POINTS_OF_PREMISES} ORDER BY c.number, mp.name"),
        vec![premises_id.into()],
    ))
    .all(txn)
    .await?)
}

/// The point must be one of the meter's apartment's contracts and, when it names a
/// service, measure the meter's.
async fn check_point(txn: &DatabaseTransaction, point: i64, i: &MeterInput) -> AppResult<()> {
    let Some(premises) = i.premises_id else {
        return Err(AppError::validation(
            "meteringPointId",
            "only a meter in an apartment or office stands on a contract's metering point",
        ));
    };
    let found = points_of_premises(txn, premises)
        .await?
        .into_iter()
        .find(|p| p.id == point)
        .ok_or_else(|| {
            AppError::validation(
                "meteringPointId",
                "must be a metering point of a contract on the meter's premises",
            )
        })?;
    if found.service_id.is_some_and(|s| s != i.service_id) {
        return Err(AppError::validation(
            "meteringPointId",
            "measures another service than the meter's",
        ));
    }
    Ok(())
}

/// The meter's search text: serial, seal and address, as the list shows them.
async fn refresh_search(txn: &DatabaseTransaction, id: i64) -> AppResult<()> {
    txn.execute_raw(stmt(
        &format!(
            "UPDATE meters x SET search_text = concat_ws(' | ', m.serial, m.seal_number, \
                 concat_ws(', ', l.name, st.name, b.number) || coalesce(', кв. ' || p.number, '')) \
             FROM {FROM} WHERE m.id = $1 AND x.id = m.id"
        ),
        vec![id.into()],
    ))
    .await?;
    Ok(())
}

/// The account's meter count and the serials its word search knows, from its working meters.
/// Separators become spaces: the text parser would read "ХВ-0457731" as "ХВ" and the
/// negative number "-0457731", which typing the serial would never match.
async fn refresh_account(txn: &DatabaseTransaction, account_id: Option<i64>) -> AppResult<()> {
    if let Some(a) = account_id {
        txn.execute_raw(stmt(
            "UPDATE accounts SET meters = (SELECT count(*) FROM meters WHERE account_id = $1 AND removed_on IS NULL), \
                 meter_serials = coalesce((SELECT string_agg(regexp_replace(serial, '[^[:alnum:]]+', ' ', 'g'), ' ' \
                                                  ORDER BY serial) FROM meters \
                                           WHERE account_id = $1 AND removed_on IS NULL), '') \
             WHERE id = $1",
            vec![a.into()],
        ))
        .await?;
    }
    Ok(())
}

fn change<'a>(
    id: i64,
    action: &'a str,
    before: Option<&MeterView>,
    after: Option<&MeterView>,
) -> Change<'a> {
    Change {
        entity: "meter",
        entity_id: id.to_string(),
        action,
        before: before.map(|b| json!(b)),
        after: after.map(|a| json!(a)),
    }
}

pub async fn create(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    i: &MeterInput,
) -> AppResult<MeterView> {
    let id = meter::Entity::insert(values(txn, i).await?)
        .exec(txn)
        .await
        .map_err(refused)?
        .last_insert_id;
    refresh_search(txn, id).await?;
    let after = by_id(txn, reach, id).await?;
    refresh_account(txn, after.account_id).await?;
    audit::record(txn, actor, now, change(id, "create", None, Some(&after))).await?;
    Ok(after)
}

/// Deletes a card entered by mistake (seed 001 §6.7 F8): only one with no readings and
/// no meters under it; anything else is taken out of service instead, keeping its history.
pub async fn delete(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    id: i64,
) -> AppResult<()> {
    let before = by_id(txn, reach, id).await?;
    #[derive(FromQueryResult)]
    struct Uses {
        readings: bool,
        children: bool,
    }
    let uses = Uses::find_by_statement(stmt(
        "SELECT EXISTS (SELECT 1 FROM readings WHERE meter_id = $1) AS readings, \
                EXISTS (SELECT 1 FROM meters WHERE parent_id = $1) AS children",
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("no answer".into()))?;
    if uses.readings {
        return Err(AppError::Conflict(
            "the meter has readings; take it out of service instead".into(),
        ));
    }
    if uses.children {
        return Err(AppError::Conflict(
            "meters are under this main meter; take them from under it first".into(),
        ));
    }
    meter::Entity::delete_by_id(id)
        .exec(txn)
        .await
        .map_err(|e| {
            if e.to_string().contains("violates foreign key constraint") {
                AppError::Conflict(
                    "the meter is used by other records; take it out of service instead".into(),
                )
            } else {
                e.into()
            }
        })?;
    refresh_account(txn, before.account_id).await?;
    audit::record(txn, actor, now, change(id, "delete", Some(&before), None)).await
}

/// Corrects a meter's card; its base fields lock once a closed period holds its readings.
pub async fn update(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    id: i64,
    i: &MeterInput,
) -> AppResult<MeterView> {
    let before = by_id(txn, reach, id).await?;
    let mut row = values(txn, i).await?;
    check_base_unchanged(txn, &before, i).await?;
    row.id = Set(id);
    row.update(txn).await.map_err(refused)?;
    refresh_search(txn, id).await?;
    let after = by_id(txn, reach, id).await?;
    refresh_account(txn, before.account_id).await?;
    refresh_account(txn, after.account_id).await?;
    audit::record(
        txn,
        actor,
        now,
        change(id, "update", Some(&before), Some(&after)),
    )
    .await?;
    Ok(after)
}

/// The base fields — serial, model, service, building, apartment, install date, initial
/// reading — are what closed periods' readings (and the invoices made from them) rest on:
/// once a closed period holds a reading of the meter they no longer change.
async fn check_base_unchanged(
    txn: &DatabaseTransaction,
    before: &MeterView,
    i: &MeterInput,
) -> AppResult<()> {
    let initial = parse_amount("initialReading", &i.initial_reading)?;
    let changed = [
        ("serial", before.serial != i.serial.trim()),
        ("modelId", before.model_id != i.model_id),
        ("serviceId", before.service_id != i.service_id),
        ("buildingId", before.building_id != i.building_id),
        ("premisesId", before.premises_id != i.premises_id),
        ("installedOn", before.installed_on != i.installed_on),
        (
            "initialReading",
            before.initial_reading != initial.normalize(),
        ),
    ];
    let Some((field, _)) = changed.iter().find(|c| c.1) else {
        return Ok(());
    };
    #[derive(FromQueryResult)]
    struct Closed {
        closed: bool,
    }
    let closed = Closed::find_by_statement(stmt(
        "SELECT EXISTS (SELECT 1 FROM readings r JOIN periods p ON p.month = r.period \
                        WHERE r.meter_id = $1 AND p.state = 'closed') AS closed",
        vec![before.id.into()],
    ))
    .one(txn)
    .await?
    .is_some_and(|c| c.closed);
    if closed {
        return Err(AppError::validation(
            *field,
            "cannot change: closed periods hold readings of this meter",
        ));
    }
    Ok(())
}

/// Takes a meter out of service on a day with its final reading; None restores it.
pub async fn set_removed(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    id: i64,
    removal: Option<(NaiveDate, &str)>,
) -> AppResult<MeterView> {
    let before = by_id(txn, reach, id).await?;
    let (day, reading) = match removal {
        Some((day, reading)) => {
            // The take-out ends the meter's readings: it belongs to an open month, never
            // to a closed one whose invoices counted the meter as working.
            let month = domain::Period::containing(day)
                .map_err(|e| AppError::validation("removedOn", e.to_string()))?;
            crate::readings::writable_period(txn, Some(&month.to_string()))
                .await
                .map_err(|_| AppError::validation("removedOn", "must lie in an open period"))?;
            // The month's calculation of the meter's building changes (daily average).
            periods::touches::meters(txn, month, &[id]).await?;
            let r = parse_amount("finalReading", reading)?;
            if r < Decimal::ZERO {
                return Err(AppError::validation("finalReading", "must not be negative"));
            }
            (Some(day), Some(r))
        }
        None => (None, None),
    };
    meter::ActiveModel {
        id: Set(id),
        removed_on: Set(day),
        final_reading: Set(reading),
        ..Default::default()
    }
    .update(txn)
    .await
    .map_err(refused)?;
    let after = by_id(txn, reach, id).await?;
    refresh_account(txn, after.account_id).await?;
    let action = if day.is_some() { "remove" } else { "restore" };
    audit::record(
        txn,
        actor,
        now,
        change(id, action, Some(&before), Some(&after)),
    )
    .await?;
    Ok(after)
}

/// What a verification records (seed 000 Fig. 14).
pub struct Verification<'a> {
    pub verified_on: NaiveDate,
    /// The new seal, when one was put on.
    pub seal_number: Option<&'a str>,
    /// The reading taken, as typed.
    pub reading: Option<&'a str>,
}

/// Records a verification (seed 000 Fig. 14): the day, the new seal and its date; the next
/// verification follows from the meter's interval. The reading taken at verification, when
/// given, becomes the meter's reading (source "verification") of the open period the day
/// falls in, else of the working month.
pub async fn verify(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    id: i64,
    v: &Verification<'_>,
) -> AppResult<MeterView> {
    let (verified_on, seal_number, reading) = (v.verified_on, v.seal_number, v.reading);
    let before = by_id(txn, reach, id).await?;
    if before.removed_on.is_some() {
        return Err(AppError::Conflict(
            "a removed meter cannot be verified; restore it first".into(),
        ));
    }
    if verified_on < before.installed_on {
        return Err(AppError::validation(
            "verifiedOn",
            "must not be before the install date",
        ));
    }
    let seal = optional_text(seal_number, "sealNumber", 40)?;
    let next = before
        .verification_months
        .and_then(|m| next_verification(verified_on, u32::try_from(m).unwrap_or(0)));
    txn.execute_raw(stmt(
        "UPDATE meters SET verified_on = $2, next_verification = $3, \
             seal_number = coalesce($4, seal_number), sealed_on = CASE WHEN $4::text IS NULL THEN sealed_on ELSE $2 END \
         WHERE id = $1",
        vec![id.into(), verified_on.into(), next.into(), seal.into()],
    ))
    .await?;
    refresh_search(txn, id).await?;
    let after = by_id(txn, reach, id).await?;
    audit::record(
        txn,
        actor,
        now,
        change(id, "verify", Some(&before), Some(&after)),
    )
    .await?;
    if let Some(value) = reading.map(str::trim).filter(|r| !r.is_empty()) {
        use crate::readings::{self, ReadingBasis, ReadingInput, ReadingSource};
        let own = domain::Period::containing(verified_on)
            .map_err(|e| AppError::validation("verifiedOn", e.to_string()))?;
        let period = match readings::writable_period(txn, Some(&own.to_string())).await {
            Ok(p) => p,
            Err(_) => readings::current_open(txn).await?,
        };
        let input = ReadingInput {
            meter_id: id,
            period: Some(period.to_string()),
            taken_on: Some(verified_on.min(period.last_day())),
            current: Some(value.to_owned()),
            consumption: None,
            basis: ReadingBasis::Actual,
            source: ReadingSource::Verification,
            // The verifier read the dial: nothing to confirm.
            confirmed: true,
        };
        readings::enter(txn, actor, now, reach, &input)
            .await
            .map_err(|e| match e {
                AppError::Validation { message, .. } => AppError::validation("reading", message),
                other => other,
            })?;
        return by_id(txn, reach, id).await;
    }
    Ok(after)
}
