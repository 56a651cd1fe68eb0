//! Who am I, my password; and the tenant admin's users, roles, security settings and
//! audit log.

use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::Utc;
use uuid::Uuid;

use crate::admin::roles::{self, RoleView};
use crate::admin::settings::{self, SecuritySettings, SettingsPatch};
use crate::admin::users::{self, NewUser, UserPatch, UserView};
use crate::auth::session::UserKind;
use crate::auth::{self, Action, Document};
use platform::audit::{self, AuditEntry, AuditFilter};
use platform::error::{AppError, AppResult};
use platform::sql::MAX_PAGE;

/// The signed-in user.
#[derive(SimpleObject)]
pub struct Me {
    pub login: String,
    pub display_name: String,
    pub kind: String,
    pub locale: Option<String>,
    pub tenant: Option<String>,
    /// The user card's e-mail: where exports the user requests are mailed.
    pub email: Option<String>,
    /// `document.action` codes the user holds.
    pub permissions: Vec<String>,
}

#[derive(SimpleObject)]
pub struct UserPage {
    pub total: i64,
    pub items: Vec<UserView>,
}

#[derive(SimpleObject)]
pub struct AuditPage {
    pub total: i64,
    pub items: Vec<AuditEntry>,
}

#[derive(InputObject)]
pub struct PermissionInput {
    pub document: Document,
    pub action: Action,
}

#[derive(InputObject)]
pub struct NewUserInput {
    pub login: String,
    pub display_name: String,
    pub email: Option<String>,
    /// true: a subscriber (portal user); false: staff.
    #[graphql(default)]
    pub subscriber: bool,
    /// Empty: the user gets an invitation by e-mail and sets their own password.
    #[graphql(default)]
    pub password: String,
    pub locale: Option<String>,
    #[graphql(default)]
    pub roles: Vec<String>,
    #[graphql(default)]
    pub branch_ids: Vec<i32>,
    /// With `branchIds`: the user sees the accounts of these branches and buildings;
    /// both empty = the whole tenant.
    #[graphql(default)]
    pub building_ids: Vec<i32>,
    #[graphql(default)]
    pub account_numbers: Vec<String>,
}

#[derive(InputObject)]
pub struct UserPatchInput {
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub locale: Option<String>,
    pub roles: Option<Vec<String>>,
    pub branch_ids: Option<Vec<i32>>,
    pub building_ids: Option<Vec<i32>>,
    pub account_numbers: Option<Vec<String>>,
}

#[derive(InputObject, Default)]
pub struct SecuritySettingsInput {
    pub password_min_length: Option<i32>,
    pub password_require_mixed: Option<bool>,
    pub password_forbid_login: Option<bool>,
    /// An empty string clears the value.
    pub sso_issuer: Option<String>,
    pub sso_client_id: Option<String>,
    pub sso_client_secret: Option<String>,
    pub portal_registration: Option<bool>,
    /// water, housing, hoa, electricity or water_electricity.
    pub business_kind: Option<String>,
}

/// NOT_FOUND unless the account exists within the user's reach.
async fn account_within(
    txn: &sea_orm::DatabaseTransaction,
    scope: &auth::Scope<'_>,
    account_id: i64,
) -> AppResult<()> {
    use sea_orm::ConnectionTrait;
    let within = scope
        .session
        .reach
        .account_condition()
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default();
    let found = txn
        .query_one_raw(platform::sql::stmt(
            &format!("SELECT 1 FROM accounts WHERE id = $1{within}"),
            vec![account_id.into()],
        ))
        .await?;
    found
        .map(|_| ())
        .ok_or_else(|| AppError::NotFound(format!("account {account_id} does not exist")))
}

fn check_page(limit: u64) -> AppResult<()> {
    if limit == 0 || limit > MAX_PAGE {
        return Err(AppError::validation(
            "limit",
            format!("must be from 1 to {MAX_PAGE}"),
        ));
    }
    Ok(())
}

fn perms(input: &[PermissionInput]) -> Vec<(Document, Action)> {
    input.iter().map(|p| (p.document, p.action)).collect()
}

#[derive(Default)]
pub struct AccessQuery;

#[Object]
impl AccessQuery {
    /// The signed-in user, or null when signed out.
    async fn me(&self, ctx: &Context<'_>) -> Option<Me> {
        let s = auth::authenticated(ctx).ok()?;
        let mut permissions: Vec<String> = s
            .permissions
            .iter()
            .map(|(d, a)| format!("{d}.{a}"))
            .collect();
        permissions.sort();
        let email = {
            use sea_orm::EntityTrait;
            let state = auth::access::state(ctx).ok()?;
            platform::entities::user::Entity::find_by_id(s.user_id)
                .one(&state.db)
                .await
                .ok()
                .flatten()
                .and_then(|u| u.email)
        };
        Some(Me {
            login: s.login.clone(),
            display_name: s.display_name.clone(),
            kind: s.kind.code().to_owned(),
            locale: s.locale.clone(),
            tenant: s.tenant.as_ref().map(|t| t.slug.to_string()),
            email,
            permissions,
        })
    }

    async fn users(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        #[graphql(default = 0)] offset: u64,
        #[graphql(default = 50)] limit: u64,
    ) -> AppResult<UserPage> {
        check_page(limit)?;
        let scope = auth::authorize(ctx, Document::Users, Action::View)?;
        let (total, items) = users::list(&scope, search.as_deref(), offset, limit).await?;
        Ok(UserPage {
            total: i64::try_from(total).unwrap_or(i64::MAX),
            items,
        })
    }

    async fn user(&self, ctx: &Context<'_>, id: Uuid) -> AppResult<UserView> {
        let scope = auth::authorize(ctx, Document::Users, Action::View)?;
        users::get(&scope, id).await
    }

    /// Roles with their permission matrix.
    async fn roles(&self, ctx: &Context<'_>) -> AppResult<Vec<RoleView>> {
        let scope = auth::authorize(ctx, Document::Users, Action::View)?;
        let txn = scope.begin().await?;
        let list = roles::list(&txn).await?;
        txn.commit().await?;
        Ok(list)
    }

    /// The account's portal registration code, printed on its invoice (made when first
    /// shown or printed).
    async fn portal_code(&self, ctx: &Context<'_>, account_id: i64) -> AppResult<String> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::View)?;
        let txn = scope.begin().await?;
        account_within(&txn, &scope, account_id).await?;
        let code = crate::portal_codes::codes_for(&txn, &[account_id], Utc::now())
            .await?
            .remove(&account_id)
            .ok_or_else(|| AppError::NotFound(format!("account {account_id} does not exist")))?;
        txn.commit().await?;
        Ok(code)
    }

    async fn security_settings(&self, ctx: &Context<'_>) -> AppResult<SecuritySettings> {
        let scope = auth::authorize(ctx, Document::Settings, Action::View)?;
        settings::get(&scope).await
    }

    /// The audit log, newest first: every change with who, when, before and after.
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] filter: AuditFilter,
        #[graphql(default = 0)] offset: u64,
        #[graphql(default = 50)] limit: u64,
    ) -> AppResult<AuditPage> {
        check_page(limit)?;
        let scope = auth::authorize(ctx, Document::Users, Action::View)?;
        let txn = scope.begin().await?;
        let own = (!scope.session.reach.everything()).then_some(scope.session.user_id);
        let (total, items) = audit::query(&txn, &filter, own, offset, limit).await?;
        txn.commit().await?;
        Ok(AuditPage { total, items })
    }
}

#[derive(Default)]
pub struct AccessMutation;

#[Object]
impl AccessMutation {
    /// Changes the signed-in user's password; every session of the user ends.
    async fn change_my_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> AppResult<bool> {
        let session = auth::authenticated(ctx)?;
        let state = auth::access::state(ctx)?;
        users::change_own_password(state, session, &current_password, &new_password, Utc::now())
            .await?;
        Ok(true)
    }

    async fn create_user(&self, ctx: &Context<'_>, input: NewUserInput) -> AppResult<UserView> {
        let scope = auth::authorize(ctx, Document::Users, Action::Create)?;
        let new = NewUser {
            login: input.login,
            display_name: input.display_name,
            email: input.email,
            kind: if input.subscriber {
                UserKind::Subscriber
            } else {
                UserKind::Staff
            },
            password: input.password,
            locale: input.locale,
            roles: input.roles,
            branch_ids: input.branch_ids,
            building_ids: input.building_ids,
            account_numbers: input.account_numbers,
        };
        let now = Utc::now();
        let invite = new.password.is_empty();
        let view = users::create(&scope, new, now).await?;
        if invite {
            crate::auth::links::invite(scope.state, &scope.actor(), scope.tenant, view.id, now)
                .await?;
        }
        Ok(view)
    }

    /// A new portal registration code for the account (the printed one stops working).
    async fn renew_portal_code(&self, ctx: &Context<'_>, account_id: i64) -> AppResult<String> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let now = Utc::now();
        let txn = scope.begin().await?;
        account_within(&txn, &scope, account_id).await?;
        let code = crate::portal_codes::renew(&txn, account_id, now).await?;
        let c = platform::audit::Change {
            entity: "account",
            entity_id: account_id.to_string(),
            action: "renew_portal_code",
            before: None,
            after: None,
        };
        platform::audit::record(&txn, &scope.actor(), now, c).await?;
        txn.commit().await?;
        Ok(code)
    }

    /// E-mails the user a one-time link to set their password (an invitation, a week);
    /// an earlier invitation ends.
    async fn invite_user(&self, ctx: &Context<'_>, id: Uuid) -> AppResult<bool> {
        let scope = auth::authorize(ctx, Document::Users, Action::Update)?;
        users::get(&scope, id).await?;
        crate::auth::links::invite(scope.state, &scope.actor(), scope.tenant, id, Utc::now())
            .await?;
        Ok(true)
    }

    async fn update_user(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        input: UserPatchInput,
    ) -> AppResult<UserView> {
        let scope = auth::authorize(ctx, Document::Users, Action::Update)?;
        let patch = UserPatch {
            display_name: input.display_name,
            email: input.email.map(Some),
            locale: input.locale.map(Some),
            roles: input.roles,
            branch_ids: input.branch_ids,
            building_ids: input.building_ids,
            account_numbers: input.account_numbers,
        };
        users::update(&scope, id, patch, Utc::now()).await
    }

    /// Deactivates (ending the user's sessions) or reactivates a user.
    async fn set_user_active(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        active: bool,
    ) -> AppResult<UserView> {
        let scope = auth::authorize(ctx, Document::Users, Action::Update)?;
        users::set_active(&scope, id, active, Utc::now()).await
    }

    /// Sets a new password for a user (who must then use it); the user's sessions end.
    async fn reset_user_password(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        new_password: String,
    ) -> AppResult<bool> {
        let scope = auth::authorize(ctx, Document::Users, Action::Update)?;
        users::reset_password(&scope, id, &new_password, Utc::now()).await?;
        Ok(true)
    }

    async fn create_role(
        &self,
        ctx: &Context<'_>,
        code: String,
        name: String,
        permissions: Vec<PermissionInput>,
    ) -> AppResult<RoleView> {
        let scope = auth::authorize(ctx, Document::Users, Action::Create)?;
        roles::create(&scope, &code, &name, &perms(&permissions), Utc::now()).await
    }

    async fn update_role(
        &self,
        ctx: &Context<'_>,
        id: i32,
        name: Option<String>,
        permissions: Option<Vec<PermissionInput>>,
    ) -> AppResult<RoleView> {
        let scope = auth::authorize(ctx, Document::Users, Action::Update)?;
        let p = permissions.as_deref().map(perms);
        roles::update(&scope, id, name.as_deref(), p.as_deref(), Utc::now()).await
    }

    async fn delete_role(&self, ctx: &Context<'_>, id: i32) -> AppResult<bool> {
        let scope = auth::authorize(ctx, Document::Users, Action::Delete)?;
        roles::delete(&scope, id, Utc::now()).await?;
        Ok(true)
    }

    async fn update_security_settings(
        &self,
        ctx: &Context<'_>,
        input: SecuritySettingsInput,
    ) -> AppResult<SecuritySettings> {
        let scope = auth::authorize(ctx, Document::Settings, Action::Update)?;
        let patch = SettingsPatch {
            password_min_length: input.password_min_length,
            password_require_mixed: input.password_require_mixed,
            password_forbid_login: input.password_forbid_login,
            sso_issuer: input.sso_issuer,
            sso_client_id: input.sso_client_id,
            sso_client_secret: input.sso_client_secret,
            portal_registration: input.portal_registration,
            business_kind: input.business_kind,
        };
        settings::update(&scope, patch, Utc::now()).await
    }
}
