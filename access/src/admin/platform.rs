//! The platform operator's tenant management: create, suspend, resume. Suspending ends
//! the sessions of the tenant's users and refuses their sign-in until resumed.

use chrono::{DateTime, Utc};
use domain::TenantSlug;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    TransactionTrait,
};
use serde_json::json;

use platform::audit::{self, Actor, Change};
use platform::entities::tenant;
use platform::error::{AppError, AppResult};
use platform::state::AppState;
use platform::tenants::{self, NewTenant};

fn tenant_json(t: &tenant::Model) -> serde_json::Value {
    json!({ "slug": t.slug, "name": t.name, "currency": t.currency, "locale": t.locale,
            "timeZone": t.time_zone, "jurisdiction": t.jurisdiction, "status": t.status })
}

pub fn check_new(new: &NewTenant) -> AppResult<()> {
    if new.name.trim().is_empty() || new.name.chars().count() > 200 {
        return Err(AppError::validation("name", "must be 1–200 characters"));
    }
    platform::input::parse_lang("locale", &new.locale)?;
    if !matches!(new.jurisdiction.as_str(), "UA" | "RU" | "BG" | "EU") {
        return Err(AppError::validation(
            "jurisdiction",
            "must be UA, RU, BG or EU",
        ));
    }
    if new.currency.len() != 3 || !new.currency.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(AppError::validation(
            "currency",
            "must be an ISO 4217 code such as UAH",
        ));
    }
    if new.time_zone.trim().is_empty() {
        return Err(AppError::validation(
            "timeZone",
            "must be an IANA time zone such as Europe/Kyiv",
        ));
    }
    Ok(())
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    new: NewTenant,
    now: DateTime<Utc>,
) -> AppResult<tenant::Model> {
    check_new(&new)?;
    if tenants::find(&state.db, &new.slug).await.is_ok() {
        return Err(AppError::Conflict(format!("tenant {} exists", new.slug)));
    }
    tenants::create(&state.owner_db, &new, now).await?;
    let t = tenants::find(&state.db, &new.slug).await?;
    let txn = state.db.begin().await?;
    let c = Change {
        entity: "tenant",
        entity_id: t.slug.clone(),
        action: "create",
        before: None,
        after: Some(tenant_json(&t)),
    };
    audit::record_platform(&txn, actor, now, c).await?;
    txn.commit().await?;
    Ok(t)
}

pub async fn set_status(
    state: &AppState,
    actor: &Actor,
    slug: &TenantSlug,
    active: bool,
    now: DateTime<Utc>,
) -> AppResult<tenant::Model> {
    let txn = state.db.begin().await?;
    let t = tenant::Entity::find()
        .filter(tenant::Column::Slug.eq(slug.as_str()))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("tenant {slug} does not exist")))?;
    let before = tenant_json(&t);
    let mut m = t.into_active_model();
    m.status = Set(if active { "active" } else { "suspended" }.to_owned());
    let t = m.update(&txn).await?;
    let action = if active { "resume" } else { "suspend" };
    let c = Change {
        entity: "tenant",
        entity_id: t.slug.clone(),
        action,
        before: Some(before),
        after: Some(tenant_json(&t)),
    };
    audit::record_platform(&txn, actor, now, c).await?;
    if !active {
        crate::auth::session::revoke_tenant(&txn, t.id, now).await?;
    }
    txn.commit().await?;
    Ok(t)
}

/// The platform operator's login (created by `tools demo` and `backend platform-admin`).
pub async fn ensure_platform_admin(state: &AppState, login: &str, password: &str) -> AppResult<()> {
    crate::admin::users::ensure_seed_user(
        &state.db,
        None,
        crate::admin::users::SeedUser {
            login,
            email: None,
            display_name: "Platform operator",
            kind: crate::auth::session::UserKind::Platform,
            password,
            roles: &[],
            accounts: &[],
        },
    )
    .await
}
