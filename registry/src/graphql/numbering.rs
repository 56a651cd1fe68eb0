//! The account numbering setting.

use async_graphql::{Context, Object};
use chrono::Utc;

use crate::numbering::{self, Numbering, NumberingInput};
use access::auth::{self, Action, Document};
use platform::error::AppResult;

#[derive(Default)]
pub struct NumberingQuery;

#[Object]
impl NumberingQuery {
    /// How new accounts are numbered.
    async fn account_numbering(&self, ctx: &Context<'_>) -> AppResult<Numbering> {
        let scope = auth::authorize(ctx, Document::Settings, Action::View)?;
        let txn = scope.begin().await?;
        let n = numbering::get(&txn).await?;
        txn.commit().await?;
        Ok(n)
    }
}

#[derive(Default)]
pub struct NumberingMutation;

#[Object]
impl NumberingMutation {
    /// Sets automatic or manual numbering, the prefix and the length numbers are padded to.
    async fn update_account_numbering(
        &self,
        ctx: &Context<'_>,
        input: NumberingInput,
    ) -> AppResult<Numbering> {
        let scope = auth::authorize(ctx, Document::Settings, Action::Update)?;
        let txn = scope.begin().await?;
        let n = numbering::update(&txn, &scope.actor(), Utc::now(), &input).await?;
        txn.commit().await?;
        Ok(n)
    }
}
