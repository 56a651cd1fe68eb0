//! The apalis worker: pulls job messages from Redis and runs them through
//! [`super::runner::execute`], retrying failed attempts with exponential back-off.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use apalis::layers::retry::RetryPolicy;
use apalis::prelude::*;

use super::JobMessage;
use super::runner::{self, Outcome};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Doubling delay between attempts, starting at `base`.
#[derive(Clone)]
struct Doubling {
    next: Duration,
}

impl tower::retry::backoff::Backoff for Doubling {
    type Future = Pin<Box<dyn Future<Output = ()> + Send>>;

    fn next_backoff(&mut self) -> Self::Future {
        let wait = self.next;
        self.next = self.next.saturating_mul(2).min(Duration::from_secs(300));
        Box::pin(tokio::time::sleep(wait))
    }
}

async fn handle(msg: JobMessage, state: Data<AppState>) -> Result<(), BoxDynError> {
    match runner::execute(&state, &msg).await {
        Ok(Outcome::Retry(reason)) => Err(reason.into()),
        Ok(Outcome::Deferred(wait)) => {
            // Look again just after the other attempt's lease runs out.
            let delay = wait + Duration::from_secs(1);
            state
                .queue
                .push_after(msg, delay)
                .await
                .map_err(|e| e.to_string().into())
        }
        Ok(_) => Ok(()),
        Err(e) => {
            // Bookkeeping itself failed (e.g. the database is down): let the queue retry.
            tracing::error!(error = ?e, job = %msg.job_id, "job bookkeeping failed");
            Err(e.to_string().into())
        }
    }
}

/// Runs the worker until `shutdown` resolves. When the queue fails under it (Redis
/// restarted or unreachable), apalis stops its worker: it is built again after a pause
/// (doubling to 30 s) rather than ending the process, so a Redis outage pauses the jobs
/// instead of stopping every worker for good.
pub async fn run(
    state: AppState,
    name: &str,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> AppResult<()> {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let stopper = tokio::spawn(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    });
    let concurrency = state.settings.jobs.concurrency.max(1);
    let sweeper = tokio::spawn(sweep(state.clone()));
    let dispatcher = tokio::spawn(dispatch(state.clone(), concurrency));
    let reminders = tokio::spawn(remind(state.clone()));
    let usage = tokio::spawn(measure_files(state.clone()));
    let mut pause = Duration::from_secs(1);
    let result = loop {
        let mut stop = stop_rx.clone();
        let outcome = serve(state.clone(), name, concurrency, async move {
            let _ = stop.wait_for(|s| *s).await;
        })
        .await;
        if *stop_rx.borrow() {
            break outcome;
        }
        match outcome {
            Ok(()) => pause = Duration::from_secs(1),
            Err(e) => {
                tracing::warn!(error = %e, "the worker stopped; starting it again in {pause:?}")
            }
        }
        let mut stop = stop_rx.clone();
        tokio::select! {
            _ = tokio::time::sleep(pause) => {}
            _ = stop.wait_for(|s| *s) => break Ok(()),
        }
        pause = pause.saturating_mul(2).min(Duration::from_secs(30));
    };
    sweeper.abort();
    dispatcher.abort();
    reminders.abort();
    usage.abort();
    stopper.abort();
    result
}

/// One apalis worker, until `stop` resolves or the queue fails.
async fn serve(
    state: AppState,
    name: &str,
    concurrency: usize,
    stop: impl Future<Output = ()> + Send + 'static,
) -> AppResult<()> {
    // Without a poller an idle worker looks for work only at its heartbeat (15 s): a job
    // queued meanwhile waited that long for a free worker.
    let storage = state
        .queue
        .storage()
        .await?
        .poll_with_interval(Duration::from_millis(state.settings.redis.poll_ms.max(10)));
    let jobs = &state.settings.jobs;
    let policy = RetryPolicy::retries(jobs.max_attempts as usize).with_backoff(Doubling {
        next: Duration::from_millis(jobs.retry_base_ms),
    });
    let worker = WorkerBuilder::new(name)
        .backend(storage)
        .data(state)
        .concurrency(concurrency)
        .retry(policy)
        .build(handle);
    worker
        .run_until(async move {
            stop.await;
            Ok::<(), std::io::Error>(())
        })
        .await
        .map_err(|e| AppError::Queue(format!("worker stopped: {e}")))
}

/// Hands buffered messages to the worker queue round-robin across tenants (see
/// [`super::fair`]), keeping at most `depth` there unfetched: a tenant's new job waits
/// behind those few and one message of each other busy tenant, never behind a backlog.
async fn dispatch(state: AppState, depth: usize) {
    // A fraction of the poll interval, so the hand-over adds little to a job's pickup.
    let tick = Duration::from_millis((state.settings.redis.poll_ms / 4).clamp(5, 100));
    loop {
        match dispatch_some(&state, depth).await {
            Ok(0) => tokio::time::sleep(tick).await,
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "job dispatch failed");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// One round of [`dispatch`]; returns how many messages were handed over.
async fn dispatch_some(state: &AppState, depth: usize) -> AppResult<usize> {
    let room = depth.saturating_sub(state.queue.handed_over().await?);
    let mut moved = 0;
    while moved < room {
        let Some(msg) = state.queue.next_fair().await? else {
            break;
        };
        if let Err(e) = state.queue.hand_over(msg.clone()).await {
            // Put it back (at its tenant's tail); if that fails too the recovery sweep
            // finds the job unstarted later.
            state.queue.push(msg).await?;
            return Err(e);
        }
        moved += 1;
    }
    Ok(moved)
}

/// Every `recover_every_secs`, re-queues jobs that stalled (see [`super::recover`]).
async fn sweep(state: AppState) {
    let every = Duration::from_secs(state.settings.jobs.recover_every_secs.max(1));
    let stale = chrono::Duration::seconds(state.settings.jobs.recover_after_secs);
    loop {
        if let Err(e) = super::recover(&state, stale).await {
            tracing::warn!(error = %e, "job recovery sweep failed");
        }
        tokio::time::sleep(every).await;
    }
}

/// Every `recover_every_secs`, measures the tenants' files when the day's round is due
/// (see [`access::admin::usage`]; one worker of many takes the round).
async fn measure_files(state: AppState) {
    let every = Duration::from_secs(state.settings.jobs.recover_every_secs.max(1));
    loop {
        match access::admin::usage::measure_if_due(&state, chrono::Utc::now()).await {
            Ok(Some(n)) => tracing::info!(tenants = n, "the tenants' files measured"),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "measuring the tenants' files failed"),
        }
        tokio::time::sleep(every).await;
    }
}

/// Every `reminder_every_secs`, starts the reminders due by the tenants' schedules (the
/// clock is read here, at the edge; the schedule's rules get the time as an input).
async fn remind(state: AppState) {
    let every = Duration::from_secs(state.settings.jobs.reminder_every_secs.max(1));
    loop {
        if let Err(e) = crate::jobs::tick::tick(&state, chrono::Utc::now()).await {
            tracing::warn!(error = %e, "reminder schedule tick failed");
        }
        tokio::time::sleep(every).await;
    }
}
