//! Which buildings' invoices are stale: every writer of a period's data raises the
//! version of each building it touched (`period_touches`), in its own transaction, after
//! holding the period open (`periods::hold`); a calculation chunk reads its buildings'
//! versions *before* it reads their data and records them with its invoices
//! (`period_formed`). A building whose touched version differs from the formed one (or that
//! was touched and never formed) has invoices formed from older data. Read first, so a
//! write that commits while the chunk reads is caught either way: seen by the data reads
//! (a harmless false alarm) or not seen and then stale.

use domain::Period;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};

use platform::error::AppResult;
use platform::sql::stmt;

/// Raises the versions of the buildings of `accounts` (their premises').
pub async fn accounts(
    txn: &DatabaseTransaction,
    period: Period,
    accounts: &[i64],
) -> AppResult<()> {
    txn.execute_raw(stmt(
        "INSERT INTO period_touches (period, building_id) \
         SELECT DISTINCT $1::date, p.building_id FROM accounts a JOIN premises p ON p.id = a.premises_id \
         WHERE a.id = ANY($2) \
         ON CONFLICT (period, building_id) DO UPDATE SET version = period_touches.version + 1",
        vec![period.first_day().into(), accounts.to_vec().into()],
    ))
    .await?;
    Ok(())
}

/// Raises the versions of the buildings of `meters`.
pub async fn meters(txn: &DatabaseTransaction, period: Period, meters: &[i64]) -> AppResult<()> {
    txn.execute_raw(stmt(
        "INSERT INTO period_touches (period, building_id) \
         SELECT DISTINCT $1::date, m.building_id FROM meters m WHERE m.id = ANY($2) \
         ON CONFLICT (period, building_id) DO UPDATE SET version = period_touches.version + 1",
        vec![period.first_day().into(), meters.to_vec().into()],
    ))
    .await?;
    Ok(())
}

/// Raises the versions of `buildings`.
pub async fn buildings(
    txn: &DatabaseTransaction,
    period: Period,
    buildings: &[i32],
) -> AppResult<()> {
    txn.execute_raw(stmt(
        "INSERT INTO period_touches (period, building_id) SELECT DISTINCT $1::date, b FROM unnest($2::int[]) b \
         ON CONFLICT (period, building_id) DO UPDATE SET version = period_touches.version + 1",
        vec![period.first_day().into(), buildings.to_vec().into()],
    ))
    .await?;
    Ok(())
}

#[derive(FromQueryResult)]
struct Version {
    building_id: i32,
    version: i64,
}

/// The current versions of `buildings` (0 for one never touched).
pub async fn versions(
    txn: &DatabaseTransaction,
    period: Period,
    buildings: &[i32],
) -> AppResult<Vec<(i32, i64)>> {
    Ok(Version::find_by_statement(stmt(
        "SELECT b AS building_id, coalesce(t.version, 0) AS version \
         FROM unnest($2::int[]) b LEFT JOIN period_touches t ON t.period = $1 AND t.building_id = b",
        vec![period.first_day().into(), buildings.to_vec().into()],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|v| (v.building_id, v.version))
    .collect())
}

#[derive(FromQueryResult)]
struct Building {
    building_id: i32,
}

/// The buildings of the period whose data changed after their invoices were formed.
pub async fn stale(txn: &DatabaseTransaction, period: Period) -> AppResult<Vec<i32>> {
    Ok(Building::find_by_statement(stmt(
        "SELECT t.building_id FROM period_touches t \
         LEFT JOIN period_formed f ON f.period = t.period AND f.building_id = t.building_id \
         WHERE t.period = $1 AND f.version IS DISTINCT FROM t.version ORDER BY 1",
        vec![period.first_day().into()],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|b| b.building_id)
    .collect())
}

/// The statement recording the versions a chunk's invoices were formed from (`$1`
/// period, `$2` buildings, `$3` versions), for the calculation's raw writer.
pub const RECORD_FORMED: &str = "INSERT INTO period_formed (period, building_id, version) \
     SELECT $1, b, v FROM unnest($2::int[], $3::bigint[]) AS u(b, v) \
     ON CONFLICT (period, building_id) DO UPDATE SET version = EXCLUDED.version";
