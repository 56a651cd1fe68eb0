//! The services provided in a group of buildings, added or taken away in one go (seed 001
//! §6.4 «Групове додавання послуг», Ctrl+G): the part of the services a group of houses
//! shares is entered once, the rest on each building's card.
//!
//! Rules chosen: buildings outside the user's reach are "not found" (nothing is done);
//! each building's audit row keeps its services before and after; a building that
//! already had (or lacked) them all is counted as unchanged. The calculation reads the
//! services of an account, not the building's list, so no period goes stale.

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseTransaction, FromQueryResult};

use access::auth::Reach;
use platform::audit::Actor;
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

/// Most buildings one group operation takes.
pub const MAX_BUILDINGS: usize = 2_000;

#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct BuildingsChanged {
    /// Buildings whose list of services changed.
    pub changed: i64,
    /// Buildings that already had (or lacked) every service named.
    pub unchanged: i64,
}

pub async fn change(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    building_ids: &[i32],
    service_ids: &[i32],
    remove: bool,
) -> AppResult<BuildingsChanged> {
    let mut buildings = building_ids.to_vec();
    buildings.sort_unstable();
    buildings.dedup();
    let mut services = service_ids.to_vec();
    services.sort_unstable();
    services.dedup();
    if buildings.is_empty() || buildings.len() > MAX_BUILDINGS {
        return Err(AppError::validation(
            "buildingIds",
            format!("tick from 1 to {MAX_BUILDINGS} buildings"),
        ));
    }
    if services.is_empty() {
        return Err(AppError::validation(
            "serviceIds",
            "choose at least one service",
        ));
    }
    #[derive(FromQueryResult)]
    struct N {
        n: i64,
    }
    let within = reach
        .building_condition("b")
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default();
    let seen = N::find_by_statement(stmt(
        &format!("SELECT count(*) AS n FROM buildings b WHERE b.id = ANY($1){within}"),
        vec![buildings.clone().into()],
    ))
    .one(txn)
    .await?
    .map_or(0, |r| r.n);
    if usize::try_from(seen).unwrap_or(0) != buildings.len() {
        return Err(AppError::NotFound(
            "a ticked building does not exist".into(),
        ));
    }
    let known = N::find_by_statement(stmt(
        "SELECT count(*) AS n FROM services WHERE id = ANY($1)",
        vec![services.clone().into()],
    ))
    .one(txn)
    .await?
    .map_or(0, |r| r.n);
    if usize::try_from(known).unwrap_or(0) != services.len() {
        return Err(AppError::validation(
            "serviceIds",
            "there is no such record",
        ));
    }
    // Each building's services before, the change, and one audit row per building changed.
    let change = if remove {
        "DELETE FROM building_services s USING before b WHERE s.building_id = b.id AND s.service_id = ANY($2) \
         RETURNING s.building_id"
    } else {
        "INSERT INTO building_services (building_id, service_id) \
         SELECT b.id, v FROM before b, unnest($2::int[]) v ON CONFLICT DO NOTHING RETURNING building_id"
    };
    let changed = N::find_by_statement(stmt(
        &format!(
            "WITH before AS (SELECT b.id, ARRAY(SELECT service_id FROM building_services WHERE building_id = b.id \
                                               ORDER BY service_id) AS services \
                             FROM buildings b WHERE b.id = ANY($1)), \
                  c AS ({change}), \
                  touched AS (SELECT DISTINCT building_id FROM c), \
                  logged AS (INSERT INTO audit_log (at, actor_id, actor_login, entity, entity_id, action, before, after) \
                      SELECT $3, $4, $5, 'building', b.id::text, 'update', jsonb_build_object('serviceIds', b.services), \
                             jsonb_build_object('serviceIds', \
                                 ARRAY(SELECT DISTINCT x FROM unnest(b.services || $2::int[]) x \
                                       WHERE $6 = false OR NOT x = ANY($2) ORDER BY x)) \
                      FROM before b JOIN touched t ON t.building_id = b.id) \
             SELECT count(*) AS n FROM touched"
        ),
        vec![
            buildings.clone().into(),
            services.into(),
            now.into(),
            actor.user_id.into(),
            actor.login.clone().into(),
            remove.into(),
        ],
    ))
    .one(txn)
    .await?
    .map_or(0, |r| r.n);
    Ok(BuildingsChanged {
        changed,
        unchanged: i64::try_from(buildings.len()).unwrap_or(i64::MAX) - changed,
    })
}
