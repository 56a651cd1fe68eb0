//! Tenants: creating one (row in `public.tenants` + schema + tenant migrations) and
//! applying migrations to the control plane, one tenant, or all tenants.

use chrono::{DateTime, Utc};
use domain::TenantSlug;
use migrations::MigratorTraitReexport as _;
use migrations::{ControlMigrator, TenantMigrator};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};

use crate::entities::tenant;
use crate::error::{AppError, AppResult};

/// What a platform admin supplies for a new tenant.
#[derive(Debug, Clone)]
pub struct NewTenant {
    pub slug: TenantSlug,
    pub name: String,
    pub currency: String,
    pub locale: String,
    pub time_zone: String,
    pub jurisdiction: String,
    /// water, housing, hoa or electricity.
    pub business_kind: String,
}

impl NewTenant {
    /// A tenant with the Ukrainian defaults (UAH, uk, Europe/Kyiv, UA penalty rule).
    pub fn ukrainian(slug: TenantSlug, name: &str) -> Self {
        Self {
            slug,
            name: name.to_owned(),
            currency: "UAH".into(),
            locale: "uk".into(),
            time_zone: "Europe/Kyiv".into(),
            jurisdiction: "UA".into(),
            business_kind: "water".into(),
        }
    }

    /// A tenant with the Russian defaults (RUB, ru, Europe/Moscow, RU penalty rule).
    pub fn russian(slug: TenantSlug, name: &str) -> Self {
        Self {
            slug,
            name: name.to_owned(),
            currency: "RUB".into(),
            locale: "ru".into(),
            time_zone: "Europe/Moscow".into(),
            jurisdiction: "RU".into(),
            business_kind: "housing".into(),
        }
    }
}

/// Serialises concurrent migrations of the same schema (two replicas starting at once).
async fn lock_schema(txn: &DatabaseTransaction, schema: &str) -> AppResult<()> {
    txn.execute_unprepared(&format!(
        "SELECT pg_advisory_xact_lock(hashtext('migrate:{schema}'))"
    ))
    .await?;
    Ok(())
}

/// Applies pending control-plane migrations (schema `public`).
pub async fn migrate_control(db: &DatabaseConnection) -> AppResult<()> {
    let txn = db.begin().await?;
    lock_schema(&txn, "public").await?;
    txn.execute_unprepared("SET LOCAL search_path TO public")
        .await?;
    ControlMigrator::up(&txn, None).await?;
    grant_app_access(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Applies pending tenant migrations to one tenant's schema, creating it if needed.
pub async fn migrate_tenant(db: &DatabaseConnection, slug: &TenantSlug) -> AppResult<()> {
    migrate_tenant_when(db, slug, false, None).await.map(|_| ())
}

/// Creates a tenant's schema migrated to its first `steps` migrations only (a restore of
/// a backup taken by an earlier version loads its data there, then migrates the rest).
pub async fn migrate_tenant_to(
    db: &DatabaseConnection,
    slug: &TenantSlug,
    steps: u32,
) -> AppResult<()> {
    migrate_tenant_when(db, slug, false, Some(steps))
        .await
        .map(|_| ())
}

/// Migrates one tenant's schema under the schema lock. With `only_if_present` a tenant
/// whose row is gone by the time the lock is held (dropped meanwhile) is skipped rather
/// than given an orphan schema; returns whether the schema was migrated.
async fn migrate_tenant_when(
    db: &DatabaseConnection,
    slug: &TenantSlug,
    only_if_present: bool,
    steps: Option<u32>,
) -> AppResult<bool> {
    let schema = slug.schema();
    let txn = db.begin().await?;
    lock_schema(&txn, &schema).await?;
    if only_if_present
        && tenant::Entity::find()
            .filter(tenant::Column::Slug.eq(slug.as_str()))
            .one(&txn)
            .await?
            .is_none()
    {
        return Ok(false);
    }
    txn.execute_unprepared(&format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\""))
        .await?;
    txn.execute_unprepared(&format!("SET LOCAL search_path TO \"{schema}\""))
        .await?;
    TenantMigrator::up(&txn, steps).await?;
    grant_tenant_role(&txn, slug).await?;
    txn.commit().await?;
    Ok(true)
}

/// The group role the application's login role belongs to (infra grants it): it holds the
/// application's rights on the control plane and membership in every tenant role, and is
/// NOINHERIT, so the application reaches a tenant's data only after `SET ROLE` to it.
pub const APP_ACCESS_ROLE: &str = "billing_app_access";

/// Gives [`APP_ACCESS_ROLE`] its rights on the control plane: data tables read/write, the
/// platform audit append-only, the migration table read-only. Run after every control
/// migration, so new tables are covered.
async fn grant_app_access(txn: &DatabaseTransaction) -> AppResult<()> {
    let role = APP_ACCESS_ROLE;
    txn.execute_unprepared(&format!(
        "DO $$ BEGIN \
           IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN \
             CREATE ROLE \"{role}\" NOLOGIN NOINHERIT; \
           END IF; \
         END $$; \
         GRANT USAGE ON SCHEMA public TO \"{role}\"; \
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \"{role}\"; \
         GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO \"{role}\"; \
         REVOKE UPDATE, DELETE, TRUNCATE ON public.platform_audit FROM \"{role}\"; \
         REVOKE INSERT, UPDATE, DELETE ON public.seaql_migrations FROM \"{role}\";"
    ))
    .await?;
    Ok(())
}

/// Creates the tenant's PostgreSQL role if needed and gives it rights on the tenant's
/// schema only: data tables read/write, the audit log append-only, the migration table
/// read-only. Run after every migration, so new tables are covered.
async fn grant_tenant_role(txn: &DatabaseTransaction, slug: &TenantSlug) -> AppResult<()> {
    let (schema, role, access) = (slug.schema(), slug.role(), APP_ACCESS_ROLE);
    txn.execute_unprepared(&format!(
        "DO $$ BEGIN \
           IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN \
             CREATE ROLE \"{role}\" NOLOGIN; \
           END IF; \
         END $$; \
         GRANT \"{role}\" TO CURRENT_USER; \
         GRANT \"{role}\" TO \"{access}\"; \
         GRANT USAGE ON SCHEMA \"{schema}\" TO \"{role}\"; \
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA \"{schema}\" TO \"{role}\"; \
         GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA \"{schema}\" TO \"{role}\"; \
         REVOKE UPDATE, DELETE ON \"{schema}\".audit_log FROM \"{role}\"; \
         REVOKE INSERT, UPDATE, DELETE ON \"{schema}\".seaql_migrations FROM \"{role}\";"
    ))
    .await?;
    Ok(())
}

/// Applies pending tenant migrations to every tenant; returns the slugs migrated. A
/// tenant dropped while this runs is skipped (another replica or a purge may drop one).
pub async fn migrate_all_tenants(db: &DatabaseConnection) -> AppResult<Vec<TenantSlug>> {
    let mut done = Vec::new();
    for t in list(db).await? {
        let slug = parse_stored_slug(&t.slug)?;
        if migrate_tenant_when(db, &slug, true, None).await? {
            done.push(slug);
        }
    }
    Ok(done)
}

pub async fn list(db: &DatabaseConnection) -> AppResult<Vec<tenant::Model>> {
    Ok(tenant::Entity::find()
        .order_by_asc(tenant::Column::Slug)
        .all(db)
        .await?)
}

pub async fn find(db: &DatabaseConnection, slug: &TenantSlug) -> AppResult<tenant::Model> {
    tenant::Entity::find()
        .filter(tenant::Column::Slug.eq(slug.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("tenant {slug} does not exist")))
}

/// Creates the tenant row and its schema, then migrates the schema. Creating a tenant
/// that already exists with the same slug is a no-op apart from migrating it, so the
/// demo set-up can run on every start.
pub async fn create(db: &DatabaseConnection, new: &NewTenant, now: DateTime<Utc>) -> AppResult<()> {
    let row = tenant::ActiveModel {
        id: Set(uuid::Uuid::new_v4()),
        slug: Set(new.slug.as_str().to_owned()),
        name: Set(new.name.clone()),
        currency: Set(new.currency.clone()),
        locale: Set(new.locale.clone()),
        time_zone: Set(new.time_zone.clone()),
        jurisdiction: Set(new.jurisdiction.clone()),
        status: Set("active".to_owned()),
        created_at: Set(now),
        password_min_length: Set(10),
        password_require_mixed: Set(true),
        password_forbid_login: Set(true),
        sso_issuer: Set(None),
        sso_client_id: Set(None),
        sso_client_secret: Set(None),
        business_kind: Set(new.business_kind.clone()),
        portal_registration: Set(true),
    };
    tenant::Entity::insert(row)
        .on_conflict_do_nothing_on([tenant::Column::Slug])
        .exec(db)
        .await?;
    migrate_tenant(db, &new.slug).await
}

/// Drops a tenant's schema and row (tests and the platform admin's purge). A deadlock with
/// a reader or a job taking the schema's tables in another order is tried again: the
/// deletion was asked for and its users are already gone, so it must not stop half-way.
pub async fn drop(db: &DatabaseConnection, slug: &TenantSlug) -> AppResult<()> {
    let mut tries = 0;
    loop {
        tries += 1;
        match drop_once(db, slug).await {
            Err(AppError::Db(e)) if tries < 5 && e.contains("deadlock detected") => {
                tracing::warn!(tenant = %slug, error = %e, "tenant drop deadlocked; trying again");
            }
            done => return done,
        }
    }
}

async fn drop_once(db: &DatabaseConnection, slug: &TenantSlug) -> AppResult<()> {
    let txn = db.begin().await?;
    // The migration lock: a concurrent migration never sees a half-dropped schema.
    lock_schema(&txn, &slug.schema()).await?;
    txn.execute_unprepared(&format!(
        "DROP SCHEMA IF EXISTS \"{}\" CASCADE",
        slug.schema()
    ))
    .await?;
    tenant::Entity::delete_many()
        .filter(tenant::Column::Slug.eq(slug.as_str()))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

pub fn parse_stored_slug(raw: &str) -> AppResult<TenantSlug> {
    TenantSlug::parse(raw)
        .map_err(|e| AppError::Internal(format!("stored tenant slug {raw:?} is invalid: {e}")))
}
