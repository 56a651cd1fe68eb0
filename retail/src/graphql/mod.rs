//! The dossiers through GraphQL: the list of customers and a customer's card; saving a
//! customer, a point, a contract or an annex. Viewing takes `subscribers.view`, a new
//! customer `subscribers.create`, every change of a dossier `subscribers.update` (a
//! trader's customers are its subscribers); each answers with the card.

use async_graphql::{Context, Object, Upload};
use chrono::Utc;

use access::auth::{self, Action, Document, Scope};
use platform::error::{AppError, AppResult};
use platform::sql::MAX_PAGE;

use crate::contracts::{self, RetailContractInput, Target};
use crate::customers::{self, RetailCustomerCard, RetailCustomerInput, RetailCustomerPage};
use crate::documents::{self, Attach};
use crate::points::{self, RetailPointInput};

/// The card after a change in `txn` (which it commits).
async fn card_after(
    txn: sea_orm::DatabaseTransaction,
    scope: &Scope<'_>,
    id: i64,
) -> AppResult<RetailCustomerCard> {
    let c = customers::card(&txn, &scope.session.reach, id).await?;
    txn.commit().await?;
    Ok(c)
}

#[derive(Default)]
pub struct RetailQuery;

#[Object]
impl RetailQuery {
    /// The trader's customers within reach; `search` matches the name, identifier, VAT
    /// number, a point's EIC or number, a contract's number.
    async fn retail_customers(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        #[graphql(default = 0)] offset: u64,
        #[graphql(default = 50)] limit: u64,
    ) -> AppResult<RetailCustomerPage> {
        if limit == 0 || limit > MAX_PAGE {
            return Err(AppError::validation(
                "limit",
                format!("must be from 1 to {MAX_PAGE}"),
            ));
        }
        let scope = auth::authorize(ctx, Document::Subscribers, Action::View)?;
        let txn = scope.begin().await?;
        let page =
            customers::list(&txn, &scope.session.reach, search.as_deref(), offset, limit).await?;
        txn.commit().await?;
        Ok(page)
    }

    /// What a dossier's forms choose from: branches within reach, active grid operators
    /// and intermediaries.
    async fn retail_choices(&self, ctx: &Context<'_>) -> AppResult<customers::RetailChoices> {
        let scope = auth::authorize(ctx, Document::Subscribers, Action::View)?;
        let txn = scope.begin().await?;
        let c = customers::choices(&txn, &scope.session.reach).await?;
        txn.commit().await?;
        Ok(c)
    }

    async fn retail_customer(&self, ctx: &Context<'_>, id: i64) -> AppResult<RetailCustomerCard> {
        let scope = auth::authorize(ctx, Document::Subscribers, Action::View)?;
        let txn = scope.begin().await?;
        card_after(txn, &scope, id).await
    }
}

#[derive(Default)]
pub struct RetailMutation;

#[Object]
impl RetailMutation {
    /// A new customer (no `id`) or a change of one.
    async fn save_retail_customer(
        &self,
        ctx: &Context<'_>,
        id: Option<i64>,
        input: RetailCustomerInput,
    ) -> AppResult<RetailCustomerCard> {
        let action = if id.is_some() {
            Action::Update
        } else {
            Action::Create
        };
        let scope = auth::authorize(ctx, Document::Subscribers, action)?;
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        let saved = customers::save(&txn, reach, &scope.actor(), Utc::now(), id, &input).await?;
        card_after(txn, &scope, saved).await
    }

    /// A new point of a customer (`customerId`, no `id`) or a change of a point.
    async fn save_retail_point(
        &self,
        ctx: &Context<'_>,
        customer_id: Option<i64>,
        id: Option<i64>,
        input: RetailPointInput,
    ) -> AppResult<RetailCustomerCard> {
        let scope = auth::authorize(ctx, Document::Subscribers, Action::Update)?;
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        let owner = points::save(
            &txn,
            reach,
            &scope.actor(),
            Utc::now(),
            customer_id,
            id,
            &input,
        )
        .await?;
        card_after(txn, &scope, owner).await
    }

    /// A new contract of a customer (`customerId`), a new annex of a contract
    /// (`annexOf`), or a change of either (`id`); exactly one of the three.
    async fn save_retail_contract(
        &self,
        ctx: &Context<'_>,
        customer_id: Option<i64>,
        annex_of: Option<i64>,
        id: Option<i64>,
        input: RetailContractInput,
    ) -> AppResult<RetailCustomerCard> {
        let scope = auth::authorize(ctx, Document::Subscribers, Action::Update)?;
        let target = match (customer_id, annex_of, id) {
            (Some(customer), None, None) => Target::NewContract { customer },
            (None, Some(contract), None) => Target::NewAnnex { contract },
            (None, None, Some(id)) => Target::Change { id },
            _ => {
                return Err(AppError::validation(
                    "id",
                    "give one of customerId, annexOf and id",
                ));
            }
        };
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        let owner =
            contracts::save(&txn, reach, &scope.actor(), Utc::now(), target, &input).await?;
        card_after(txn, &scope, owner).await
    }

    /// Attaches a scanned paper (PDF, PNG, JPEG or TIFF) to a customer, or to one of its
    /// contracts.
    async fn attach_retail_document(
        &self,
        ctx: &Context<'_>,
        customer_id: i64,
        contract_id: Option<i64>,
        file: Upload,
    ) -> AppResult<RetailCustomerCard> {
        let scope = auth::authorize(ctx, Document::Subscribers, Action::Update)?;
        let received = access::uploads::receive(ctx, file)?;
        let txn = scope.begin().await?;
        let at = Attach {
            store: &scope.state.store,
            tenant: scope.tenant,
            customer: customer_id,
            contract: contract_id,
        };
        let reach = &scope.session.reach;
        let owner =
            documents::attach(&txn, reach, &scope.actor(), Utc::now(), at, received).await?;
        card_after(txn, &scope, owner).await
    }

    /// Removes a scanned paper with its file.
    async fn remove_retail_document(
        &self,
        ctx: &Context<'_>,
        id: i64,
    ) -> AppResult<RetailCustomerCard> {
        let scope = auth::authorize(ctx, Document::Subscribers, Action::Update)?;
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        let gone = documents::remove(&txn, reach, &scope.actor(), Utc::now(), id).await?;
        let card = card_after(txn, &scope, gone.customer_id).await?;
        // After the commit: a failed delete leaves an unlisted file, never a listed
        // paper without one.
        if let Err(e) = scope.state.store.delete(&gone.object_key).await {
            tracing::warn!(error = %e, key = gone.object_key, "a removed paper's file stayed");
        }
        Ok(card)
    }
}
