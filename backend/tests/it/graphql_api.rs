//! Data from PostgreSQL through GraphQL, and the shape of errors.

use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn accounts_and_summary_come_from_the_tenant_schema() {
    let app = TestApp::spawn().await;

    let r = app
        .gql(
            "{ tenant { slug name locale } summary { accounts residents totalDebt } \
               accounts(limit: 3) { total items { number holderName branch balance } } }",
            json!({}),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    assert_eq!(r["data"]["tenant"]["slug"], app.tenant.as_str());
    assert_eq!(r["data"]["summary"]["accounts"], 8);
    assert_eq!(r["data"]["summary"]["residents"], 15);
    // 111.00 + 25.00 − 15.20 + 480.75 + 96.30 + 1250.00
    assert_eq!(r["data"]["summary"]["totalDebt"], "1947.85");
    assert_eq!(r["data"]["accounts"]["total"], 8);
    let first = &r["data"]["accounts"]["items"][0];
    assert_eq!(first["number"], "100001");
    assert_eq!(first["branch"], "Київ");
    assert_eq!(first["balance"], "111.00");
    // Money always shows kopecks, zero included.
    let r = app
        .gql(
            "{ accounts(search: \"100002\") { items { balance } } }",
            json!({}),
        )
        .await;
    assert_eq!(r["data"]["accounts"]["items"][0]["balance"], "0.00", "{r}");
}

#[tokio::test]
async fn search_matches_number_name_and_address_case_insensitively() {
    let app = TestApp::spawn().await;
    let q = "query($s: String) { accounts(search: $s) { total items { number } } }";
    let by_name = app.gql(q, json!({ "s": "іваненко" })).await;
    assert_eq!(by_name["data"]["accounts"]["total"], 1, "{by_name}");
    assert_eq!(by_name["data"]["accounts"]["items"][0]["number"], "100004");
    let by_address = app.gql(q, json!({ "s": "хрещатик, 2" })).await;
    assert_eq!(by_address["data"]["accounts"]["total"], 2, "{by_address}");
    // LIKE wildcards in the input are literal characters, not patterns.
    let wildcard = app.gql(q, json!({ "s": "%" })).await;
    assert_eq!(wildcard["data"]["accounts"]["total"], 0, "{wildcard}");
}

#[tokio::test]
async fn malformed_query_gets_a_standard_graphql_error() {
    let app = TestApp::spawn().await;
    let r = app.gql("{ accounts(limit: ", json!({})).await;
    assert!(r["data"].is_null(), "{r}");
    let err = &r["errors"][0];
    assert!(
        err["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{r}"
    );
    assert_eq!(err["extensions"]["code"], "BAD_REQUEST", "{r}");
    let r = app.gql("{ noSuchField }", json!({})).await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "BAD_REQUEST", "{r}");
}

#[tokio::test]
async fn bad_argument_is_a_validation_error_naming_the_field() {
    let app = TestApp::spawn().await;
    let r = app
        .gql("{ accounts(limit: 100000) { total } }", json!({}))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "VALIDATION", "{r}");
    assert_eq!(r["errors"][0]["extensions"]["field"], "limit", "{r}");
    let r = app
        .gql(
            "mutation { requestAccountsExport(email: \"not an address\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "VALIDATION", "{r}");
    assert_eq!(r["errors"][0]["extensions"]["field"], "email", "{r}");
    // Nothing was queued for the refused request (another test's worker may have queued
    // the platform's own upkeep jobs in every tenant meanwhile: only an export counts).
    let r = app.gql("{ jobs { id kind } }", json!({})).await;
    let jobs = r["data"]["jobs"].as_array().cloned().unwrap_or_default();
    assert!(
        jobs.iter()
            .all(|j| !j["kind"].as_str().is_some_and(|k| k.contains("export"))),
        "{r}"
    );
}

#[tokio::test]
async fn an_empty_or_missing_date_is_a_field_message_in_the_users_language_not_a_parser_text() {
    let app = TestApp::spawn().await;
    let ask = |body: serde_json::Value| {
        app.http
            .post(format!("{}/graphql", app.base))
            .bearer_auth(&app.admin_token)
            .header("accept-language", "uk")
            .json(&body)
            .send()
    };
    let open = "mutation($i: OpenAccountInput!) { openAccount(input: $i) { account { id } } }";
    // An empty date field, as a form sends it.
    let empty: serde_json::Value = ask(json!({ "query": open, "variables": { "i": { "subscriberId": 1, "premisesId": 1, "openedOn": "" } } }))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_default();
    let err = &empty["errors"][0];
    assert_eq!(err["extensions"]["code"], "VALIDATION", "{empty}");
    assert_eq!(
        err["message"], "форма: обов'язкову дату не заповнено або це не дата, наприклад 2026-10-15",
        "{empty}"
    );
    // A null where the date is required: the field is named.
    let null: serde_json::Value = ask(json!({ "query": open, "variables": { "i": { "subscriberId": 1, "premisesId": 1, "openedOn": null } } }))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_default();
    let err = &null["errors"][0];
    assert_eq!(err["extensions"]["code"], "VALIDATION", "{null}");
    assert_eq!(err["extensions"]["field"], "openedOn", "{null}");
    assert_eq!(
        err["message"], "дата відкриття: має бути датою, наприклад 2026-10-15",
        "{null}"
    );
    for r in [&empty, &null] {
        let text = r.to_string();
        assert!(
            !text.contains("Failed to parse") && !text.contains("NaiveDate"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn unknown_job_is_not_found() {
    let app = TestApp::spawn().await;
    let r = app
        .gql(
            "query($id: UUID!) { job(id: $id) { id } }",
            json!({ "id": uuid::Uuid::new_v4() }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "NOT_FOUND", "{r}");
}

#[tokio::test]
async fn errors_speak_the_users_language_and_name_the_field() {
    let app = TestApp::spawn().await;
    let q = "mutation { createUser(input: { login: \"someone.new\", displayName: \"X\", password: \"short1\" }) { id } }";
    let ask = |lang: &'static str| {
        app.http
            .post(format!("{}/graphql", app.base))
            .bearer_auth(&app.admin_token)
            .header("accept-language", lang)
            .json(&json!({ "query": q }))
            .send()
    };
    let uk: serde_json::Value = ask("uk-UA,uk;q=0.9")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_default();
    assert_eq!(
        uk["errors"][0]["message"], "пароль: має бути не коротшим за 10 символів",
        "{uk}"
    );
    assert_eq!(uk["errors"][0]["extensions"]["field"], "password");
    let ru: serde_json::Value = ask("ru")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_default();
    assert_eq!(
        ru["errors"][0]["message"], "пароль: должен быть не короче 10 символов",
        "{ru}"
    );
    let en: serde_json::Value = ask("en")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_default();
    assert_eq!(
        en["errors"][0]["message"], "password: must be at least 10 characters long",
        "{en}"
    );
}

#[tokio::test]
async fn a_search_pages_counts_and_sorts_like_the_whole_list() {
    let app = TestApp::spawn().await;
    let q = "query($o: Int!, $s: AccountSort!, $d: Boolean!) { accounts(search: \"вул\", offset: $o, limit: 3, sort: $s, desc: $d) { total items { number balance } } }";
    let page = |o: i64, s: &str, d: bool| app.gql(q, json!({ "o": o, "s": s, "d": d }));
    let first = page(0, "NUMBER", false).await;
    let total = first["data"]["accounts"]["total"]
        .as_i64()
        .unwrap_or_default();
    assert!(
        total > 3,
        "a full first page still knows the total: {first}"
    );
    let numbers = |r: &serde_json::Value| -> Vec<String> {
        r["data"]["accounts"]["items"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|i| i["number"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let second = page(3, "NUMBER", false).await;
    let (a, b) = (numbers(&first), numbers(&second));
    assert!(a.len() == 3 && !b.is_empty(), "{first} {second}");
    assert!(
        a.iter()
            .chain(&b)
            .collect::<Vec<_>>()
            .windows(2)
            .all(|w| w[0] < w[1]),
        "in number order across pages"
    );
    let past = page(100, "NUMBER", false).await;
    assert_eq!(
        past["data"]["accounts"]["total"], total,
        "past the end: {past}"
    );
    assert_eq!(numbers(&past).len(), 0);
    let by_balance = page(0, "BALANCE", true).await;
    let balances: Vec<f64> = by_balance["data"]["accounts"]["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["balance"].as_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    assert!(balances.windows(2).all(|w| w[0] >= w[1]), "{by_balance}");
}

/// One request cannot fan out into a thousand transactions (tried: 1,000 aliases of a
/// cheap field), the schema is read only by signed-in users, and a session or address
/// sending more than its share per minute is told to wait.
#[tokio::test]
async fn requests_are_limited_in_breadth_and_rate_and_the_schema_needs_sign_in() {
    let app = TestApp::spawn_with(&[
        ("APP_LIMITS__SESSION_PER_MINUTE", "40"),
        ("APP_LIMITS__ADDRESS_PER_MINUTE", "1000000"),
    ])
    .await;
    let aliases = |n: usize| {
        let fields: Vec<String> = (0..n).map(|i| format!("a{i}: openPeriod")).collect();
        format!("{{ {} }}", fields.join(" "))
    };
    let max = backend::graphql::limits::MAX_ROOT_FIELDS;
    let ok = app.gql(&aliases(max), json!({})).await;
    assert!(ok["errors"].is_null(), "{ok}");
    for q in [
        aliases(1000),
        // Through fragments too.
        format!(
            "{{ ...F ...G }} fragment F on QueryRoot {} fragment G on QueryRoot {{ z: openPeriod }}",
            aliases(max)
        ),
    ] {
        let r = app.gql(&q, json!({})).await;
        assert_eq!(r["errors"][0]["extensions"]["code"], "TOO_COMPLEX", "{r}");
        assert!(r["data"].is_null(), "{r}");
    }
    let uk = app.gql_lang("uk", &aliases(max + 1), json!({})).await;
    assert_eq!(
        uk["errors"][0]["message"],
        format!("один запит може містити не більше {max} полів верхнього рівня"),
        "{uk}"
    );

    // Introspection: signed out refused, signed in answered.
    let schema = "{ __schema { queryType { name } } }";
    let out = app.gql_as(None, schema, json!({})).await;
    assert_eq!(
        out["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{out}"
    );
    let typed = app
        .gql_as(None, "{ __type(name: \"Account\") { name } }", json!({}))
        .await;
    assert_eq!(
        typed["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{typed}"
    );
    let signed = app.gql(schema, json!({})).await;
    assert_eq!(
        signed["data"]["__schema"]["queryType"]["name"], "QueryRoot",
        "{signed}"
    );

    // The rate: 40 a minute for this session (4 were sent above); the rest wait.
    let mut refused = None;
    for _ in 0..40 {
        let r = app
            .http
            .post(format!("{}/graphql", app.base))
            .bearer_auth(&app.admin_token)
            .json(&json!({ "query": "{ openPeriod }" }))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        if r.status() == 429 {
            refused = Some(r);
            break;
        }
    }
    let r = refused.unwrap_or_else(|| panic!("41 requests in a minute were all answered"));
    let wait: u64 = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_default();
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    let body: serde_json::Value = r.json().await.unwrap_or_default();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "RATE_LIMITED",
        "{body}"
    );
    // Another session is not affected by this one's share.
    let other = app
        .login(&format!("{}.viewer", app.tenant), crate::helpers::PASSWORD)
        .await;
    let r = app.gql_as(Some(&other), "{ openPeriod }", json!({})).await;
    assert!(r["errors"].is_null(), "{r}");
}

/// Every response carries the security headers: the policy allows the product's own
/// scripts only and no framing; HSTS only when the site is HTTPS.
#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    for path in [
        "/",
        "/healthz",
        "/files/jobs/00000000-0000-0000-0000-000000000000",
    ] {
        let r = app
            .http
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let h = r.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        let csp = h["content-security-policy"].to_str().unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(h.get("strict-transport-security").is_none(), "{path}");
    }
    let https = TestApp::spawn_with(&[("APP_AUTH__SECURE_COOKIES", "true")]).await;
    let r = https
        .http
        .get(format!("{}/healthz", https.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        r.headers()["strict-transport-security"]
            .to_str()
            .unwrap_or_default()
            .starts_with("max-age="),
        "{:?}",
        r.headers()
    );
}
