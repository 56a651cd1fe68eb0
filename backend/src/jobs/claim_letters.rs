//! The claim letters job: the run's debtors are entered as the job's letters (one per
//! account; a run again enters none twice), then each letter is formed — mailed as a PDF
//! to the subscriber's address, or, when printing or when there is no address, kept for
//! the stack to print — and marked done in the same transaction as the account's
//! "notice sent", so a redelivered job neither mails nor records a letter twice. The
//! stack is one PDF of every printed letter of the run, each from a new page.

use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde_json::json;

use super::runner::Progress;
use crate::error::{AppError, AppResult};
use crate::mail::MailFile;
use crate::state::AppState;
use crate::storage::ObjectStore;
use crate::tenancy;
use documents::letter::{self, Letter};
use l10n::Lang;
use platform::audit::Actor;
use platform::sql::stmt;
use registry::debt_cases::{self, DebtCaseInput, DebtStatus};
use reports::claims::{self, ClaimDelivery, ClaimLetters, Debtor, Sender};

#[derive(FromQueryResult)]
struct Pending {
    account_id: i64,
    email: String,
    delivery: Option<String>,
}

/// The run: letters formed, mailed or stacked; the result counts them and names the
/// stack's file.
pub async fn run(
    state: &AppState,
    tenant: &domain::TenantSlug,
    job_id: uuid::Uuid,
    run: &ClaimLetters,
    progress: &Progress<'_>,
) -> AppResult<serde_json::Value> {
    let actor = &run.actor();
    let t = crate::tenants::find(&state.db, tenant).await?;
    let lang = Lang::from_code(&t.locale).unwrap_or(Lang::UK);
    let today = Utc::now().date_naive();
    let txn = tenancy::begin(&state.db, tenant).await?;
    let template = claims::template(&txn).await?;
    let debtors = claims::debtors(&txn, run).await?;
    for d in &debtors {
        txn.execute_raw(stmt(
            "INSERT INTO claim_letters (job_id, account_id, email) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
            vec![job_id.into(), d.account_id.into(), d.email.clone().into()],
        ))
        .await?;
    }
    let letters = Pending::find_by_statement(stmt(
        "SELECT account_id, email, delivery FROM claim_letters WHERE job_id = $1 ORDER BY account_id",
        vec![job_id.into()],
    ))
    .all(&txn)
    .await?;
    let mailer = documents::mail_settings::mailer(state, &txn).await?;
    txn.commit().await?;
    let period = run.report.period.clone().unwrap_or_default();
    let sender = Sender {
        tenant: &t.name,
        currency: &t.currency,
        today,
    };
    let by_account = |id: i64| debtors.iter().find(|d| d.account_id == id);
    let total = letters.len().max(1);
    let (mut mailed, mut printed) = (0u64, Vec::<Letter>::new());
    for (i, l) in letters.iter().enumerate() {
        // A debtor who has paid since the job was entered is not in the list any more:
        // their letter stays unformed.
        let Some(d) = by_account(l.account_id) else {
            continue;
        };
        let doc = letter_of(&template, lang, &sender, &period, d)?;
        let mail = run.delivery == ClaimDelivery::Mail && !l.email.is_empty();
        match l.delivery.as_deref() {
            Some("mailed") => mailed += 1,
            Some(_) => printed.push(doc),
            None if mail => {
                let pdf = render(vec![doc.clone()]).await?;
                mailer
                    .send(
                        &l.email,
                        &doc.title,
                        &doc.body,
                        vec![MailFile {
                            name: format!("claim-{}.pdf", d.number),
                            content_type: "application/pdf".into(),
                            body: pdf,
                        }],
                    )
                    .await?;
                done(state, tenant, (job_id, actor, lang), d, "mailed", &l.email).await?;
                mailed += 1;
            }
            None => {
                done(state, tenant, (job_id, actor, lang), d, "printed", "").await?;
                printed.push(doc);
            }
        }
        progress
            .set(i32::try_from((i + 1) * 90 / total).unwrap_or(90))
            .await?;
    }
    let count = printed.len();
    let file = if printed.is_empty() {
        None
    } else {
        let body = render(printed).await?;
        let name = format!("claims-{job_id}.pdf");
        let key = ObjectStore::tenant_key(tenant, &format!("exports/{name}"));
        state.store.put(&key, body, "application/pdf").await?;
        Some((key, name))
    };
    Ok(json!({
        "mailed": mailed,
        "printed": count,
        "objectKey": file.as_ref().map(|f| f.0.clone()),
        "fileName": file.map(|f| f.1),
    }))
}

/// One debtor's letter in the tenant's language.
fn letter_of(
    template: &claims::ClaimTemplate,
    lang: Lang,
    sender: &Sender<'_>,
    period: &str,
    d: &Debtor,
) -> AppResult<Letter> {
    let claims::LetterText {
        title,
        body,
        figures,
    } = claims::letter(template, lang, sender, period, d)?;
    Ok(Letter {
        sender: vec![sender.tenant.to_owned()],
        date: sender.today.format("%d.%m.%Y").to_string(),
        to: vec![
            d.holder_name.clone(),
            d.address.clone(),
            format!(
                "{} {}",
                crate::i18n::text(lang, "report-col-account"),
                d.number
            ),
        ],
        title,
        body,
        figures,
        signature: format!(
            "{} ____________________",
            crate::i18n::text(lang, "claim-signature")
        ),
    })
}

async fn render(letters: Vec<Letter>) -> AppResult<Vec<u8>> {
    tokio::task::spawn_blocking(move || letter::render(&letters))
        .await
        .map_err(|e| AppError::Internal(format!("claim letters: {e}")))?
}

/// Marks a letter done and records the account's "notice sent" in one transaction; a
/// letter marked done before (a redelivered job) records nothing.
async fn done(
    state: &AppState,
    tenant: &domain::TenantSlug,
    (job_id, actor, lang): (uuid::Uuid, &Actor, Lang),
    d: &Debtor,
    how: &str,
    email: &str,
) -> AppResult<()> {
    let txn = tenancy::begin(&state.db, tenant).await?;
    if mark(&txn, job_id, d.account_id, how).await? {
        let now = Utc::now();
        let comment = if email.is_empty() {
            crate::i18n::text(lang, "claim-note-printed")
        } else {
            crate::i18n::text_with(lang, "claim-note-mailed", &[("email", email)])
        };
        debt_cases::add(
            &txn,
            actor,
            now,
            d.account_id,
            &DebtCaseInput {
                status: DebtStatus::NoticeSent,
                since: now.date_naive(),
                comment,
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

#[derive(FromQueryResult)]
struct Marked {
    account_id: i64,
}

/// Sets the letter's delivery if it has none yet; true when this call set it.
async fn mark(
    txn: &DatabaseTransaction,
    job_id: uuid::Uuid,
    account: i64,
    how: &str,
) -> AppResult<bool> {
    Ok(Marked::find_by_statement(stmt(
        "UPDATE claim_letters SET delivery = $3, done_at = $4 \
         WHERE job_id = $1 AND account_id = $2 AND delivery IS NULL RETURNING account_id",
        vec![job_id.into(), account.into(), how.into(), Utc::now().into()],
    ))
    .one(txn)
    .await?
    .is_some_and(|m| m.account_id == account))
}
