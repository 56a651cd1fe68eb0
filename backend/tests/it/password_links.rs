//! Password links by e-mail: an invitation to a user created without a password, and
//! "forgot password" for staff and subscribers — one use, expiring, a newer link ending
//! the older one, the same answer whoever is named, throttled, audited.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{TestApp, decoded, mails_to, sql, unique_email};

/// The token of a link mailed to `to` that is not among `known` (waits for the message:
/// forgotten-password links are sent apart from the answer).
async fn link_to(to: &str, known: &[String]) -> String {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let fresh = mails_to(to)
            .iter()
            .map(|m| decoded(m))
            .filter_map(|t| {
                t.split("/set-password?token=").nth(1).map(|rest| {
                    rest.chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                        .collect::<String>()
                })
            })
            .find(|t| !t.is_empty() && !known.contains(t));
        if let Some(t) = fresh {
            return t;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no new link mailed to {to}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn post(app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let r = app
        .http
        .post(format!("{}{path}", app.base))
        .header("Accept-Language", "uk")
        .json(&body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("POST {path}: {e}"));
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

const CREATE: &str =
    "mutation($i: NewUserInput!) { createUser(input: $i) { id login hasPassword } }";

#[tokio::test]
async fn an_invited_user_sets_their_own_password_once() {
    let app = TestApp::spawn().await;
    let email = unique_email();
    let login = format!("inv_{}", &app.tenant.as_str()[2..10]);
    // No password and no e-mail: nobody could ever sign in.
    let r = app
        .gql(
            CREATE,
            json!({ "i": { "login": login, "displayName": "Олена Запрошена", "roles": ["operator"] } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "password", "{r}");
    let r = app
        .gql(
            CREATE,
            json!({ "i": { "login": login, "displayName": "Олена Запрошена", "email": email, "roles": ["operator"] } }),
        )
        .await;
    assert_eq!(r["data"]["createUser"]["hasPassword"], false, "{r}");
    let id = r["data"]["createUser"]["id"].clone();
    let first = link_to(&email, &[]).await;
    let mail = decoded(&mails_to(&email)[0]);
    assert!(mail.contains(&login), "the login is in the letter: {mail}");
    assert_eq!(
        app.try_login(&login, "anything-1", true).await.status(),
        401
    );

    // Sent again: the first link ends.
    let again = app
        .gql(
            "mutation($id: UUID!) { inviteUser(id: $id) }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(again["data"]["inviteUser"], true, "{again}");
    let second = link_to(&email, std::slice::from_ref(&first)).await;
    assert_ne!(first, second);
    let (status, body) = post(
        &app,
        "/auth/set-password",
        json!({ "token": first, "password": "Nova-parol-2026" }),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["error"]["message"],
        "посилання: посилання недійсне: його вже використано, строк минув або надіслано новіше"
    );
    // The tenant's policy holds.
    let (status, body) = post(
        &app,
        "/auth/set-password",
        json!({ "token": second, "password": "short" }),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("пароль: ")),
        "{body}"
    );
    let (status, body) = post(
        &app,
        "/auth/set-password",
        json!({ "token": second, "password": "Nova-parol-2026" }),
    )
    .await;
    assert_eq!((status, &body["login"]), (200, &json!(login)), "{body}");
    app.login(&login, "Nova-parol-2026").await;
    // Once only.
    let (status, _) = post(
        &app,
        "/auth/set-password",
        json!({ "token": second, "password": "Insha-parol-2026" }),
    )
    .await;
    assert_eq!(status, 400);
    let users = app
        .gql(
            "query($s: String) { users(search: $s, offset: 0, limit: 5) { items { hasPassword } } }",
            json!({ "s": login }),
        )
        .await;
    assert_eq!(
        users["data"]["users"]["items"][0]["hasPassword"], true,
        "{users}"
    );
    let actions = app
        .audit_actions("user", id.as_str().map(str::to_owned))
        .await;
    assert_eq!(
        actions,
        vec!["accept_invitation", "invite", "invite", "create"],
        "{actions:?}"
    );
}

#[tokio::test]
async fn a_forgotten_password_comes_by_link_without_saying_who_exists() {
    let app = TestApp::spawn().await;
    let email = unique_email();
    let login = format!("fgt_{}", &app.tenant.as_str()[2..10]);
    let r = app
        .gql(
            CREATE,
            json!({ "i": { "login": login, "displayName": "Петро Забудько", "email": email,
                           "password": "Stary-parol-2026", "subscriber": true, "accountNumbers": [] } }),
        )
        .await;
    assert_eq!(r["data"]["createUser"]["hasPassword"], true, "{r}");
    let old_session = app.login(&login, "Stary-parol-2026").await;

    // A login nobody has gets the very same answer, and no letter goes anywhere.
    let (status, body) = post(
        &app,
        "/auth/forgot",
        json!({ "login": "nobody-has-this-login" }),
    )
    .await;
    assert_eq!((status, body), (202, json!({ "ok": true })));
    // The e-mail works as the login does.
    let (status, body) = post(
        &app,
        "/auth/forgot",
        json!({ "login": email.to_uppercase() }),
    )
    .await;
    assert_eq!((status, body), (202, json!({ "ok": true })));
    let expired = link_to(&email, &[]).await;
    let (status, body) = post(&app, "/auth/forgot", json!({ "login": "" })).await;
    assert_eq!(status, 400, "{body}");

    // An expired link does nothing.
    sql(
        &app,
        "UPDATE public.password_links SET expires_at = now() - interval '1 minute' WHERE used_at IS NULL \
           AND user_id = (SELECT id FROM public.users WHERE login = 'LOGIN')"
            .replace("LOGIN", &login)
            .as_str(),
    )
    .await;
    let (status, _) = post(
        &app,
        "/auth/set-password",
        json!({ "token": expired, "password": "Novy-parol-2026" }),
    )
    .await;
    assert_eq!(status, 400);

    let (status, _) = post(&app, "/auth/forgot", json!({ "login": login })).await;
    assert_eq!(status, 202);
    let token = link_to(&email, std::slice::from_ref(&expired)).await;
    let (status, body) = post(
        &app,
        "/auth/set-password",
        json!({ "token": token, "password": "Novy-parol-2026" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // The old password and the old sessions are gone.
    assert_eq!(
        app.try_login(&login, "Stary-parol-2026", true)
            .await
            .status(),
        401
    );
    let me = app
        .gql_as(Some(&old_session), "{ me { login } }", json!({}))
        .await;
    assert!(me["data"]["me"].is_null(), "{me}");
    app.login(&login, "Novy-parol-2026").await;

    // Three requests an hour per identifier: the fourth is refused, and says so.
    for _ in 0..2 {
        let (status, body) = post(&app, "/auth/forgot", json!({ "login": login })).await;
        assert_eq!(status, 202, "{body}");
    }
    let (status, body) = post(&app, "/auth/forgot", json!({ "login": login })).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["error"]["code"], "THROTTLED", "{body}");
}

#[tokio::test]
async fn a_subscriber_registers_with_the_code_on_the_invoice() {
    let app = TestApp::spawn().await;
    let account =
        crate::helpers::sql_number(&app, "SELECT id FROM {s}.accounts WHERE number = '100002'")
            .await;
    let r = app
        .gql(
            "query($a: Int!) { portalCode(accountId: $a) }",
            json!({ "a": account }),
        )
        .await;
    let code = r["data"]["portalCode"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    // Shown again, the same code.
    let again = app
        .gql(
            "query($a: Int!) { portalCode(accountId: $a) }",
            json!({ "a": account }),
        )
        .await;
    assert_eq!(again["data"]["portalCode"], code.as_str());
    let email = unique_email();
    let form = |code: &str, email: &str| {
        json!({ "tenant": app.tenant.as_str(), "accountNumber": "100002", "code": code,
                "email": email, "displayName": "Ірина Нова" })
    };
    let (status, body) = post(&app, "/auth/register", form("AAAA-BBBB", &email)).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["error"]["message"],
        "код реєстрації: номер особового рахунку та код реєстрації не збігаються"
    );
    assert_eq!(
        app.try_login(&email, "whatever-1", true).await.status(),
        401
    );
    // Typed loosely: lower case, no dash.
    let typed = code.to_lowercase().replace('-', "");
    let (status, body) = post(&app, "/auth/register", form(&typed, &email)).await;
    assert_eq!((status, &body), (202, &json!({ "ok": true })));
    let token = link_to(&email, &[]).await;
    let (status, _) = post(
        &app,
        "/auth/set-password",
        json!({ "token": token, "password": "Moya-kvartyra-2026" }),
    )
    .await;
    assert_eq!(status, 200);
    let me = app.login(&email, "Moya-kvartyra-2026").await;
    let mine = app
        .gql_as(Some(&me), "{ myAccounts { number } }", json!({}))
        .await;
    assert_eq!(
        mine["data"]["myAccounts"],
        json!([{ "number": "100002" }]),
        "{mine}"
    );
    let (status, body) = post(&app, "/auth/register", form(&code, &email)).await;
    assert_eq!(status, 400, "the e-mail has a login already: {body}");

    // A new code: the printed one stops working.
    let r = app
        .gql(
            "mutation($a: Int!) { renewPortalCode(accountId: $a) }",
            json!({ "a": account }),
        )
        .await;
    assert_ne!(r["data"]["renewPortalCode"], code.as_str(), "{r}");
    let (status, _) = post(&app, "/auth/register", form(&code, &unique_email())).await;
    assert_eq!(status, 400);

    // Turned off, the portal takes no registrations.
    let off = app
        .gql(
            "mutation { updateSecuritySettings(input: { portalRegistration: false }) { portalRegistration } }",
            json!({}),
        )
        .await;
    assert_eq!(
        off["data"]["updateSecuritySettings"]["portalRegistration"], false,
        "{off}"
    );
    let fresh = r["data"]["renewPortalCode"].as_str().unwrap_or_default();
    let (status, body) = post(&app, "/auth/register", form(fresh, &unique_email())).await;
    assert_eq!(status, 403, "{body}");
    let user_id = crate::helpers::sql_text(
        &app,
        &format!("SELECT id::text FROM public.users WHERE login = '{email}'"),
    )
    .await;
    assert_eq!(
        app.audit_actions("user", Some(user_id)).await,
        vec!["accept_invitation", "register"]
    );
}
