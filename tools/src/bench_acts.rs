//! `tools bench-acts SLUG`: a recalculation act over one building of 5,000 accounts and
//! three closed months (issue 19's target: computed in under 5 s). On a generated tenant
//! (`tools bench-registry 100000`): the first 85 houses' premises are moved into one
//! house, the three closed months are reopened, calculated for that house and closed
//! again (setup, not timed); then the act's lines — three virtual invoices per account,
//! compared with the issued ones — are computed and timed. Changes the tenant: run it on
//! a benchmark tenant only.

use std::time::Instant;

use chrono::Utc;
use sea_orm::{ConnectionTrait, FromQueryResult};

use acts::recalculation::{self, Target};
use backend::audit::Actor;
use backend::auth::Reach;
use backend::error::{AppError, AppResult};
use backend::state::AppState;
use backend::tenancy;
use billing::closing;
use billing::run::{self, Scope};
use domain::TenantSlug;
use platform::sql::stmt;

#[derive(FromQueryResult)]
struct Pick {
    building_id: i32,
}

pub async fn acts(state: &AppState, slug: &TenantSlug) -> AppResult<()> {
    let started = Instant::now();
    let txn = tenancy::begin(&state.db, slug).await?;
    let open = metering::readings::current_open(&txn).await?;
    let months = [open.prev().prev().prev(), open.prev().prev(), open.prev()];
    // One house of about 5,000 accounts: the first 85 houses' premises moved into the
    // first, numbered apart (their house meters stay where they were).
    let first =
        Pick::find_by_statement(stmt("SELECT min(id) AS building_id FROM buildings", vec![]))
            .one(&txn)
            .await?
            .ok_or_else(|| AppError::Internal("the tenant has no building".into()))?
            .building_id;
    txn.execute_raw(stmt(
        "UPDATE premises SET building_id = $1, number = number || '/' || building_id \
         WHERE building_id <> $1 AND building_id IN (SELECT id FROM buildings ORDER BY id LIMIT 85)",
        vec![first.into()],
    ))
    .await?;
    let actor = Actor::system();
    let now = Utc::now();
    closing::reopen(&txn, &actor, now, months[0]).await?;
    txn.commit().await?;
    let everything = Reach::default();
    let mut accounts = 0;
    for m in months {
        let s = run::calculate(
            &state.db,
            slug,
            m,
            Scope::Building(first),
            &everything,
            None,
            now,
            |_, _, _| async { Ok(()) },
        )
        .await?;
        accounts = s.accounts;
    }
    for m in months {
        let txn = tenancy::begin(&state.db, slug).await?;
        closing::close(&txn, &actor, now, m).await?;
        txn.commit().await?;
    }
    println!(
        "setup: {accounts} accounts in building {first}, {} to {} calculated and closed in {:.1} s (not timed)",
        months[0],
        months[2],
        started.elapsed().as_secs_f64()
    );
    let from = months[0].first_day();
    let to = months[2].last_day();
    for run in 1..=2 {
        let txn = tenancy::begin(&state.db, slug).await?;
        let t = Instant::now();
        let (lines, _) =
            recalculation::lines(&txn, Target::Building(first), None, None, from, to).await?;
        let secs = t.elapsed().as_secs_f64();
        txn.commit().await?;
        let total: rust_decimal::Decimal = lines.iter().map(|(_, l)| l.amount).sum();
        println!(
            "recalculation act {run}: {accounts} accounts x 3 closed months ({from} to {to}, every service not provided): {} lines, total {total}, in {secs:.2} s",
            lines.len()
        );
    }
    Ok(())
}
