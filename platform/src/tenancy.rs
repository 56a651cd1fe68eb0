//! The one helper through which every tenant-scoped unit of work runs.
//!
//! [`begin`] opens a transaction and issues, before anything else,
//! `SET LOCAL ROLE tenant_<slug>_role` — a role with rights on that tenant's schema only,
//! so even a faulty query (a wrong search_path, a schema-qualified name) cannot read
//! another tenant's tables or the control plane — and `SET LOCAL search_path` to the
//! tenant's schema, so unqualified names resolve there. Both end with the transaction:
//! a pooled connection carries nothing to its next user.

use domain::TenantSlug;
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, TransactionTrait};

use crate::error::AppResult;

/// A transaction bound to one tenant's schema. Dropping it without commit rolls back.
pub async fn begin(db: &DatabaseConnection, tenant: &TenantSlug) -> AppResult<DatabaseTransaction> {
    let txn = db.begin().await?;
    enter(&txn, tenant).await?;
    Ok(txn)
}

/// A raw transaction bound to the tenant the same way, for what sea-orm does not expose
/// (`COPY … FROM STDIN` of the period calculation's invoices).
pub async fn begin_raw(
    db: &DatabaseConnection,
    tenant: &TenantSlug,
) -> AppResult<sea_orm::sqlx::Transaction<'static, sea_orm::sqlx::Postgres>> {
    use sea_orm::sqlx;
    if db.get_database_backend() != sea_orm::DbBackend::Postgres {
        return Err(crate::error::AppError::Internal(
            "the database must be PostgreSQL".into(),
        ));
    }
    let mut tx = db.get_postgres_connection_pool().begin().await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "SET LOCAL ROLE \"{}\"; SET LOCAL search_path TO \"{}\"",
        tenant.role(),
        tenant.schema()
    )))
    .execute(&mut *tx)
    .await?;
    Ok(tx)
}

/// Narrows an open transaction to the tenant. A use case that must also write the control
/// plane (e.g. creating a user: `public.users` + the tenant's `user_roles`) does those
/// writes first, then enters the tenant, so it stays one transaction; after `enter` the
/// control plane is out of reach.
pub async fn enter(txn: &DatabaseTransaction, tenant: &TenantSlug) -> AppResult<()> {
    // The slug's alphabet is [a-z0-9_] (see `TenantSlug::parse`), so quoting is enough.
    txn.execute_unprepared(&format!(
        "SET LOCAL ROLE \"{}\"; SET LOCAL search_path TO \"{}\"",
        tenant.role(),
        tenant.schema()
    ))
    .await?;
    Ok(())
}
