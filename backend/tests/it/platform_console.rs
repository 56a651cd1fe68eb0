//! The platform console: tenants with their size, a new one from a country's presets with
//! its first admin invited, its data exported by a worker job and downloadable, and the
//! tenant deleted only after that — the export kept.

use std::io::Read;
use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{TestApp, decoded, mails_to, sql_text, unique_email};

async fn wait_export(app: &TestApp, platform: &str, slug: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let r = app
            .gql_as(
                Some(platform),
                "{ tenantExports { id slug state size message } }",
                json!({}),
            )
            .await;
        let export = r["data"]["tenantExports"]
            .as_array()
            .and_then(|l| l.iter().find(|e| e["slug"] == slug))
            .cloned()
            .unwrap_or_else(|| panic!("{r}"));
        if export["state"] != "running" {
            return export;
        }
        assert!(tokio::time::Instant::now() < deadline, "{export}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The console's row of the test's own tenant, with `fields`.
async fn own_row(app: &TestApp, platform: &str, fields: &str) -> Value {
    let list = app
        .gql_as(
            Some(platform),
            &format!("{{ tenants {{ {fields} }} }}"),
            json!({}),
        )
        .await;
    list["data"]["tenants"]
        .as_array()
        .and_then(|l| l.iter().find(|t| t["slug"] == app.tenant.as_str()))
        .cloned()
        .unwrap_or_else(|| panic!("{list}"))
}

#[tokio::test]
async fn a_tenant_is_created_with_presets_exported_and_deleted_with_its_export_kept() {
    let app = TestApp::spawn().await;
    let platform = app.platform_token().await;
    let own = own_row(
        &app,
        &platform,
        "slug status businessKind accounts users databaseBytes lastActivity",
    )
    .await;
    assert!(own["accounts"].as_i64() > Some(0), "{own}");
    assert!(own["users"].as_i64() > Some(0), "{own}");
    assert!(own["databaseBytes"].as_i64() > Some(100_000), "{own}");
    assert!(
        own["lastActivity"].is_string(),
        "the admin signed in: {own}"
    );
    // Tenant users may not look.
    let r = app.gql("{ tenants { slug } }", json!({})).await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "FORBIDDEN", "{r}");

    let slug = format!("{}_ru", app.tenant);
    let email = unique_email();
    let create = "mutation($i: NewTenantInput!) { createTenant(input: $i) { slug currency locale timeZone } }";
    let input = |country: &str| {
        json!({ "i": { "slug": slug, "name": "УК «Новая»", "country": country, "businessKind": "housing",
                       "admin": { "login": format!("{slug}.admin"), "displayName": "Анна Первая", "email": email } } })
    };
    let r = app.gql_as(Some(&platform), create, input("XX")).await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "country", "{r}");
    let r = app.gql_as(Some(&platform), create, input("RU")).await;
    assert_eq!(
        r["data"]["createTenant"],
        json!({ "slug": slug, "currency": "RUB", "locale": "ru", "timeZone": "Europe/Moscow" }),
        "{r}"
    );
    let schema = format!("tenant_{slug}");
    assert_eq!(
        sql_text(
            &app,
            &format!("SELECT penalty_rule || '/' || (SELECT qr_format FROM \"{schema}\".invoice_settings) FROM \"{schema}\".billing_settings"),
        )
        .await,
        "russia/gost"
    );
    let letter = mails_to(&email)
        .first()
        .map(|m| decoded(m))
        .unwrap_or_else(|| panic!("no invitation to {email}"));
    assert!(letter.contains("/set-password?token="), "{letter}");
    assert!(letter.contains("УК «Новая»"), "{letter}");

    // Deleting needs the code typed again and an export first.
    let delete = "mutation($s: String!, $c: String!) { deleteTenant(slug: $s, confirm: $c) }";
    let r = app
        .gql_as(Some(&platform), delete, json!({ "s": slug, "c": slug }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "slug", "{r}");
    let worker = app.start_worker(app.state.clone(), "console");
    let r = app
        .gql_as(
            Some(&platform),
            "mutation($s: String!) { exportTenant(slug: $s) { id state } }",
            json!({ "s": slug }),
        )
        .await;
    assert_eq!(r["data"]["exportTenant"]["state"], "running", "{r}");
    let export = wait_export(&app, &platform, &slug).await;
    assert_eq!(export["state"], "done", "{export}");
    let id = export["id"].as_i64().unwrap_or_default();
    let path = format!("{}/files/tenant-exports/{id}", app.base);
    let get = |token: String| {
        let (http, path) = (app.http.clone(), path.clone());
        async move {
            http.get(path)
                .bearer_auth(token)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        }
    };
    assert_eq!(
        get(app.admin_token.clone()).await.status(),
        404,
        "a tenant admin"
    );
    let r = app
        .gql_as(Some(&platform), delete, json!({ "s": slug, "c": "wrong" }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "confirm", "{r}");
    let r = app
        .gql_as(Some(&platform), delete, json!({ "s": slug, "c": slug }))
        .await;
    assert_eq!(r["data"]["deleteTenant"], true, "{r}");
    assert_eq!(
        crate::helpers::sql_number(
            &app,
            &format!("SELECT count(*) FROM pg_namespace WHERE nspname = '{schema}'")
        )
        .await,
        0
    );
    assert_eq!(
        app.try_login(&format!("{slug}.admin"), "anything-1", true)
            .await
            .status(),
        401
    );
    // The export outlives its tenant: the backup's manifest names it.
    let resp = get(platform.clone()).await;
    assert_eq!(resp.status(), 200);
    let bytes = resp.bytes().await.unwrap_or_default();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec()))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut manifest = String::new();
    zip.by_name("manifest.json")
        .unwrap_or_else(|e| panic!("{e}"))
        .read_to_string(&mut manifest)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        manifest.contains(&format!("\"slug\": \"{slug}\"")),
        "{manifest}"
    );
    assert!(zip.by_name("tables/accounts.copy").is_ok());
    worker.stop().await;
}

#[tokio::test]
async fn kazakhstan_and_bulgaria_presets_bring_their_currency_and_penalty_rule() {
    let app = TestApp::spawn().await;
    let platform = app.platform_token().await;
    let create = "mutation($i: NewTenantInput!) { createTenant(input: $i) { slug currency locale timeZone } }";
    for (country, currency, zone, rule, locale, greeting) in [
        (
            "KZ",
            "KZT",
            "Asia/Almaty",
            "kazakhstan/none",
            "kk",
            "Сәлеметсіз бе, Админ.",
        ),
        (
            "BG",
            "EUR",
            "Europe/Sofia",
            "bulgaria/epc",
            "bg",
            "Здравейте, Админ.",
        ),
    ] {
        let slug = format!("{}_{}", app.tenant, country.to_lowercase());
        let email = unique_email();
        let r = app
            .gql_as(
                Some(&platform),
                create,
                json!({ "i": { "slug": slug, "name": "Су арнасы", "country": country, "businessKind": "water",
                               "admin": { "login": format!("{slug}.admin"), "displayName": "Админ",
                                          "email": email } } }),
            )
            .await;
        let t = &r["data"]["createTenant"];
        // The first admin's invitation speaks the country's language.
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        let invitation = loop {
            if let Some(m) = mails_to(&email).first() {
                break decoded(m);
            }
            assert!(tokio::time::Instant::now() < deadline, "no invitation: {r}");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        };
        assert!(invitation.contains(greeting), "{invitation}");
        assert_eq!(
            (&t["currency"], &t["timeZone"], &t["locale"]),
            (&json!(currency), &json!(zone), &json!(locale)),
            "{r}"
        );
        let schema = format!("tenant_{slug}");
        assert_eq!(
            sql_text(
                &app,
                &format!("SELECT penalty_rule || '/' || (SELECT qr_format FROM \"{schema}\".invoice_settings) \
                            || '/' || (SELECT jurisdiction FROM public.tenants WHERE slug = '{slug}') \
                          FROM \"{schema}\".billing_settings"),
            )
            .await,
            format!("{rule}/{country}")
        );
        let parsed = domain::TenantSlug::parse(&slug).unwrap_or_else(|e| panic!("{e}"));
        platform::tenants::drop(&app.state.owner_db, &parsed)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

#[tokio::test]
async fn the_console_shows_each_tenants_size_as_last_measured() {
    let app = TestApp::spawn().await;
    let platform = app.platform_token().await;
    let own = |name: &str| backend::storage::ObjectStore::tenant_key(&app.tenant, name);
    app.state
        .store
        .put(&own("usage/a.pdf"), vec![7; 1000], "application/pdf")
        .await
        .unwrap_or_else(|e| panic!("put a: {e}"));
    app.state
        .store
        .put(
            &own("usage/b.xlsx"),
            vec![7; 234],
            "application/octet-stream",
        )
        .await
        .unwrap_or_else(|e| panic!("put b: {e}"));
    // A tenant no longer here: its leftover file is counted for nobody.
    let gone = format!("tenants/{}_gone/x.pdf", app.tenant);
    app.state
        .store
        .put(&gone, vec![7; 99], "application/pdf")
        .await
        .unwrap_or_else(|e| panic!("put gone: {e}"));
    let now = chrono::Utc::now();
    let measured = backend::admin::usage::measure(&app.state, now)
        .await
        .unwrap_or_else(|e| panic!("measure: {e}"));
    assert!(measured.iter().any(|u| u.slug == app.tenant.as_str()));
    let row = own_row(&app, &platform, "slug databaseBytes fileBytes measuredAt").await;
    assert_eq!(row["fileBytes"], 1234, "{row}");
    assert!(row["databaseBytes"].as_i64() > Some(100_000), "{row}");
    assert!(row["measuredAt"].is_string(), "{row}");
    crate::helpers::sql_expect(
        &app,
        &format!(
            "SELECT count(*) FROM public.tenant_usage WHERE slug = '{}_gone'",
            app.tenant
        ),
        0,
    )
    .await;
    // A file removed is gone from the next round's figure.
    app.state
        .store
        .delete(&own("usage/a.pdf"))
        .await
        .unwrap_or_else(|e| panic!("delete a: {e}"));
    let again = backend::admin::usage::measure(&app.state, now)
        .await
        .unwrap_or_else(|e| panic!("measure again: {e}"));
    let mine = again
        .iter()
        .find(|u| u.slug == app.tenant.as_str())
        .unwrap_or_else(|| panic!("{again:?}"));
    assert_eq!((mine.file_bytes, mine.files), (234, 1));
    assert!(!again.iter().any(|u| u.slug.ends_with("_gone")));
    for key in [own("usage/b.xlsx"), gone] {
        app.state
            .store
            .delete(&key)
            .await
            .unwrap_or_else(|e| panic!("clean up: {e}"));
    }
}
