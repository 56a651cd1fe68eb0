//! Sessions: created at sign-in, found by token on every request, revoked at sign-out,
//! on password change and on deactivation.
//!
//! Rules: a session lives at most `APP_AUTH__SESSION_HOURS` from sign-in and ends after
//! `APP_AUTH__IDLE_MINUTES` without a request. A cookie session also carries a CSRF token
//! that every state-changing request must echo in `X-CSRF-Token`. Users of a suspended
//! tenant, and deactivated users, have no valid session.

use chrono::{DateTime, Duration, Utc};
use domain::TenantSlug;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    FromQueryResult, QueryFilter, Statement, sea_query::Expr,
};
use uuid::Uuid;

use super::permissions::PermissionSet;
use super::reach::Reach;
use super::token;
use platform::audit::Actor;
use platform::entities::session;
use platform::error::{AppError, AppResult};
use platform::state::AppState;
use platform::tenancy;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserKind {
    Platform,
    Staff,
    Subscriber,
}

impl UserKind {
    pub fn code(self) -> &'static str {
        match self {
            UserKind::Platform => "platform",
            UserKind::Staff => "staff",
            UserKind::Subscriber => "subscriber",
        }
    }

    pub fn parse(s: &str) -> AppResult<Self> {
        match s {
            "platform" => Ok(UserKind::Platform),
            "staff" => Ok(UserKind::Staff),
            "subscriber" => Ok(UserKind::Subscriber),
            other => Err(AppError::Internal(format!("unknown user kind {other:?}"))),
        }
    }
}

/// The tenant a session belongs to.
#[derive(Debug, Clone)]
pub struct TenantRef {
    pub id: Uuid,
    pub slug: TenantSlug,
}

/// The authenticated facts of one request. Built only from the session row; nothing in
/// it comes from a value the client chose.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: Uuid,
    pub user_id: Uuid,
    pub login: String,
    pub display_name: String,
    pub kind: UserKind,
    pub locale: Option<String>,
    /// None for platform admins.
    pub tenant: Option<TenantRef>,
    pub permissions: PermissionSet,
    /// The branches and buildings the user is limited to.
    pub reach: Reach,
    /// A subscriber's own accounts (empty for staff).
    pub accounts: Vec<i64>,
}

impl Session {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.user_id),
            login: self.login.clone(),
        }
    }
}

/// How the client presented its credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Cookie,
    Bearer,
}

impl Transport {
    fn code(self) -> &'static str {
        match self {
            Transport::Cookie => "cookie",
            Transport::Bearer => "bearer",
        }
    }
}

/// What sign-in hands back: the token (cookie value or bearer token) and, for cookies, the
/// CSRF token the client must echo.
pub struct Issued {
    pub token: String,
    pub csrf: Option<String>,
    pub expires_at: DateTime<Utc>,
}

pub async fn create(
    state: &AppState,
    user_id: Uuid,
    transport: Transport,
    client_addr: Option<String>,
    now: DateTime<Utc>,
) -> AppResult<Issued> {
    let token = token::new_token()?;
    let csrf = match transport {
        Transport::Cookie => Some(token::new_token()?),
        Transport::Bearer => None,
    };
    let expires_at = now + Duration::hours(state.settings.auth.session_hours);
    session::Entity::insert(session::ActiveModel {
        id: Set(Uuid::new_v4()),
        token_hash: Set(token::hash_token(&token)),
        csrf_hash: Set(csrf.as_deref().map(token::hash_token)),
        user_id: Set(user_id),
        kind: Set(transport.code().to_owned()),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        client_addr: Set(client_addr),
    })
    .exec(&state.db)
    .await?;
    Ok(Issued {
        token,
        csrf,
        expires_at,
    })
}

#[derive(FromQueryResult)]
struct Row {
    id: Uuid,
    kind: String,
    csrf_hash: Option<Vec<u8>>,
    last_seen_at: DateTime<Utc>,
    user_id: Uuid,
    login: String,
    display_name: String,
    user_kind: String,
    locale: Option<String>,
    tenant_id: Option<Uuid>,
    slug: Option<String>,
    tenant_status: Option<String>,
}

/// Finds the live session for `token`. `csrf` is the header value, required for cookie
/// sessions when `needs_csrf` (state-changing requests). Returns None for anything not
/// valid — unknown, revoked, expired, idle too long, deactivated, suspended — and revokes
/// sessions found expired.
pub async fn lookup(
    state: &AppState,
    token: &str,
    transport: Transport,
    csrf: Option<&str>,
    needs_csrf: bool,
    now: DateTime<Utc>,
) -> AppResult<Option<Session>> {
    let row = Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT s.id, s.kind, s.csrf_hash, s.last_seen_at, u.id AS user_id, u.login, u.display_name, \
                u.kind AS user_kind, u.locale, u.tenant_id, t.slug, t.status AS tenant_status \
         FROM public.sessions s \
         JOIN public.users u ON u.id = s.user_id \
         LEFT JOIN public.tenants t ON t.id = u.tenant_id \
         WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.active",
        [token::hash_token(token).into(), now.into()],
    ))
    .one(&state.db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    if row.kind != transport.code() {
        return Ok(None);
    }
    if now - row.last_seen_at > Duration::minutes(state.settings.auth.idle_minutes) {
        revoke(&state.db, row.id, now).await?;
        return Ok(None);
    }
    if transport == Transport::Cookie && needs_csrf {
        let ok = match (csrf, &row.csrf_hash) {
            (Some(given), Some(stored)) => token::same(&token::hash_token(given), stored),
            _ => false,
        };
        if !ok {
            return Err(AppError::Forbidden(
                "the request lacks this session's CSRF token (header X-CSRF-Token)".into(),
            ));
        }
    }
    let kind = UserKind::parse(&row.user_kind)?;
    let tenant = match (row.tenant_id, &row.slug) {
        (Some(id), Some(slug)) => {
            if row.tenant_status.as_deref() != Some("active") {
                return Ok(None);
            }
            Some(TenantRef {
                id,
                slug: platform::tenants::parse_stored_slug(slug)?,
            })
        }
        _ => None,
    };
    // Write last_seen at most once a minute: one UPDATE per request would be waste.
    if now - row.last_seen_at > Duration::seconds(60) {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(now))
            .filter(session::Column::Id.eq(row.id))
            .exec(&state.db)
            .await?;
    }
    let (permissions, reach, accounts) = match &tenant {
        Some(t) => load_access(state, &t.slug, row.user_id).await?,
        None => (PermissionSet::default(), Reach::default(), Vec::new()),
    };
    Ok(Some(Session {
        id: row.id,
        user_id: row.user_id,
        login: row.login,
        display_name: row.display_name,
        kind,
        locale: row.locale,
        tenant,
        permissions,
        reach,
        accounts,
    }))
}

#[derive(FromQueryResult)]
struct Perm {
    document: String,
    action: String,
}

#[derive(FromQueryResult)]
struct Id32 {
    id: i32,
}

#[derive(FromQueryResult)]
struct Id64 {
    id: i64,
}

/// The user's permissions (union of roles), reach and own accounts, read inside
/// the tenant's unit of work.
async fn load_access(
    state: &AppState,
    tenant: &TenantSlug,
    user: Uuid,
) -> AppResult<(PermissionSet, Reach, Vec<i64>)> {
    let txn = tenancy::begin(&state.db, tenant).await?;
    let stmt = |sql: &str| Statement::from_sql_and_values(DbBackend::Postgres, sql, [user.into()]);
    let perms = Perm::find_by_statement(stmt(
        "SELECT DISTINCT p.document, p.action FROM user_roles ur \
         JOIN role_permissions p ON p.role_id = ur.role_id WHERE ur.user_id = $1",
    ))
    .all(&txn)
    .await?;
    let branches = Id32::find_by_statement(stmt(
        "SELECT branch_id AS id FROM user_branches WHERE user_id = $1",
    ))
    .all(&txn)
    .await?;
    let buildings = Id32::find_by_statement(stmt(
        "SELECT building_id AS id FROM user_buildings WHERE user_id = $1",
    ))
    .all(&txn)
    .await?;
    let accounts = Id64::find_by_statement(stmt(
        "SELECT account_id AS id FROM subscriber_accounts WHERE user_id = $1 ORDER BY account_id",
    ))
    .all(&txn)
    .await?;
    txn.commit().await?;
    let permissions = PermissionSet::from_codes(
        perms
            .iter()
            .map(|p| (p.document.as_str(), p.action.as_str())),
    );
    let reach = Reach {
        branches: branches.into_iter().map(|b| b.id).collect(),
        buildings: buildings.into_iter().map(|b| b.id).collect(),
    };
    Ok((
        permissions,
        reach,
        accounts.into_iter().map(|a| a.id).collect(),
    ))
}

pub async fn revoke(db: &DatabaseConnection, id: Uuid, now: DateTime<Utc>) -> AppResult<()> {
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::Id.eq(id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of a user (password changed or reset, user deactivated).
pub async fn revoke_all<C: ConnectionTrait>(
    db: &C,
    user: Uuid,
    now: DateTime<Utc>,
) -> AppResult<()> {
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::UserId.eq(user))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of every user of a tenant (the tenant was suspended).
pub async fn revoke_tenant<C: ConnectionTrait>(
    db: &C,
    tenant: Uuid,
    now: DateTime<Utc>,
) -> AppResult<()> {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE public.sessions SET revoked_at = $2 WHERE revoked_at IS NULL \
         AND user_id IN (SELECT id FROM public.users WHERE tenant_id = $1)",
        [tenant.into(), now.into()],
    ))
    .await?;
    Ok(())
}
