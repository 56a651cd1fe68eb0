//! Single sign-on per tenant with OpenID Connect: authorization code flow with PKCE
//! (the `oauth2` crate), then the ID token's signature (the provider's JWKS), issuer,
//! audience, expiry and nonce are checked before a session is made.
//!
//! Rules: the tenant admin sets the provider (issuer URL, client id and secret). A
//! signed-in provider identity is matched to an active user of that tenant by e-mail
//! (case-insensitive); there is no automatic provisioning — an unknown e-mail is refused.
//! A round trip must finish within 10 minutes, in the browser that started it: the start
//! sets an HttpOnly cookie with the flow's state and the callback must bring it back (a
//! link with someone else's code and state, opened in another browser, signs nobody in).
//! The provider must say the e-mail is verified (`email_verified`), since the e-mail is
//! what names the user. The issuer is https and public outside development
//! (`outbound`). Expired flows are deleted when a new one starts. Sign-ins are audited.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use domain::TenantSlug;
use jsonwebtoken::{DecodingKey, Validation, decode, decode_header, jwk::JwkSet};
use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthUrl, AuthorizationCode, Client, ClientId, ClientSecret, CsrfToken, EndpointNotSet,
    EndpointSet, ExtraTokenFields, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    StandardRevocableToken, StandardTokenResponse, TokenUrl,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter, Statement,
    sea_query::Expr,
};
use serde::{Deserialize, Serialize};

use super::session::{self, Transport};
use super::token;
use platform::entities::user;
use platform::error::{AppError, AppResult};
use platform::state::AppState;

/// The token endpoint's answer: the standard fields plus the ID token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdTokenField {
    id_token: String,
}
impl ExtraTokenFields for IdTokenField {}

type TokenResponse = StandardTokenResponse<IdTokenField, BasicTokenType>;
type OidcClient = Client<
    BasicErrorResponse,
    TokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

#[derive(Debug, Deserialize)]
struct Discovery {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
}

/// The provider a tenant configured.
struct Provider {
    tenant_id: uuid::Uuid,
    issuer: String,
    client_id: String,
    client_secret: Option<String>,
}

async fn provider_of(state: &AppState, slug: &TenantSlug) -> AppResult<Provider> {
    let t = platform::tenants::find(&state.db, slug).await?;
    let client_secret = match &t.sso_client_secret {
        Some(stored) => Some(
            platform::secrets::Keyring::from_settings(&state.settings)?.open_stored_text(stored)?,
        ),
        None => None,
    };
    match (t.status.as_str(), t.sso_issuer, t.sso_client_id) {
        ("active", Some(issuer), Some(client_id)) => Ok(Provider {
            tenant_id: t.id,
            issuer,
            client_id,
            client_secret,
        }),
        ("active", _, _) => Err(AppError::validation(
            "tenant",
            "this organisation has no single sign-on set up",
        )),
        _ => Err(AppError::Forbidden(
            "access of this organisation is suspended".into(),
        )),
    }
}

fn http() -> AppResult<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| AppError::Internal(format!("http client: {e}")))
}

async fn discover(http: &reqwest::Client, issuer: &str) -> AppResult<Discovery> {
    let url = format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    );
    let d: Discovery = http
        .get(&url)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| AppError::Internal(format!("OpenID discovery at {url}: {e}")))?
        .json()
        .await
        .map_err(|e| AppError::Internal(format!("OpenID discovery at {url}: {e}")))?;
    if d.issuer.trim_end_matches('/') != issuer.trim_end_matches('/') {
        return Err(AppError::Internal(format!(
            "provider says its issuer is {}, not {issuer}",
            d.issuer
        )));
    }
    Ok(d)
}

fn client(state: &AppState, p: &Provider, d: &Discovery) -> AppResult<OidcClient> {
    let bad = |what: &str, e: String| AppError::Internal(format!("{what}: {e}"));
    let redirect = format!(
        "{}/auth/sso/callback",
        state.settings.auth.public_url.trim_end_matches('/')
    );
    let mut c = Client::new(ClientId::new(p.client_id.clone()))
        .set_auth_uri(
            AuthUrl::new(d.authorization_endpoint.clone())
                .map_err(|e| bad("authorization endpoint", e.to_string()))?,
        )
        .set_token_uri(
            TokenUrl::new(d.token_endpoint.clone())
                .map_err(|e| bad("token endpoint", e.to_string()))?,
        )
        .set_redirect_uri(
            RedirectUrl::new(redirect).map_err(|e| bad("APP_AUTH__PUBLIC_URL", e.to_string()))?,
        );
    if let Some(secret) = &p.client_secret {
        c = c.set_client_secret(ClientSecret::new(secret.clone()));
    }
    Ok(c)
}

#[derive(Deserialize)]
pub struct StartParams {
    tenant: String,
}

/// GET /auth/sso/start?tenant=<slug> → redirect to the tenant's provider.
pub async fn start(State(state): State<AppState>, Query(q): Query<StartParams>) -> Response {
    match start_inner(&state, &q.tenant).await {
        Ok((url, flow)) => {
            let mut resp = Redirect::to(&url).into_response();
            if let Some(c) = state_cookie(&state, &flow, FLOW_MINUTES * 60) {
                resp.headers_mut().append(header::SET_COOKIE, c);
            }
            resp
        }
        Err(e) => back_to_login(&e),
    }
}

async fn start_inner(state: &AppState, tenant: &str) -> AppResult<(String, String)> {
    let slug = TenantSlug::parse(tenant.trim())
        .map_err(|e| AppError::validation("tenant", e.to_string()))?;
    let p = provider_of(state, &slug).await?;
    // Checked at each use too: the name may resolve elsewhere since it was saved.
    platform::outbound::check_issuer("ssoIssuer", &p.issuer, state.settings.is_development())
        .await?;
    state
        .db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "DELETE FROM public.sso_requests WHERE created_at < $1",
            [(Utc::now() - Duration::minutes(FLOW_MINUTES)).into()],
        ))
        .await?;
    let http = http()?;
    let d = discover(&http, &p.issuer).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let nonce = token::new_token()?;
    let (url, csrf) = client(state, &p, &d)?
        .authorize_url(CsrfToken::new_random)
        .add_scope(Scope::new("openid".into()))
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .add_extra_param("nonce", nonce.clone())
        .set_pkce_challenge(challenge)
        .url();
    state
        .db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO public.sso_requests (state, tenant_id, nonce, pkce_verifier, created_at) VALUES ($1, $2, $3, $4, $5)",
            [csrf.secret().clone().into(), p.tenant_id.into(), nonce.into(), verifier.secret().clone().into(), Utc::now().into()],
        ))
        .await?;
    Ok((url.to_string(), csrf.secret().clone()))
}

#[derive(Deserialize)]
pub struct CallbackParams {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

#[derive(FromQueryResult)]
struct Pending {
    tenant_id: uuid::Uuid,
    nonce: String,
    pkce_verifier: String,
    slug: String,
}

#[derive(Debug, Deserialize)]
struct IdClaims {
    email: Option<String>,
    email_verified: Option<bool>,
    nonce: Option<String>,
}

/// The cookie binding a flow to the browser that started it.
const STATE_COOKIE: &str = "sso_state";
/// How long a flow may take.
const FLOW_MINUTES: i64 = 10;

fn state_cookie(state: &AppState, value: &str, max_age: i64) -> Option<HeaderValue> {
    let secure = if state.settings.auth.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    // Lax: the provider's redirect back is a cross-site top-level navigation.
    HeaderValue::from_str(&format!(
        "{STATE_COOKIE}={value}; Path=/auth/sso; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .ok()
}

/// GET /auth/sso/callback → checks everything, signs the user in with a cookie session.
pub async fn callback(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(q): Query<CallbackParams>,
) -> Response {
    let address = super::routes::client_addr(&state, peer, &headers);
    let mut resp = match callback_inner(&state, &address, &headers, q).await {
        Ok(resp) => resp,
        Err(e) => back_to_login(&e),
    };
    // The flow is over either way.
    if let Some(c) = state_cookie(&state, "", 0) {
        resp.headers_mut().append(header::SET_COOKIE, c);
    }
    resp
}

async fn callback_inner(
    state: &AppState,
    address: &str,
    headers: &HeaderMap,
    q: CallbackParams,
) -> AppResult<Response> {
    if let Some(err) = q.error {
        return Err(AppError::Forbidden(format!("the provider refused: {err}")));
    }
    let (Some(code), Some(csrf)) = (q.code, q.state) else {
        return Err(AppError::validation(
            "code",
            "the provider's answer lacks code or state",
        ));
    };
    let bound = super::routes::cookie(headers, STATE_COOKIE)
        .is_some_and(|c| token::same(c.as_bytes(), csrf.as_bytes()));
    if !bound {
        return Err(AppError::Forbidden(
            "this sign-in was started in another browser; start again".into(),
        ));
    }
    // One use only: the row is deleted as it is read.
    let pending = Pending::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "DELETE FROM public.sso_requests r USING public.tenants t WHERE r.state = $1 AND t.id = r.tenant_id \
         AND r.created_at > $2 RETURNING r.tenant_id, r.nonce, r.pkce_verifier, t.slug",
        [csrf.into(), (Utc::now() - Duration::minutes(FLOW_MINUTES)).into()],
    ))
    .one(&state.db)
    .await?
    .ok_or_else(|| AppError::Forbidden("this sign-in attempt is unknown or expired; start again".into()))?;
    let slug = platform::tenants::parse_stored_slug(&pending.slug)?;
    let p = provider_of(state, &slug).await?;
    let http = http()?;
    let d = discover(&http, &p.issuer).await?;
    let tokens = client(state, &p, &d)?
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier))
        .request_async(&http)
        .await
        .map_err(|e| AppError::Forbidden(format!("the provider did not accept the code: {e}")))?;
    let claims = verify_id_token(
        &http,
        &d,
        &p,
        &tokens.extra_fields().id_token,
        &pending.nonce,
    )
    .await?;
    let email = claims
        .email
        .ok_or_else(|| AppError::Forbidden("the provider did not say the user's e-mail".into()))?;
    if claims.email_verified != Some(true) {
        return Err(AppError::Forbidden(
            "the provider has not verified this e-mail".into(),
        ));
    }
    let found = user::Entity::find()
        .filter(user::Column::TenantId.eq(pending.tenant_id))
        .filter(user::Column::Active.eq(true))
        .filter(Expr::cust_with_values(
            "lower(email) = $1",
            [email.to_lowercase()],
        ))
        .one(&state.db)
        .await?;
    let now = Utc::now();
    let attempt = |user, succeeded| super::sign_in_audit::Attempt {
        user,
        typed: &email,
        address,
        via: "sso",
        succeeded,
        at: now,
    };
    let Some(found) = found else {
        super::sign_in_audit::record(state, attempt(None, false)).await?;
        return Err(AppError::Forbidden(format!(
            "no active user of this organisation has the e-mail {email}"
        )));
    };
    super::sign_in_audit::record(state, attempt(Some(&found), true)).await?;
    let issued = session::create(
        state,
        found.id,
        Transport::Cookie,
        Some(address.to_owned()),
        now,
    )
    .await?;
    let mut resp = Redirect::to("/").into_response();
    super::routes::set_session_cookies(state, &mut resp, &issued, Utc::now());
    Ok(resp)
}

async fn verify_id_token(
    http: &reqwest::Client,
    d: &Discovery,
    p: &Provider,
    id_token: &str,
    nonce: &str,
) -> AppResult<IdClaims> {
    let forbid = |what: String| AppError::Forbidden(format!("the ID token is not valid: {what}"));
    let header = decode_header(id_token).map_err(|e| forbid(e.to_string()))?;
    let jwks: JwkSet = http
        .get(&d.jwks_uri)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| AppError::Internal(format!("provider keys {}: {e}", d.jwks_uri)))?
        .json()
        .await
        .map_err(|e| AppError::Internal(format!("provider keys {}: {e}", d.jwks_uri)))?;
    let jwk = match &header.kid {
        Some(kid) => jwks.find(kid),
        None => jwks.keys.first(),
    }
    .ok_or_else(|| forbid("signed with an unknown key".into()))?;
    let key = DecodingKey::from_jwk(jwk).map_err(|e| forbid(e.to_string()))?;
    let mut validation = Validation::new(header.alg);
    validation.set_issuer(&[p.issuer.trim_end_matches('/')]);
    validation.set_audience(&[p.client_id.as_str()]);
    let data =
        decode::<IdClaims>(id_token, &key, &validation).map_err(|e| forbid(e.to_string()))?;
    check_nonce(data.claims.nonce.as_deref(), nonce).map_err(forbid)?;
    Ok(data.claims)
}

/// The nonce sent at the start must come back in the ID token (replay protection).
pub fn check_nonce(got: Option<&str>, sent: &str) -> Result<(), String> {
    match got {
        Some(n) if token::same(n.as_bytes(), sent.as_bytes()) => Ok(()),
        Some(_) => Err("nonce does not match".into()),
        None => Err("nonce is missing".into()),
    }
}

/// Failures go back to the sign-in page with a reason the page shows.
fn back_to_login(e: &AppError) -> Response {
    tracing::warn!(error = %e, "single sign-on failed");
    let reason: String = e.to_string().chars().take(300).collect();
    let encoded: String = url_escape(&reason);
    let mut resp = Redirect::to(&format!("/?sso_error={encoded}")).into_response();
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonce_must_come_back_unchanged() {
        assert!(check_nonce(Some("abc"), "abc").is_ok());
        assert!(check_nonce(Some("abd"), "abc").is_err());
        assert!(check_nonce(None, "abc").is_err());
    }

    #[test]
    fn reasons_are_url_escaped() {
        assert_eq!(url_escape("a b/ж"), "a%20b%2F%D0%B6");
    }
}
