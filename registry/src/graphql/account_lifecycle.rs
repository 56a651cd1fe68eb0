//! An account's status (single and bulk) and its card fields.

use async_graphql::{Context, Object};
use chrono::Utc;

use super::account_services::translated;
use super::subscribers::{AccountCard, card, visible_account};
use crate::account_lifecycle::{self, AccountEditInput, AccountStatusInput};
use crate::account_services::GroupResult;
use access::auth::{self, Action, Document};
use platform::error::AppResult;

#[derive(Default)]
pub struct AccountLifecycleMutation;

#[Object]
impl AccountLifecycleMutation {
    /// Corrects the opening day, "no penalty", the comment, the third-party payer and the
    /// branch of an account.
    async fn update_account(
        &self,
        ctx: &Context<'_>,
        id: i64,
        input: AccountEditInput,
    ) -> AppResult<AccountCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        visible_account(&txn, &scope, id).await?;
        let reach = &scope.session.reach;
        account_lifecycle::update(&txn, &scope.actor(), Utc::now(), reach, id, &input).await?;
        let c = card(&txn, visible_account(&txn, &scope, id).await?).await?;
        txn.commit().await?;
        Ok(c)
    }

    /// Sets the status of the selected accounts (one or many; closing needs the closing
    /// day); accounts the rules refuse are listed with the reason.
    async fn set_accounts_status(
        &self,
        ctx: &Context<'_>,
        account_ids: Vec<i64>,
        input: AccountStatusInput,
    ) -> AppResult<GroupResult> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        let r = account_lifecycle::set_status(
            &txn,
            &scope.actor(),
            Utc::now(),
            &scope.session.reach,
            &account_ids,
            &input,
        )
        .await?;
        txn.commit().await?;
        Ok(translated(ctx, r))
    }
}
