//! `/healthz` and `/readyz`, with every service up and with each one down.

use backend::AppState;
use serde_json::Value;

use crate::helpers::{TestApp, fresh_slug, settings_with};

#[tokio::test]
async fn ready_when_every_service_answers() {
    let app = TestApp::spawn().await;
    let live = app
        .http
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(live.status(), 200);
    let ready = app
        .http
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ready.status(), 200);
    let body: Value = ready.json().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(body["ready"], true);
    assert_eq!(body["services"]["postgres"], "up");
    assert_eq!(body["services"]["redis"], "up");
    assert_eq!(body["services"]["object_store"], "up");
}

/// Port 1 on loopback: nothing listens there, so connections are refused at once.
async fn readyz_with(var: &str, value: &str) -> (u16, Value) {
    let slug = fresh_slug();
    let settings = settings_with(&slug, "unused", &[(var, value)]);
    let state = AppState::new(settings)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let app = TestApp::serve(state, slug).await;
    let resp = app
        .http
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or_else(|e| panic!("{e}")))
}

#[tokio::test]
async fn readyz_names_postgres_when_it_is_down() {
    let (status, body) = readyz_with(
        "APP_DATABASE__URL",
        "postgres://postgres@127.0.0.1:1/billing_test",
    )
    .await;
    assert_eq!(status, 503);
    assert_eq!(body["down"], serde_json::json!(["postgres"]), "{body}");
}

#[tokio::test]
async fn readyz_names_redis_when_it_is_down() {
    let (status, body) = readyz_with("APP_REDIS__URL", "redis://127.0.0.1:1").await;
    assert_eq!(status, 503);
    assert_eq!(body["down"], serde_json::json!(["redis"]), "{body}");
}

#[tokio::test]
async fn readyz_names_the_object_store_when_it_is_down() {
    let (status, body) = readyz_with("APP_S3__ENDPOINT", "http://127.0.0.1:1").await;
    assert_eq!(status, 503);
    assert_eq!(body["down"], serde_json::json!(["object_store"]), "{body}");
}
