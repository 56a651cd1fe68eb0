//! Registering an uploaded bank payment file before its job runs: the template and bank,
//! the receipt date and charge period checked against the open period, and its SHA-256 —
//! a file already loaded is refused here, so the same file never pays twice.

use chrono::{DateTime, NaiveDate, Utc};
use domain::Period;
use sea_orm::{DatabaseTransaction, FromQueryResult};
use serde_json::json;

use crate::entry::{self, NewId};
use crate::templates;
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

/// What the operator said of the file at upload.
pub struct Registration {
    pub file_name: String,
    pub sha256: String,
    pub object_key: String,
    pub size: i64,
    pub template_id: i32,
    pub bank_id: Option<i32>,
    pub received_on: NaiveDate,
    pub charge_period: Option<Period>,
}

#[derive(FromQueryResult)]
struct Earlier {
    id: i64,
    uploaded_at: DateTime<Utc>,
    file_name: String,
}

/// Records the file (state `queued`); returns its id and the template's date format.
pub async fn register(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    r: &Registration,
) -> AppResult<(i64, String)> {
    let t = templates::by_id(txn, r.template_id).await?;
    templates::layout(&t)?;
    if !t.active {
        return Err(AppError::validation(
            "templateId",
            "the template is switched off",
        ));
    }
    if let Some(e) = Earlier::find_by_statement(stmt(
        "SELECT id, uploaded_at, file_name FROM payment_files WHERE sha256 = $1",
        vec![r.sha256.clone().into()],
    ))
    .one(txn)
    .await?
    {
        return Err(AppError::Conflict(format!(
            "this file was already loaded as \"{}\" (No. {}) on {}",
            e.file_name,
            e.id,
            e.uploaded_at.format("%Y-%m-%d %H:%M")
        )));
    }
    let (rules, _) = entry::rules(txn).await?;
    let open = rules.open;
    if r.received_on < open.first_day() || r.received_on > open.last_day() {
        return Err(AppError::validation(
            "receivedOn",
            format!(
                "must lie in the open period {open} ({} – {})",
                open.first_day(),
                open.last_day()
            ),
        ));
    }
    let charge = r.charge_period.unwrap_or(open.prev());
    // The date rules of every row are checked against these two; checked once here too so
    // an impossible charge period is said at once, not 100,000 times in the protocol.
    domain::payments::check_dates(rules, charge, charge.first_day(), r.received_on)
        .map_err(entry::refused)?;
    let bank = r.bank_id.or(t.bank_id);
    let id = NewId::find_by_statement(stmt(
        "INSERT INTO payment_files (file_name, sha256, object_key, size, template_id, bank_id, received_on, \
                                    charge_period, uploaded_at, uploaded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        vec![
            r.file_name.clone().into(),
            r.sha256.clone().into(),
            r.object_key.clone().into(),
            r.size.into(),
            r.template_id.into(),
            bank.into(),
            r.received_on.into(),
            charge.first_day().into(),
            now.into(),
            actor.login.clone().into(),
        ],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("no id returned".into()))?
    .id;
    audit::record(
        txn,
        actor,
        now,
        Change {
            entity: "payment_file",
            entity_id: id.to_string(),
            action: "upload",
            before: None,
            after: Some(
                json!({"file": r.file_name, "sha256": r.sha256, "size": r.size,
                "templateId": r.template_id, "bankId": bank, "receivedOn": r.received_on,
                "chargePeriod": charge.to_string()}),
            ),
        },
    )
    .await?;
    Ok((id, t.date_format))
}

/// Links the file to the job that posts it (the registry shows its progress).
pub async fn attach_job(
    txn: &DatabaseTransaction,
    file_id: i64,
    job_id: uuid::Uuid,
) -> AppResult<()> {
    use sea_orm::ConnectionTrait;
    txn.execute_raw(stmt(
        "UPDATE payment_files SET job_id = $2 WHERE id = $1",
        vec![file_id.into(), job_id.into()],
    ))
    .await?;
    Ok(())
}
