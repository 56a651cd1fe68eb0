//! Reminders through GraphQL (`settings`): the schedule (days of the month, hour), the runs
//! with their messages, and "send now" for today's reminders of one kind.

use async_graphql::{Context, Object};
use chrono::{NaiveDate, Utc};

use crate::reminders::{
    self, ReminderMailView, ReminderRun, ReminderSettings, ReminderSettingsInput, schedule,
};
use access::auth::{self, Action, Document};
use access::jobs::Job;
use access::jobs::push;
use platform::error::{AppError, AppResult};

#[derive(Default)]
pub struct RemindersQuery;

#[Object]
impl RemindersQuery {
    async fn reminder_settings(&self, ctx: &Context<'_>) -> AppResult<ReminderSettings> {
        let scope = auth::authorize(ctx, Document::Settings, Action::View)?;
        let txn = scope.begin().await?;
        let s = reminders::load(&txn).await?;
        txn.commit().await?;
        Ok(s)
    }

    /// The reminder runs, newest first, with their messages counted by state.
    async fn reminder_runs(&self, ctx: &Context<'_>) -> AppResult<Vec<ReminderRun>> {
        let scope = auth::authorize(ctx, Document::Settings, Action::View)?;
        let txn = scope.begin().await?;
        let l = reminders::runs(&txn, 60).await?;
        txn.commit().await?;
        Ok(l)
    }

    /// The messages of one run (`kind`: readings or payment).
    async fn reminder_mails(
        &self,
        ctx: &Context<'_>,
        kind: String,
        run_on: NaiveDate,
    ) -> AppResult<Vec<ReminderMailView>> {
        let scope = auth::authorize(ctx, Document::Settings, Action::View)?;
        let kind = reminders::kind_arg(&kind)?;
        let txn = scope.begin().await?;
        let l = reminders::mails(&txn, kind, run_on).await?;
        txn.commit().await?;
        Ok(l)
    }
}

#[derive(Default)]
pub struct RemindersMutation;

#[Object]
impl RemindersMutation {
    async fn update_reminder_settings(
        &self,
        ctx: &Context<'_>,
        input: ReminderSettingsInput,
    ) -> AppResult<ReminderSettings> {
        let scope = auth::authorize(ctx, Document::Settings, Action::Update)?;
        let txn = scope.begin().await?;
        let s = reminders::save(&txn, &scope.actor(), Utc::now(), &input).await?;
        txn.commit().await?;
        Ok(s)
    }

    /// Sends today's reminders of `kind` (readings or payment) now instead of on the
    /// scheduled day; refused when that kind went today already.
    async fn send_reminders_now(&self, ctx: &Context<'_>, kind: String) -> AppResult<Job> {
        let scope = auth::authorize(ctx, Document::Settings, Action::Update)?;
        let kind = reminders::kind_arg(&kind)?;
        let now = Utc::now();
        let t = platform::tenants::find(&scope.state.db, scope.tenant).await?;
        let txn = scope.begin().await?;
        let today = schedule::local_time(&txn, now, &t.time_zone).await?.date();
        let Some((row, msg)) =
            schedule::start(&txn, scope.tenant, kind, today, &scope.actor(), now).await?
        else {
            return Err(AppError::validation(
                "kind",
                "these reminders went today already",
            ));
        };
        txn.commit().await?;
        push(&scope, row, msg).await
    }
}
