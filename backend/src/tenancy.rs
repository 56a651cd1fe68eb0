//! The one helper through which every tenant-scoped unit of work runs.
//!
//! [`begin`] opens a transaction and issues `SET LOCAL search_path` to the tenant's
//! schema before anything else, so unqualified table names resolve inside that schema
//! only and nothing survives the commit on the pooled connection. (The access-control
//! issue adds `SET LOCAL ROLE` to a per-tenant role here, so a faulty query cannot reach
//! another schema even by qualifying it.)

use domain::TenantSlug;
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, TransactionTrait};

use crate::error::AppResult;

/// A transaction bound to one tenant's schema. Dropping it without commit rolls back.
pub async fn begin(db: &DatabaseConnection, tenant: &TenantSlug) -> AppResult<DatabaseTransaction> {
    let txn = db.begin().await?;
    // The slug's alphabet is [a-z0-9_] (see `TenantSlug::parse`), so quoting is enough.
    txn.execute_unprepared(&format!("SET LOCAL search_path TO \"{}\"", tenant.schema()))
        .await?;
    Ok(txn)
}
