//! Invoices by e-mail: a period's invoices of a scope are queued as one message per account
//! (to the subscriber's e-mail; accounts without one are left out), each sent by its own
//! job with the PDF attached through the tenant's mail server. A message's row says where
//! it is (queued, sending, sent, failed with the reason, attempts); a sent one is not sent
//! again unless asked, a job run twice finds it sent, and an attempt claims the message
//! before it sends, so two attempts at once send it once.

use chrono::{DateTime, Utc};
use domain::Period;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};

use platform::error::{AppError, AppResult};
use platform::i18n::{self, Lang};
use platform::mail::MailFile;
use platform::sql::stmt;
use platform::state::AppState;
use platform::tenancy;

#[derive(Debug, Clone, FromQueryResult)]
pub struct Queued {
    pub account_id: i64,
    pub email: String,
}

/// How long a claim holds a message: an attempt that has not finished by then is taken
/// for dead and the message may be claimed again.
pub const SENDING_LEASE_MINUTES: i64 = 10;

/// Queues the messages of `accounts` (those with an invoice and an e-mail). `resend:
/// Some(asked)` queues again those sent before the resend was asked (one sent meanwhile, by
/// another run, is not sent twice). A message being sent is left to its sender. Returns the
/// messages queued now.
pub async fn queue(
    txn: &DatabaseTransaction,
    period: Period,
    accounts: &[i64],
    resend: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> AppResult<Vec<Queued>> {
    Ok(Queued::find_by_statement(stmt(
        "INSERT INTO invoice_mails (account_id, period, email, state, attempts, queued_at) \
         SELECT a.id, $2, trim(s.email), 'queued', 0, $4 \
         FROM accounts a JOIN subscribers s ON s.id = a.subscriber_id \
         JOIN invoices v ON v.account_id = a.id AND v.period = $2 \
         WHERE a.id = ANY($1) AND coalesce(trim(s.email), '') <> '' \
         ON CONFLICT (account_id, period) DO UPDATE SET email = EXCLUDED.email, state = 'queued', \
             attempts = 0, error = NULL, sent_at = NULL, queued_at = EXCLUDED.queued_at \
         WHERE invoice_mails.state IN ('queued', 'failed') \
            OR (invoice_mails.state = 'sent' AND invoice_mails.sent_at < $3) \
         RETURNING account_id, email",
        vec![
            accounts.to_vec().into(),
            period.first_day().into(),
            resend.into(),
            now.into(),
        ],
    ))
    .all(txn)
    .await?)
}

#[derive(FromQueryResult)]
struct Message {
    email: String,
    #[allow(dead_code)]
    state: String,
    number: String,
}

/// Sends one queued message (a no-op when it was sent already); a failure is recorded on
/// the message and returned, so the job retries with back-off.
pub async fn send(
    state: &AppState,
    tenant: &domain::TenantSlug,
    account: i64,
    period: Period,
) -> AppResult<bool> {
    let t = platform::tenants::find(&state.db, tenant).await?;
    let now = Utc::now();
    // The claim, committed before sending: another attempt now finds the message taken.
    let txn = tenancy::begin(&state.db, tenant).await?;
    let claimed = Message::find_by_statement(stmt(
        "UPDATE invoice_mails m SET state = 'sending', claimed_at = $3 FROM accounts a \
         WHERE a.id = m.account_id AND m.account_id = $1 AND m.period = $2 \
           AND (m.state IN ('queued', 'failed') OR (m.state = 'sending' AND m.claimed_at < $4)) \
         RETURNING m.email, m.state, a.number",
        vec![
            account.into(),
            period.first_day().into(),
            now.into(),
            (now - chrono::Duration::minutes(SENDING_LEASE_MINUTES)).into(),
        ],
    ))
    .one(&txn)
    .await?;
    let Some(m) = claimed else {
        let exists = Message::find_by_statement(stmt(
            "SELECT m.email, m.state, a.number FROM invoice_mails m JOIN accounts a ON a.id = m.account_id \
             WHERE m.account_id = $1 AND m.period = $2",
            vec![account.into(), period.first_day().into()],
        ))
        .one(&txn)
        .await?;
        txn.commit().await?;
        // Sent already, or being sent by another attempt: nothing to do here.
        return match exists {
            Some(_) => Ok(false),
            None => Err(AppError::NotFound(format!(
                "no message of account {account} for {period}"
            ))),
        };
    };
    txn.commit().await?;
    let txn = tenancy::begin(&state.db, tenant).await?;
    let pdf = super::render_one(state, &txn, &t, account, period).await?;
    let mailer = crate::mail_settings::mailer(state, &txn).await?;
    txn.commit().await?;
    // In the tenant's language, like the invoice it carries.
    let lang = Lang::from_code(&t.locale).unwrap_or(Lang::UK);
    let subject = i18n::message(
        lang,
        &format!("{}: invoice for {period}, account {}", t.name, m.number),
    );
    let text = i18n::message(
        lang,
        &format!(
            "The invoice of account {} for {period} is attached.",
            m.number
        ),
    ) + "\n";
    let sent = mailer
        .send(
            &m.email,
            &subject,
            &text,
            vec![MailFile {
                name: format!("invoice-{}-{period}.pdf", m.number),
                content_type: "application/pdf".into(),
                body: pdf,
            }],
        )
        .await;
    let txn = tenancy::begin(&state.db, tenant).await?;
    let (new_state, error) = match &sent {
        Ok(()) => ("sent", None),
        Err(e) => ("failed", Some(e.to_string())),
    };
    txn.execute_raw(stmt(
        "UPDATE invoice_mails SET state = $3, error = $4, attempts = attempts + 1, \
         sent_at = CASE WHEN $3 = 'sent' THEN $5 ELSE NULL END WHERE account_id = $1 AND period = $2",
        vec![account.into(), period.first_day().into(), new_state.into(), error.into(), Utc::now().into()],
    ))
    .await?;
    txn.commit().await?;
    sent.map(|()| true)
}
