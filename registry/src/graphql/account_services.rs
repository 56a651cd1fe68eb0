//! Services of an account (from its card) and the group operations on selected accounts.

use async_graphql::{Context, Object};
use chrono::Utc;

use super::subscribers::{AccountCard, card, visible_account};
use crate::account_services::{self, GroupResult, ServicePeriodInput};
use access::auth::{self, Action, Document};
use platform::error::{AppError, AppResult};
use platform::i18n::Lang;

/// The skipped accounts' reasons in the language of the request.
pub(super) fn translated(ctx: &Context<'_>, mut r: GroupResult) -> GroupResult {
    let lang = ctx.data_opt::<Lang>().copied().unwrap_or(Lang::EN);
    for s in &mut r.skipped {
        s.reason = platform::i18n::message(lang, &s.reason);
    }
    r
}

#[derive(Default)]
pub struct AccountServicesMutation;

#[Object]
impl AccountServicesMutation {
    /// Assigns a service to the account over a period.
    async fn add_account_service(
        &self,
        ctx: &Context<'_>,
        account_id: i64,
        input: ServicePeriodInput,
    ) -> AppResult<AccountCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        visible_account(&txn, &scope, account_id).await?;
        let r = account_services::assign(
            &txn,
            &scope.actor(),
            Utc::now(),
            &scope.session.reach,
            &[account_id],
            &input,
        )
        .await?;
        if !r.skipped.is_empty() {
            return Err(AppError::Conflict(
                "the account already has the service in this period".into(),
            ));
        }
        let c = card(&txn, visible_account(&txn, &scope, account_id).await?).await?;
        txn.commit().await?;
        Ok(c)
    }

    /// A new period (and quantity) for one of the account's services.
    async fn update_account_service(
        &self,
        ctx: &Context<'_>,
        id: i64,
        input: ServicePeriodInput,
    ) -> AppResult<AccountCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        let row = account_services::by_id(&txn, id).await?;
        visible_account(&txn, &scope, row.account_id).await?;
        account_services::update_one(&txn, &scope.actor(), Utc::now(), id, &input).await?;
        let c = card(&txn, visible_account(&txn, &scope, row.account_id).await?).await?;
        txn.commit().await?;
        Ok(c)
    }

    async fn remove_account_service(&self, ctx: &Context<'_>, id: i64) -> AppResult<AccountCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        let row = account_services::by_id(&txn, id).await?;
        visible_account(&txn, &scope, row.account_id).await?;
        account_services::remove_one(&txn, &scope.actor(), Utc::now(), id).await?;
        let c = card(&txn, visible_account(&txn, &scope, row.account_id).await?).await?;
        txn.commit().await?;
        Ok(c)
    }

    /// Group operation: assigns the service to every selected account that does not have
    /// it in an overlapping period; the others are listed with the reason.
    async fn group_assign_service(
        &self,
        ctx: &Context<'_>,
        account_ids: Vec<i64>,
        input: ServicePeriodInput,
    ) -> AppResult<GroupResult> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        let r = account_services::assign(
            &txn,
            &scope.actor(),
            Utc::now(),
            reach,
            &account_ids,
            &input,
        )
        .await?;
        txn.commit().await?;
        Ok(translated(ctx, r))
    }

    /// Group operation: a new period for each selected account's latest period of the service.
    async fn group_change_service_period(
        &self,
        ctx: &Context<'_>,
        account_ids: Vec<i64>,
        input: ServicePeriodInput,
    ) -> AppResult<GroupResult> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        let r = account_services::change_period(
            &txn,
            &scope.actor(),
            Utc::now(),
            reach,
            &account_ids,
            &input,
        )
        .await?;
        txn.commit().await?;
        Ok(translated(ctx, r))
    }

    /// Group operation: removes the service from each selected account.
    async fn group_remove_service(
        &self,
        ctx: &Context<'_>,
        account_ids: Vec<i64>,
        service_id: i32,
    ) -> AppResult<GroupResult> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        let r = account_services::remove(
            &txn,
            &scope.actor(),
            Utc::now(),
            reach,
            &account_ids,
            service_id,
        )
        .await?;
        txn.commit().await?;
        Ok(translated(ctx, r))
    }
}
