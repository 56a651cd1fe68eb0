//! Beneficiaries, subsidies and opening balances of an account, from its card.

use async_graphql::{Context, Object};
use chrono::{NaiveDate, Utc};

use super::subscribers::{AccountCard, card, visible_account};
use crate::beneficiaries::{self, BeneficiaryInput};
use crate::restructurings::{self, RestructuringInput};
use crate::subsidies;
use access::auth::{self, Action, Document, Scope};
use platform::error::AppResult;

/// The account's card after a change made in `txn` (which it commits).
async fn card_after(
    txn: sea_orm::DatabaseTransaction,
    scope: &Scope<'_>,
    account_id: i64,
) -> AppResult<AccountCard> {
    let c = card(&txn, visible_account(&txn, scope, account_id).await?).await?;
    txn.commit().await?;
    Ok(c)
}

#[derive(Default)]
pub struct AccountBenefitsMutation;

#[Object]
impl AccountBenefitsMutation {
    /// A resident of the account gets a benefit over a period (and, for a family
    /// benefit, the residents it extends to).
    async fn add_beneficiary(
        &self,
        ctx: &Context<'_>,
        account_id: i64,
        input: BeneficiaryInput,
    ) -> AppResult<AccountCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        visible_account(&txn, &scope, account_id).await?;
        beneficiaries::add(&txn, &scope.actor(), Utc::now(), account_id, &input).await?;
        card_after(txn, &scope, account_id).await
    }

    /// Ends a benefit on a day (null reopens it); the members' periods end no later.
    async fn end_beneficiary(
        &self,
        ctx: &Context<'_>,
        id: i64,
        ends_on: Option<NaiveDate>,
    ) -> AppResult<AccountCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        let (account_id, _) = beneficiaries::by_id(&txn, id).await?;
        visible_account(&txn, &scope, account_id).await?;
        beneficiaries::set_end(&txn, &scope.actor(), Utc::now(), id, ends_on).await?;
        card_after(txn, &scope, account_id).await
    }

    async fn remove_beneficiary(&self, ctx: &Context<'_>, id: i64) -> AppResult<AccountCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        let (account_id, _) = beneficiaries::by_id(&txn, id).await?;
        visible_account(&txn, &scope, account_id).await?;
        beneficiaries::remove(&txn, &scope.actor(), Utc::now(), id).await?;
        card_after(txn, &scope, account_id).await
    }

    /// Enters the subsidy of a service for a period (`2026-11`); amount as text.
    async fn set_subsidy(
        &self,
        ctx: &Context<'_>,
        account_id: i64,
        service_id: i32,
        period: String,
        amount: String,
    ) -> AppResult<AccountCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        visible_account(&txn, &scope, account_id).await?;
        let now = Utc::now();
        subsidies::set_subsidy(
            &txn,
            &scope.actor(),
            now,
            account_id,
            service_id,
            &period,
            &amount,
        )
        .await?;
        card_after(txn, &scope, account_id).await
    }

    /// Deletes a subsidy no invoice uses yet.
    async fn delete_subsidy(&self, ctx: &Context<'_>, id: i64) -> AppResult<AccountCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        let (account_id, _) = subsidies::subsidy(&txn, id).await?;
        visible_account(&txn, &scope, account_id).await?;
        subsidies::delete_subsidy(&txn, &scope.actor(), Utc::now(), id).await?;
        card_after(txn, &scope, account_id).await
    }

    /// Makes a debt restructuring agreement with its monthly schedule.
    async fn add_restructuring(
        &self,
        ctx: &Context<'_>,
        account_id: i64,
        input: RestructuringInput,
    ) -> AppResult<AccountCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        visible_account(&txn, &scope, account_id).await?;
        restructurings::add(&txn, &scope.actor(), Utc::now(), account_id, &input).await?;
        card_after(txn, &scope, account_id).await
    }

    /// Cancels an active agreement (its schedule stays for the record).
    async fn cancel_restructuring(&self, ctx: &Context<'_>, id: i64) -> AppResult<AccountCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        let (account_id, _) = restructurings::by_id(&txn, id).await?;
        visible_account(&txn, &scope, account_id).await?;
        restructurings::cancel(&txn, &scope.actor(), Utc::now(), id).await?;
        card_after(txn, &scope, account_id).await
    }

    /// Enters the opening balance of a service for a period; an empty amount removes it.
    async fn set_opening_balance(
        &self,
        ctx: &Context<'_>,
        account_id: i64,
        service_id: i32,
        period: String,
        amount: String,
    ) -> AppResult<AccountCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        visible_account(&txn, &scope, account_id).await?;
        let now = Utc::now();
        subsidies::set_opening_balance(
            &txn,
            &scope.actor(),
            now,
            account_id,
            service_id,
            &period,
            &amount,
        )
        .await?;
        card_after(txn, &scope, account_id).await
    }
}
