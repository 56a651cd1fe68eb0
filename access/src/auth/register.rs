//! A subscriber registers in the portal: the organisation's code, the account number and
//! the registration code printed on its invoice (`portal_codes`), and an e-mail. The
//! login is the e-mail; the user is made at once (kind subscriber, role subscriber, the
//! account theirs, no password) and the invitation link — which only the e-mail's owner
//! gets — confirms the address and sets the password. Refused with one answer when the
//! number and code do not match (which of the two is wrong is not said); the tenant may
//! turn registration off; throttled per client address and per account.

use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::links::{self, Purpose};
use super::routes;
use platform::audit::{self, Actor, Change};
use platform::entities::user;
use platform::error::{AppError, AppResult};
use platform::i18n::{self, Lang};
use platform::sql::stmt;
use platform::state::AppState;
use platform::tenancy;

/// Attempts an hour from one address, and at one account.
const PER_ADDRESS: u32 = 10;
const PER_ACCOUNT: u32 = 5;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegisterRequest {
    tenant: String,
    account_number: String,
    code: String,
    email: String,
    #[serde(default)]
    display_name: String,
}

/// `POST /auth/register`: 202 when the invitation is on its way.
pub async fn register(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Json(req): Json<RegisterRequest>,
) -> Response {
    let lang = i18n::lang_of_request(&headers).unwrap_or(Lang::EN);
    let addr = routes::client_addr(&state, peer, &headers);
    let answer = |status: StatusCode, code: &str, message: String| {
        routes::error_response(status, code, &message)
    };
    match register_inner(&state, &addr, &req, Utc::now()).await {
        Ok(()) => (StatusCode::ACCEPTED, Json(json!({ "ok": true }))).into_response(),
        Err(AppError::Validation { field, message }) => answer(
            StatusCode::BAD_REQUEST,
            "VALIDATION",
            format!(
                "{}: {}",
                i18n::field(lang, &field),
                i18n::message(lang, &message)
            ),
        ),
        Err(AppError::RateLimited(secs)) => answer(
            StatusCode::TOO_MANY_REQUESTS,
            "THROTTLED",
            i18n::message(lang, &AppError::RateLimited(secs).to_string()),
        ),
        Err(AppError::Forbidden(m)) => {
            answer(StatusCode::FORBIDDEN, "FORBIDDEN", i18n::message(lang, &m))
        }
        Err(e) => {
            tracing::error!(error = ?e, "portal registration failed");
            answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL",
                "internal error".into(),
            )
        }
    }
}

/// One registration of `id` under `what` counted; refused (429) past `max` an hour.
async fn admitted(state: &AppState, what: &str, id: &str, max: u32) -> AppResult<()> {
    if super::throttle::within_budget(state, &format!("register:{what}"), id, max, 3600).await? {
        Ok(())
    } else {
        Err(AppError::RateLimited(3600))
    }
}

async fn register_inner(
    state: &AppState,
    addr: &str,
    req: &RegisterRequest,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let slug = domain::TenantSlug::parse(req.tenant.trim().to_lowercase().as_str())
        .map_err(|_| AppError::validation("tenant", "no organisation has this code"))?;
    let number = req.account_number.trim();
    if number.is_empty() || number.chars().count() > 40 {
        return Err(AppError::validation(
            "accountNumber",
            "enter the account number",
        ));
    }
    let email = req.email.trim().to_lowercase();
    if !platform::mail::is_address(&email) {
        return Err(AppError::validation(
            "email",
            "must be an e-mail address such as name@example.com",
        ));
    }
    admitted(state, "addr", addr, PER_ADDRESS).await?;
    admitted(state, "account", &format!("{slug}:{number}"), PER_ACCOUNT).await?;
    let Ok(t) = platform::tenants::find(&state.db, &slug).await else {
        return Err(AppError::validation(
            "tenant",
            "no organisation has this code",
        ));
    };
    if t.status != "active" || !t.portal_registration {
        return Err(AppError::Forbidden(
            "the organisation does not take registrations in the portal; ask its office".into(),
        ));
    }
    // The login is the e-mail: it must be nobody's login or e-mail yet.
    let taken = user::Entity::find()
        .filter(sea_orm::sea_query::Expr::cust_with_values(
            "(lower(login) = $1 OR lower(email) = $2)",
            [email.clone(), email.clone()],
        ))
        .one(&state.db)
        .await?;
    if taken.is_some() {
        return Err(AppError::validation(
            "email",
            "already has a login: sign in, or use \"forgot password\"",
        ));
    }
    let txn = state.db.begin().await?;
    // The account is checked in the tenant's schema (its role), the user written before.
    let id = Uuid::new_v4();
    let name = match req.display_name.trim() {
        "" => email.clone(),
        n => n.chars().take(200).collect(),
    };
    crate::admin::users::insert_user(
        &txn,
        crate::admin::users::UserRow {
            id,
            tenant_id: Some(t.id),
            login: &email,
            email: Some(email.clone()),
            display_name: name,
            kind: "subscriber",
            password_hash: None,
            locale: None,
        },
        now,
    )
    .await?;
    let token = links::issue(&txn, id, Purpose::Invite, now).await?;
    tenancy::enter(&txn, &slug).await?;
    let Some(account) = crate::portal_codes::account_of(&txn, number, &req.code).await? else {
        // Nothing of this attempt stays.
        txn.rollback().await?;
        return Err(AppError::validation(
            "registrationCode",
            "the account number and the registration code do not match",
        ));
    };
    txn.execute_raw(stmt(
        "INSERT INTO subscriber_accounts (user_id, account_id) VALUES ($1, $2)",
        vec![id.into(), account.into()],
    ))
    .await?;
    txn.execute_raw(stmt(
        "INSERT INTO user_roles (user_id, role_id) SELECT $1, id FROM roles WHERE code = 'subscriber'",
        vec![id.into()],
    ))
    .await?;
    let actor = Actor {
        user_id: Some(id),
        login: email.clone(),
    };
    let c = Change {
        entity: "user",
        entity_id: id.to_string(),
        action: "register",
        before: None,
        after: Some(json!({ "login": email, "accountNumber": number })),
    };
    audit::record(&txn, &actor, now, c).await?;
    txn.commit().await?;
    let u = user::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::Internal("the registered user vanished".into()))?;
    links::mail(state, &u, Purpose::Invite, &token).await
}
