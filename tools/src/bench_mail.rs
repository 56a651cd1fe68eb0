//! `tools bench-mail SLUG [N]`: N (10,000) of the open period's invoices e-mailed through
//! the platform's SMTP server, the whole way a user's "send invoices by e-mail" goes: the
//! mailing job, one job per message on the Redis queue, a worker in this process (its
//! configured concurrency) rendering each PDF and handing the message to the server.
//! Prints the time from the request to the last message's state, and messages per second.

use std::time::{Duration, Instant};

use chrono::Utc;
use domain::TenantSlug;
use sea_orm::{ConnectionTrait, FromQueryResult};

use backend::error::{AppError, AppResult};
use backend::jobs::{self, JobKind};
use backend::state::AppState;
use backend::tenancy;
use billing::run::Scope;
use documents::jobs::invoice_mail::InvoiceMailing;
use metering::readings;
use platform::sql::stmt;

/// The addresses the bench gives its subscribers (and takes back before each run).
const DOMAIN: &str = "@bench-mail.example";

#[derive(FromQueryResult)]
struct Count {
    sent: i64,
    failed: i64,
}

pub async fn invoices(state: &AppState, slug: &TenantSlug, n: i64) -> AppResult<()> {
    // A queue of its own, so a worker of a running deployment does not take a share.
    let mut settings = (*state.settings).clone();
    settings.redis.queue = format!("bench-mail-{}", uuid::Uuid::new_v4().simple());
    let state = AppState::new(settings).await?;
    let txn = tenancy::begin(&state.db, slug).await?;
    let period = readings::current_open(&txn).await?;
    txn.execute_raw(stmt(
        "UPDATE subscribers SET email = NULL WHERE email LIKE $1",
        vec![format!("%{DOMAIN}").into()],
    ))
    .await?;
    let chosen = txn
        .execute_raw(stmt(
            "UPDATE subscribers s SET email = 'bench-' || s.id || $3 WHERE s.id IN ( \
                 SELECT a.subscriber_id FROM invoices v JOIN accounts a ON a.id = v.account_id \
                 WHERE v.period = $1 AND a.subscriber_id IS NOT NULL ORDER BY v.account_id LIMIT $2)",
            vec![period.first_day().into(), n.into(), DOMAIN.into()],
        ))
        .await?
        .rows_affected();
    txn.execute_raw(stmt(
        "DELETE FROM invoice_mails WHERE period = $1",
        vec![period.first_day().into()],
    ))
    .await?;
    txn.execute_raw(stmt("UPDATE mail_settings SET host = ''", vec![]))
        .await?;
    if chosen == 0 {
        return Err(AppError::NotFound(format!(
            "{slug} has no invoices of {period}: run `tools bench-billing {slug}` first"
        )));
    }
    let spec = JobKind::InvoiceMailing(InvoiceMailing {
        period: period.to_string(),
        scope: Scope::Tenant,
        reach: backend::auth::Reach::default(),
        resend: true,
        requested_at: None,
    });
    let (_, msg) = jobs::record(&txn, slug, &spec, Utc::now()).await?;
    txn.commit().await?;
    println!(
        "{chosen} invoices of {period} to e-mail through {}:{} with {} jobs at a time",
        state.settings.smtp.host, state.settings.smtp.port, state.settings.jobs.concurrency
    );
    let started = Instant::now();
    state.queue.push(msg).await?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(jobs::worker::run(state.clone(), "bench-mail", async move {
        let _ = stopped.await;
    }));
    let expected = i64::try_from(chosen).unwrap_or(i64::MAX);
    let mut last_report = Instant::now();
    let outcome = loop {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let txn = tenancy::begin(&state.db, slug).await?;
        let c = Count::find_by_statement(stmt(
            "SELECT count(*) FILTER (WHERE state = 'sent') AS sent, \
                 count(*) FILTER (WHERE state = 'failed' AND attempts >= $2) AS failed \
             FROM invoice_mails WHERE period = $1",
            vec![
                period.first_day().into(),
                i32::try_from(state.settings.jobs.max_attempts)
                    .unwrap_or(3)
                    .into(),
            ],
        ))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::Internal("no count".into()))?;
        txn.commit().await?;
        if last_report.elapsed() > Duration::from_secs(10) {
            println!(
                "  {:.0} s: {} sent, {} failed",
                started.elapsed().as_secs_f64(),
                c.sent,
                c.failed
            );
            last_report = Instant::now();
        }
        if c.sent + c.failed >= expected {
            break c;
        }
        if started.elapsed() > Duration::from_secs(1800) {
            break c;
        }
    };
    let secs = started.elapsed().as_secs_f64();
    let _ = stop.send(());
    let _ = worker.await;
    println!(
        "{} e-mails sent ({} failed) in {secs:.1} s = {:.0} e-mails/s",
        outcome.sent,
        outcome.failed,
        outcome.sent as f64 / secs.max(1e-9)
    );
    Ok(())
}
