//! The book of penalty moratoria (`penalty_moratoria`): dated intervals, both days
//! included, on which no penalty accrues under a rule — the penalty statement reads the
//! rule's intervals unless its input names its own. A reference book: viewing and editing
//! it take the reference-book permissions; each change is one audited record.

use async_graphql::{Context, Object};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};

use crate::penalty::RuleInput;
use access::auth::{self, Action, Document};
use platform::audit::{self, Actor};
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

/// The longest note (a decree's name and number).
const NOTE_MAX: usize = 300;

#[derive(Debug, Clone, PartialEq, async_graphql::SimpleObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PenaltyMoratorium {
    pub id: i32,
    pub rule: RuleInput,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub note: String,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct PenaltyMoratoriumInput {
    pub rule: RuleInput,
    pub from: NaiveDate,
    /// The last day without penalty (included).
    pub to: NaiveDate,
    #[graphql(default)]
    pub note: String,
}

#[derive(FromQueryResult)]
struct Row {
    id: i32,
    rule: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    note: String,
}

fn view(r: Row) -> PenaltyMoratorium {
    PenaltyMoratorium {
        id: r.id,
        rule: RuleInput::from_code(&r.rule),
        from: r.starts_on,
        to: r.ends_on,
        note: r.note,
    }
}

const SELECT: &str = "SELECT id, rule, starts_on, ends_on, note FROM penalty_moratoria";

/// Every moratorium, by rule and first day.
pub async fn list(txn: &DatabaseTransaction) -> AppResult<Vec<PenaltyMoratorium>> {
    Ok(Row::find_by_statement(stmt(
        &format!("{SELECT} ORDER BY rule, starts_on, id"),
        vec![],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(view)
    .collect())
}

async fn one(txn: &DatabaseTransaction, id: i32) -> AppResult<PenaltyMoratorium> {
    Row::find_by_statement(stmt(&format!("{SELECT} WHERE id = $1"), vec![id.into()]))
        .one(txn)
        .await?
        .map(view)
        .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))
}

/// The input checked: the interval the right way round, a note of at most 300 characters,
/// and no overlap with another interval of the same rule (two would count one day twice
/// in the book and say nothing more).
async fn check(
    txn: &DatabaseTransaction,
    id: Option<i32>,
    input: &PenaltyMoratoriumInput,
) -> AppResult<String> {
    if input.to < input.from {
        return Err(AppError::validation("to", "must not be before the start"));
    }
    let note = input.note.trim().to_owned();
    if note.chars().count() > NOTE_MAX {
        return Err(AppError::validation(
            "note",
            format!("must be at most {NOTE_MAX} characters"),
        ));
    }
    let overlapping = Row::find_by_statement(stmt(
        &format!(
            "{SELECT} WHERE rule = $1 AND starts_on <= $3 AND ends_on >= $2 \
             AND id IS DISTINCT FROM $4 ORDER BY starts_on LIMIT 1"
        ),
        vec![
            input.rule.code().into(),
            input.from.into(),
            input.to.into(),
            id.into(),
        ],
    ))
    .one(txn)
    .await?;
    if let Some(o) = overlapping {
        return Err(AppError::validation(
            "from",
            format!(
                "overlaps the moratorium {} – {} of the same rule",
                o.starts_on, o.ends_on
            ),
        ));
    }
    Ok(note)
}

async fn log(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i32,
    before: Option<&PenaltyMoratorium>,
    after: Option<&PenaltyMoratorium>,
) -> AppResult<()> {
    audit::record_row(
        txn,
        actor,
        now,
        ("penalty_moratorium", id.to_string()),
        before,
        after,
    )
    .await
}

/// Adds a moratorium (`id` none) or changes one.
pub async fn save(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: Option<i32>,
    input: &PenaltyMoratoriumInput,
) -> AppResult<PenaltyMoratorium> {
    let before = match id {
        Some(id) => Some(one(txn, id).await?),
        None => None,
    };
    let note = check(txn, id, input).await?;
    let values = vec![
        input.rule.code().into(),
        input.from.into(),
        input.to.into(),
        note.into(),
    ];
    let saved = match id {
        Some(id) => {
            let mut values = values;
            values.push(id.into());
            Row::find_by_statement(stmt(
                "UPDATE penalty_moratoria SET rule = $1, starts_on = $2, ends_on = $3, note = $4 \
                 WHERE id = $5 RETURNING id, rule, starts_on, ends_on, note",
                values,
            ))
            .one(txn)
            .await?
        }
        None => {
            Row::find_by_statement(stmt(
                "INSERT INTO penalty_moratoria (rule, starts_on, ends_on, note) \
                 VALUES ($1, $2, $3, $4) RETURNING id, rule, starts_on, ends_on, note",
                values,
            ))
            .one(txn)
            .await?
        }
    }
    .map(view)
    .ok_or_else(|| AppError::Internal("the moratorium was not written".into()))?;
    log(txn, actor, now, saved.id, before.as_ref(), Some(&saved)).await?;
    Ok(saved)
}

pub async fn delete(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i32,
) -> AppResult<()> {
    let before = one(txn, id).await?;
    txn.execute_raw(stmt(
        "DELETE FROM penalty_moratoria WHERE id = $1",
        vec![id.into()],
    ))
    .await?;
    log(txn, actor, now, id, Some(&before), None).await
}

#[derive(Default)]
pub struct MoratoriaQuery;

#[Object]
impl MoratoriaQuery {
    /// The book of penalty moratoria, by rule and first day.
    async fn penalty_moratoria(&self, ctx: &Context<'_>) -> AppResult<Vec<PenaltyMoratorium>> {
        let scope = auth::authorize(ctx, Document::ReferenceBooks, Action::View)?;
        let txn = scope.begin().await?;
        let rows = list(&txn).await?;
        txn.commit().await?;
        Ok(rows)
    }
}

#[derive(Default)]
pub struct MoratoriaMutation;

#[Object]
impl MoratoriaMutation {
    /// Adds a moratorium (no `id`) or changes one; intervals of one rule may not overlap.
    async fn save_penalty_moratorium(
        &self,
        ctx: &Context<'_>,
        id: Option<i32>,
        input: PenaltyMoratoriumInput,
    ) -> AppResult<PenaltyMoratorium> {
        let scope = auth::authorize(ctx, Document::ReferenceBooks, Action::Update)?;
        let txn = scope.begin().await?;
        let m = save(&txn, &scope.actor(), Utc::now(), id, &input).await?;
        txn.commit().await?;
        Ok(m)
    }

    async fn delete_penalty_moratorium(&self, ctx: &Context<'_>, id: i32) -> AppResult<bool> {
        let scope = auth::authorize(ctx, Document::ReferenceBooks, Action::Delete)?;
        let txn = scope.begin().await?;
        delete(&txn, &scope.actor(), Utc::now(), id).await?;
        txn.commit().await?;
        Ok(true)
    }
}
