//! Opening accounts for every apartment of chosen buildings or of a street in one go
//! (seed 001 §4.3 «Сформувати особові рахунки», Ctrl+Ins), with a protocol.
//!
//! Rules chosen:
//! - Apartments only (non-residential premises are usually let to legal entities, opened
//!   one by one with their contract); an apartment that already has an account which is
//!   not closed or annulled is skipped and the protocol names that account.
//! - The accounts are drafts with no holder yet: the seed's utility fills the owner in
//!   afterwards, and a draft is not calculated, so nobody is billed before the holder is
//!   known. The holder is set on the card (`setAccountHolder`); a draft without a holder
//!   cannot be approved.
//! - Numbers come from the tenant's automatic numbering, in address order; manual
//!   numbering refuses the run (each number would have to be typed).
//! - Only buildings within the user's reach are touched; a street's buildings outside it
//!   are left out, a chosen building outside it is "not found".
//! - At most `MAX_PREMISES` apartments per run; one unit of work: all or nothing.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{DatabaseTransaction, FromQueryResult};
use serde_json::json;

use access::auth::Reach;
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

/// Most apartments one run may open accounts for.
pub const MAX_PREMISES: usize = 5_000;

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct GroupOpenInput {
    /// The buildings whose apartments get accounts; or give `streetId`.
    #[graphql(default)]
    pub building_ids: Vec<i32>,
    /// Every building of this street within the user's reach.
    pub street_id: Option<i32>,
    /// The accounts' opening day (the seed's "date of the account").
    pub opened_on: NaiveDate,
}

/// One apartment of the protocol: the account opened, or why none was.
#[derive(Debug, Clone, async_graphql::SimpleObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenedLine {
    pub premises_id: i64,
    pub address: String,
    pub account_id: Option<i64>,
    pub number: Option<String>,
    /// Why no account was opened (in the user's language).
    pub reason: Option<String>,
}

#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct GroupOpenProtocol {
    pub opened: i64,
    pub skipped: i64,
    pub lines: Vec<OpenedLine>,
}

#[derive(FromQueryResult)]
struct Candidate {
    premises_id: i64,
    address: String,
    branch_id: Option<i32>,
    /// The number of an account already open in the apartment.
    existing: Option<String>,
}

/// The chosen buildings' ids within reach; a chosen building outside it is not found.
async fn buildings(
    txn: &DatabaseTransaction,
    reach: &Reach,
    i: &GroupOpenInput,
) -> AppResult<Vec<i32>> {
    #[derive(FromQueryResult)]
    struct Id {
        id: i32,
    }
    let within = reach
        .building_condition("b")
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default();
    let (sql, values) = match (i.street_id, i.building_ids.is_empty()) {
        (Some(s), true) => (
            format!("SELECT b.id FROM buildings b WHERE b.street_id = $1{within} ORDER BY b.id"),
            vec![s.into()],
        ),
        (None, false) => (
            format!("SELECT b.id FROM buildings b WHERE b.id = ANY($1){within} ORDER BY b.id"),
            vec![i.building_ids.clone().into()],
        ),
        _ => {
            return Err(AppError::validation(
                "buildingIds",
                "choose buildings or a street (one of the two)",
            ));
        }
    };
    let ids: Vec<i32> = Id::find_by_statement(stmt(&sql, values))
        .all(txn)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let missing = i.building_ids.iter().find(|b| !ids.contains(b));
    if let Some(b) = missing {
        return Err(AppError::NotFound(format!("record {b} does not exist")));
    }
    if ids.is_empty() {
        return Err(AppError::validation(
            "streetId",
            "the street has no buildings within your access",
        ));
    }
    Ok(ids)
}

pub async fn open_for_buildings(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    i: &GroupOpenInput,
) -> AppResult<GroupOpenProtocol> {
    let ids = buildings(txn, reach, i).await?;
    let candidates = Candidate::find_by_statement(stmt(
        "SELECT p.id AS premises_id, b.branch_id, \
                concat_ws(', ', l.name, s.name, b.number) || ', кв. ' || p.number AS address, \
                (SELECT a.number FROM accounts a WHERE a.premises_id = p.id AND a.status NOT IN ('closed', 'annulled') \
                 ORDER BY a.id LIMIT 1) AS existing \
         FROM premises p JOIN buildings b ON b.id = p.building_id JOIN streets s ON s.id = b.street_id \
         JOIN localities l ON l.id = s.locality_id \
         WHERE p.building_id = ANY($1) AND p.kind = 'apartment' \
         ORDER BY s.name, length(b.number), b.number, length(p.number), p.number",
        vec![ids.into()],
    ))
    .all(txn)
    .await?;
    if candidates.len() > MAX_PREMISES {
        return Err(AppError::validation(
            "buildingIds",
            format!("at most {MAX_PREMISES} apartments at once: choose fewer buildings"),
        ));
    }
    let fresh = candidates.iter().filter(|c| c.existing.is_none()).count();
    let mut numbers = crate::numbering::next_numbers(txn, fresh)
        .await?
        .into_iter();
    let mut lines = Vec::with_capacity(candidates.len());
    for c in candidates {
        if let Some(n) = c.existing {
            lines.push(OpenedLine {
                premises_id: c.premises_id,
                address: c.address,
                account_id: None,
                number: None,
                reason: Some(format!("the apartment already has account {n}")),
            });
            continue;
        }
        let number = numbers
            .next()
            .ok_or_else(|| AppError::Internal("numbers ran out".into()))?;
        let id = opened(txn, &number, &c, i.opened_on).await?;
        let after = json!({ "number": number, "address": c.address, "openedOn": i.opened_on, "status": "draft", "group": true });
        let change = Change {
            entity: "account",
            entity_id: id.to_string(),
            action: "open",
            before: None,
            after: Some(after),
        };
        audit::record(txn, actor, now, change).await?;
        lines.push(OpenedLine {
            premises_id: c.premises_id,
            address: c.address,
            account_id: Some(id),
            number: Some(number),
            reason: None,
        });
    }
    let opened = lines.iter().filter(|l| l.account_id.is_some()).count();
    Ok(GroupOpenProtocol {
        opened: i64::try_from(opened).unwrap_or(i64::MAX),
        skipped: i64::try_from(lines.len() - opened).unwrap_or(i64::MAX),
        lines,
    })
}

/// One draft account without a holder; a number taken meanwhile is a conflict (the run
/// is rolled back and may simply be run again).
async fn opened(
    txn: &DatabaseTransaction,
    number: &str,
    c: &Candidate,
    on: NaiveDate,
) -> AppResult<i64> {
    #[derive(FromQueryResult)]
    struct NewId {
        id: i64,
    }
    NewId::find_by_statement(stmt(
        "INSERT INTO accounts (number, holder_name, address, premises_id, status, opened_on, branch_id, type_id) \
         VALUES ($1, '', $2, $3, 'draft', $4, $5, (SELECT id FROM account_types WHERE code = 'individual' AND active)) \
         ON CONFLICT (number) DO NOTHING RETURNING id",
        vec![
            number.into(),
            c.address.clone().into(),
            c.premises_id.into(),
            on.into(),
            c.branch_id.into(),
        ],
    ))
    .one(txn)
    .await?
    .map(|r| r.id)
    .ok_or_else(|| AppError::Conflict(format!("account {number} exists")))
}
