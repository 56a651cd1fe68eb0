//! A run's messages: who gets one (subscribers with an e-mail whose account has a working
//! meter not yet read in the run's period; or whose newest invoice is not paid off), and
//! sending one. The text is written when it goes, from the data as it is then: a message
//! whose reason has gone since it was queued (readings submitted, the invoice paid) is
//! skipped, not sent. Texts are in the tenant's language.

use chrono::{NaiveDate, Utc};
use domain::Period;
use domain::reminders::ReminderKind;
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};

use crate::invoices::document;
use platform::error::{AppError, AppResult};
use platform::i18n::{self, Lang};
use platform::sql::stmt;
use platform::state::AppState;
use platform::tenancy;

/// A meter `m` of account `{account}` that works in the period and has no reading in it
/// (`$2` the period's first day, `$3` its last day).
fn unread_meter(account: &str) -> String {
    format!(
        "m.account_id = {account} AND m.removed_on IS NULL AND m.installed_on <= $3 \
         AND NOT EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id AND r.period = $2)"
    )
}

/// What the account owes by its newest invoice, less the payments booked since that invoice
/// was formed (`$1` account).
const OWED: &str = "SELECT v.period, v.closing - coalesce((SELECT sum(p.amount) FROM payments p \
         WHERE p.account_id = v.account_id AND p.cancelled_at IS NULL AND p.created_at > v.formed_at), 0) AS owed \
     FROM invoices v WHERE v.account_id = $1 ORDER BY v.period DESC LIMIT 1";

#[derive(FromQueryResult)]
struct Queued {
    account_id: i64,
}

/// Queues the run's messages (one per account with a reason and an e-mail); a second call
/// queues nothing new. Returns the accounts queued now.
pub async fn queue(
    txn: &DatabaseTransaction,
    kind: ReminderKind,
    run_on: NaiveDate,
    period: Period,
) -> AppResult<Vec<i64>> {
    let reason = match kind {
        ReminderKind::Readings => format!(
            "EXISTS (SELECT 1 FROM meters m WHERE {})",
            unread_meter("a.id")
        ),
        // $3 is only the meters' rule's; named here so every parameter is used.
        ReminderKind::Payment => format!("$3::date IS NOT NULL AND ({}) > 0", owed_of("a.id")),
    };
    let sql = format!(
        "INSERT INTO reminder_mails (kind, run_on, account_id, email) \
         SELECT $1, $4, a.id, trim(s.email) FROM accounts a JOIN subscribers s ON s.id = a.subscriber_id \
         WHERE coalesce(trim(s.email), '') <> '' AND (a.closed_on IS NULL OR a.closed_on >= $2) AND {reason} \
         ON CONFLICT DO NOTHING RETURNING account_id"
    );
    Ok(Queued::find_by_statement(stmt(
        &sql,
        vec![
            kind.code().into(),
            period.first_day().into(),
            period.last_day().into(),
            run_on.into(),
        ],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|q| q.account_id)
    .collect())
}

/// The owed amount of `account` as a scalar subquery.
fn owed_of(account: &str) -> String {
    format!("SELECT o.owed FROM ({}) o", OWED.replace("$1", account))
}

#[derive(FromQueryResult)]
struct Message {
    email: String,
    state: String,
    number: String,
    period: NaiveDate,
}

#[derive(FromQueryResult)]
struct Unread {
    serial: String,
    service: String,
    last: Decimal,
}

#[derive(FromQueryResult)]
struct Owed {
    period: NaiveDate,
    owed: Decimal,
}

/// What became of one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    Sent,
    /// Nothing left to remind of.
    Skipped,
    /// Sent (or skipped) by an earlier attempt.
    Already,
}

/// Sends one queued message; a failure is recorded on the message and returned, so the
/// job retries with back-off.
pub async fn send(
    state: &AppState,
    tenant: &domain::TenantSlug,
    kind: ReminderKind,
    run_on: NaiveDate,
    account: i64,
) -> AppResult<Sent> {
    let t = platform::tenants::find(&state.db, tenant).await?;
    let lang = Lang::from_code(&t.locale).unwrap_or(Lang::UK);
    let txn = tenancy::begin(&state.db, tenant).await?;
    let m = Message::find_by_statement(stmt(
        "SELECT m.email, m.state, a.number, r.period FROM reminder_mails m \
         JOIN reminder_runs r ON r.kind = m.kind AND r.run_on = m.run_on \
         JOIN accounts a ON a.id = m.account_id \
         WHERE m.kind = $1 AND m.run_on = $2 AND m.account_id = $3",
        vec![kind.code().into(), run_on.into(), account.into()],
    ))
    .one(&txn)
    .await?
    .ok_or_else(|| {
        AppError::NotFound(format!(
            "no {} reminder of account {account} on {run_on}",
            kind.code()
        ))
    })?;
    if m.state == "sent" || m.state == "skipped" {
        txn.commit().await?;
        return Ok(Sent::Already);
    }
    let period = Period::containing(m.period)
        .map_err(|e| AppError::Internal(format!("run period {}: {e}", m.period)))?;
    let text = match kind {
        ReminderKind::Readings => {
            readings_text(&txn, lang, &t.name, &m.number, account, period).await?
        }
        ReminderKind::Payment => {
            payment_text(&txn, lang, &t.name, &t.currency, &m.number, account).await?
        }
    };
    let Some((subject, body)) = text else {
        record(&txn, kind, run_on, account, "skipped", None).await?;
        txn.commit().await?;
        return Ok(Sent::Skipped);
    };
    let mailer = crate::mail_settings::mailer(state, &txn).await?;
    txn.commit().await?;
    let sent = mailer.send(&m.email, &subject, &body, Vec::new()).await;
    let txn = tenancy::begin(&state.db, tenant).await?;
    match &sent {
        Ok(()) => record(&txn, kind, run_on, account, "sent", None).await?,
        Err(e) => record(&txn, kind, run_on, account, "failed", Some(e.to_string())).await?,
    }
    txn.commit().await?;
    sent.map(|()| Sent::Sent)
}

async fn record(
    txn: &DatabaseTransaction,
    kind: ReminderKind,
    run_on: NaiveDate,
    account: i64,
    state: &str,
    error: Option<String>,
) -> AppResult<()> {
    txn.execute_raw(stmt(
        "UPDATE reminder_mails SET state = $4, error = $5, attempts = attempts + 1, \
         sent_at = CASE WHEN $4 = 'sent' THEN $6 ELSE NULL END \
         WHERE kind = $1 AND run_on = $2 AND account_id = $3",
        vec![
            kind.code().into(),
            run_on.into(),
            account.into(),
            state.into(),
            error.into(),
            Utc::now().into(),
        ],
    ))
    .await?;
    Ok(())
}

/// The readings reminder, or `None` when every meter has its reading by now.
async fn readings_text(
    txn: &DatabaseTransaction,
    lang: Lang,
    tenant_name: &str,
    number: &str,
    account: i64,
    period: Period,
) -> AppResult<Option<(String, String)>> {
    let meters = Unread::find_by_statement(stmt(
        &format!(
            "SELECT m.serial, s.name AS service, coalesce((SELECT r.current FROM readings r \
                 WHERE r.meter_id = m.id ORDER BY r.period DESC LIMIT 1), m.initial_reading) AS last \
             FROM meters m JOIN services s ON s.id = m.service_id WHERE {} ORDER BY s.name, m.serial",
            unread_meter("$1")
        ),
        vec![
            account.into(),
            period.first_day().into(),
            period.last_day().into(),
        ],
    ))
    .all(txn)
    .await?;
    if meters.is_empty() {
        return Ok(None);
    }
    let subject = i18n::message(lang, &format!("{tenant_name}: meter readings for {period}"));
    let mut body = i18n::message(
        lang,
        &format!(
            "Account {number}: please submit the readings of your meters for {period} in the subscriber portal or to the office."
        ),
    );
    body.push_str("\n\n");
    for m in meters {
        body.push_str(&i18n::message(
            lang,
            &format!(
                "Meter {} ({}): last reading {}",
                m.serial,
                m.service,
                m.last.normalize()
            ),
        ));
        body.push('\n');
    }
    Ok(Some((subject, body)))
}

/// The payment reminder, or `None` when nothing is owed by now.
async fn payment_text(
    txn: &DatabaseTransaction,
    lang: Lang,
    tenant_name: &str,
    currency: &str,
    number: &str,
    account: i64,
) -> AppResult<Option<(String, String)>> {
    let owed = Owed::find_by_statement(stmt(OWED, vec![account.into()]))
        .one(txn)
        .await?;
    let Some(owed) = owed.filter(|o| o.owed > Decimal::ZERO) else {
        return Ok(None);
    };
    let period = Period::containing(owed.period)
        .map_err(|e| AppError::Internal(format!("invoice period {}: {e}", owed.period)))?;
    let due = document::due_date(txn, period).await?;
    let subject = i18n::message(lang, &format!("{tenant_name}: invoice for {period} to pay"));
    let body = i18n::message(
        lang,
        &format!(
            "Account {number}: {} {currency} is due for {period}. Please pay by {}.",
            document::money(owed.owed),
            due.format("%d.%m.%Y")
        ),
    );
    Ok(Some((subject, format!("{body}\n"))))
}
