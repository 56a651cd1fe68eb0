//! The register of acts: filtered by kind, status, period, account, building, reason and
//! the user who made it; newest first; paged. Only acts on accounts within the user's
//! reach are listed.

use sea_orm::{DatabaseTransaction, FromQueryResult};

use crate::model::{Act, ActKind, ActStatus, SELECT};
use access::auth::Reach;
use platform::error::AppResult;
use platform::sql::stmt;

/// What the register is asked for (every part optional); kept with an export job.
#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    async_graphql::InputObject,
)]
#[serde(rename_all = "camelCase")]
pub struct ActFilter {
    pub kind: Option<ActKind>,
    pub status: Option<ActStatus>,
    /// `YYYY-MM`.
    pub period: Option<String>,
    pub account_id: Option<i64>,
    pub building_id: Option<i32>,
    pub reason_id: Option<i32>,
    /// The login of the user who made the act.
    pub created_by: Option<String>,
}

pub struct Page {
    pub total: i64,
    pub items: Vec<Act>,
}

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

/// The acts `filter` asks for, rows `offset`.. (at most `limit`).
pub async fn page(
    txn: &DatabaseTransaction,
    reach: &Reach,
    filter: &ActFilter,
    offset: u64,
    limit: u64,
) -> AppResult<Page> {
    // An act names an account, or (a recalculation over a house) a building.
    let reach = match (
        reach.account_condition_of("a"),
        reach.building_condition("bd"),
    ) {
        (Some(a), Some(b)) => {
            // An act over a branch is seen by those who reach the branch; one over every
            // account by those who reach the whole tenant only.
            let branches: Vec<String> = reach.branches.iter().map(i32::to_string).collect();
            let branch = if branches.is_empty() {
                "false".to_owned()
            } else {
                format!("x.branch_id IN ({})", branches.join(", "))
            };
            format!(
                " AND ((x.account_id IS NOT NULL AND {a}) OR \
                   (x.account_id IS NULL AND x.building_id IN (SELECT bd.id FROM buildings bd WHERE {b})) OR {branch})"
            )
        }
        _ => String::new(),
    };
    let cond = format!(
        " WHERE ($1::text IS NULL OR x.kind = $1) AND ($2::text IS NULL OR x.status = $2) \
           AND ($3::text IS NULL OR to_char(x.period, 'YYYY-MM') = $3) AND ($4::bigint IS NULL OR x.account_id = $4) \
           AND ($5::int IS NULL OR x.building_id = $5 OR a.premises_id IN (SELECT id FROM premises WHERE building_id = $5)) \
           AND ($6::int IS NULL OR x.reason_id = $6) AND ($7::text IS NULL OR x.created_by = $7) \
           {reach}"
    );
    let args = || {
        vec![
            filter.kind.map(ActKind::code).into(),
            filter.status.map(ActStatus::code).into(),
            filter.period.clone().map(|p| p.trim().to_owned()).into(),
            filter.account_id.into(),
            filter.building_id.into(),
            filter.reason_id.into(),
            filter
                .created_by
                .clone()
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty())
                .into(),
        ]
    };
    let total = Count::find_by_statement(stmt(
        &format!(
            "SELECT count(*) AS n FROM acts x LEFT JOIN accounts a ON a.id = x.account_id{cond}"
        ),
        args(),
    ))
    .one(txn)
    .await?
    .map_or(0, |c| c.n);
    let mut values = args();
    values.push(i64::try_from(offset).unwrap_or(i64::MAX).into());
    values.push(i64::try_from(limit).unwrap_or(i64::MAX).into());
    let items = Act::find_by_statement(stmt(
        &format!("{SELECT}{cond} ORDER BY x.number DESC OFFSET $8 LIMIT $9"),
        values,
    ))
    .all(txn)
    .await?;
    Ok(Page { total, items })
}
