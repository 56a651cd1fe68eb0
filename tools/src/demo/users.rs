//! The demo logins: `<slug>.<role>` for each built-in staff role, a subscriber with a
//! portal login over chosen accounts, and the platform operator; all with one password.

use domain::TenantSlug;

use backend::admin::users;
use backend::auth::session::UserKind;
use backend::error::AppResult;
use backend::state::AppState;
use backend::tenants;

/// The demo password of every demo login.
pub const DEMO_PASSWORD: &str = "Demo-2026-pass";

/// The staff roles that get a demo login each.
pub const DEMO_ROLES: &[&str] = &["admin", "operator", "accountant", "controller", "viewer"];

/// The subscriber behind `<slug>.subscriber` and the accounts that login sees.
pub struct PortalUser {
    pub name: &'static str,
    pub accounts: &'static [&'static str],
}

/// The integration tests' fixture subscriber.
pub const FIXTURE_PORTAL: PortalUser = PortalUser {
    name: "Фролов Степан",
    accounts: &["100001", "100003"],
};

/// Creates the logins that do not exist yet (an existing login is left as it is).
pub async fn ensure(state: &AppState, slug: &TenantSlug, portal: &PortalUser) -> AppResult<()> {
    ensure_staff(state, slug).await?;
    let t = tenants::find(&state.db, slug).await?;
    let login = format!("{slug}.subscriber");
    users::ensure_seed_user(
        &state.db,
        Some((slug, t.id)),
        users::SeedUser {
            login: &login,
            email: None,
            display_name: portal.name,
            kind: UserKind::Subscriber,
            password: DEMO_PASSWORD,
            roles: &["subscriber"],
            accounts: portal.accounts,
        },
    )
    .await
}

/// The staff logins, one per built-in role.
pub async fn ensure_staff(state: &AppState, slug: &TenantSlug) -> AppResult<()> {
    let t = tenants::find(&state.db, slug).await?;
    let tenant = Some((slug, t.id));
    for role in DEMO_ROLES {
        let code = if *role == "admin" {
            "tenant_admin"
        } else {
            role
        };
        let login = format!("{slug}.{role}");
        let email = format!("{role}@{slug}.example");
        let name = format!("Demo {role}");
        users::ensure_seed_user(
            &state.db,
            tenant,
            users::SeedUser {
                login: &login,
                email: Some(&email),
                display_name: &name,
                kind: UserKind::Staff,
                password: DEMO_PASSWORD,
                roles: &[code],
                accounts: &[],
            },
        )
        .await?;
    }
    Ok(())
}

/// Points the tenant's single sign-on at `issuer` (the local test provider's client).
pub async fn set_demo_sso(state: &AppState, slug: &TenantSlug, issuer: &str) -> AppResult<()> {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};
    let mut t = tenants::find(&state.db, slug).await?.into_active_model();
    t.sso_issuer = Set(Some(issuer.trim_end_matches('/').to_owned()));
    t.sso_client_id = Set(Some("billing".into()));
    let keyring = backend::secrets::Keyring::from_settings(&state.settings)?;
    t.sso_client_secret = Set(Some(keyring.seal("billing-sso-secret")?));
    t.update(&state.db).await?;
    Ok(())
}
