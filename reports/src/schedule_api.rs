//! Scheduled reports through GraphQL: the tenant admin's work (settings.view to list,
//! settings.update to change, reports.view to name a report). A user sees and changes only
//! schedules whose reach lies within their own; a schedule keeps its author's reach.

use async_graphql::{Context, Object};
use chrono::Utc;

use crate::schedules::{self, ReportScheduleInput, ReportScheduleView};
use access::auth::{self, Action, Document, Reach};
use platform::error::{AppError, AppResult};
use platform::i18n::Lang;

/// How many runs each schedule lists.
const HISTORY: u64 = 12;

fn covered(mine: &Reach, theirs: &serde_json::Value) -> bool {
    serde_json::from_value::<Reach>(theirs.clone()).is_ok_and(|r| mine.covers(&r))
}

async fn visible(
    txn: &sea_orm::DatabaseTransaction,
    reach: &Reach,
) -> AppResult<Vec<ReportScheduleView>> {
    Ok(schedules::list(txn, HISTORY)
        .await?
        .into_iter()
        .filter(|s| covered(reach, &s.reach))
        .collect())
}

#[derive(Default)]
pub struct ReportSchedulesQuery;

#[Object]
impl ReportSchedulesQuery {
    /// The schedules within the user's reach, each with its latest runs.
    async fn report_schedules(&self, ctx: &Context<'_>) -> AppResult<Vec<ReportScheduleView>> {
        let scope = auth::authorize(ctx, Document::Settings, Action::View)?;
        let txn = scope.begin().await?;
        let list = visible(&txn, &scope.session.reach).await?;
        txn.commit().await?;
        Ok(list)
    }
}

#[derive(Default)]
pub struct ReportSchedulesMutation;

#[Object]
impl ReportSchedulesMutation {
    /// A new schedule (`id` omitted) or a schedule replaced; it reads with the saver's
    /// reach and is written in the saver's language.
    async fn save_report_schedule(
        &self,
        ctx: &Context<'_>,
        id: Option<i64>,
        input: ReportScheduleInput,
    ) -> AppResult<ReportScheduleView> {
        auth::authorize(ctx, Document::Reports, Action::View)?;
        let scope = auth::authorize(ctx, Document::Settings, Action::Update)?;
        let reach = &scope.session.reach;
        let lang = ctx.data_opt::<Lang>().copied().unwrap_or(Lang::EN);
        let txn = scope.begin().await?;
        if let Some(id) = id {
            mine(&txn, reach, id).await?;
        }
        let now = Utc::now();
        let s = schedules::save(&txn, &scope.actor(), reach, lang.code(), now, id, &input).await?;
        txn.commit().await?;
        Ok(s)
    }

    /// Removes a schedule and its run records; returns its id.
    async fn delete_report_schedule(&self, ctx: &Context<'_>, id: i64) -> AppResult<i64> {
        let scope = auth::authorize(ctx, Document::Settings, Action::Update)?;
        let txn = scope.begin().await?;
        mine(&txn, &scope.session.reach, id).await?;
        schedules::delete(&txn, &scope.actor(), Utc::now(), id).await?;
        txn.commit().await?;
        Ok(id)
    }
}

/// A schedule outside the user's reach reads as one that is not there.
async fn mine(txn: &sea_orm::DatabaseTransaction, reach: &Reach, id: i64) -> AppResult<()> {
    if visible(txn, reach).await?.iter().any(|s| s.id == id) {
        Ok(())
    } else {
        Err(AppError::NotFound("report schedule".into()))
    }
}
