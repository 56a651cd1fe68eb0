//! The demo tenants `infra/up` opens: a Ukrainian water utility and a Russian managing
//! company (and a Bulgarian electricity retailer, `retail`), each a living utility — houses, apartments, subscribers, meters, three closed
//! months with invoices and payments, the open month partly read and paid, a bank file in
//! the registry, invoice PDFs — made by replaying their history through the product's own
//! use cases and jobs (`months`), so every record is one the product itself could have
//! written. Relative to the day it is seeded; the same data every time.
//!
//! Seeding is idempotent: a tenant that finished seeding (a `demo/seeded` audit row) is
//! left as it is; one that stopped halfway is rebuilt. `reset` rebuilds from scratch.
//! `fixture` is the integration tests' small starting tenant, not the demo.
//!
//! Every later module adds its data here (`docs/architecture.md`, "The demo").

mod bank_file;
pub mod calendar;
pub mod fixture;
mod import_file;
mod months;
pub mod retail;
mod ru;
mod setup;
pub mod spec;
mod ua;
pub mod users;

use chrono::{DateTime, Utc};
use domain::TenantSlug;
use sea_orm::{ConnectionTrait, FromQueryResult};
use serde_json::json;

pub use backend::admin::platform::ensure_platform_admin;
pub use users::{DEMO_PASSWORD, DEMO_ROLES, set_demo_sso};

use backend::audit::{self, Actor, Change};
use backend::entities::user;
use backend::error::{AppError, AppResult};
use backend::state::AppState;
use backend::storage::ObjectStore;
use backend::{tenancy, tenants};
use calendar::Calendar;
use months::{Cast, Ctx};
use platform::sql::stmt;
use registry::counters;

/// Which demo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Demo {
    /// «Водоканал «Демо»»: UAH, NBU QR, the Ukrainian penalty rule.
    Ukraine,
    /// «УК «Демо-Сервис»»: RUB, ГОСТ QR, the Russian penalty rule and key-rate table.
    Russia,
}

impl Demo {
    pub fn spec(self) -> &'static spec::Spec {
        match self {
            Demo::Ukraine => &ua::SPEC,
            Demo::Russia => &ru::SPEC,
        }
    }

    /// The slug of this demo next to the deployment's default tenant: the default itself
    /// for Ukraine, `<default>_ru` for Russia.
    pub fn slug(self, default: &TenantSlug) -> AppResult<TenantSlug> {
        match self {
            Demo::Ukraine => Ok(default.clone()),
            Demo::Russia => TenantSlug::parse(&format!("{default}_ru"))
                .map_err(|e| AppError::Internal(format!("demo slug: {e}"))),
        }
    }
}

/// What seeding did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seeded {
    /// Built now.
    Built,
    /// It was there already.
    Kept,
}

const MARK_ENTITY: &str = "demo";

#[derive(FromQueryResult)]
struct Mark {
    #[allow(dead_code)]
    id: i64,
}

async fn seeded(state: &AppState, slug: &TenantSlug) -> AppResult<Option<bool>> {
    if tenants::find(&state.db, slug).await.is_err() {
        return Ok(None);
    }
    let txn = tenancy::begin(&state.db, slug).await?;
    let mark = Mark::find_by_statement(stmt(
        "SELECT id FROM audit_log WHERE entity = $1 AND action = 'seeded' LIMIT 1",
        vec![MARK_ENTITY.into()],
    ))
    .one(&txn)
    .await?;
    txn.commit().await?;
    Ok(Some(mark.is_some()))
}

/// Removes a tenant with its logins and its files (the demo's rebuild).
pub async fn remove(state: &AppState, slug: &TenantSlug) -> AppResult<()> {
    let prefix = ObjectStore::tenant_key(slug, "");
    if let Err(e) = state.store.delete_prefix(&prefix).await {
        tracing::warn!(%slug, error = %e, "could not delete the demo's files");
    }
    // Users (and with them sessions and SSO requests) go with the tenant row.
    tenants::drop(&state.owner_db, slug).await
}

/// Seeds `slug` as `demo` unless it is seeded already; logins are ensured either way.
pub async fn seed(
    state: &AppState,
    slug: &TenantSlug,
    demo: Demo,
    now: DateTime<Utc>,
) -> AppResult<Seeded> {
    let spec = demo.spec();
    match seeded(state, slug).await? {
        Some(true) => {
            users::ensure(state, slug, &spec.portal).await?;
            return Ok(Seeded::Kept);
        }
        Some(false) => {
            tracing::warn!(%slug, "the demo stopped halfway last time; rebuilding it");
            remove(state, slug).await?;
        }
        None => {}
    }
    build(state, slug, spec, now).await?;
    Ok(Seeded::Built)
}

/// Rebuilds `slug` as `demo` from scratch.
pub async fn reset(
    state: &AppState,
    slug: &TenantSlug,
    demo: Demo,
    now: DateTime<Utc>,
) -> AppResult<()> {
    remove(state, slug).await?;
    build(state, slug, demo.spec(), now).await
}

/// The staff login `<slug>.<role>` as an actor of the demo's history.
async fn actor(state: &AppState, slug: &TenantSlug, role: &str) -> AppResult<Actor> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let login = format!("{slug}.{role}");
    let id = user::Entity::find()
        .filter(user::Column::Login.eq(login.clone()))
        .one(&state.db)
        .await?
        .map(|u| u.id);
    Ok(Actor { user_id: id, login })
}

async fn cast(state: &AppState, slug: &TenantSlug) -> AppResult<Cast> {
    Ok(Cast {
        admin: actor(state, slug, "admin").await?,
        operator: actor(state, slug, "operator").await?,
        accountant: actor(state, slug, "accountant").await?,
        controller: actor(state, slug, "controller").await?,
        portal: Actor {
            user_id: None,
            login: format!("{slug}.subscriber"),
        },
    })
}

async fn build(
    state: &AppState,
    slug: &TenantSlug,
    spec: &spec::Spec,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let cal = Calendar::new(now)?;
    state.store.ensure_bucket().await?;
    let went_live = cal.at(cal.start().first_day(), 7);
    tenants::create(&state.owner_db, &(spec.tenant)(slug.clone()), went_live).await?;
    let txn = tenancy::begin(&state.db, slug).await?;
    // A new tenant opens the month it is created in; the demo went live three months ago.
    txn.execute_raw(stmt(
        "UPDATE periods SET month = $1 WHERE state = 'open'",
        vec![cal.start().first_day().into()],
    ))
    .await?;
    txn.execute_unprepared(&setup::catalog(spec, &cal)?).await?;
    txn.commit().await?;
    users::ensure_staff(state, slug).await?;
    let cast = cast(state, slug).await?;
    let txn = tenancy::begin(&state.db, slug).await?;
    let world = setup::build(&txn, spec, &cal, &cast.admin, &cast.operator).await?;
    txn.commit().await?;
    let ctx = Ctx {
        state,
        tenant: slug,
        spec,
        cal: &cal,
        world: &world,
        cast: &cast,
    };
    months::replay(&ctx).await?;
    // The last closed month's invoices printed. The open month is not calculated yet: its
    // readings are still coming in, and a calculation now would charge penalties for days
    // to come (the e2e walk calculates it, as operators do at the month's end).
    months::render(&ctx, cal.closed()[calendar::CLOSED - 1]).await?;
    // The largest debtors of that month warned: claim letters printed, notices recorded.
    months::claim_letters(&ctx, cal.closed()[calendar::CLOSED - 1]).await?;
    users::ensure(state, slug, &spec.portal).await?;
    let txn = tenancy::begin(&state.db, slug).await?;
    // The counts as of today (the history's own changes counted them on their days).
    counters::recount_residents(&txn, cal.today()).await?;
    audit::record(
        &txn,
        &cast.admin,
        now,
        Change {
            entity: MARK_ENTITY,
            entity_id: slug.to_string(),
            action: "seeded",
            before: None,
            after: Some(json!({
                "accounts": spec.flats.len() + 1, "wentLive": cal.start().to_string(),
                "open": cal.open.to_string(),
            })),
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(%slug, "demo tenant seeded");
    Ok(())
}
