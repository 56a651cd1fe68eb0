//! A debtor's case (issue 20, seed 000's «Суд»): the states of the collection of an
//! account's debt with their days — a notice sent, an agreement, in court, paid — kept as
//! a history; the latest (by day, then by entry) is the account's state, shown on its card
//! and in the debtors report. Every entry is audited.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{DatabaseTransaction, FromQueryResult};
use serde_json::json;

use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum DebtStatus {
    NoticeSent,
    Agreement,
    Court,
    Paid,
}

impl DebtStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::NoticeSent => "notice_sent",
            Self::Agreement => "agreement",
            Self::Court => "court",
            Self::Paid => "paid",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        [Self::NoticeSent, Self::Agreement, Self::Court, Self::Paid]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct DebtCaseInput {
    pub status: DebtStatus,
    /// The day the state began; not after today.
    pub since: NaiveDate,
    #[graphql(default)]
    pub comment: String,
}

#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct DebtCase {
    pub id: i64,
    pub status: DebtStatus,
    pub since: NaiveDate,
    pub comment: String,
    pub created_by: String,
}

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    status: String,
    since: NaiveDate,
    note: String,
    created_by: String,
}

/// The account's case, newest first.
pub async fn list(txn: &DatabaseTransaction, account: i64) -> AppResult<Vec<DebtCase>> {
    Row::find_by_statement(stmt(
        "SELECT id, status, since, note, created_by FROM debt_cases WHERE account_id = $1 ORDER BY since DESC, id DESC",
        vec![account.into()],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|r| {
        Ok(DebtCase {
            id: r.id,
            status: DebtStatus::parse(&r.status)
                .ok_or_else(|| AppError::Internal(format!("stored debt status {:?}", r.status)))?,
            since: r.since,
            comment: r.note,
            created_by: r.created_by,
        })
    })
    .collect()
}

#[derive(FromQueryResult)]
struct NewId {
    id: i64,
}

/// Adds a state to the account's case (the caller checked the account is within reach).
pub async fn add(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    account: i64,
    input: &DebtCaseInput,
) -> AppResult<i64> {
    if input.since > now.date_naive() {
        return Err(AppError::validation("since", "must not be in the future"));
    }
    let note = input.comment.trim();
    if note.chars().count() > 500 {
        return Err(AppError::validation(
            "comment",
            "must be at most 500 characters",
        ));
    }
    let id = NewId::find_by_statement(stmt(
        "INSERT INTO debt_cases (account_id, status, since, note, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        vec![
            account.into(),
            input.status.code().into(),
            input.since.into(),
            note.into(),
            now.into(),
            actor.login.clone().into(),
        ],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("insert returned nothing".into()))?
    .id;
    audit::record(
        txn,
        actor,
        now,
        Change {
            entity: "debt_case",
            entity_id: id.to_string(),
            action: "create",
            before: None,
            after: Some(json!({ "accountId": account, "status": input.status.code(), "since": input.since, "note": note })),
        },
    )
    .await?;
    Ok(id)
}
