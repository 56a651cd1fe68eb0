//! The platform operator's tenant management: the console's overview (status, kind, size,
//! last activity), create with a country's presets and the first admin (invited by
//! e-mail), suspend, resume. Suspending ends the sessions of the tenant's users and
//! refuses their sign-in until resumed.

use chrono::{DateTime, Utc};
use domain::TenantSlug;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult,
    IntoActiveModel, QueryFilter, TransactionTrait,
};
use serde_json::json;

use platform::audit::{self, Actor, Change};
use platform::entities::tenant;
use platform::error::{AppError, AppResult};
use platform::state::AppState;
use platform::tenants::{self, NewTenant};

fn tenant_json(t: &tenant::Model) -> serde_json::Value {
    json!({ "slug": t.slug, "name": t.name, "currency": t.currency, "locale": t.locale,
            "timeZone": t.time_zone, "jurisdiction": t.jurisdiction, "status": t.status,
            "businessKind": t.business_kind })
}

/// What a country sets for a new tenant: its money, language, clock, law (the penalty
/// rule) and the payment QR standard its banks read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    pub currency: &'static str,
    pub locale: &'static str,
    pub time_zone: &'static str,
    pub jurisdiction: &'static str,
    pub penalty_rule: &'static str,
    pub qr_format: &'static str,
}

/// The countries a tenant may be created for, with their presets. Kazakhstan speaks its
/// state language (Kazakh) by default — Russian stays one click away in Settings — and
/// Bulgaria pays in euro since 2026.
pub const PRESETS: &[(&str, Preset)] = &[
    (
        "UA",
        Preset {
            currency: "UAH",
            locale: "uk",
            time_zone: "Europe/Kyiv",
            jurisdiction: "UA",
            penalty_rule: "ukraine",
            qr_format: "nbu",
        },
    ),
    (
        "RU",
        Preset {
            currency: "RUB",
            locale: "ru",
            time_zone: "Europe/Moscow",
            jurisdiction: "RU",
            penalty_rule: "russia",
            qr_format: "gost",
        },
    ),
    (
        "KZ",
        Preset {
            currency: "KZT",
            locale: "kk",
            time_zone: "Asia/Almaty",
            jurisdiction: "KZ",
            penalty_rule: "kazakhstan",
            // No Kazakh payment QR standard is implemented yet.
            qr_format: "none",
        },
    ),
    (
        "BG",
        Preset {
            currency: "EUR",
            locale: "bg",
            time_zone: "Europe/Sofia",
            jurisdiction: "BG",
            penalty_rule: "bulgaria",
            qr_format: "epc",
        },
    ),
    (
        "EU",
        Preset {
            currency: "EUR",
            locale: "en",
            time_zone: "Europe/Brussels",
            jurisdiction: "EU",
            penalty_rule: "off",
            qr_format: "epc",
        },
    ),
];

pub fn preset(country: &str) -> AppResult<Preset> {
    PRESETS
        .iter()
        .find(|(c, _)| *c == country)
        .map(|(_, p)| *p)
        .ok_or_else(|| AppError::validation("country", "must be UA, RU, KZ, BG or EU"))
}

pub const BUSINESS_KINDS: [&str; 5] = [
    "water",
    "housing",
    "hoa",
    "electricity",
    "water_electricity",
];

/// A kind of business: one of [`BUSINESS_KINDS`].
pub fn check_business_kind(kind: &str) -> AppResult<()> {
    if BUSINESS_KINDS.contains(&kind) {
        Ok(())
    } else {
        Err(AppError::validation(
            "businessKind",
            "must be water, housing, hoa, electricity or water_electricity",
        ))
    }
}

/// A tenant as the platform console lists it.
#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct TenantOverview {
    pub slug: String,
    pub name: String,
    /// active or suspended.
    pub status: String,
    /// water, housing, hoa or electricity.
    pub business_kind: String,
    pub currency: String,
    pub locale: String,
    pub time_zone: String,
    pub jurisdiction: String,
    pub created_at: DateTime<Utc>,
    pub accounts: i64,
    pub users: i64,
    /// The tenant's tables and indexes in the database, bytes, as last measured (once a
    /// day by the worker; a tenant made since: now).
    pub database_bytes: i64,
    /// Its files in the object store (invoices, exports, uploads), bytes, as last measured
    /// (zero before the first measurement).
    pub file_bytes: i64,
    /// When the sizes were measured; none: the database now, the files not yet.
    pub measured_at: Option<DateTime<Utc>>,
    /// The last request of any of its users.
    pub last_activity: Option<DateTime<Utc>>,
}

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

#[derive(FromQueryResult)]
struct People {
    tenant_id: uuid::Uuid,
    users: i64,
    last_activity: Option<DateTime<Utc>>,
}

/// Every tenant with its size and last activity, by slug. The sizes are the daily
/// measurement's ([`super::usage`]); a tenant made since is measured here, alone.
pub async fn overview(state: &AppState) -> AppResult<Vec<TenantOverview>> {
    let measured = super::usage::stored(state).await?;
    let people: std::collections::HashMap<uuid::Uuid, People> =
        People::find_by_statement(platform::sql::stmt(
            "SELECT u.tenant_id, count(DISTINCT u.id) AS users, max(s.last_seen_at) AS last_activity \
             FROM public.users u LEFT JOIN public.sessions s ON s.user_id = u.id \
             WHERE u.tenant_id IS NOT NULL GROUP BY u.tenant_id",
            vec![],
        ))
        .all(&state.owner_db)
        .await?
        .into_iter()
        .map(|p| (p.tenant_id, p))
        .collect();
    let mut out = Vec::new();
    for t in tenants::list(&state.db).await? {
        let slug = tenants::parse_stored_slug(&t.slug)?;
        // Each figure is its own statement, so the reader holds one table's lock at a
        // time: a deletion's DROP SCHEMA takes the tables in its own order.
        let read = async {
            let accounts = Count::find_by_statement(platform::sql::stmt(
                &format!("SELECT count(*) AS n FROM \"{}\".accounts", slug.schema()),
                vec![],
            ))
            .one(&state.owner_db)
            .await?
            .map_or(0, |c| c.n);
            let database_bytes = match measured.get(&t.slug) {
                Some(u) => u.database_bytes,
                None => super::usage::schema_bytes(&state.owner_db, Some(&slug.schema()))
                    .await?
                    .into_values()
                    .next()
                    .unwrap_or(0),
            };
            Ok::<_, sea_orm::DbErr>((accounts, database_bytes))
        }
        .await;
        let (accounts, database_bytes) = match read {
            Ok(r) => r,
            // A tenant dropped (or not yet made) while the list is read has no schema to
            // count: it is left out, not the whole list refused.
            Err(e) if !schema_exists(state, &slug).await? => {
                tracing::debug!(tenant = %slug, error = %e, "tenant without a schema left out");
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let usage = measured.get(&t.slug);
        let who = people.get(&t.id);
        out.push(TenantOverview {
            slug: t.slug,
            name: t.name,
            status: t.status,
            business_kind: t.business_kind,
            currency: t.currency,
            locale: t.locale,
            time_zone: t.time_zone,
            jurisdiction: t.jurisdiction,
            created_at: t.created_at,
            accounts,
            users: who.map_or(0, |p| p.users),
            database_bytes,
            file_bytes: usage.map_or(0, |u| u.file_bytes),
            measured_at: usage.map(|u| u.measured_at),
            last_activity: who.and_then(|p| p.last_activity),
        });
    }
    Ok(out)
}

async fn schema_exists(state: &AppState, slug: &TenantSlug) -> AppResult<bool> {
    #[derive(FromQueryResult)]
    struct Exists {
        present: bool,
    }
    Ok(Exists::find_by_statement(platform::sql::stmt(
        "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS present",
        vec![slug.schema().into()],
    ))
    .one(&state.owner_db)
    .await?
    .is_some_and(|e| e.present))
}

pub fn check_new(new: &NewTenant) -> AppResult<()> {
    if new.name.trim().is_empty() || new.name.chars().count() > 200 {
        return Err(AppError::validation("name", "must be 1–200 characters"));
    }
    platform::input::parse_lang("locale", &new.locale)?;
    if !matches!(new.jurisdiction.as_str(), "UA" | "RU" | "KZ" | "BG" | "EU") {
        return Err(AppError::validation(
            "jurisdiction",
            "must be UA, RU, KZ, BG or EU",
        ));
    }
    if new.currency.len() != 3 || !new.currency.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(AppError::validation(
            "currency",
            "must be an ISO 4217 code such as UAH",
        ));
    }
    check_business_kind(&new.business_kind)?;
    if new.time_zone.trim().is_empty() {
        return Err(AppError::validation(
            "timeZone",
            "must be an IANA time zone such as Europe/Kyiv",
        ));
    }
    Ok(())
}

/// Creates the tenant (its row, schema and roles), sets the country's penalty rule and QR
/// standard, and — when named — its first admin, who gets an invitation by e-mail (the
/// tenant exists even if the letter fails; the console sends it again).
pub async fn create(
    state: &AppState,
    actor: &Actor,
    new: NewTenant,
    preset: Preset,
    admin: Option<crate::admin::users::FirstAdmin>,
    now: DateTime<Utc>,
) -> AppResult<tenant::Model> {
    check_new(&new)?;
    if tenants::find(&state.db, &new.slug).await.is_ok() {
        return Err(AppError::Conflict(format!("tenant {} exists", new.slug)));
    }
    if let Some(a) = &admin
        && a.email.trim().is_empty()
    {
        return Err(AppError::validation(
            "adminEmail",
            "the first admin needs an e-mail for the invitation",
        ));
    }
    tenants::create(&state.owner_db, &new, now).await?;
    let t = tenants::find(&state.db, &new.slug).await?;
    let txn = state.db.begin().await?;
    let c = Change {
        entity: "tenant",
        entity_id: t.slug.clone(),
        action: "create",
        before: None,
        after: Some(
            json!({ "tenant": tenant_json(&t), "penaltyRule": preset.penalty_rule,
                            "qrFormat": preset.qr_format,
                            "admin": admin.as_ref().map(|a| json!({ "login": a.login, "email": a.email })) }),
        ),
    };
    audit::record_platform(&txn, actor, now, c).await?;
    let invited = match &admin {
        Some(a) => {
            Some(crate::admin::users::create_first_admin(&txn, (&new.slug, t.id), a, now).await?)
        }
        None => {
            platform::tenancy::enter(&txn, &new.slug).await?;
            None
        }
    };
    txn.execute_raw(platform::sql::stmt(
        "UPDATE billing_settings SET penalty_rule = $1",
        vec![preset.penalty_rule.into()],
    ))
    .await?;
    txn.execute_raw(platform::sql::stmt(
        "UPDATE invoice_settings SET qr_format = $1",
        vec![preset.qr_format.into()],
    ))
    .await?;
    txn.commit().await?;
    if let Some((id, token)) = invited {
        let u = platform::entities::user::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .ok_or_else(|| AppError::Internal("the first admin vanished".into()))?;
        if let Err(e) =
            crate::auth::links::mail(state, &u, crate::auth::links::Purpose::Invite, &token).await
        {
            tracing::warn!(error = ?e, tenant = %new.slug, "the first admin's invitation was not sent");
        }
    }
    Ok(t)
}

/// Sends the tenant's first admin (its earliest active `tenant_admin` without a
/// password, else its earliest admin) a new invitation.
pub async fn invite_admin(
    state: &AppState,
    actor: &Actor,
    slug: &TenantSlug,
    now: DateTime<Utc>,
) -> AppResult<String> {
    #[derive(FromQueryResult)]
    struct Admin {
        id: uuid::Uuid,
        login: String,
    }
    let t = tenants::find(&state.db, slug).await?;
    let admin = Admin::find_by_statement(platform::sql::stmt(
        &format!(
            "SELECT u.id, u.login FROM public.users u JOIN \"{schema}\".user_roles ur ON ur.user_id = u.id \
               JOIN \"{schema}\".roles r ON r.id = ur.role_id \
             WHERE u.tenant_id = $1 AND r.code = 'tenant_admin' AND u.active AND u.email IS NOT NULL \
             ORDER BY (u.password_hash IS NULL) DESC, u.created_at LIMIT 1",
            schema = slug.schema()
        ),
        vec![t.id.into()],
    ))
    .one(&state.owner_db)
    .await?
    .ok_or_else(|| AppError::validation("slug", "the tenant has no admin with an e-mail"))?;
    let txn = state.db.begin().await?;
    let c = Change {
        entity: "tenant",
        entity_id: t.slug.clone(),
        action: "invite",
        before: None,
        after: Some(json!({ "login": admin.login })),
    };
    audit::record_platform(&txn, actor, now, c).await?;
    let token =
        crate::auth::links::issue(&txn, admin.id, crate::auth::links::Purpose::Invite, now).await?;
    txn.commit().await?;
    let u = platform::entities::user::Entity::find_by_id(admin.id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::Internal("the admin vanished".into()))?;
    crate::auth::links::mail(state, &u, crate::auth::links::Purpose::Invite, &token).await?;
    Ok(admin.login)
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

/// The job that exports a tenant: its backup (rows, files, users, manifest), zipped, into
/// the object store under `platform/exports/` (run by the worker's `tenant_export`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TenantExport {
    pub export_id: i64,
}

impl platform::jobs::rows::JobParams for TenantExport {
    fn kind(&self) -> &'static str {
        "tenant_export"
    }
}

/// An export as the console lists it.
#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult)]
pub struct TenantExportView {
    pub id: i64,
    pub slug: String,
    /// running, done or failed.
    pub state: String,
    pub size: Option<i64>,
    pub message: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub done_at: Option<DateTime<Utc>>,
    #[graphql(skip)]
    pub object_key: Option<String>,
}

const EXPORTS: &str = "SELECT id, slug, state, size, message, created_at, created_by, done_at, object_key \
     FROM public.tenant_exports";

/// Every export, newest first (they outlive their tenants).
pub async fn exports(state: &AppState) -> AppResult<Vec<TenantExportView>> {
    Ok(TenantExportView::find_by_statement(platform::sql::stmt(
        &format!("{EXPORTS} ORDER BY created_at DESC, id DESC LIMIT 500"),
        vec![],
    ))
    .all(&state.db)
    .await?)
}

pub async fn export(state: &AppState, id: i64) -> AppResult<TenantExportView> {
    TenantExportView::find_by_statement(platform::sql::stmt(
        &format!("{EXPORTS} WHERE id = $1"),
        vec![id.into()],
    ))
    .one(&state.db)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("export {id} does not exist")))
}

/// Starts exporting the tenant (a worker job in the tenant's queue); the export's row.
pub async fn start_export(
    state: &AppState,
    actor: &Actor,
    slug: &TenantSlug,
    now: DateTime<Utc>,
) -> AppResult<TenantExportView> {
    let t = tenants::find(&state.db, slug).await?;
    #[derive(FromQueryResult)]
    struct Id {
        id: i64,
    }
    let txn = state.db.begin().await?;
    let id = Id::find_by_statement(platform::sql::stmt(
        "INSERT INTO public.tenant_exports (slug, state, created_at, created_by) VALUES ($1, 'running', $2, $3) \
         RETURNING id",
        vec![t.slug.clone().into(), now.into(), actor.login.clone().into()],
    ))
    .one(&txn)
    .await?
    .ok_or_else(|| AppError::Internal("no export id".into()))?
    .id;
    let c = Change {
        entity: "tenant",
        entity_id: t.slug.clone(),
        action: "export",
        before: None,
        after: Some(json!({ "exportId": id })),
    };
    audit::record_platform(&txn, actor, now, c).await?;
    // The job's row lives in the tenant's schema: written last, as the tenant's role.
    platform::tenancy::enter(&txn, slug).await?;
    let (row, msg) =
        platform::jobs::rows::record(&txn, slug, &TenantExport { export_id: id }, now).await?;
    txn.commit().await?;
    state
        .db
        .execute_raw(platform::sql::stmt(
            "UPDATE public.tenant_exports SET job_id = $2 WHERE id = $1",
            vec![id.into(), row.id.into()],
        ))
        .await?;
    if let Err(e) = state.queue.push(msg).await {
        platform::jobs::rows::mark_failed(state, slug, row.id, &e.to_string()).await?;
        finish_export(state, id, Err(e.to_string())).await?;
    }
    export(state, id).await
}

/// Records how an export ended: Ok((key, size)) or Err(why).
pub async fn finish_export(
    state: &AppState,
    id: i64,
    outcome: Result<(String, i64), String>,
) -> AppResult<()> {
    let (st, key, size, message) = match outcome {
        Ok((k, s)) => ("done", Some(k), Some(s), None),
        Err(m) => ("failed", None, None, Some(m)),
    };
    state
        .db
        .execute_raw(platform::sql::stmt(
            "UPDATE public.tenant_exports SET state = $2, object_key = $3, size = $4, message = $5, done_at = now() \
             WHERE id = $1",
            vec![id.into(), st.into(), key.into(), size.into(), message.into()],
        ))
        .await?;
    Ok(())
}

/// Deletes a tenant for good: its schema, its users (their sessions end), its files. Only
/// with its code typed again (`confirm`) and after an export finished within the last
/// day — the export is kept.
pub async fn delete(
    state: &AppState,
    actor: &Actor,
    slug: &TenantSlug,
    confirm: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if confirm.trim() != slug.as_str() {
        return Err(AppError::validation(
            "confirm",
            "type the organisation's code to confirm",
        ));
    }
    let t = tenants::find(&state.db, slug).await?;
    let exported = state
        .db
        .query_one_raw(platform::sql::stmt(
            "SELECT 1 FROM public.tenant_exports WHERE slug = $1 AND state = 'done' \
               AND done_at > $2 - interval '1 day'",
            vec![t.slug.clone().into(), now.into()],
        ))
        .await?;
    if exported.is_none() {
        return Err(AppError::validation(
            "slug",
            "export the organisation's data first (an export of the last 24 hours is kept)",
        ));
    }
    let txn = state.db.begin().await?;
    let c = Change {
        entity: "tenant",
        entity_id: t.slug.clone(),
        action: "delete",
        before: Some(tenant_json(&t)),
        after: None,
    };
    audit::record_platform(&txn, actor, now, c).await?;
    // Sessions and password links go with their users (ON DELETE CASCADE).
    txn.execute_raw(platform::sql::stmt(
        "DELETE FROM public.users WHERE tenant_id = $1",
        vec![t.id.into()],
    ))
    .await?;
    txn.commit().await?;
    tenants::drop(&state.owner_db, slug).await?;
    state
        .store
        .delete_prefix(&platform::storage::ObjectStore::tenant_key(slug, ""))
        .await?;
    Ok(())
}
