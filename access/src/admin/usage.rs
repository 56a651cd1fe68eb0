//! What each tenant takes up, measured once a day for the platform console: its tables
//! and indexes (one statement over every tenant's schema) and its files (one listing of
//! every tenant's files, summed by tenant). The console reads the stored figures; measuring
//! every tenant on each view took seconds at a few hundred tenants (a walk of the store
//! and every relation's size per tenant).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, FromQueryResult};

use platform::error::AppResult;
use platform::sql::stmt;
use platform::state::AppState;

/// What a tenant took up when last measured.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Usage {
    pub slug: String,
    pub database_bytes: i64,
    pub file_bytes: i64,
    pub files: i64,
    pub measured_at: DateTime<Utc>,
}

#[derive(FromQueryResult)]
struct SchemaSize {
    schema: String,
    bytes: i64,
}

/// How often the tenants are measured.
const EVERY: Duration = Duration::hours(24);
/// A round claimed this long ago and never finished is taken over (its worker died).
const ABANDONED: Duration = Duration::hours(1);
/// A tenant made since the last round is measured by a round this long after it, at most.
const NEWCOMERS: Duration = Duration::minutes(5);

#[derive(FromQueryResult)]
struct Round {
    started_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    /// Some tenant has no figures yet (made since the last round).
    newcomers: bool,
}

/// Whether a round is to start at `now`, given the last one: none yet; the last finished a
/// day ago, or five minutes ago when a tenant has been made since (`newcomers`); or one
/// started an hour ago and never finished (its worker died). A time ahead of `now` (a
/// clock set back) is not waited for.
pub fn due(
    started: Option<DateTime<Utc>>,
    finished: Option<DateTime<Utc>>,
    newcomers: bool,
    now: DateTime<Utc>,
) -> bool {
    let stale = |at: DateTime<Utc>, after: Duration| at <= now - after || at > now;
    match (started, finished) {
        (None, None) => true,
        (Some(s), None) => stale(s, ABANDONED),
        (Some(s), Some(f)) if s > f => stale(s, ABANDONED),
        (_, Some(f)) => stale(f, if newcomers { NEWCOMERS } else { EVERY }),
    }
}

/// Measures every tenant when a round is [`due`]; returns the tenants measured,
/// `None` when no round was due or another worker took it. Safe to run twice: a round
/// replaces the figures it finds.
pub async fn measure_if_due(state: &AppState, now: DateTime<Utc>) -> AppResult<Option<usize>> {
    let Some(last) = Round::find_by_statement(stmt(
        "SELECT started_at, finished_at, EXISTS (SELECT 1 FROM public.tenants t \
           WHERE NOT EXISTS (SELECT 1 FROM public.tenant_usage u WHERE u.slug = t.slug)) AS newcomers \
         FROM public.usage_rounds WHERE id = 1",
        vec![],
    ))
    .one(&state.db)
    .await?
    else {
        return Ok(None);
    };
    if !due(last.started_at, last.finished_at, last.newcomers, now) {
        return Ok(None);
    }
    // Taken only if nobody took it since it was read.
    let claimed = state
        .db
        .execute_raw(stmt(
            "UPDATE public.usage_rounds SET started_at = $1 \
             WHERE id = 1 AND started_at IS NOT DISTINCT FROM $2",
            vec![now.into(), last.started_at.into()],
        ))
        .await?
        .rows_affected()
        == 1;
    if !claimed {
        return Ok(None);
    }
    let n = measure(state, now).await?.len();
    state
        .db
        .execute_raw(stmt(
            "UPDATE public.usage_rounds SET finished_at = $1 WHERE id = 1",
            vec![now.into()],
        ))
        .await?;
    Ok(Some(n))
}

/// The bytes of the tenant schemas' tables and indexes, by schema: every tenant's in one
/// statement, or only the schema `only`.
pub async fn schema_bytes(
    db: &DatabaseConnection,
    only: Option<&str>,
) -> Result<BTreeMap<String, i64>, DbErr> {
    Ok(SchemaSize::find_by_statement(stmt(
        "SELECT n.nspname AS schema, coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint AS bytes \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname LIKE 'tenant\\_%' \
           AND ($1::text IS NULL OR n.nspname = $1) GROUP BY n.nspname",
        vec![only.map(str::to_owned).into()],
    ))
    .all(db)
    .await?
    .into_iter()
    .map(|s| (s.schema, s.bytes))
    .collect())
}

/// Measures every tenant — its schema's relations in one statement, its files in one
/// listing — and stores the figures (a tenant without files gets zero); returns them.
pub async fn measure(state: &AppState, now: DateTime<Utc>) -> AppResult<Vec<Usage>> {
    let tenants = platform::tenants::list(&state.db).await?;
    let schemas = schema_bytes(&state.owner_db, None).await?;
    // slug → (database bytes, file bytes, files); a tenant whose schema is gone (dropped
    // while measured) is left out.
    let mut sums: BTreeMap<&str, (i64, i64, i64)> = tenants
        .iter()
        .filter_map(|t| {
            let schema = platform::tenants::parse_stored_slug(&t.slug).ok()?.schema();
            schemas.get(&schema).map(|b| (t.slug.as_str(), (*b, 0, 0)))
        })
        .collect();
    let prefix = platform::storage::ObjectStore::TENANTS;
    for (key, size) in state.store.objects(prefix).await? {
        // `tenants/<slug>/<name>`: a key of a tenant no longer here is left out.
        let Some(slug) = key.strip_prefix(prefix).and_then(|k| k.split('/').next()) else {
            continue;
        };
        if let Some((_, bytes, files)) = sums.get_mut(slug) {
            *bytes = bytes.saturating_add(i64::try_from(size).unwrap_or(i64::MAX));
            *files += 1;
        }
    }
    let slugs: Vec<String> = sums.keys().map(|s| (*s).to_owned()).collect();
    let database: Vec<i64> = sums.values().map(|v| v.0).collect();
    let bytes: Vec<i64> = sums.values().map(|v| v.1).collect();
    let files: Vec<i64> = sums.values().map(|v| v.2).collect();
    state
        .db
        .execute_raw(stmt(
            "INSERT INTO public.tenant_usage (slug, database_bytes, file_bytes, files, measured_at) \
             SELECT s, d, b, f, $5 \
             FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) AS u(s, d, b, f) \
             ON CONFLICT (slug) DO UPDATE SET database_bytes = excluded.database_bytes, \
               file_bytes = excluded.file_bytes, files = excluded.files, \
               measured_at = excluded.measured_at",
            vec![
                slugs.into(),
                database.into(),
                bytes.into(),
                files.into(),
                now.into(),
            ],
        ))
        .await?;
    // A deleted tenant's figures go with it.
    state
        .db
        .execute_raw(stmt(
            "DELETE FROM public.tenant_usage u \
             WHERE NOT EXISTS (SELECT 1 FROM public.tenants t WHERE t.slug = u.slug)",
            vec![],
        ))
        .await?;
    Ok(sums
        .into_iter()
        .map(|(slug, (database_bytes, file_bytes, files))| Usage {
            slug: slug.to_owned(),
            database_bytes,
            file_bytes,
            files,
            measured_at: now,
        })
        .collect())
}

/// Every tenant's last measured figures, by slug.
pub async fn stored(state: &AppState) -> AppResult<BTreeMap<String, Usage>> {
    Ok(Usage::find_by_statement(stmt(
        "SELECT slug, database_bytes, file_bytes, files, measured_at FROM public.tenant_usage",
        vec![],
    ))
    .all(&state.db)
    .await?
    .into_iter()
    .map(|u| (u.slug.clone(), u))
    .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0)
            .single()
            .unwrap_or_default()
            + Duration::hours(h)
    }

    #[test]
    fn a_round_is_due_daily_and_an_abandoned_one_is_taken_over() {
        // Never measured.
        assert!(due(None, None, false, at(0)));
        // Finished at 0: not again until a day later.
        assert!(!due(Some(at(0)), Some(at(0)), false, at(23)));
        assert!(due(Some(at(0)), Some(at(0)), false, at(24)));
        // A tenant made since: five minutes after the last round.
        let minutes = |m: i64| at(0) + Duration::minutes(m);
        assert!(!due(Some(at(0)), Some(at(0)), true, minutes(4)));
        assert!(due(Some(at(0)), Some(at(0)), true, minutes(5)));
        // Running since 24 (the last finished at 0): another worker waits an hour, newcomers
        // or not.
        assert!(!due(Some(at(24)), Some(at(0)), true, at(24)));
        assert!(due(Some(at(24)), Some(at(0)), false, at(25)));
        assert!(!due(Some(at(0)), None, true, at(0)));
        assert!(due(Some(at(0)), None, false, at(1)));
        // A round recorded ahead of the clock (the clock set back) is not waited for.
        assert!(due(Some(at(48)), Some(at(48)), false, at(30)));
    }
}
