//! A debtor's case from the account card: its history (accounts.view), and a new state
//! (invoices.update: collecting debts is the accountants' work, like the invoices).

use async_graphql::{Context, Object};
use chrono::Utc;

use super::subscribers::visible_account;
use crate::debt_cases::{self, DebtCase, DebtCaseInput};
use access::auth::{self, Action, Document};
use platform::error::AppResult;

#[derive(Default)]
pub struct DebtCasesQuery;

#[Object]
impl DebtCasesQuery {
    /// The account's debt collection states, newest first.
    async fn debt_cases(&self, ctx: &Context<'_>, account_id: i64) -> AppResult<Vec<DebtCase>> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::View)?;
        let txn = scope.begin().await?;
        visible_account(&txn, &scope, account_id).await?;
        let list = debt_cases::list(&txn, account_id).await?;
        txn.commit().await?;
        Ok(list)
    }
}

#[derive(Default)]
pub struct DebtCasesMutation;

#[Object]
impl DebtCasesMutation {
    /// A new state of the account's debt collection; returns the history.
    async fn add_debt_case(
        &self,
        ctx: &Context<'_>,
        account_id: i64,
        input: DebtCaseInput,
    ) -> AppResult<Vec<DebtCase>> {
        let scope = auth::authorize(ctx, Document::Invoices, Action::Update)?;
        let txn = scope.begin().await?;
        visible_account(&txn, &scope, account_id).await?;
        debt_cases::add(&txn, &scope.actor(), Utc::now(), account_id, &input).await?;
        let list = debt_cases::list(&txn, account_id).await?;
        txn.commit().await?;
        Ok(list)
    }
}
