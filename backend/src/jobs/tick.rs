//! The worker's tick: for every tenant, the reminder runs and scheduled reports due in its
//! own time zone and the day's maintenance job, started in one transaction with their messages pushed after.

use chrono::{DateTime, Utc};
use domain::TenantSlug;

use crate::audit::Actor;
use crate::error::AppResult;
use crate::state::AppState;
use crate::tenancy;
use documents::reminders::{self, schedule};

/// One tick of the schedule at `now`: starts every active tenant's reminders and reports
/// due now.
/// Returns the runs started. A tenant that cannot be read is logged and passed over.
pub async fn tick(state: &AppState, now: DateTime<Utc>) -> AppResult<usize> {
    let mut started = 0;
    for t in crate::tenants::list(&state.db).await? {
        if t.status != "active" {
            continue;
        }
        let tenant = crate::tenants::parse_stored_slug(&t.slug)?;
        match tick_tenant(state, &tenant, &t.time_zone, now).await {
            Ok(n) => started += n,
            Err(e) => tracing::warn!(%tenant, error = %e, "reminder schedule skipped a tenant"),
        }
    }
    Ok(started)
}

/// One tenant's part of [`tick`]: the reminder runs and scheduled reports started (their
/// messages pushed, with the day's maintenance job when it is the day's first tick).
pub async fn tick_tenant(
    state: &AppState,
    tenant: &TenantSlug,
    time_zone: &str,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let txn = tenancy::begin(&state.db, tenant).await?;
    let local = schedule::local_time(&txn, now, time_zone).await?;
    let schedule = reminders::schedule_of(&reminders::load(&txn).await?);
    let mut messages = Vec::new();
    for kind in schedule.due(local) {
        let schedule_actor = Actor {
            user_id: None,
            login: "schedule".into(),
        };
        if let Some((_, msg)) =
            schedule::start(&txn, tenant, kind, local.date(), &schedule_actor, now).await?
        {
            tracing::info!(%tenant, kind = kind.code(), day = %local.date(), "reminders started");
            messages.push(msg);
        }
    }
    for msg in reports::schedules::start_due(&txn, tenant, local, now).await? {
        tracing::info!(%tenant, day = %local.date(), "a scheduled report started");
        messages.push(msg);
    }
    let n = messages.len();
    if let Some(msg) = super::maintenance::start_day(&txn, tenant, local.date(), now).await? {
        tracing::info!(%tenant, day = %local.date(), "the day's maintenance started");
        messages.push(msg);
    }
    txn.commit().await?;
    super::push_all(state, messages).await?;
    Ok(n)
}
