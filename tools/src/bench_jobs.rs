//! `tools bench-jobs SLUG [N]`: how soon a free worker starts a queued job. N (100)
//! probe jobs are queued one after another at random moments (0–500 ms apart, so they fall
//! anywhere in the workers' polling rhythm) on a queue of the bench's own, served by a
//! worker in this process; the latency of each is its row's `started_at − created_at`.
//! Prints p50, p95 and the worst.

use std::time::Duration;

use chrono::Utc;
use domain::TenantSlug;
use sea_orm::{ConnectionTrait, FromQueryResult};

use backend::error::{AppError, AppResult};
use backend::jobs::{self, JobKind, probe::Probe};
use backend::state::AppState;
use backend::tenancy;
use platform::sql::stmt;

#[derive(FromQueryResult)]
struct Latency {
    ms: Option<f64>,
}

pub async fn pickup(state: &AppState, slug: &TenantSlug, n: usize) -> AppResult<()> {
    let mut settings = (*state.settings).clone();
    settings.redis.queue = format!("bench-jobs-{}", uuid::Uuid::new_v4().simple());
    let state = AppState::new(settings).await?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(jobs::worker::run(state.clone(), "bench-jobs", async move {
        let _ = stopped.await;
    }));
    // Let the worker register and go idle first.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let txn = tenancy::begin(&state.db, slug).await?;
        let spec = JobKind::Probe(Probe {
            sleep_ms: 0,
            panic: false,
        });
        let (row, msg) = jobs::record(&txn, slug, &spec, Utc::now()).await?;
        txn.commit().await?;
        state.queue.push(msg).await?;
        ids.push(row.id);
        let pause = crate::demo::calendar::mix(&i.to_string(), 7) % 500;
        tokio::time::sleep(Duration::from_millis(pause)).await;
    }
    // Every probe started (or the worker is stuck: give it a minute).
    for _ in 0..240 {
        let txn = tenancy::begin(&state.db, slug).await?;
        let left = Latency::find_by_statement(stmt(
            "SELECT count(*)::float8 AS ms FROM jobs WHERE id = ANY($1) AND started_at IS NULL",
            vec![ids.clone().into()],
        ))
        .one(&txn)
        .await?
        .and_then(|l| l.ms)
        .unwrap_or(0.0);
        txn.commit().await?;
        if left == 0.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let _ = stop.send(());
    let _ = worker.await;
    let txn = tenancy::begin(&state.db, slug).await?;
    let mut ms: Vec<f64> = Latency::find_by_statement(stmt(
        "SELECT extract(epoch FROM started_at - created_at)::float8 * 1000 AS ms FROM jobs WHERE id = ANY($1)",
        vec![ids.clone().into()],
    ))
    .all(&txn)
    .await?
    .into_iter()
    .map(|l| l.ms.unwrap_or(f64::INFINITY))
    .collect();
    // The bench's rows go.
    txn.execute_raw(stmt(
        "DELETE FROM jobs WHERE id = ANY($1)",
        vec![ids.into()],
    ))
    .await?;
    txn.commit().await?;
    ms.sort_by(f64::total_cmp);
    let q = |p: f64| ms[((ms.len() as f64 * p) as usize).min(ms.len().saturating_sub(1))];
    if ms.is_empty() {
        return Err(AppError::Internal("no probe ran".into()));
    }
    println!(
        "{} probe jobs on an idle worker (poll every {} ms): pickup p50 {:.0} ms, p95 {:.0} ms, worst {:.0} ms",
        ms.len(),
        state.settings.redis.poll_ms,
        q(0.5),
        q(0.95),
        q(1.0)
    );
    Ok(())
}
