//! The one place where GraphQL resolvers are authorised.
//!
//! A resolver reaches tenant data only through a [`Scope`], and the only way to get one
//! is [`authorize`], which checks the session's permission for a document and action
//! first. The tenant of the scope is the session's tenant — never an argument.

use async_graphql::Context;
use domain::TenantSlug;
use sea_orm::DatabaseTransaction;

use super::permissions::{Action, Document};
use super::session::{Session, UserKind};
use platform::audit::Actor;
use platform::error::{AppError, AppResult};
use platform::state::AppState;
use platform::tenancy;

/// Facts about the request that resolvers may rely on: the session found from the
/// request's credentials (None when signed out). The transport (HTTP, GraphQL) puts it in
/// place; resolvers reach it only through [`authorize`] and friends.
#[derive(Debug, Clone)]
pub struct RequestCtx {
    pub session: Option<Session>,
}

/// Permission to work in the session's tenant, with what it was granted for.
pub struct Scope<'a> {
    pub state: &'a AppState,
    pub session: &'a Session,
    pub tenant: &'a TenantSlug,
    pub tenant_id: uuid::Uuid,
}

impl Scope<'_> {
    /// A unit of work in the tenant's schema, as the tenant's role.
    pub async fn begin(&self) -> AppResult<DatabaseTransaction> {
        tenancy::begin(&self.state.db, self.tenant).await
    }

    pub fn actor(&self) -> Actor {
        self.session.actor()
    }

    /// Does the session also hold `action` on `document`?
    pub fn can(&self, document: Document, action: Action) -> bool {
        self.session.permissions.allows(document, action)
    }
}

pub fn state<'a>(ctx: &'a Context<'_>) -> AppResult<&'a AppState> {
    ctx.data::<AppState>()
        .map_err(|_| AppError::Internal("AppState missing from schema".into()))
}

/// The signed-in session, or `UNAUTHENTICATED`.
pub fn authenticated<'a>(ctx: &'a Context<'_>) -> AppResult<&'a Session> {
    ctx.data::<RequestCtx>()
        .ok()
        .and_then(|r| r.session.as_ref())
        .ok_or(AppError::Unauthenticated)
}

/// A scope in the session's tenant if the session may `action` `document`; otherwise
/// `FORBIDDEN` naming the missing permission.
pub fn authorize<'a>(
    ctx: &'a Context<'_>,
    document: Document,
    action: Action,
) -> AppResult<Scope<'a>> {
    let session = authenticated(ctx)?;
    let tenant = session.tenant.as_ref().ok_or_else(|| {
        AppError::Forbidden(format!(
            "permission {document}.{action} is for tenant users"
        ))
    })?;
    if !session.permissions.allows(document, action) {
        return Err(AppError::Forbidden(format!(
            "missing permission {document}.{action}"
        )));
    }
    Ok(Scope {
        state: state(ctx)?,
        session,
        tenant: &tenant.slug,
        tenant_id: tenant.id,
    })
}

/// A subscriber's scope: the tenant, limited to the subscriber's own accounts.
pub fn subscriber<'a>(ctx: &'a Context<'_>) -> AppResult<Scope<'a>> {
    let session = authenticated(ctx)?;
    match (&session.tenant, session.kind) {
        (Some(t), UserKind::Subscriber) => Ok(Scope {
            state: state(ctx)?,
            session,
            tenant: &t.slug,
            tenant_id: t.id,
        }),
        _ => Err(AppError::Forbidden("this is for subscribers".into())),
    }
}

/// The platform operator (creates, suspends and resumes tenants).
pub fn platform<'a>(ctx: &'a Context<'_>) -> AppResult<(&'a AppState, &'a Session)> {
    let session = authenticated(ctx)?;
    if session.kind != UserKind::Platform {
        return Err(AppError::Forbidden(
            "this is for the platform operator".into(),
        ));
    }
    Ok((state(ctx)?, session))
}
