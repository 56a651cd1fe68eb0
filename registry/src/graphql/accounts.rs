//! Registry queries: the summary panel, the account list.

use async_graphql::{Context, Object};
use sea_orm::{
    ColumnTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, Statement,
};

use super::types::{Account, AccountPage, Summary};
use crate::accounts::{self, AccountFilter, AccountSort};
use access::auth::{self, Action, Document};
use platform::entities::account;
use platform::error::{AppError, AppResult};
use platform::sql::MAX_PAGE;

#[derive(Default)]
pub struct RegistryQuery;

#[derive(FromQueryResult)]
struct SummaryRow {
    accounts: i64,
    residents: Option<i64>,
    meters: Option<i64>,
    total_debt: Option<rust_decimal::Decimal>,
}

#[Object]
impl RegistryQuery {
    /// Totals for the summary panel.
    async fn summary(&self, ctx: &Context<'_>) -> AppResult<Summary> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::View)?;
        let txn = scope.begin().await?;
        let row = SummaryRow::find_by_statement(Statement::from_string(
            DbBackend::Postgres,
            format!(
                "SELECT count(*) AS accounts, sum(residents)::bigint AS residents, \
                 sum(meters)::bigint AS meters, sum(balance) AS total_debt FROM accounts {}",
                scope
                    .session
                    .reach
                    .account_condition()
                    .map(|c| format!("WHERE {c}"))
                    .unwrap_or_default()
            ),
        ))
        .one(&txn)
        .await?;
        txn.commit().await?;
        let row = row.ok_or_else(|| AppError::Internal("empty summary".into()))?;
        Ok(Summary {
            accounts: row.accounts,
            residents: row.residents.unwrap_or(0),
            meters: row.meters.unwrap_or(0),
            total_debt: domain::money(row.total_debt.unwrap_or_default()),
        })
    }

    /// Accounts, sorted (by number unless asked otherwise); `search` matches number,
    /// holder or address.
    #[allow(clippy::too_many_arguments)]
    async fn accounts(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 0)] offset: u64,
        #[graphql(default = 50)] limit: u64,
        search: Option<String>,
        #[graphql(default)] sort: AccountSort,
        #[graphql(default = false)] desc: bool,
        journal_id: Option<i32>,
        type_id: Option<i32>,
    ) -> AppResult<AccountPage> {
        if limit == 0 || limit > MAX_PAGE {
            return Err(AppError::validation(
                "limit",
                format!("must be from 1 to {MAX_PAGE}"),
            ));
        }
        let scope = auth::authorize(ctx, Document::Accounts, Action::View)?;
        let filter = AccountFilter {
            search,
            reach: scope.session.reach.clone(),
            journal_id,
            type_id,
        };
        let txn = scope.begin().await?;
        let (total, rows) = accounts::page(&txn, &filter, sort, desc, offset, limit).await?;
        txn.commit().await?;
        Ok(AccountPage {
            total: i64::try_from(total).unwrap_or(i64::MAX),
            items: rows.into_iter().map(|(a, b)| Account::new(a, b)).collect(),
        })
    }

    /// A subscriber's own accounts (the portal's starting point).
    async fn my_accounts(&self, ctx: &Context<'_>) -> AppResult<Vec<Account>> {
        let scope = auth::access::subscriber(ctx)?;
        let txn = scope.begin().await?;
        let rows = account::Entity::find()
            .filter(account::Column::Id.is_in(scope.session.accounts.iter().copied()))
            .order_by_asc(account::Column::Number)
            .all(&txn)
            .await?;
        txn.commit().await?;
        Ok(rows.into_iter().map(|a| Account::new(a, None)).collect())
    }
}
