//! Legal entities through GraphQL: the list, the card with contracts and metering points,
//! a new legal entity, a contract (with its account), metering points.

use async_graphql::{Context, Object, SimpleObject};
use chrono::Utc;

use crate::addresses;
use crate::contracts::{
    self, ContractInput, LegalEntityCard, LegalEntityInput, LegalEntityRow, MeteringPointInput,
};
use access::auth::{self, Action, Document, Scope};
use platform::error::{AppError, AppResult};
use platform::sql::MAX_PAGE;

#[derive(SimpleObject)]
pub struct LegalEntityPage {
    pub total: i64,
    pub items: Vec<LegalEntityRow>,
}

/// The card after a change in `txn` (which it commits).
async fn card_after(
    txn: sea_orm::DatabaseTransaction,
    scope: &Scope<'_>,
    id: i64,
) -> AppResult<LegalEntityCard> {
    let c = contracts::card(&txn, &scope.session.reach, id).await?;
    txn.commit().await?;
    Ok(c)
}

/// NOT_FOUND unless the contract's account is within the user's reach.
async fn visible_contract(
    txn: &sea_orm::DatabaseTransaction,
    scope: &Scope<'_>,
    contract_id: i64,
) -> AppResult<i64> {
    let (subscriber_id, account_id) = contracts::contract_owner(txn, contract_id).await?;
    super::subscribers::visible_account(txn, scope, account_id).await?;
    Ok(subscriber_id)
}

#[derive(Default)]
pub struct LegalQuery;

#[Object]
impl LegalQuery {
    /// Legal entities; `search` matches name, tax id, contract or account number.
    async fn legal_entities(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        #[graphql(default = 0)] offset: u64,
        #[graphql(default = 50)] limit: u64,
    ) -> AppResult<LegalEntityPage> {
        if limit == 0 || limit > MAX_PAGE {
            return Err(AppError::validation(
                "limit",
                format!("must be from 1 to {MAX_PAGE}"),
            ));
        }
        let scope = auth::authorize(ctx, Document::Subscribers, Action::View)?;
        let txn = scope.begin().await?;
        let (total, items) =
            contracts::list(&txn, &scope.session.reach, search.as_deref(), offset, limit).await?;
        txn.commit().await?;
        Ok(LegalEntityPage { total, items })
    }

    async fn legal_entity(&self, ctx: &Context<'_>, id: i64) -> AppResult<LegalEntityCard> {
        let scope = auth::authorize(ctx, Document::Subscribers, Action::View)?;
        let txn = scope.begin().await?;
        card_after(txn, &scope, id).await
    }
}

#[derive(Default)]
pub struct LegalMutation;

#[Object]
impl LegalMutation {
    async fn create_legal_entity(
        &self,
        ctx: &Context<'_>,
        input: LegalEntityInput,
    ) -> AppResult<LegalEntityCard> {
        let scope = auth::authorize(ctx, Document::Subscribers, Action::Create)?;
        let txn = scope.begin().await?;
        let id = contracts::create(&txn, &scope.actor(), Utc::now(), &input).await?;
        card_after(txn, &scope, id).await
    }

    /// A contract of the legal entity, with its account opened in the given premises.
    async fn add_contract(
        &self,
        ctx: &Context<'_>,
        legal_entity_id: i64,
        input: ContractInput,
    ) -> AppResult<LegalEntityCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Create)?;
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        if !addresses::premises_in_reach(&txn, reach, input.premises_id).await? {
            return Err(AppError::validation(
                "premisesId",
                format!("there is no premises {}", input.premises_id),
            ));
        }
        contracts::add_contract(&txn, &scope.actor(), Utc::now(), legal_entity_id, &input).await?;
        card_after(txn, &scope, legal_entity_id).await
    }

    async fn add_metering_point(
        &self,
        ctx: &Context<'_>,
        contract_id: i64,
        input: MeteringPointInput,
    ) -> AppResult<LegalEntityCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        let owner = visible_contract(&txn, &scope, contract_id).await?;
        contracts::add_metering_point(&txn, &scope.actor(), Utc::now(), contract_id, &input)
            .await?;
        card_after(txn, &scope, owner).await
    }

    async fn remove_metering_point(
        &self,
        ctx: &Context<'_>,
        id: i64,
    ) -> AppResult<LegalEntityCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        // Removed first, then checked: outside the reach, the error rolls it back.
        let contract =
            contracts::remove_metering_point(&txn, &scope.actor(), Utc::now(), id).await?;
        let owner = visible_contract(&txn, &scope, contract).await?;
        card_after(txn, &scope, owner).await
    }
}
