//! Roles and their permission matrix. Built-in roles (tenant admin, operator, accountant,
//! controller, viewer, subscriber) are read-only; tenant admins define custom roles.
//! A role still assigned to users cannot be deleted.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, FromQueryResult, Statement};
use serde_json::json;

use crate::auth::access::Scope;
use crate::auth::{Action, Document};
use platform::audit::{self, Change};
use platform::error::{AppError, AppResult};

#[derive(Debug, Clone, serde::Serialize, async_graphql::SimpleObject)]
#[serde(rename_all = "camelCase")]
pub struct RoleView {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub builtin: bool,
    pub users: i64,
    /// `document.action` codes, sorted.
    pub permissions: Vec<String>,
}

#[derive(FromQueryResult)]
struct RoleRow {
    id: i32,
    code: String,
    name: String,
    builtin: bool,
    users: i64,
    permissions: Option<String>,
}

pub async fn list(txn: &DatabaseTransaction) -> AppResult<Vec<RoleView>> {
    load(txn, None).await
}

async fn load(txn: &DatabaseTransaction, only: Option<i32>) -> AppResult<Vec<RoleView>> {
    let rows = RoleRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT r.id, r.code, r.name, r.builtin, \
                (SELECT count(*) FROM user_roles ur WHERE ur.role_id = r.id) AS users, \
                (SELECT string_agg(p.document || '.' || p.action, ',' ORDER BY p.document, p.action) \
                   FROM role_permissions p WHERE p.role_id = r.id) AS permissions \
         FROM roles r WHERE ($1::int IS NULL OR r.id = $1) ORDER BY r.builtin DESC, r.code",
        [only.into()],
    ))
    .all(txn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| RoleView {
            id: r.id,
            code: r.code,
            name: r.name,
            builtin: r.builtin,
            users: r.users,
            permissions: r
                .permissions
                .map(|p| p.split(',').map(str::to_owned).collect())
                .unwrap_or_default(),
        })
        .collect())
}

async fn one(txn: &DatabaseTransaction, id: i32) -> AppResult<RoleView> {
    load(txn, Some(id))
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::NotFound(format!("role {id} does not exist")))
}

fn check_code(code: &str) -> AppResult<()> {
    let mut chars = code.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && (2..=40).contains(&code.len());
    if ok {
        Ok(())
    } else {
        Err(AppError::validation(
            "code",
            "must be 2–40 characters: a lowercase Latin letter, then letters, digits or _",
        ))
    }
}

fn check_name(name: &str) -> AppResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::validation("name", "must be 1–100 characters"));
    }
    Ok(name.to_owned())
}

async fn set_permissions(
    txn: &DatabaseTransaction,
    role: i32,
    perms: &[(Document, Action)],
) -> AppResult<()> {
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "DELETE FROM role_permissions WHERE role_id = $1",
        [role.into()],
    ))
    .await?;
    for (d, a) in perms {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO role_permissions (role_id, document, action) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            [role.into(), d.code().into(), a.code().into()],
        ))
        .await?;
    }
    Ok(())
}

#[derive(FromQueryResult)]
struct NewId {
    id: i32,
}

pub async fn create(
    scope: &Scope<'_>,
    code: &str,
    name: &str,
    perms: &[(Document, Action)],
    now: DateTime<Utc>,
) -> AppResult<RoleView> {
    check_code(code)?;
    let name = check_name(name)?;
    let txn = scope.begin().await?;
    let inserted = NewId::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO roles (code, name, builtin) VALUES ($1, $2, false) ON CONFLICT (code) DO NOTHING RETURNING id",
        [code.into(), name.into()],
    ))
    .one(&txn)
    .await?
    .ok_or_else(|| AppError::Conflict(format!("a role with code {code:?} exists")))?;
    set_permissions(&txn, inserted.id, perms).await?;
    let view = one(&txn, inserted.id).await?;
    let c = Change {
        entity: "role",
        entity_id: view.id.to_string(),
        action: "create",
        before: None,
        after: Some(json!(view)),
    };
    audit::record(&txn, &scope.actor(), now, c).await?;
    txn.commit().await?;
    Ok(view)
}

pub async fn update(
    scope: &Scope<'_>,
    id: i32,
    name: Option<&str>,
    perms: Option<&[(Document, Action)]>,
    now: DateTime<Utc>,
) -> AppResult<RoleView> {
    let txn = scope.begin().await?;
    let before = one(&txn, id).await?;
    if before.builtin {
        return Err(AppError::Conflict(format!(
            "built-in role {} cannot be changed; create a custom role",
            before.code
        )));
    }
    if let Some(n) = name {
        let n = check_name(n)?;
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "UPDATE roles SET name = $2 WHERE id = $1",
            [id.into(), n.into()],
        ))
        .await?;
    }
    if let Some(p) = perms {
        set_permissions(&txn, id, p).await?;
    }
    let after = one(&txn, id).await?;
    let c = Change {
        entity: "role",
        entity_id: id.to_string(),
        action: "update",
        before: Some(json!(before)),
        after: Some(json!(after)),
    };
    audit::record(&txn, &scope.actor(), now, c).await?;
    txn.commit().await?;
    Ok(after)
}

pub async fn delete(scope: &Scope<'_>, id: i32, now: DateTime<Utc>) -> AppResult<()> {
    let txn = scope.begin().await?;
    let before = one(&txn, id).await?;
    if before.builtin {
        return Err(AppError::Conflict(format!(
            "built-in role {} cannot be deleted",
            before.code
        )));
    }
    if before.users > 0 {
        return Err(AppError::Conflict(format!(
            "role {} is assigned to {} user(s); take it away first",
            before.code, before.users
        )));
    }
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "DELETE FROM roles WHERE id = $1",
        [id.into()],
    ))
    .await?;
    let c = Change {
        entity: "role",
        entity_id: id.to_string(),
        action: "delete",
        before: Some(json!(before)),
        after: None,
    };
    audit::record(&txn, &scope.actor(), now, c).await?;
    txn.commit().await?;
    Ok(())
}
