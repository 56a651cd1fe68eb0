//! Query resolvers: parse arguments, call a repository through the tenant helper, map.

use async_graphql::{Context, Object};
use sea_orm::{
    ColumnTrait, Condition, DbBackend, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Statement,
    sea_query::{Expr, extension::postgres::PgExpr},
};
use uuid::Uuid;

use super::RequestCtx;
use super::types::{Account, AccountPage, Job, Summary, Tenant};
use crate::entities::account;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::{jobs, tenancy, tenants};

pub struct QueryRoot;

/// Largest page a client may ask for.
const MAX_PAGE: u64 = 500;

#[derive(FromQueryResult)]
struct SummaryRow {
    accounts: i64,
    residents: Option<i64>,
    meters: Option<i64>,
    total_debt: Option<rust_decimal::Decimal>,
}

#[derive(FromQueryResult)]
struct BranchName {
    id: i32,
    name: String,
}

#[Object]
impl QueryRoot {
    /// The tenant the request is served for.
    async fn tenant(&self, ctx: &Context<'_>) -> AppResult<Tenant> {
        let (state, req) = parts(ctx)?;
        Ok(tenants::find(&state.db, &req.tenant).await?.into())
    }

    /// Totals for the summary panel.
    async fn summary(&self, ctx: &Context<'_>) -> AppResult<Summary> {
        let (state, req) = parts(ctx)?;
        let txn = tenancy::begin(&state.db, &req.tenant).await?;
        let row = SummaryRow::find_by_statement(Statement::from_string(
            DbBackend::Postgres,
            "SELECT count(*) AS accounts, sum(residents)::bigint AS residents, \
             sum(meters)::bigint AS meters, sum(balance) AS total_debt FROM accounts",
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

    /// Accounts ordered by number; `search` matches number, holder or address.
    async fn accounts(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 0)] offset: u64,
        #[graphql(default = 50)] limit: u64,
        search: Option<String>,
    ) -> AppResult<AccountPage> {
        if limit == 0 || limit > MAX_PAGE {
            return Err(AppError::validation(
                "limit",
                format!("must be from 1 to {MAX_PAGE}"),
            ));
        }
        let (state, req) = parts(ctx)?;
        let txn = tenancy::begin(&state.db, &req.tenant).await?;
        let mut query = account::Entity::find();
        if let Some(s) = search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let pattern = format!(
                "%{}%",
                s.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            query = query.filter(
                Condition::any()
                    .add(account::Column::Number.like(pattern.clone()))
                    .add(Expr::col(account::Column::HolderName).ilike(pattern.clone()))
                    .add(Expr::col(account::Column::Address).ilike(pattern)),
            );
        }
        let total = query.clone().count(&txn).await?;
        let rows = query
            .order_by_asc(account::Column::Number)
            .offset(offset)
            .limit(limit)
            .all(&txn)
            .await?;
        let branches: Vec<BranchName> = BranchName::find_by_statement(Statement::from_string(
            DbBackend::Postgres,
            "SELECT id, name FROM branches",
        ))
        .all(&txn)
        .await?;
        txn.commit().await?;
        let items = rows
            .into_iter()
            .map(|a| {
                let branch = branches
                    .iter()
                    .find(|b| Some(b.id) == a.branch_id)
                    .map(|b| b.name.clone());
                Account::new(a, branch)
            })
            .collect();
        Ok(AccountPage {
            total: i64::try_from(total).unwrap_or(i64::MAX),
            items,
        })
    }

    /// One background job of this tenant.
    async fn job(&self, ctx: &Context<'_>, id: Uuid) -> AppResult<Job> {
        let (state, req) = parts(ctx)?;
        let txn = tenancy::begin(&state.db, &req.tenant).await?;
        let row = jobs::get(&txn, id).await?;
        txn.commit().await?;
        Job::from_model(row)
    }

    /// The most recent background jobs of this tenant.
    async fn jobs(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20)] limit: u64,
    ) -> AppResult<Vec<Job>> {
        if limit == 0 || limit > MAX_PAGE {
            return Err(AppError::validation(
                "limit",
                format!("must be from 1 to {MAX_PAGE}"),
            ));
        }
        let (state, req) = parts(ctx)?;
        let txn = tenancy::begin(&state.db, &req.tenant).await?;
        let rows = jobs::recent(&txn, limit).await?;
        txn.commit().await?;
        rows.into_iter().map(Job::from_model).collect()
    }
}

/// The shared state and the request's facts; missing ones are a server bug.
pub(super) fn parts<'a>(ctx: &'a Context<'_>) -> AppResult<(&'a AppState, &'a RequestCtx)> {
    let state = ctx
        .data::<AppState>()
        .map_err(|_| AppError::Internal("AppState missing from schema".into()))?;
    let req = ctx
        .data::<RequestCtx>()
        .map_err(|_| AppError::Internal("RequestCtx missing from request".into()))?;
    Ok((state, req))
}
