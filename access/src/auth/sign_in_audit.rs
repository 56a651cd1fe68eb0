//! Sign-ins in the audit: every sign-in, failed sign-in and SSO sign-in is a row — in the
//! user's tenant's `audit_log` (entity `session`, the user's id), or, for a platform
//! operator or a name no user has, in `public.platform_audit`. The row says how (password
//! or SSO), from which address, and for a failure which name was typed. Throttling bounds
//! how many failures one user or address can write.

use chrono::{DateTime, Utc};
use sea_orm::{EntityTrait, TransactionTrait};
use serde_json::json;

use platform::audit::{self, Actor, Change};
use platform::entities::{tenant, user};
use platform::error::AppResult;
use platform::state::AppState;

/// What happened: `sign_in` or `sign_in_failed`.
pub struct Attempt<'a> {
    pub user: Option<&'a user::Model>,
    /// What was typed (or the provider's e-mail).
    pub typed: &'a str,
    pub address: &'a str,
    /// `password` or `sso`.
    pub via: &'a str,
    pub succeeded: bool,
    pub at: DateTime<Utc>,
}

impl<'a> Attempt<'a> {
    /// A password sign-in attempt.
    pub fn password(
        user: Option<&'a user::Model>,
        typed: &'a str,
        address: &'a str,
        succeeded: bool,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            user,
            typed,
            address,
            via: "password",
            succeeded,
            at,
        }
    }
}

pub async fn record(state: &AppState, a: Attempt<'_>) -> AppResult<()> {
    let action = if a.succeeded {
        "sign_in"
    } else {
        "sign_in_failed"
    };
    let after = json!({ "typed": a.typed, "address": a.address, "via": a.via });
    let actor = match a.user {
        // A failure is nobody's act yet: the actor is the name typed.
        Some(u) if a.succeeded => Actor {
            user_id: Some(u.id),
            login: u.login.clone(),
        },
        _ => Actor {
            user_id: None,
            login: a.typed.to_owned(),
        },
    };
    let change = |entity_id: String| Change {
        entity: "session",
        entity_id,
        action,
        before: None,
        after: Some(after.clone()),
    };
    let tenant_of = match a.user.and_then(|u| u.tenant_id) {
        Some(tid) => tenant::Entity::find_by_id(tid).one(&state.db).await?,
        None => None,
    };
    match (a.user, tenant_of) {
        (Some(u), Some(t)) => {
            let slug = platform::tenants::parse_stored_slug(&t.slug)?;
            let txn = platform::tenancy::begin(&state.db, &slug).await?;
            audit::record(&txn, &actor, a.at, change(u.id.to_string())).await?;
            txn.commit().await?;
        }
        (u, _) => {
            let txn = state.db.begin().await?;
            let id = u.map_or_else(|| a.typed.to_owned(), |u| u.id.to_string());
            audit::record_platform(&txn, &actor, a.at, change(id)).await?;
            txn.commit().await?;
        }
    }
    Ok(())
}
