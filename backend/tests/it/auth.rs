//! Sign-in, sessions, throttling, CSRF, suspension, password changes.

use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp};

const ME: &str = "{ me { login kind tenant permissions } }";

#[tokio::test]
async fn sign_in_gives_a_bearer_session_that_sign_out_ends() {
    let app = TestApp::spawn().await;
    let login = format!("{}.operator", app.tenant);
    // The answer carries the session: no cache may keep it, right or wrong.
    for password in [PASSWORD, "Wrong-password-9"] {
        let r = app.try_login(&login, password, true).await;
        assert_eq!(
            r.headers()
                .get("cache-control")
                .and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "{password}"
        );
    }
    let token = app.login(&login, PASSWORD).await;
    let me = app.gql_as(Some(&token), ME, json!({})).await;
    assert_eq!(me["data"]["me"]["login"], login.as_str(), "{me}");
    assert_eq!(me["data"]["me"]["tenant"], app.tenant.as_str());
    let perms = me["data"]["me"]["permissions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        perms.contains(&json!("accounts.view")) && !perms.contains(&json!("users.view")),
        "{me}"
    );

    let out = app
        .http
        .post(format!("{}/auth/logout", app.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status(), 204);
    let me = app.gql_as(Some(&token), ME, json!({})).await;
    assert!(
        me["data"]["me"].is_null(),
        "the token no longer works: {me}"
    );
    let r = app
        .gql_as(Some(&token), "{ summary { accounts } }", json!({}))
        .await;
    assert_eq!(
        r["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{r}"
    );
}

#[tokio::test]
async fn wrong_login_and_wrong_password_get_the_same_generic_answer() {
    let app = TestApp::spawn().await;
    let a = app
        .try_login(&format!("{}.admin", app.tenant), "Wrong-password-1", true)
        .await;
    assert_eq!(a.status(), 401);
    let a: Value = a.json().await.unwrap_or_default();
    let b = app
        .try_login("nobody-at-all", "Wrong-password-1", true)
        .await;
    assert_eq!(b.status(), 401);
    let b: Value = b.json().await.unwrap_or_default();
    assert_eq!(a, b);
    assert_eq!(a["error"]["message"], "wrong login or password");
}

#[tokio::test]
async fn repeated_failures_lock_the_login_with_a_wait_time() {
    let app = TestApp::spawn().await;
    let login = format!("{}.viewer", app.tenant);
    for _ in 0..5 {
        let r = app.try_login(&login, "Wrong-password-1", true).await;
        assert_eq!(r.status(), 401);
    }
    // Locked now: even the right password is refused, with the seconds to wait.
    let r = app.try_login(&login, PASSWORD, true).await;
    assert_eq!(r.status(), 429);
    let retry_after = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    assert!((1..=30).contains(&retry_after), "Retry-After {retry_after}");
    let body: Value = r.json().await.unwrap_or_default();
    assert_eq!(body["error"]["code"], "THROTTLED");
    let msg = body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        msg.contains(&format!("try again in {retry_after} s")),
        "{msg}"
    );
    // Other logins are not affected.
    let other = format!("{}.operator", app.tenant);
    assert_eq!(app.try_login(&other, PASSWORD, true).await.status(), 200);
}

#[tokio::test]
async fn cookie_sessions_need_the_csrf_token() {
    let app = TestApp::spawn().await;
    let r = app
        .try_login(&format!("{}.admin", app.tenant), PASSWORD, false)
        .await;
    assert_eq!(r.status(), 200);
    let cookies: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    let session = cookies
        .iter()
        .find(|c| c.starts_with("billing_session="))
        .cloned()
        .unwrap_or_default();
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Strict"),
        "{session}"
    );
    let body: Value = r.json().await.unwrap_or_default();
    assert!(
        body["token"].is_null(),
        "cookie sign-in does not hand out the token"
    );
    let csrf = body["csrfToken"].as_str().unwrap_or_default().to_owned();
    let cookie = session.split(';').next().unwrap_or_default().to_owned();

    let post = |csrf: Option<String>| {
        let mut req = app
            .http
            .post(format!("{}/graphql", app.base))
            .header("cookie", cookie.clone())
            .json(&json!({ "query": ME }));
        if let Some(c) = csrf {
            req = req.header("x-csrf-token", c);
        }
        req.send()
    };
    let without = post(None).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        without.status(),
        403,
        "a forged cross-site request is refused"
    );
    let wrong = post(Some("forged".into()))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(wrong.status(), 403);
    let ok: Value = post(Some(csrf))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_default();
    assert_eq!(ok["data"]["me"]["kind"], "staff", "{ok}");
}

#[tokio::test]
async fn sessions_expire_after_idle_time() {
    let app = TestApp::spawn().await;
    let token = app.login(&format!("{}.admin", app.tenant), PASSWORD).await;
    // Pretend the last request was two hours ago (idle limit: one hour).
    // Only this test's sessions: the database is shared with tests running meanwhile.
    sea_orm::ConnectionTrait::execute_unprepared(
        &app.state.owner_db,
        &format!(
            "UPDATE public.sessions SET last_seen_at = last_seen_at - interval '2 hours' \
             WHERE user_id = (SELECT id FROM public.users WHERE login = '{}.admin')",
            app.tenant
        ),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let me = app.gql_as(Some(&token), ME, json!({})).await;
    assert!(me["data"]["me"].is_null(), "{me}");
}

#[tokio::test]
async fn password_change_ends_every_session_and_follows_the_policy() {
    let app = TestApp::spawn().await;
    let login = format!("{}.accountant", app.tenant);
    let first = app.login(&login, PASSWORD).await;
    let second = app.login(&login, PASSWORD).await;
    let q = "mutation($c: String!, $n: String!) { changeMyPassword(currentPassword: $c, newPassword: $n) }";
    let r = app
        .gql_as(Some(&first), q, json!({ "c": PASSWORD, "n": "short1" }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "VALIDATION", "{r}");
    assert_eq!(r["errors"][0]["extensions"]["field"], "password", "{r}");
    let r = app
        .gql_as(
            Some(&first),
            q,
            json!({ "c": "not-it-123", "n": "Весна-2027-тепло" }),
        )
        .await;
    assert_eq!(
        r["errors"][0]["extensions"]["field"], "currentPassword",
        "{r}"
    );
    let r = app
        .gql_as(
            Some(&first),
            q,
            json!({ "c": PASSWORD, "n": "Весна-2027-тепло" }),
        )
        .await;
    assert_eq!(r["data"]["changeMyPassword"], true, "{r}");
    for t in [&first, &second] {
        let me = app.gql_as(Some(t), ME, json!({})).await;
        assert!(me["data"]["me"].is_null(), "{me}");
    }
    assert_eq!(app.try_login(&login, PASSWORD, true).await.status(), 401);
    assert_eq!(
        app.try_login(&login, "Весна-2027-тепло", true)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_suspended_tenant_cannot_sign_in_until_resumed() {
    let app = TestApp::spawn().await;
    let platform = app.platform_token().await;
    let login = format!("{}.operator", app.tenant);
    let operator = app.login(&login, PASSWORD).await;
    let q =
        "mutation($s: String!, $a: Boolean!) { setTenantActive(slug: $s, active: $a) { slug } }";
    let r = app
        .gql_as(
            Some(&platform),
            q,
            json!({ "s": app.tenant.as_str(), "a": false }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let me = app.gql_as(Some(&operator), ME, json!({})).await;
    assert!(me["data"]["me"].is_null(), "sessions ended: {me}");
    let refused = app.try_login(&login, PASSWORD, true).await;
    assert_eq!(refused.status(), 403);
    let body: Value = refused.json().await.unwrap_or_default();
    assert_eq!(body["error"]["code"], "TENANT_SUSPENDED");
    let r = app
        .gql_as(
            Some(&platform),
            q,
            json!({ "s": app.tenant.as_str(), "a": true }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    assert_eq!(app.try_login(&login, PASSWORD, true).await.status(), 200);
    // Tenant users may not do this (the admin signs in again: suspension ended the session).
    let admin = app.login(&format!("{}.admin", app.tenant), PASSWORD).await;
    let r = app
        .gql_as(
            Some(&admin),
            q,
            json!({ "s": app.tenant.as_str(), "a": false }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "FORBIDDEN", "{r}");
}

#[tokio::test]
async fn platform_operator_creates_a_tenant_with_its_schema_and_roles() {
    let app = TestApp::spawn().await;
    let platform = app.platform_token().await;
    let slug = format!("{}_new", app.tenant);
    let q = "mutation($s: String!) { createTenant(input: { slug: $s, name: \"ОСББ Нове\" }) { slug name locale currency } }";
    let r = app.gql_as(Some(&platform), q, json!({ "s": slug })).await;
    assert_eq!(r["data"]["createTenant"]["currency"], "UAH", "{r}");
    let again = app.gql_as(Some(&platform), q, json!({ "s": slug })).await;
    assert_eq!(
        again["errors"][0]["extensions"]["code"], "CONFLICT",
        "{again}"
    );
    let bad = app
        .gql_as(Some(&platform), q, json!({ "s": "Bad Slug" }))
        .await;
    assert_eq!(bad["errors"][0]["extensions"]["field"], "slug", "{bad}");
    let list = app
        .gql_as(Some(&platform), "{ tenants { slug } }", json!({}))
        .await;
    assert!(
        list["data"]["tenants"]
            .as_array()
            .is_some_and(|a| a.iter().any(|t| t["slug"] == slug.as_str()))
    );
    // The new schema has the built-in roles.
    let new = domain::TenantSlug::parse(&slug).unwrap_or_else(|e| panic!("{e}"));
    let txn = backend::tenancy::begin(&app.state.db, &new)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let roles = backend::admin::roles::list(&txn)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(roles.iter().filter(|r| r.builtin).count(), 6);
    drop(txn);
    backend::tenants::drop(&app.state.owner_db, &new)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test]
async fn sessions_end_at_their_absolute_expiry_even_when_active() {
    let app = TestApp::spawn().await;
    let token = app.login(&format!("{}.viewer", app.tenant), PASSWORD).await;
    let me = app.gql_as(Some(&token), ME, json!({})).await;
    assert!(!me["data"]["me"].is_null(), "{me}");
    // Twelve hours after sign-in the session is over, however recently it was used.
    sea_orm::ConnectionTrait::execute_unprepared(
        &app.state.owner_db,
        &format!(
            "UPDATE public.sessions SET expires_at = now() - interval '1 second' \
             WHERE user_id = (SELECT id FROM public.users WHERE login = '{}.viewer')",
            app.tenant
        ),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let me = app.gql_as(Some(&token), ME, json!({})).await;
    assert!(me["data"]["me"].is_null(), "{me}");
}

#[tokio::test]
async fn failures_from_one_address_across_logins_lock_the_address() {
    // Addresses are shared between tests on loopback: this test runs in its own process
    // (nextest) but other tests also sign in from 127.0.0.1, so it uses its own queue
    // namespace — the throttle keys are namespaced by it.
    let app = TestApp::spawn().await;
    // 50 failures from this client address, 5 per login over 10 made-up logins (so no
    // single login reaches its own limit before the address does).
    for i in 0..50 {
        let r = app
            .try_login(
                &format!("{}.nobody{}", app.tenant, i % 10),
                "Wrong-password-1",
                true,
            )
            .await;
        assert_eq!(r.status(), 401, "attempt {i}");
    }
    // Now even a real login with the right password waits.
    let r = app
        .try_login(&format!("{}.operator", app.tenant), PASSWORD, true)
        .await;
    assert_eq!(r.status(), 429);
}

/// A burst of parallel wrong passwords gets no more checks than the limit (tried: 12
/// parallel attempts were all checked against a limit of 5), and the user's e-mail shares
/// the login's budget (it was a second budget of 5 that still signed in).
#[tokio::test]
async fn a_parallel_burst_is_checked_no_more_than_the_limit_and_the_email_shares_it() {
    let app = TestApp::spawn().await;
    let login = format!("{}.viewer", app.tenant);
    let attempts = (0..12).map(|_| app.try_login(&login, "Wrong-password-1", true));
    let statuses: Vec<u16> = futures::future::join_all(attempts)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((checked, refused), (5, 7), "{statuses:?}");
    // The e-mail is the same user: locked too, even with the right password.
    let email = format!("viewer@{}.example", app.tenant);
    let r = app.try_login(&email, PASSWORD, true).await;
    assert_eq!(r.status(), 429);
}

/// Behind a trusted proxy the client is the address the proxy reports: one attacker's
/// failures lock that address, not everyone who comes through the proxy.
#[tokio::test]
async fn the_client_address_comes_from_a_trusted_proxy() {
    let app = TestApp::spawn_with(&[
        ("APP_AUTH__TRUSTED_PROXIES", "127.0.0.1, ::1"),
        ("APP_AUTH__MAX_FAILURES", "2"),
    ])
    .await;
    let from = |ip: &'static str, login: String, password: &'static str| {
        let app = &app;
        async move {
            app.http
                .post(format!("{}/auth/login", app.base))
                .header("x-forwarded-for", format!("10.0.0.9, {ip}"))
                .json(&json!({ "login": login, "password": password, "bearer": true }))
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .status()
                .as_u16()
        }
    };
    // 20 failures (2 per made-up login) from one address lock that address...
    for i in 0..20 {
        let s = from("203.0.113.7", format!("{}.ghost{i}", app.tenant), "Wrong-1").await;
        assert_eq!(s, 401, "attempt {i}");
    }
    let operator = format!("{}.operator", app.tenant);
    assert_eq!(from("203.0.113.7", operator.clone(), PASSWORD).await, 429);
    // ...and no one else behind the same proxy.
    assert_eq!(from("198.51.100.4", operator, PASSWORD).await, 200);
}

/// A login may not be another user's e-mail, nor an e-mail another user's login: one
/// name would stand for two people at sign-in.
#[tokio::test]
async fn a_login_and_an_email_never_name_two_users() {
    let app = TestApp::spawn().await;
    let create = "mutation($i: NewUserInput!) { createUser(input: $i) { id } }";
    let operator_email = format!("operator@{}.example", app.tenant);
    let r = app
        .gql(
            create,
            json!({ "i": { "login": operator_email, "displayName": "Clash", "password": "Довгий-пароль-2026",
                           "roles": ["viewer"] } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "login", "{r}");
    assert_eq!(
        r["errors"][0]["message"], "login: is another user's e-mail",
        "{r}"
    );
    // A login that looks like an e-mail address; then that address as another's e-mail.
    let mail_login = format!("{}@logins.example", app.tenant);
    let r = app
        .gql(
            create,
            json!({ "i": { "login": mail_login, "displayName": "Mail-shaped login",
                           "password": "Довгий-пароль-2026", "roles": ["viewer"] } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = app
        .gql(
            create,
            json!({ "i": { "login": format!("{}.fresh", app.tenant), "displayName": "Clash",
                           "email": mail_login, "password": "Довгий-пароль-2026",
                           "roles": ["viewer"] } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "email", "{r}");
    assert_eq!(
        r["errors"][0]["message"], "e-mail: is another user's login",
        "{r}"
    );
}

/// Sign-ins and failed sign-ins are audited: the tenant's log for its users (who, from
/// where, how), the platform's for a name nobody has.
#[tokio::test]
async fn sign_ins_and_failures_are_audited() {
    use crate::helpers::sql_number;
    let app = TestApp::spawn().await;
    let login = format!("{}.operator", app.tenant);
    assert_eq!(
        app.try_login(&login, "Wrong-password-9", true)
            .await
            .status(),
        401
    );
    app.login(&login, PASSWORD).await;
    let stranger = format!("nobody-{}", uuid::Uuid::new_v4().simple());
    assert_eq!(
        app.try_login(&stranger, "Wrong-password-9", true)
            .await
            .status(),
        401
    );

    let r = app
        .gql(
            "{ auditLog(filter: { entity: \"session\" }) { items { action actorLogin after } } }",
            json!({}),
        )
        .await;
    let items = r["data"]["auditLog"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let of = |action: &str| -> Vec<Value> {
        items
            .iter()
            .filter(|i| i["action"] == action && i["after"]["typed"] == login.as_str())
            .cloned()
            .collect()
    };
    let failed = of("sign_in_failed");
    assert_eq!(failed.len(), 1, "{r}");
    assert_eq!(failed[0]["after"]["via"], "password", "{r}");
    assert_eq!(failed[0]["after"]["address"], "127.0.0.1", "{r}");
    let ok = of("sign_in");
    assert_eq!(ok.len(), 1, "{r}");
    assert_eq!(ok[0]["actorLogin"], login.as_str(), "{r}");
    assert_eq!(
        sql_number(
            &app,
            &format!(
                "SELECT count(*) FROM public.platform_audit WHERE entity = 'session' \
                 AND action = 'sign_in_failed' AND entity_id = '{stranger}'"
            )
        )
        .await,
        1
    );
}
