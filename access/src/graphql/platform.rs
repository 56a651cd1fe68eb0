//! The platform operator's API: the tenants of the console, creating one with its first
//! admin, suspending and resuming, inviting its admin again.

use async_graphql::{Context, InputObject, Object};
use chrono::Utc;
use domain::TenantSlug;

use super::types::Tenant;
use crate::admin::platform as operator;
use crate::auth;
use platform::error::{AppError, AppResult};
use platform::tenants::{self, NewTenant};

/// A new tenant's first admin: invited by e-mail to set their password.
#[derive(InputObject)]
pub struct FirstAdminInput {
    pub login: String,
    pub display_name: String,
    pub email: String,
}

#[derive(InputObject)]
pub struct NewTenantInput {
    pub slug: String,
    pub name: String,
    /// UA, RU, KZ, BG or EU: the presets (currency, language, time zone, jurisdiction, penalty
    /// rule, payment QR) the fields below may override.
    #[graphql(default_with = "\"UA\".to_owned()")]
    pub country: String,
    /// water, housing, hoa or electricity.
    #[graphql(default_with = "\"water\".to_owned()")]
    pub business_kind: String,
    pub currency: Option<String>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
    pub admin: Option<FirstAdminInput>,
}

fn slug(raw: &str) -> AppResult<TenantSlug> {
    TenantSlug::parse(raw).map_err(|e| AppError::validation("slug", e.to_string()))
}

#[derive(Default)]
pub struct PlatformQuery;

#[Object]
impl PlatformQuery {
    /// Every tenant of the platform with its size and last activity (platform operator
    /// only).
    async fn tenants(&self, ctx: &Context<'_>) -> AppResult<Vec<operator::TenantOverview>> {
        let (state, _) = auth::access::platform(ctx)?;
        operator::overview(state).await
    }

    /// Every tenant export, newest first (kept after their tenants are deleted; download
    /// at `/files/tenant-exports/<id>`).
    async fn tenant_exports(
        &self,
        ctx: &Context<'_>,
    ) -> AppResult<Vec<operator::TenantExportView>> {
        let (state, _) = auth::access::platform(ctx)?;
        operator::exports(state).await
    }
}

#[derive(Default)]
pub struct PlatformMutation;

#[Object]
impl PlatformMutation {
    /// Creates a tenant: its row, schema, role and built-in roles, the country's presets,
    /// and its first admin (invited by e-mail).
    async fn create_tenant(&self, ctx: &Context<'_>, input: NewTenantInput) -> AppResult<Tenant> {
        let (state, session) = auth::access::platform(ctx)?;
        let preset = operator::preset(&input.country)?;
        let new = NewTenant {
            slug: slug(&input.slug)?,
            name: input.name.trim().to_owned(),
            currency: input.currency.unwrap_or_else(|| preset.currency.to_owned()),
            locale: input.locale.unwrap_or_else(|| preset.locale.to_owned()),
            time_zone: input
                .time_zone
                .unwrap_or_else(|| preset.time_zone.to_owned()),
            jurisdiction: preset.jurisdiction.to_owned(),
            business_kind: input.business_kind,
        };
        let admin = input.admin.map(|a| crate::admin::users::FirstAdmin {
            login: a.login,
            display_name: a.display_name,
            email: a.email,
        });
        Ok(
            operator::create(state, &session.actor(), new, preset, admin, Utc::now())
                .await?
                .into(),
        )
    }

    /// Starts exporting a tenant's data (a worker job): its rows, files and users, zipped.
    async fn export_tenant(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "slug")] tenant: String,
    ) -> AppResult<operator::TenantExportView> {
        let (state, session) = auth::access::platform(ctx)?;
        operator::start_export(state, &session.actor(), &slug(&tenant)?, Utc::now()).await
    }

    /// Deletes a tenant for good (`confirm`: its code typed again), after an export of the
    /// last 24 hours; the export is kept.
    async fn delete_tenant(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "slug")] tenant: String,
        confirm: String,
    ) -> AppResult<bool> {
        let (state, session) = auth::access::platform(ctx)?;
        operator::delete(
            state,
            &session.actor(),
            &slug(&tenant)?,
            &confirm,
            Utc::now(),
        )
        .await?;
        Ok(true)
    }

    /// Sends the tenant's admin a new invitation (the first one expired or went astray);
    /// the admin's login.
    async fn invite_tenant_admin(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "slug")] tenant: String,
    ) -> AppResult<String> {
        let (state, session) = auth::access::platform(ctx)?;
        operator::invite_admin(state, &session.actor(), &slug(&tenant)?, Utc::now()).await
    }

    /// Suspends (sign-in refused, sessions ended) or resumes a tenant.
    async fn set_tenant_active(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "slug")] tenant: String,
        active: bool,
    ) -> AppResult<Tenant> {
        let (state, session) = auth::access::platform(ctx)?;
        Ok(
            operator::set_status(state, &session.actor(), &slug(&tenant)?, active, Utc::now())
                .await?
                .into(),
        )
    }
}

/// The signed-in user's own tenant (every tenant user may read it).
#[derive(Default)]
pub struct TenantQuery;

#[Object]
impl TenantQuery {
    /// The signed-in user's tenant.
    async fn tenant(&self, ctx: &Context<'_>) -> AppResult<Tenant> {
        let session = auth::authenticated(ctx)?;
        let t = session
            .tenant
            .as_ref()
            .ok_or_else(|| AppError::NotFound("platform users belong to no tenant".into()))?;
        Ok(tenants::find(&auth::access::state(ctx)?.db, &t.slug)
            .await?
            .into())
    }
}
