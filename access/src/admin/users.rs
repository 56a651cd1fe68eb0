//! Users of a tenant: create (with roles, branch scope, a subscriber's accounts and an
//! initial password), update, deactivate, reset a password; and a user's own password
//! change. Identity rows live in `public.users`; role assignments in the tenant schema.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    DbBackend, EntityTrait, FromQueryResult, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Statement, TransactionTrait, sea_query::Expr,
};
use serde_json::json;
use uuid::Uuid;

use crate::auth::access::Scope;
use crate::auth::password;
use crate::auth::session::{self, Session, UserKind};
use platform::audit::{self, Change};
use platform::entities::{tenant, user};
use platform::error::{AppError, AppResult};
use platform::tenancy;

/// A user as the admin screens show it.
#[derive(Debug, Clone, serde::Serialize, async_graphql::SimpleObject)]
#[serde(rename_all = "camelCase")]
pub struct UserView {
    pub id: Uuid,
    pub login: String,
    pub display_name: String,
    pub email: Option<String>,
    pub kind: String,
    pub active: bool,
    pub locale: Option<String>,
    pub roles: Vec<String>,
    pub branch_ids: Vec<i32>,
    pub building_ids: Vec<i32>,
    pub account_numbers: Vec<String>,
    pub created_at: DateTime<Utc>,
    /// false: the user has not set a password yet (an invitation is pending).
    pub has_password: bool,
}

/// What an admin enters for a new user.
pub struct NewUser {
    pub login: String,
    pub display_name: String,
    pub email: Option<String>,
    pub kind: UserKind,
    pub password: String,
    pub locale: Option<String>,
    pub roles: Vec<String>,
    pub branch_ids: Vec<i32>,
    pub building_ids: Vec<i32>,
    pub account_numbers: Vec<String>,
}

/// Changes to a user; None leaves a field as it is.
#[derive(Default)]
pub struct UserPatch {
    pub display_name: Option<String>,
    pub email: Option<Option<String>>,
    pub locale: Option<Option<String>>,
    pub roles: Option<Vec<String>>,
    pub branch_ids: Option<Vec<i32>>,
    pub building_ids: Option<Vec<i32>>,
    pub account_numbers: Option<Vec<String>>,
}

fn check_login(login: &str) -> AppResult<String> {
    let login = login.trim();
    let ok_chars = login
        .chars()
        .all(|c| c.is_alphanumeric() || "._-@".contains(c));
    if !(3..=64).contains(&login.chars().count()) || !ok_chars {
        return Err(AppError::validation(
            "login",
            "must be 3–64 characters: letters, digits and . _ - @",
        ));
    }
    Ok(login.to_owned())
}

fn check_name(name: &str) -> AppResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::validation(
            "displayName",
            "must be 1–200 characters",
        ));
    }
    Ok(name.to_owned())
}

fn check_email(email: Option<&str>) -> AppResult<Option<String>> {
    match email.map(str::trim).filter(|e| !e.is_empty()) {
        None => Ok(None),
        Some(e) if platform::mail::is_address(e) => Ok(Some(e.to_owned())),
        Some(_) => Err(AppError::validation(
            "email",
            "must be an e-mail address such as name@example.com",
        )),
    }
}

fn check_locale(locale: Option<&str>) -> AppResult<Option<String>> {
    match locale {
        None => Ok(None),
        Some(l) => Ok(Some(
            platform::input::parse_lang("locale", l)?.code().to_owned(),
        )),
    }
}

/// The tenant's password policy.
pub async fn policy_of<C: ConnectionTrait>(db: &C, tenant_id: Uuid) -> AppResult<password::Policy> {
    let t = tenant::Entity::find_by_id(tenant_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("tenant".into()))?;
    Ok(password::Policy {
        min_length: usize::try_from(t.password_min_length).unwrap_or(10),
        require_mixed: t.password_require_mixed,
        forbid_login: t.password_forbid_login,
    })
}

/// A login must not be another user's e-mail, nor an e-mail another user's login: either
/// would let one typed name stand for two people at sign-in (which takes the login first).
async fn identifiers_free<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    login: Option<&str>,
    email: Option<&str>,
) -> AppResult<()> {
    if let Some(l) = login {
        let clash = user::Entity::find()
            .filter(Expr::cust_with_values(
                "lower(email) = lower($1)",
                [l.to_owned()],
            ))
            .filter(user::Column::Id.ne(id))
            .one(db)
            .await?;
        if clash.is_some() {
            return Err(AppError::validation("login", "is another user's e-mail"));
        }
    }
    if let Some(e) = email {
        let clash = user::Entity::find()
            .filter(Expr::cust_with_values(
                "lower(login) = lower($1)",
                [e.to_owned()],
            ))
            .filter(user::Column::Id.ne(id))
            .one(db)
            .await?;
        if clash.is_some() {
            return Err(AppError::validation("email", "is another user's login"));
        }
    }
    Ok(())
}

/// Maps a unique-index violation on the login to a clear conflict.
fn login_taken(e: sea_orm::DbErr, login: &str) -> AppError {
    let text = e.to_string();
    if text.contains("users_login_key") {
        AppError::Conflict(format!("login {login:?} is taken"))
    } else if text.contains("users_tenant_email_key") {
        AppError::Conflict("another user of this tenant has this e-mail".into())
    } else {
        e.into()
    }
}

pub async fn create(scope: &Scope<'_>, new: NewUser, now: DateTime<Utc>) -> AppResult<UserView> {
    let login = check_login(&new.login)?;
    let display_name = check_name(&new.display_name)?;
    let email = check_email(new.email.as_deref())?;
    let locale = check_locale(new.locale.as_deref())?;
    if new.kind == UserKind::Platform {
        return Err(AppError::validation("kind", "must be staff or subscriber"));
    }
    let db = &scope.state.db;
    // No password: the user sets their own through an invitation to their e-mail.
    let hash = if new.password.is_empty() {
        if email.is_none() {
            return Err(AppError::validation(
                "password",
                "enter a password, or an e-mail to send an invitation to",
            ));
        }
        None
    } else {
        policy_of(db, scope.tenant_id)
            .await?
            .check(&login, &new.password)?;
        Some(password::hash(&new.password)?)
    };
    let id = Uuid::new_v4();
    identifiers_free(db, id, Some(&login), email.as_deref()).await?;
    let txn = db.begin().await?;
    insert_user(
        &txn,
        UserRow {
            id,
            tenant_id: Some(scope.tenant_id),
            login: &login,
            email,
            display_name,
            kind: new.kind.code(),
            password_hash: hash,
            locale,
        },
        now,
    )
    .await
    .map_err(|e| login_taken(e, &login))?;
    let row = user::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::Internal("user vanished".into()))?;
    tenancy::enter(&txn, scope.tenant).await?;
    set_roles(&txn, id, &new.roles).await?;
    set_branches(&txn, id, &new.branch_ids).await?;
    set_buildings(&txn, id, &new.building_ids).await?;
    set_accounts(&txn, id, &new.account_numbers).await?;
    let view = view_in(&txn, row).await?;
    audit::record(
        &txn,
        &scope.actor(),
        now,
        change("create", None, Some(&view)),
    )
    .await?;
    txn.commit().await?;
    Ok(view)
}

fn change<'a>(action: &'a str, before: Option<&UserView>, after: Option<&UserView>) -> Change<'a> {
    let id = after
        .or(before)
        .map(|u| u.id.to_string())
        .unwrap_or_default();
    Change {
        entity: "user",
        entity_id: id,
        action,
        before: before.map(|u| json!(u)),
        after: after.map(|u| json!(u)),
    }
}

/// The user if it belongs to the scope's tenant (otherwise NOT_FOUND, as if absent).
async fn own_user<C: ConnectionTrait>(
    db: &C,
    scope: &Scope<'_>,
    id: Uuid,
) -> AppResult<user::Model> {
    user::Entity::find_by_id(id)
        .filter(user::Column::TenantId.eq(scope.tenant_id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("user {id} does not exist")))
}

pub async fn update(
    scope: &Scope<'_>,
    id: Uuid,
    patch: UserPatch,
    now: DateTime<Utc>,
) -> AppResult<UserView> {
    let txn = scope.state.db.begin().await?;
    let row = own_user(&txn, scope, id).await?;
    let before = {
        let t = scope.begin().await?;
        let v = view_in(&t, row.clone()).await?;
        t.commit().await?;
        v
    };
    let mut active = row.into_active_model();
    if let Some(n) = &patch.display_name {
        active.display_name = Set(check_name(n)?);
    }
    if let Some(e) = &patch.email {
        let email = check_email(e.as_deref())?;
        identifiers_free(&txn, id, None, email.as_deref()).await?;
        active.email = Set(email);
    }
    if let Some(l) = &patch.locale {
        active.locale = Set(check_locale(l.as_deref())?);
    }
    let row = active.update(&txn).await.map_err(|e| login_taken(e, ""))?;
    tenancy::enter(&txn, scope.tenant).await?;
    if let Some(r) = &patch.roles {
        set_roles(&txn, id, r).await?;
    }
    if let Some(b) = &patch.branch_ids {
        set_branches(&txn, id, b).await?;
    }
    if let Some(b) = &patch.building_ids {
        set_buildings(&txn, id, b).await?;
    }
    if let Some(a) = &patch.account_numbers {
        set_accounts(&txn, id, a).await?;
    }
    let after = view_in(&txn, row).await?;
    audit::record(
        &txn,
        &scope.actor(),
        now,
        change("update", Some(&before), Some(&after)),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Deactivating ends the user's sessions at once; a user cannot deactivate themself.
pub async fn set_active(
    scope: &Scope<'_>,
    id: Uuid,
    active: bool,
    now: DateTime<Utc>,
) -> AppResult<UserView> {
    if id == scope.session.user_id && !active {
        return Err(AppError::validation("id", "you cannot deactivate yourself"));
    }
    let txn = scope.state.db.begin().await?;
    let row = own_user(&txn, scope, id).await?;
    let was = row.active;
    let mut m = row.into_active_model();
    m.active = Set(active);
    let row = m.update(&txn).await?;
    if !active {
        session::revoke_all(&txn, id, now).await?;
    }
    tenancy::enter(&txn, scope.tenant).await?;
    let after = view_in(&txn, row).await?;
    let mut before = after.clone();
    before.active = was;
    let action = if active { "activate" } else { "deactivate" };
    audit::record(
        &txn,
        &scope.actor(),
        now,
        change(action, Some(&before), Some(&after)),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Sets a new password chosen by an admin; the user's sessions end.
pub async fn reset_password(
    scope: &Scope<'_>,
    id: Uuid,
    new_password: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let txn = scope.state.db.begin().await?;
    let row = own_user(&txn, scope, id).await?;
    policy_of(&txn, scope.tenant_id)
        .await?
        .check(&row.login, new_password)?;
    let login = row.login.clone();
    let mut m = row.into_active_model();
    m.password_hash = Set(Some(password::hash(new_password)?));
    m.password_changed_at = Set(Some(now));
    m.update(&txn).await?;
    session::revoke_all(&txn, id, now).await?;
    tenancy::enter(&txn, scope.tenant).await?;
    let c = Change {
        entity: "user",
        entity_id: id.to_string(),
        action: "reset_password",
        before: None,
        after: Some(json!({ "login": login })),
    };
    audit::record(&txn, &scope.actor(), now, c).await?;
    txn.commit().await?;
    Ok(())
}

/// A signed-in user changes their own password; every session of theirs ends, this one
/// included (the client signs in again).
pub async fn change_own_password(
    state: &platform::state::AppState,
    session: &Session,
    current: &str,
    new_password: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let txn = state.db.begin().await?;
    let row = user::Entity::find_by_id(session.user_id)
        .one(&txn)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !row
        .password_hash
        .as_deref()
        .is_some_and(|h| password::verify(current, h))
    {
        return Err(AppError::validation(
            "currentPassword",
            "is not your current password",
        ));
    }
    if let Some(tid) = row.tenant_id {
        policy_of(&txn, tid)
            .await?
            .check(&row.login, new_password)?;
    } else {
        password::Policy::platform().check(&row.login, new_password)?;
    }
    let mut m = row.into_active_model();
    m.password_hash = Set(Some(password::hash(new_password)?));
    m.password_changed_at = Set(Some(now));
    m.update(&txn).await?;
    session::revoke_all(&txn, session.user_id, now).await?;
    let c = Change {
        entity: "user",
        entity_id: session.user_id.to_string(),
        action: "change_password",
        before: None,
        after: None,
    };
    match &session.tenant {
        Some(t) => {
            tenancy::enter(&txn, &t.slug).await?;
            audit::record(&txn, &session.actor(), now, c).await?;
        }
        None => audit::record_platform(&txn, &session.actor(), now, c).await?,
    }
    txn.commit().await?;
    Ok(())
}

pub async fn get(scope: &Scope<'_>, id: Uuid) -> AppResult<UserView> {
    let row = own_user(&scope.state.db, scope, id).await?;
    let txn = scope.begin().await?;
    let v = view_in(&txn, row).await?;
    txn.commit().await?;
    Ok(v)
}

/// Users of the tenant, by login; `search` matches login, name or e-mail.
pub async fn list(
    scope: &Scope<'_>,
    search: Option<&str>,
    offset: u64,
    limit: u64,
) -> AppResult<(u64, Vec<UserView>)> {
    list_in(
        &scope.state.db,
        scope.tenant_id,
        scope.tenant,
        search,
        offset,
        limit,
    )
    .await
}

/// [`list`] for a tenant named directly (the export job, which has no session).
pub async fn list_in(
    db: &sea_orm::DatabaseConnection,
    tenant_id: Uuid,
    tenant: &domain::TenantSlug,
    search: Option<&str>,
    offset: u64,
    limit: u64,
) -> AppResult<(u64, Vec<UserView>)> {
    let mut q = user::Entity::find().filter(user::Column::TenantId.eq(tenant_id));
    if let Some(pattern) = platform::sql::like_pattern(search).map(|p| p.to_lowercase()) {
        q = q.filter(Expr::cust_with_values(
            "(lower(login) LIKE $1 OR lower(display_name) LIKE $1 OR lower(coalesce(email, '')) LIKE $1)",
            [pattern],
        ));
    }
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_asc(user::Column::Login)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    let txn = tenancy::begin(db, tenant).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(view_in(&txn, r).await?);
    }
    txn.commit().await?;
    Ok((total, out))
}

#[derive(FromQueryResult)]
struct Code {
    code: String,
}

#[derive(FromQueryResult)]
struct Id32 {
    id: i32,
}

#[derive(FromQueryResult)]
struct Number {
    number: String,
}

/// Completes a user row with its tenant-side facts (inside a tenant unit of work).
async fn view_in(txn: &DatabaseTransaction, u: user::Model) -> AppResult<UserView> {
    let stmt = |sql: &str| Statement::from_sql_and_values(DbBackend::Postgres, sql, [u.id.into()]);
    let roles = Code::find_by_statement(stmt(
        "SELECT r.code FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = $1 ORDER BY r.code",
    ))
    .all(txn)
    .await?;
    let branches = Id32::find_by_statement(stmt(
        "SELECT branch_id AS id FROM user_branches WHERE user_id = $1 ORDER BY branch_id",
    ))
    .all(txn)
    .await?;
    let buildings = Id32::find_by_statement(stmt(
        "SELECT building_id AS id FROM user_buildings WHERE user_id = $1 ORDER BY building_id",
    ))
    .all(txn)
    .await?;
    let accounts = Number::find_by_statement(stmt(
        "SELECT a.number FROM subscriber_accounts s JOIN accounts a ON a.id = s.account_id WHERE s.user_id = $1 ORDER BY a.number",
    ))
    .all(txn)
    .await?;
    Ok(UserView {
        id: u.id,
        login: u.login,
        display_name: u.display_name,
        email: u.email,
        kind: u.kind,
        active: u.active,
        locale: u.locale,
        roles: roles.into_iter().map(|r| r.code).collect(),
        branch_ids: branches.into_iter().map(|b| b.id).collect(),
        building_ids: buildings.into_iter().map(|b| b.id).collect(),
        account_numbers: accounts.into_iter().map(|a| a.number).collect(),
        created_at: u.created_at,
        has_password: u.password_hash.is_some(),
    })
}

async fn exec(txn: &DatabaseTransaction, sql: &str, values: Vec<sea_orm::Value>) -> AppResult<u64> {
    Ok(txn
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            values,
        ))
        .await?
        .rows_affected())
}

/// Replaces a user's links in `table` (`user_id`, `column`) with the ids that
/// `SELECT id FROM {source} WHERE {key} = …` finds for each key. A key that finds nothing
/// is a validation error on `field`: `missing` and the key (each message whole, so the
/// catalog finds it).
struct Links<'a> {
    table: &'a str,
    column: &'a str,
    source: &'a str,
    key: &'a str,
    field: &'a str,
    missing: &'a str,
}

async fn replace_links<K>(
    txn: &DatabaseTransaction,
    user: Uuid,
    l: Links<'_>,
    keys: &[K],
) -> AppResult<()>
where
    K: Clone + PartialEq + std::fmt::Display + Into<sea_orm::Value>,
{
    let sql = format!("DELETE FROM {} WHERE user_id = $1", l.table);
    exec(txn, &sql, vec![user.into()]).await?;
    let insert = format!(
        "INSERT INTO {} (user_id, {}) SELECT $1, id FROM {} WHERE {} = $2",
        l.table, l.column, l.source, l.key
    );
    let mut seen: Vec<&K> = Vec::new();
    for k in keys {
        if seen.contains(&k) {
            continue;
        }
        seen.push(k);
        if exec(txn, &insert, vec![user.into(), k.clone().into()]).await? == 0 {
            return Err(AppError::validation(l.field, format!("{} {k}", l.missing)));
        }
    }
    Ok(())
}

async fn set_roles(txn: &DatabaseTransaction, user: Uuid, codes: &[String]) -> AppResult<()> {
    let l = Links {
        table: "user_roles",
        column: "role_id",
        source: "roles",
        key: "code",
        field: "roles",
        missing: "there is no role",
    };
    replace_links(txn, user, l, codes).await
}

async fn set_branches(txn: &DatabaseTransaction, user: Uuid, ids: &[i32]) -> AppResult<()> {
    let l = Links {
        table: "user_branches",
        column: "branch_id",
        source: "branches",
        key: "id",
        field: "branchIds",
        missing: "there is no branch",
    };
    replace_links(txn, user, l, ids).await
}

async fn set_buildings(txn: &DatabaseTransaction, user: Uuid, ids: &[i32]) -> AppResult<()> {
    let l = Links {
        table: "user_buildings",
        column: "building_id",
        source: "buildings",
        key: "id",
        field: "buildingIds",
        missing: "there is no building",
    };
    replace_links(txn, user, l, ids).await
}

async fn set_accounts(txn: &DatabaseTransaction, user: Uuid, numbers: &[String]) -> AppResult<()> {
    let l = Links {
        table: "subscriber_accounts",
        column: "account_id",
        source: "accounts",
        key: "number",
        field: "accountNumbers",
        missing: "there is no account",
    };
    replace_links(txn, user, l, numbers).await
}

/// Who the platform operator names as a new tenant's first admin.
pub struct FirstAdmin {
    pub login: String,
    pub display_name: String,
    pub email: String,
}

/// Creates a new tenant's first admin (role `tenant_admin`, no password) and the
/// invitation's token in the platform operator's transaction, which it leaves in the
/// tenant's schema; the user's id and the token.
pub async fn create_first_admin(
    txn: &DatabaseTransaction,
    tenant: (&domain::TenantSlug, Uuid),
    admin: &FirstAdmin,
    now: DateTime<Utc>,
) -> AppResult<(Uuid, String)> {
    // The form's fields are the admin's: `login` is reported as `adminLogin`.
    let as_admin = |e: AppError| match e {
        AppError::Validation { field, message } => AppError::Validation {
            field: match field.as_str() {
                "login" => "adminLogin",
                "displayName" => "adminDisplayName",
                "email" => "adminEmail",
                other => other,
            }
            .to_owned(),
            message,
        },
        other => other,
    };
    let login = check_login(&admin.login).map_err(as_admin)?;
    let display_name = check_name(&admin.display_name).map_err(as_admin)?;
    let email = check_email(Some(&admin.email))
        .map_err(as_admin)?
        .ok_or_else(|| {
            AppError::validation(
                "adminEmail",
                "the first admin needs an e-mail for the invitation",
            )
        })?;
    let id = Uuid::new_v4();
    identifiers_free(txn, id, Some(&login), Some(&email))
        .await
        .map_err(as_admin)?;
    insert_user(
        txn,
        UserRow {
            id,
            tenant_id: Some(tenant.1),
            login: &login,
            email: Some(email),
            display_name,
            kind: UserKind::Staff.code(),
            password_hash: None,
            locale: None,
        },
        now,
    )
    .await
    .map_err(|e| login_taken(e, &login))?;
    let token =
        crate::auth::links::issue(txn, id, crate::auth::links::Purpose::Invite, now).await?;
    tenancy::enter(txn, tenant.0).await?;
    set_roles(txn, id, &["tenant_admin".to_owned()]).await?;
    Ok((id, token))
}

/// A user row as every way of making one writes it: active, created `now`; a password hash
/// when one is set now (else the invitation link sets it). Errors are the database's, so
/// the caller can name a taken login.
pub(crate) struct UserRow<'a> {
    pub id: Uuid,
    pub tenant_id: Option<Uuid>,
    pub login: &'a str,
    pub email: Option<String>,
    pub display_name: String,
    pub kind: &'a str,
    pub password_hash: Option<String>,
    pub locale: Option<String>,
}

pub(crate) async fn insert_user<C: sea_orm::ConnectionTrait>(
    db: &C,
    u: UserRow<'_>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), sea_orm::DbErr> {
    user::Entity::insert(user::ActiveModel {
        id: Set(u.id),
        tenant_id: Set(u.tenant_id),
        login: Set(u.login.to_owned()),
        email: Set(u.email),
        display_name: Set(u.display_name),
        kind: Set(u.kind.to_owned()),
        password_changed_at: Set(u.password_hash.is_some().then_some(now)),
        password_hash: Set(u.password_hash),
        locale: Set(u.locale),
        active: Set(true),
        created_at: Set(now),
    })
    .exec_without_returning(db)
    .await
    .map(|_| ())
}

/// A user made directly by the system (demo set-up, the platform operator's bootstrap).
pub struct SeedUser<'a> {
    pub login: &'a str,
    pub email: Option<&'a str>,
    pub display_name: &'a str,
    pub kind: UserKind,
    pub password: &'a str,
    pub roles: &'a [&'a str],
    pub accounts: &'a [&'a str],
}

/// Creates a seed user unless the login exists (then it is left as it is).
pub async fn ensure_seed_user(
    db: &sea_orm::DatabaseConnection,
    tenant: Option<(&domain::TenantSlug, Uuid)>,
    seed: SeedUser<'_>,
) -> AppResult<()> {
    let SeedUser {
        login,
        email,
        display_name,
        kind,
        password: password_plain,
        roles,
        accounts,
    } = seed;
    let txn = db.begin().await?;
    let exists = user::Entity::find()
        .filter(Expr::cust_with_values(
            "lower(login) = $1",
            [login.to_lowercase()],
        ))
        .one(&txn)
        .await?;
    if let Some(u) = exists {
        // Seed users made before they had e-mails get theirs (single sign-on matches on it).
        if u.email.is_none() && email.is_some() {
            let mut m = u.into_active_model();
            m.email = Set(email.map(str::to_owned));
            m.update(&txn).await?;
            txn.commit().await?;
        }
        return Ok(());
    }
    let id = Uuid::new_v4();
    let now = Utc::now();
    insert_user(
        &txn,
        UserRow {
            id,
            tenant_id: tenant.map(|t| t.1),
            login,
            email: email.map(str::to_owned),
            display_name: display_name.to_owned(),
            kind: kind.code(),
            password_hash: Some(password::hash(password_plain)?),
            locale: None,
        },
        now,
    )
    .await?;
    if let Some((slug, _)) = tenant {
        tenancy::enter(&txn, slug).await?;
        let roles: Vec<String> = roles.iter().map(|r| (*r).to_owned()).collect();
        set_roles(&txn, id, &roles).await?;
        let accounts: Vec<String> = accounts.iter().map(|a| (*a).to_owned()).collect();
        set_accounts(&txn, id, &accounts).await?;
    }
    txn.commit().await?;
    Ok(())
}
