//! The tenant's settings kept with it in `public.tenants`: the password policy, single
//! sign-on, whether subscribers may register in the portal themselves, and its kind of
//! business (which menus it sees: water and housing, electricity retail, or both).

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel, TransactionTrait};
use serde_json::json;

use crate::auth::access::Scope;
use platform::audit::{self, Change};
use platform::entities::tenant;
use platform::error::{AppError, AppResult};
use platform::tenancy;

#[derive(Debug, Clone, serde::Serialize, async_graphql::SimpleObject)]
#[serde(rename_all = "camelCase")]
pub struct SecuritySettings {
    pub password_min_length: i32,
    pub password_require_mixed: bool,
    pub password_forbid_login: bool,
    pub sso_issuer: Option<String>,
    pub sso_client_id: Option<String>,
    /// Whether a client secret is stored (the secret itself is never shown).
    pub sso_has_secret: bool,
    /// Subscribers may register in the portal with the account number and its code.
    pub portal_registration: bool,
    /// water, housing, hoa, electricity or water_electricity.
    pub business_kind: String,
}

fn view(t: &tenant::Model) -> SecuritySettings {
    SecuritySettings {
        password_min_length: t.password_min_length,
        password_require_mixed: t.password_require_mixed,
        password_forbid_login: t.password_forbid_login,
        sso_issuer: t.sso_issuer.clone(),
        sso_client_id: t.sso_client_id.clone(),
        sso_has_secret: t.sso_client_secret.is_some(),
        portal_registration: t.portal_registration,
        business_kind: t.business_kind.clone(),
    }
}

pub async fn get(scope: &Scope<'_>) -> AppResult<SecuritySettings> {
    let t = tenant::Entity::find_by_id(scope.tenant_id)
        .one(&scope.state.db)
        .await?
        .ok_or_else(|| AppError::NotFound("tenant".into()))?;
    Ok(view(&t))
}

/// A change to the settings; None leaves a value as it is. `sso_*: Some("")` clears it.
#[derive(Default)]
pub struct SettingsPatch {
    pub password_min_length: Option<i32>,
    pub password_require_mixed: Option<bool>,
    pub password_forbid_login: Option<bool>,
    pub sso_issuer: Option<String>,
    pub sso_client_id: Option<String>,
    pub sso_client_secret: Option<String>,
    pub portal_registration: Option<bool>,
    pub business_kind: Option<String>,
}

fn blank_to_none(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

pub async fn update(
    scope: &Scope<'_>,
    p: SettingsPatch,
    now: DateTime<Utc>,
) -> AppResult<SecuritySettings> {
    if let Some(n) = p.password_min_length
        && !(6..=128).contains(&n)
    {
        return Err(AppError::validation(
            "passwordMinLength",
            "must be from 6 to 128",
        ));
    }
    if let Some(i) = p.sso_issuer.as_deref().and_then(blank_to_none) {
        let dev = scope.state.settings.is_development();
        platform::outbound::check_issuer("ssoIssuer", &i, dev).await?;
    }
    if let Some(k) = &p.business_kind {
        crate::admin::platform::check_business_kind(k)?;
    }
    let txn = scope.state.db.begin().await?;
    let t = tenant::Entity::find_by_id(scope.tenant_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::NotFound("tenant".into()))?;
    let before = view(&t);
    let mut m = t.into_active_model();
    if let Some(v) = p.password_min_length {
        m.password_min_length = Set(v);
    }
    if let Some(v) = p.password_require_mixed {
        m.password_require_mixed = Set(v);
    }
    if let Some(v) = p.password_forbid_login {
        m.password_forbid_login = Set(v);
    }
    if let Some(v) = p.portal_registration {
        m.portal_registration = Set(v);
    }
    if let Some(v) = p.business_kind {
        m.business_kind = Set(v);
    }
    if let Some(v) = &p.sso_issuer {
        m.sso_issuer = Set(blank_to_none(v).map(|s| s.trim_end_matches('/').to_owned()));
    }
    if let Some(v) = &p.sso_client_id {
        m.sso_client_id = Set(blank_to_none(v));
    }
    if let Some(v) = &p.sso_client_secret {
        let keyring = platform::secrets::Keyring::from_settings(&scope.state.settings)?;
        let sealed = blank_to_none(v)
            .map(|plain| keyring.seal(&plain))
            .transpose()?;
        m.sso_client_secret = Set(sealed);
    }
    let t = m.update(&txn).await?;
    let after = view(&t);
    tenancy::enter(&txn, scope.tenant).await?;
    let c = Change {
        entity: "settings",
        entity_id: "security".into(),
        action: "update",
        before: Some(json!(before)),
        after: Some(json!(after)),
    };
    audit::record(&txn, &scope.actor(), now, c).await?;
    txn.commit().await?;
    Ok(after)
}
