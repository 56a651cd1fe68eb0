//! The account list: filtered by search text and branch scope, sorted, paged.

use sea_orm::{
    ColumnTrait, Condition, DatabaseTransaction, DbBackend, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
    sea_query::{Expr, extension::postgres::PgExpr},
};

use crate::entities::account;
use crate::error::AppResult;

/// Which accounts: `search` matches number, holder or address (case-insensitive, the
/// text taken literally); `branches` limits to those branches.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct AccountFilter {
    pub search: Option<String>,
    pub branches: Option<Vec<i32>>,
}

#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    async_graphql::Enum,
)]
pub enum AccountSort {
    #[default]
    Number,
    Holder,
    Address,
    Residents,
    Balance,
}

/// An account with its branch's name.
pub type AccountRow = (account::Model, Option<String>);

fn query(f: &AccountFilter) -> sea_orm::Select<account::Entity> {
    let mut q = account::Entity::find();
    if let Some(b) = &f.branches {
        q = q.filter(account::Column::BranchId.is_in(b.iter().copied()));
    }
    if let Some(pattern) = super::like_pattern(f.search.as_deref()) {
        q = q.filter(
            Condition::any()
                .add(account::Column::Number.like(pattern.clone()))
                .add(Expr::col(account::Column::HolderName).ilike(pattern.clone()))
                .add(Expr::col(account::Column::Address).ilike(pattern)),
        );
    }
    q
}

#[derive(FromQueryResult)]
struct BranchName {
    id: i32,
    name: String,
}

/// One page, and the total count of the filter.
pub async fn page(
    txn: &DatabaseTransaction,
    f: &AccountFilter,
    sort: AccountSort,
    desc: bool,
    offset: u64,
    limit: u64,
) -> AppResult<(u64, Vec<AccountRow>)> {
    let total = query(f).count(txn).await?;
    let column = match sort {
        AccountSort::Number => account::Column::Number,
        AccountSort::Holder => account::Column::HolderName,
        AccountSort::Address => account::Column::Address,
        AccountSort::Residents => account::Column::Residents,
        AccountSort::Balance => account::Column::Balance,
    };
    let order = if desc {
        sea_orm::Order::Desc
    } else {
        sea_orm::Order::Asc
    };
    // The number breaks ties, so pages never overlap.
    let rows = query(f)
        .order_by(column, order)
        .order_by_asc(account::Column::Number)
        .offset(offset)
        .limit(limit)
        .all(txn)
        .await?;
    let branches = BranchName::find_by_statement(Statement::from_string(
        DbBackend::Postgres,
        "SELECT id, name FROM branches",
    ))
    .all(txn)
    .await?;
    let rows = rows
        .into_iter()
        .map(|a| {
            let b = branches
                .iter()
                .find(|b| Some(b.id) == a.branch_id)
                .map(|b| b.name.clone());
            (a, b)
        })
        .collect();
    Ok((total, rows))
}
