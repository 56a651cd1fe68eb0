//! Reminders to subscribers by e-mail (seed 001 §4.1): the schedule a tenant keeps (days of
//! the month, hour), the runs (one per kind and local day, started by the worker's tick or
//! an admin's "send now") and their messages. Sending is in [`sending`], the tick in
//! [`schedule`].

pub mod schedule;
pub mod sending;

use chrono::{DateTime, NaiveDate, Utc};
use domain::reminders::{ReminderKind, Schedule};
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde_json::json;

use platform::audit::{self, Actor};
use platform::error::{AppError, AppResult};
use platform::sql::settings_row;
use platform::sql::stmt;

/// The schedule as the settings screen shows and edits it.
#[derive(Debug, Clone, async_graphql::SimpleObject, serde::Serialize, FromQueryResult)]
#[serde(rename_all = "camelCase")]
pub struct ReminderSettings {
    /// Day of the month (1–31; the last day in a shorter month) to remind of readings.
    pub readings_reminder_day: Option<i16>,
    /// Day of the month to remind of payment.
    pub payment_reminder_day: Option<i16>,
    /// Local hour (0–23) from which a day's reminders go.
    pub reminder_hour: i16,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct ReminderSettingsInput {
    pub readings_reminder_day: Option<i32>,
    pub payment_reminder_day: Option<i32>,
    pub reminder_hour: i32,
}

pub async fn load(txn: &DatabaseTransaction) -> AppResult<ReminderSettings> {
    settings_row::<ReminderSettings>(
        txn,
        "mail_settings",
        "SELECT readings_reminder_day, payment_reminder_day, reminder_hour FROM mail_settings",
    )
    .await
}

/// The schedule in the domain's terms.
pub fn schedule_of(s: &ReminderSettings) -> Schedule {
    let day = |d: Option<i16>| d.and_then(|d| u32::try_from(d).ok());
    Schedule {
        readings_day: day(s.readings_reminder_day),
        payment_day: day(s.payment_reminder_day),
        hour: u32::try_from(s.reminder_hour).unwrap_or(9),
    }
}

pub async fn save(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    i: &ReminderSettingsInput,
) -> AppResult<ReminderSettings> {
    let unsigned = |v: i32| u32::try_from(v).unwrap_or(u32::MAX);
    let s = Schedule::new(
        i.readings_reminder_day.map(unsigned),
        i.payment_reminder_day.map(unsigned),
        unsigned(i.reminder_hour),
    )
    .map_err(|e| AppError::validation(e.field, e.rule))?;
    let before = load(txn).await?;
    let small = |d: Option<u32>| d.and_then(|d| i16::try_from(d).ok());
    txn.execute_raw(stmt(
        "UPDATE mail_settings SET readings_reminder_day = $1, payment_reminder_day = $2, reminder_hour = $3",
        vec![
            small(s.readings_day).into(),
            small(s.payment_day).into(),
            i16::try_from(s.hour).unwrap_or(9).into(),
        ],
    ))
    .await?;
    let after = load(txn).await?;
    audit::settings_changed(
        txn,
        actor,
        now,
        "reminder_settings",
        "update",
        Some(json!(before)),
        json!(after),
    )
    .await?;
    Ok(after)
}

/// A run with its messages counted by state.
#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult)]
pub struct ReminderRun {
    /// readings or payment.
    pub kind: String,
    pub run_on: NaiveDate,
    pub period: NaiveDate,
    /// "schedule" or the login of whoever sent it.
    pub requested_by: String,
    pub job_id: Option<uuid::Uuid>,
    pub created_at: DateTime<Utc>,
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
    pub skipped: i64,
}

/// The newest runs first.
pub async fn runs(txn: &DatabaseTransaction, limit: u64) -> AppResult<Vec<ReminderRun>> {
    Ok(ReminderRun::find_by_statement(stmt(
        "SELECT r.kind, r.run_on, r.period, r.requested_by, r.job_id, r.created_at, \
             count(*) FILTER (WHERE m.state = 'queued') AS queued, \
             count(*) FILTER (WHERE m.state = 'sent') AS sent, \
             count(*) FILTER (WHERE m.state = 'failed') AS failed, \
             count(*) FILTER (WHERE m.state = 'skipped') AS skipped \
         FROM reminder_runs r LEFT JOIN reminder_mails m ON m.kind = r.kind AND m.run_on = r.run_on \
         GROUP BY r.kind, r.run_on ORDER BY r.run_on DESC, r.kind LIMIT $1",
        vec![i64::try_from(limit).unwrap_or(100).into()],
    ))
    .all(txn)
    .await?)
}

/// One message of a run.
#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult)]
pub struct ReminderMailView {
    pub account_id: i64,
    pub account_number: String,
    pub email: String,
    /// queued, sent, failed or skipped.
    pub state: String,
    pub attempts: i32,
    pub error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
}

pub async fn mails(
    txn: &DatabaseTransaction,
    kind: ReminderKind,
    run_on: NaiveDate,
) -> AppResult<Vec<ReminderMailView>> {
    Ok(ReminderMailView::find_by_statement(stmt(
        "SELECT m.account_id, a.number AS account_number, m.email, m.state, m.attempts, m.error, m.sent_at \
         FROM reminder_mails m JOIN accounts a ON a.id = m.account_id \
         WHERE m.kind = $1 AND m.run_on = $2 ORDER BY a.number",
        vec![kind.code().into(), run_on.into()],
    ))
    .all(txn)
    .await?)
}

/// Parses a kind given by a client, naming the field.
pub fn kind_arg(raw: &str) -> AppResult<ReminderKind> {
    ReminderKind::parse(raw.trim())
        .ok_or_else(|| AppError::validation("kind", "must be readings or payment"))
}
