//! `backend rotate-secrets`: re-seals every stored secret (tenants' SMTP passwords, SSO
//! client secrets) under the keyring's current key, so an old key can then be dropped
//! from `APP_SECRETS__KEYS`. One transaction per tenant, a compare-and-set per value (a
//! secret changed meanwhile is left as its new owner saved it, already under the current
//! key); safe to run twice: what is under the current key is counted and left alone.
//! Audited in the tenant's log and the platform's (ids and key ids only, never a secret).
//! A CLI command, not a screen: the keys live in the processes' environment, which only
//! the platform's operator changes.

use chrono::Utc;
use sea_orm::{ConnectionTrait, FromQueryResult, TransactionTrait};
use serde_json::json;

use crate::audit::{self, Actor, Change};
use crate::error::AppResult;
use crate::secrets::Keyring;
use crate::state::AppState;
use crate::tenancy;
use platform::sql::stmt;

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rotated {
    /// Values re-sealed under the current key.
    pub resealed: usize,
    /// Values already under it.
    pub current: usize,
}

#[derive(FromQueryResult)]
struct MailRow {
    password_enc: Option<Vec<u8>>,
}

fn under_current(keyring: &Keyring, stored: &str) -> bool {
    Keyring::key_of(stored) == Some(keyring.current())
}

/// Re-seals the secrets of every tenant, or of `only` one.
pub async fn rotate(state: &AppState, only: Option<&domain::TenantSlug>) -> AppResult<Rotated> {
    let keyring = Keyring::from_settings(&state.settings)?;
    let actor = Actor {
        user_id: None,
        login: "rotate-secrets".into(),
    };
    let mut done = Rotated::default();
    for t in crate::tenants::list(&state.db).await? {
        let slug = crate::tenants::parse_stored_slug(&t.slug)?;
        if only.is_some_and(|o| *o != slug) {
            continue;
        }
        // The SMTP password, in the tenant's schema.
        let txn = tenancy::begin(&state.db, &slug).await?;
        let row = MailRow::find_by_statement(stmt(
            "SELECT password_enc FROM mail_settings FOR UPDATE",
            vec![],
        ))
        .one(&txn)
        .await?;
        if let Some(stored) = row.and_then(|r| r.password_enc) {
            let text = String::from_utf8_lossy(&stored).into_owned();
            if under_current(&keyring, &text) {
                done.current += 1;
            } else {
                let plain = keyring.open_stored_bytes(&stored)?;
                let sealed = keyring.seal(&plain)?;
                txn.execute_raw(stmt(
                    "UPDATE mail_settings SET password_enc = $1 WHERE password_enc = $2",
                    vec![sealed.into_bytes().into(), stored.clone().into()],
                ))
                .await?;
                audit::settings_changed(
                    &txn,
                    &actor,
                    Utc::now(),
                    "mail_settings",
                    "reseal",
                    Some(json!({ "key": Keyring::key_of(&text) })),
                    json!({ "key": keyring.current() }),
                )
                .await?;
                done.resealed += 1;
            }
        }
        txn.commit().await?;
        // The SSO client secret, on the tenant's row.
        let Some(stored) = t.sso_client_secret.clone() else {
            continue;
        };
        if under_current(&keyring, &stored) {
            done.current += 1;
            continue;
        }
        let plain = keyring.open_stored_text(&stored)?;
        let sealed = keyring.seal(&plain)?;
        let txn = state.db.begin().await?;
        txn.execute_raw(stmt(
            "UPDATE public.tenants SET sso_client_secret = $1 WHERE id = $2 AND sso_client_secret = $3",
            vec![sealed.into(), t.id.into(), stored.clone().into()],
        ))
        .await?;
        audit::record_platform(
            &txn,
            &actor,
            Utc::now(),
            Change {
                entity: "tenant_sso_secret",
                entity_id: t.slug.clone(),
                action: "reseal",
                before: Some(json!({ "key": Keyring::key_of(&stored) })),
                after: Some(json!({ "key": keyring.current() })),
            },
        )
        .await?;
        txn.commit().await?;
        done.resealed += 1;
    }
    Ok(done)
}
