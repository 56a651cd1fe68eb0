//! One-time password links by e-mail: an invitation (a new user — the first admin of a
//! new tenant, a staff user created without a password — sets their first password) and
//! a forgotten password (staff and subscribers alike). A link carries a random token of
//! which only a SHA-256 is kept (`public.password_links`); it works once, until it
//! expires (an invitation a week, a reset an hour), and a newer link of the same purpose
//! ends the older ones. Setting the password ends every session of the user.
//!
//! "Forgot password" never says whether the login or e-mail exists: the answer is the same
//! and comes before any message is sent (the sending runs apart), and it is throttled per
//! typed identifier and per client address (Redis, like the sign-in throttle).

use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};

use super::routes::error_response as answer;
use super::throttle::within_budget;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, FromQueryResult,
    IntoActiveModel, TransactionTrait,
};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::{password, routes, session, token};
use platform::audit::{self, Actor, Change};
use platform::entities::{tenant, user};
use platform::error::{AppError, AppResult};
use platform::i18n::{self, Lang};
use platform::sql::stmt;
use platform::state::AppState;
use platform::tenancy;

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Invite,
    Reset,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Self::Invite => "invite",
            Self::Reset => "reset",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        match code {
            "invite" => Some(Self::Invite),
            "reset" => Some(Self::Reset),
            _ => None,
        }
    }

    /// How long a link works.
    pub fn lifetime(self) -> Duration {
        match self {
            Self::Invite => Duration::days(7),
            Self::Reset => Duration::hours(1),
        }
    }
}

/// Requests of "forgot password" per typed identifier, and per client address, an hour.
const FORGOT_PER_IDENTIFIER: u32 = 3;
const FORGOT_PER_ADDRESS: u32 = 20;
const FORGOT_WINDOW_SECS: i64 = 3600;

/// Issues a link for `user_id` (older unused links of the purpose end); the token.
pub async fn issue<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> AppResult<String> {
    db.execute_raw(stmt(
        "UPDATE public.password_links SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL",
        vec![user_id.into(), purpose.code().into(), now.into()],
    ))
    .await?;
    let raw = token::new_token()?;
    db.execute_raw(stmt(
        "INSERT INTO public.password_links (token_hash, user_id, purpose, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
        vec![
            token::hash_token(&raw).into(),
            user_id.into(),
            purpose.code().into(),
            now.into(),
            (now + purpose.lifetime()).into(),
        ],
    ))
    .await?;
    Ok(raw)
}

/// The address the link opens: the web client's page that sets the password.
pub fn url(state: &AppState, raw: &str) -> String {
    format!(
        "{}/set-password?token={raw}",
        state.settings.auth.public_url.trim_end_matches('/')
    )
}

/// The language of the user's messages: their own, else their tenant's.
async fn lang_of<C: ConnectionTrait>(db: &C, u: &user::Model) -> AppResult<Lang> {
    if let Some(l) = u.locale.as_deref().and_then(Lang::from_code) {
        return Ok(l);
    }
    let tenant = match u.tenant_id {
        Some(id) => tenant::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    Ok(tenant
        .and_then(|t| Lang::from_code(&t.locale))
        .unwrap_or(Lang::EN))
}

/// Sends the link to the user's e-mail, in their language.
pub async fn mail(state: &AppState, u: &user::Model, purpose: Purpose, raw: &str) -> AppResult<()> {
    let to = u.email.as_deref().ok_or_else(|| {
        AppError::validation("email", "the user has no e-mail to send the link to")
    })?;
    let lang = lang_of(&state.db, u).await?;
    let organisation = match u.tenant_id {
        Some(id) => tenant::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .map(|t| t.name)
            .unwrap_or_default(),
        None => i18n::text(lang, "mail-link-platform"),
    };
    let link = url(state, raw);
    let hours = purpose.lifetime().num_hours().to_string();
    let args = [
        ("name", u.display_name.as_str()),
        ("organisation", organisation.as_str()),
        ("login", u.login.as_str()),
        ("link", link.as_str()),
        ("hours", hours.as_str()),
    ];
    let (subject, body) = match purpose {
        Purpose::Invite => ("mail-invite-subject", "mail-invite-body"),
        Purpose::Reset => ("mail-reset-subject", "mail-reset-body"),
    };
    state
        .mailer
        .send(
            to,
            &i18n::text_with(lang, subject, &args),
            &i18n::text_with(lang, body, &args),
            Vec::new(),
        )
        .await
}

/// Issues an invitation for a user the admin's tenant holds and e-mails it (the admin sees
/// a failure to send; the link stays valid and may be sent again).
pub async fn invite(
    state: &AppState,
    actor: &Actor,
    tenant: &domain::TenantSlug,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let txn = state.db.begin().await?;
    let u = user::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("user {user_id} does not exist")))?;
    if u.email.is_none() {
        return Err(AppError::validation(
            "email",
            "the user has no e-mail to send the link to",
        ));
    }
    if !u.active {
        return Err(AppError::validation("id", "the user is switched off"));
    }
    let raw = issue(&txn, user_id, Purpose::Invite, now).await?;
    let c = Change {
        entity: "user",
        entity_id: user_id.to_string(),
        action: "invite",
        before: None,
        after: Some(json!({ "login": u.login, "email": u.email })),
    };
    tenancy::enter(&txn, tenant).await?;
    audit::record(&txn, actor, now, c).await?;
    txn.commit().await?;
    mail(state, &u, Purpose::Invite, &raw).await
}

#[derive(Deserialize)]
pub struct ForgotRequest {
    /// The login or the e-mail, as on the sign-in form.
    login: String,
}

/// `POST /auth/forgot {login}`: the same answer (202) whoever is named; a link goes to the
/// e-mail of an active user of an active tenant who has one.
pub async fn forgot(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Json(req): Json<ForgotRequest>,
) -> Response {
    let lang = i18n::lang_of_request(&headers).unwrap_or(Lang::EN);
    let typed = req.login.trim().to_lowercase();
    if typed.is_empty() || typed.chars().count() > 254 {
        return answer(
            StatusCode::BAD_REQUEST,
            "VALIDATION",
            &translated(lang, "login", "enter your login or e-mail"),
        );
    }
    let addr = routes::client_addr(&state, peer, &headers);
    match forgot_inner(&state, &typed, &addr).await {
        Ok(true) => (StatusCode::ACCEPTED, Json(json!({ "ok": true }))).into_response(),
        Ok(false) => answer(
            StatusCode::TOO_MANY_REQUESTS,
            "THROTTLED",
            &i18n::message(lang, "too many requests; try again in 3600 s"),
        ),
        Err(e) => {
            tracing::error!(error = ?e, "forgot password failed");
            answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL",
                "internal error",
            )
        }
    }
}

/// Ok(false): throttled. The link is issued and sent apart from the answer.
async fn forgot_inner(state: &AppState, typed: &str, addr: &str) -> AppResult<bool> {
    if !within_budget(
        state,
        "forgot:addr",
        addr,
        FORGOT_PER_ADDRESS,
        FORGOT_WINDOW_SECS,
    )
    .await?
        || !within_budget(
            state,
            "forgot:typed",
            typed,
            FORGOT_PER_IDENTIFIER,
            FORGOT_WINDOW_SECS,
        )
        .await?
    {
        return Ok(false);
    }
    let state = state.clone();
    let typed = typed.to_owned();
    tokio::spawn(async move {
        if let Err(e) = send_reset(&state, &typed, Utc::now()).await {
            tracing::warn!(error = ?e, "a password reset link was not sent");
        }
    });
    Ok(true)
}

/// The user `typed` names may get a link: active, with an e-mail, of an active tenant.
async fn send_reset(state: &AppState, typed: &str, now: DateTime<Utc>) -> AppResult<()> {
    // An e-mail several users share names nobody here (they are asked for the login).
    let Ok(Some(u)) = routes::named(state, typed).await else {
        return Ok(());
    };
    if !u.active || u.email.is_none() {
        return Ok(());
    }
    if let Some(tid) = u.tenant_id {
        let t = tenant::Entity::find_by_id(tid).one(&state.db).await?;
        if t.is_none_or(|t| t.status != "active") {
            return Ok(());
        }
    }
    let txn = state.db.begin().await?;
    let raw = issue(&txn, u.id, Purpose::Reset, now).await?;
    txn.commit().await?;
    mail(state, &u, Purpose::Reset, &raw).await
}

#[derive(Deserialize)]
pub struct SetPasswordRequest {
    token: String,
    password: String,
}

#[derive(FromQueryResult)]
struct LinkRow {
    user_id: Uuid,
    purpose: String,
}

/// `POST /auth/set-password {token, password}`: sets the password the link is for; the
/// answer names the login (the page offers to sign in with it).
pub async fn set_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<SetPasswordRequest>,
) -> Response {
    let lang = i18n::lang_of_request(&headers).unwrap_or(Lang::EN);
    match set_password_inner(&state, &req.token, &req.password, Utc::now()).await {
        Ok(login) => (StatusCode::OK, Json(json!({ "ok": true, "login": login }))).into_response(),
        Err(AppError::Validation { field, message }) => answer(
            StatusCode::BAD_REQUEST,
            "VALIDATION",
            &translated(lang, &field, &message),
        ),
        Err(e) => {
            tracing::error!(error = ?e, "setting a password by link failed");
            answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL",
                "internal error",
            )
        }
    }
}

/// The link's user gets `new_password`; the link is used up. The login.
pub async fn set_password_inner(
    state: &AppState,
    raw: &str,
    new_password: &str,
    now: DateTime<Utc>,
) -> AppResult<String> {
    let invalid = || {
        AppError::validation(
            "token",
            "the link is not valid: it was used, has expired or a newer one was sent",
        )
    };
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 100 {
        return Err(invalid());
    }
    let txn = state.db.begin().await?;
    let link = LinkRow::find_by_statement(stmt(
        "SELECT user_id, purpose FROM public.password_links \
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 FOR UPDATE",
        vec![token::hash_token(raw).into(), now.into()],
    ))
    .one(&txn)
    .await?
    .ok_or_else(invalid)?;
    let purpose = Purpose::parse(&link.purpose).ok_or_else(invalid)?;
    let u = user::Entity::find_by_id(link.user_id)
        .one(&txn)
        .await?
        .filter(|u| u.active)
        .ok_or_else(invalid)?;
    let tenant = match u.tenant_id {
        Some(tid) => Some(
            tenant::Entity::find_by_id(tid)
                .one(&txn)
                .await?
                .filter(|t| t.status == "active")
                .ok_or_else(invalid)?,
        ),
        None => None,
    };
    match u.tenant_id {
        Some(tid) => {
            crate::admin::users::policy_of(&txn, tid)
                .await?
                .check(&u.login, new_password)?;
        }
        None => password::Policy::platform().check(&u.login, new_password)?,
    }
    txn.execute_raw(stmt(
        "UPDATE public.password_links SET used_at = $2 WHERE token_hash = $1",
        vec![token::hash_token(raw).into(), now.into()],
    ))
    .await?;
    let login = u.login.clone();
    let id = u.id;
    let mut m = u.into_active_model();
    m.password_hash = Set(Some(password::hash(new_password)?));
    m.password_changed_at = Set(Some(now));
    m.update(&txn).await?;
    session::revoke_all(&txn, id, now).await?;
    let actor = Actor {
        user_id: Some(id),
        login: login.clone(),
    };
    let c = Change {
        entity: "user",
        entity_id: id.to_string(),
        action: match purpose {
            Purpose::Invite => "accept_invitation",
            Purpose::Reset => "reset_password_by_link",
        },
        before: None,
        after: Some(json!({ "login": login })),
    };
    match tenant {
        Some(t) => {
            let slug = domain::TenantSlug::parse(&t.slug)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            tenancy::enter(&txn, &slug).await?;
            audit::record(&txn, &actor, now, c).await?;
        }
        None => audit::record_platform(&txn, &actor, now, c).await?,
    }
    txn.commit().await?;
    Ok(login)
}

fn translated(lang: Lang, field: &str, message: &str) -> String {
    format!(
        "{}: {}",
        i18n::field(lang, field),
        i18n::message(lang, message)
    )
}
