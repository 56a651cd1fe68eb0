//! The enterprise card's resolvers: read by whom settings open, saved by whom may change
//! them, audited as `enterprise` `update` with the card before and after.

use async_graphql::{Context, Object};
use chrono::Utc;
use serde_json::json;

use crate::enterprise::{self, Enterprise, EnterpriseInput};
use access::auth::{self, Action, Document};
use platform::audit;
use platform::error::AppResult;

#[derive(Default)]
pub struct EnterpriseQuery;

#[Object]
impl EnterpriseQuery {
    /// The enterprise card (seed 001 §2.2): name, codes, addresses, management, tax office
    /// and bank accounts.
    async fn enterprise(&self, ctx: &Context<'_>) -> AppResult<Enterprise> {
        let scope = auth::authorize(ctx, Document::Settings, Action::View)?;
        let txn = scope.begin().await?;
        let card = enterprise::load(&txn).await?;
        txn.commit().await?;
        Ok(card)
    }
}

#[derive(Default)]
pub struct EnterpriseMutation;

#[Object]
impl EnterpriseMutation {
    /// Saves the enterprise card whole: its accounts replace the old list (at least one,
    /// exactly one main, banks from the banks book); the name, tax code, legal address and
    /// the main account become the invoices' requisites.
    async fn update_enterprise(
        &self,
        ctx: &Context<'_>,
        input: EnterpriseInput,
    ) -> AppResult<Enterprise> {
        let scope = auth::authorize(ctx, Document::Settings, Action::Update)?;
        let tenant = platform::tenants::find(&scope.state.db, scope.tenant).await?;
        let card = enterprise::check(&tenant.jurisdiction, &input)?;
        let txn = scope.begin().await?;
        let before = enterprise::load(&txn).await?;
        enterprise::save(&txn, &card).await?;
        let after = enterprise::load(&txn).await?;
        audit::settings_changed(
            &txn,
            &scope.actor(),
            Utc::now(),
            "enterprise",
            "update",
            Some(json!(before)),
            json!(after),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }
}
