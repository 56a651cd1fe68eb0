//! The platform operator's API: tenants.

use async_graphql::{Context, InputObject, Object};
use chrono::Utc;
use domain::TenantSlug;

use super::types::Tenant;
use crate::admin::platform as operator;
use crate::auth;
use platform::error::{AppError, AppResult};
use platform::tenants::{self, NewTenant};

#[derive(InputObject)]
pub struct NewTenantInput {
    pub slug: String,
    pub name: String,
    #[graphql(default_with = "\"UAH\".to_owned()")]
    pub currency: String,
    #[graphql(default_with = "\"uk\".to_owned()")]
    pub locale: String,
    #[graphql(default_with = "\"Europe/Kyiv\".to_owned()")]
    pub time_zone: String,
    #[graphql(default_with = "\"UA\".to_owned()")]
    pub jurisdiction: String,
}

fn slug(raw: &str) -> AppResult<TenantSlug> {
    TenantSlug::parse(raw).map_err(|e| AppError::validation("slug", e.to_string()))
}

#[derive(Default)]
pub struct PlatformQuery;

#[Object]
impl PlatformQuery {
    /// Every tenant of the platform (platform operator only).
    async fn tenants(&self, ctx: &Context<'_>) -> AppResult<Vec<Tenant>> {
        let (state, _) = auth::access::platform(ctx)?;
        Ok(tenants::list(&state.db)
            .await?
            .into_iter()
            .map(Tenant::from)
            .collect())
    }
}

#[derive(Default)]
pub struct PlatformMutation;

#[Object]
impl PlatformMutation {
    /// Creates a tenant: its row, schema, role and built-in roles.
    async fn create_tenant(&self, ctx: &Context<'_>, input: NewTenantInput) -> AppResult<Tenant> {
        let (state, session) = auth::access::platform(ctx)?;
        let new = NewTenant {
            slug: slug(&input.slug)?,
            name: input.name.trim().to_owned(),
            currency: input.currency,
            locale: input.locale,
            time_zone: input.time_zone,
            jurisdiction: input.jurisdiction,
        };
        Ok(operator::create(state, &session.actor(), new, Utc::now())
            .await?
            .into())
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
