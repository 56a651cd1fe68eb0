//! HTTP routes: `/graphql`, the file downloads, sign-in and SSO, `/healthz`, `/readyz`, and
//! the web client's static files with a fallback to `index.html` for client routes; the
//! security headers on every response. No GraphiQL: its page loads its scripts from a CDN,
//! which a billing site must not run; developers point any GraphQL client at `/graphql`
//! with a bearer token (the schema is in `backend/schema.graphql`, and introspection
//! answers signed-in users in development).

use std::time::Duration;

use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::{FromRef, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use sea_orm::ConnectionTrait;
use serde_json::json;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

use crate::graphql::{ApiSchema, RequestCtx, build_schema};
use crate::i18n::Lang;
use crate::state::AppState;

#[derive(Clone)]
struct HttpState {
    app: AppState,
    schema: ApiSchema,
}

impl FromRef<HttpState> for AppState {
    fn from_ref(s: &HttpState) -> AppState {
        s.app.clone()
    }
}

/// Serves the router with the client's address available to handlers (sign-in
/// throttling counts per address).
pub async fn serve(listener: tokio::net::TcpListener, app: AppState) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(app).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
}

/// A job's file (an export).
pub const JOB_FILE: &str = "/files/jobs/{id}";
/// An invoice's PDF.
pub const INVOICE_FILE: &str = "/files/invoices/{account}/{period}";
/// Every route that hands out tenant data outside GraphQL: the reach test walks them all.
pub const STATEMENT_FILE: &str = "/files/statements/{account}/{format}";
pub const FILE_ROUTES: &[&str] = &[JOB_FILE, INVOICE_FILE, STATEMENT_FILE, RETAIL_DOCUMENT];
/// A scanned paper of an electricity customer's dossier.
pub const RETAIL_DOCUMENT: &str = "/files/retail-documents/{document}";
/// A tenant's export: the platform operator's only (no tenant user reaches it, so it is
/// not among the tenant's `FILE_ROUTES`; `platform_console` tests it).
pub const TENANT_EXPORT_FILE: &str = "/files/tenant-exports/{id}";

pub fn router(app: AppState) -> Router {
    let schema = build_schema(app.clone());
    let dist = app.settings.web.dist_dir.clone();
    let index = format!("{dist}/index.html");
    let graphql = axum::routing::post(graphql_handler);
    let policy = crate::security_headers::Policy::new(
        &std::fs::read_to_string(&index).unwrap_or_default(),
        app.settings.auth.secure_cookies,
    );
    // Uploads (readings files) come through GraphQL's multipart requests: room for the
    // largest file accepted plus the form around it.
    let graphql = graphql
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::graphql::MAX_UPLOAD + 1024 * 1024,
        ))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            crate::rate_limit::graphql,
        ));
    Router::new()
        .route("/graphql", graphql)
        .route(
            "/auth/login",
            axum::routing::post(crate::auth::routes::login),
        )
        .route(
            "/auth/logout",
            axum::routing::post(crate::auth::routes::logout),
        )
        .route(
            "/auth/forgot",
            axum::routing::post(crate::auth::links::forgot),
        )
        .route(
            "/auth/set-password",
            axum::routing::post(crate::auth::links::set_password),
        )
        .route(
            "/auth/register",
            axum::routing::post(crate::auth::register::register),
        )
        .route(JOB_FILE, get(crate::files::job_file))
        .route(TENANT_EXPORT_FILE, get(crate::files::tenant_export_file))
        .route(INVOICE_FILE, get(crate::files::invoice_file))
        .route(STATEMENT_FILE, get(crate::files::statement_file))
        .route(RETAIL_DOCUMENT, get(crate::files::retail_document))
        .route("/auth/sso/start", get(crate::auth::sso::start))
        .route("/auth/sso/callback", get(crate::auth::sso::callback))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .fallback_service(static_files(&dist, &index))
        .layer(axum::middleware::from_fn(run_to_completion))
        .layer(axum::middleware::from_fn_with_state(
            policy,
            crate::security_headers::apply,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(HttpState { app, schema })
}

/// The web client's files: brotli or gzip copies when the browser takes them (web/build
/// makes them), the client's routes answered with `index.html`. Assets named by their
/// content hash never change, so browsers keep them for a year without asking again;
/// `index.html` (which names them) is asked for every time.
fn static_files(dist: &str, index: &str) -> Router {
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(
            ServeFile::new(index)
                .precompressed_br()
                .precompressed_gzip(),
        );
    Router::new()
        .fallback_service(files)
        .layer(axum::middleware::from_fn(cache_control))
}

/// `name.<16 hex digits>.ext`: an asset web/build named by its content.
fn content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let mut parts = name.rsplitn(3, '.');
    let (_ext, hash) = (parts.next(), parts.next());
    parts.next().is_some()
        && hash.is_some_and(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

async fn cache_control(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let immutable = content_hashed(req.uri().path());
    let mut resp = next.run(req).await;
    let value = if immutable && resp.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let headers = resp.headers_mut();
    headers.insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static(value),
    );
    // The same path answers brotli, gzip or plain bytes: shared caches must key on it.
    headers.insert(
        axum::http::header::VARY,
        axum::http::HeaderValue::from_static("accept-encoding"),
    );
    resp
}

/// Runs each request to its end in a task of its own. A client that goes away (a closed
/// tab, a navigation) drops its connection's future; a database transaction cancelled
/// in the middle of a statement could go back to the pool in a state the next request
/// trips on ("unexpected connection status"), so requests are never cancelled halfway.
async fn run_to_completion(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    match tokio::spawn(next.run(req)).await {
        Ok(response) => response,
        Err(e) => {
            tracing::error!(error = %e, "request task failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn graphql_handler(
    State(s): State<HttpState>,
    headers: HeaderMap,
    req: GraphQLRequest,
) -> Response {
    // The session (and with it the tenant) comes from the credentials alone.
    let session = match crate::auth::routes::session_of(&s.app, &headers).await {
        Ok(session) => session,
        Err(e) => {
            let code = e.code();
            let status = if code == "FORBIDDEN" {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::INTERNAL_SERVER_ERROR
            };
            if code == "INTERNAL" {
                tracing::error!(error = ?e, "session lookup failed");
            }
            let message = if code == "INTERNAL" {
                "internal error".to_owned()
            } else {
                e.to_string()
            };
            return (
                status,
                Json(json!({ "errors": [{ "message": message, "extensions": { "code": code } }] })),
            )
                .into_response();
        }
    };
    // Errors speak the language the client shows (Accept-Language), else the user's.
    let lang = crate::i18n::lang_of_request(&headers)
        .or_else(|| {
            session
                .as_ref()
                .and_then(|s| s.locale.as_deref())
                .and_then(Lang::from_code)
        })
        .unwrap_or(Lang::EN);
    // Resolvers that return messages as data (e.g. why a group operation skipped an
    // account) translate them with the same language.
    let req = req.into_inner().data(RequestCtx { session }).data(lang);
    let mut resp = s.schema.execute(req).await;
    crate::error::classify_graphql_errors(&mut resp.errors, lang);
    GraphQLResponse::from(resp).into_response()
}

/// 200 when PostgreSQL, Redis and the object store answer; otherwise 503 naming each
/// one that does not.
async fn readyz(State(s): State<HttpState>) -> Response {
    let limit = Duration::from_secs(3);
    let app = &s.app;
    let (pg, redis, store) = tokio::join!(
        tokio::time::timeout(limit, app.db.execute_unprepared("SELECT 1")),
        tokio::time::timeout(limit, app.queue.ping()),
        tokio::time::timeout(limit, app.store.check()),
    );
    let mut down = Vec::new();
    let mut detail = serde_json::Map::new();
    for (name, result) in [
        (
            "postgres",
            pg.map_err(|_| "timed out".to_owned())
                .and_then(|r| r.map(|_| ()).map_err(|e| e.to_string())),
        ),
        (
            "redis",
            redis
                .map_err(|_| "timed out".to_owned())
                .and_then(|r| r.map_err(|e| e.to_string())),
        ),
        (
            "object_store",
            store
                .map_err(|_| "timed out".to_owned())
                .and_then(|r| r.map_err(|e| e.to_string())),
        ),
    ] {
        match result {
            Ok(()) => {
                detail.insert(name.into(), json!("up"));
            }
            Err(e) => {
                tracing::warn!(service = name, error = e, "readiness check failed");
                detail.insert(name.into(), json!(format!("down: {e}")));
                down.push(name);
            }
        }
    }
    let status = if down.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(json!({ "ready": down.is_empty(), "down": down, "services": detail })),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::content_hashed;

    #[test]
    fn only_content_named_assets_are_immutable() {
        assert!(content_hashed("/web_bg.0123456789abcdef.wasm"));
        assert!(content_hashed("/style.fedcba9876543210.css"));
        assert!(!content_hashed("/index.html"));
        assert!(!content_hashed("/web.js"));
        assert!(!content_hashed("/web.0123456789abcdeg.js"));
        assert!(!content_hashed("/0123456789abcdef.js"));
        assert!(!content_hashed("/accounts/100001"));
    }
}
