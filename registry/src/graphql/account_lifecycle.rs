//! An account's status (single and bulk) and its card fields.

use async_graphql::{Context, Object};
use chrono::Utc;

use super::account_services::translated;
use super::subscribers::{AccountCard, card, visible_account};
use crate::account_holder::{self, AccountHolderInput};
use crate::account_journal;
use crate::account_lifecycle::{self, AccountEditInput, AccountStatusInput};
use crate::account_services::GroupResult;
use crate::group_open::{self, GroupOpenInput, GroupOpenProtocol};
use access::auth::{self, Action, Document};
use platform::error::AppResult;
use platform::i18n::Lang;

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

    /// Sets the holder of an account that has no invoice yet (a group opening's draft):
    /// an existing subscriber or a new one.
    async fn set_account_holder(
        &self,
        ctx: &Context<'_>,
        id: i64,
        input: AccountHolderInput,
    ) -> AppResult<AccountCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        visible_account(&txn, &scope, id).await?;
        let reach = &scope.session.reach;
        account_holder::set_holder(&txn, &scope.actor(), Utc::now(), reach, id, &input).await?;
        let c = card(&txn, visible_account(&txn, &scope, id).await?).await?;
        txn.commit().await?;
        Ok(c)
    }

    /// Opens a draft account for every apartment of the chosen buildings (or of a
    /// street) that has none; the protocol lists each apartment.
    async fn open_accounts_for_buildings(
        &self,
        ctx: &Context<'_>,
        input: GroupOpenInput,
    ) -> AppResult<GroupOpenProtocol> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Create)?;
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        let mut p =
            group_open::open_for_buildings(&txn, &scope.actor(), Utc::now(), reach, &input).await?;
        txn.commit().await?;
        let lang = ctx.data_opt::<Lang>().copied().unwrap_or(Lang::EN);
        for l in &mut p.lines {
            l.reason = l.reason.take().map(|r| platform::i18n::message(lang, &r));
        }
        Ok(p)
    }

    /// Moves the selected accounts to a journal (null: out of every journal); accounts
    /// already there are listed as skipped.
    async fn move_accounts_to_journal(
        &self,
        ctx: &Context<'_>,
        account_ids: Vec<i64>,
        journal_id: Option<i32>,
    ) -> AppResult<GroupResult> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        let r = account_journal::move_to_journal(
            &txn,
            &scope.actor(),
            Utc::now(),
            &scope.session.reach,
            &account_ids,
            journal_id,
        )
        .await?;
        txn.commit().await?;
        Ok(translated(ctx, r))
    }
}
