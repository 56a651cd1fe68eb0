//! Tenant administration through the API: users, roles, permissions, audit.

use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp};

const CREATE: &str = "mutation($i: NewUserInput!) { createUser(input: $i) { id login roles active kind accountNumbers } }";

async fn create_user(app: &TestApp, input: Value) -> Value {
    app.gql(CREATE, json!({ "i": input })).await
}

#[tokio::test]
async fn admin_creates_a_user_who_can_sign_in_with_the_given_roles() {
    let app = TestApp::spawn().await;
    let login = format!("{}.kasir", app.tenant);
    let r = create_user(
        &app,
        json!({ "login": login, "displayName": "Касир Олена", "password": "Каса-2026-перша", "roles": ["accountant"] }),
    )
    .await;
    assert_eq!(
        r["data"]["createUser"]["roles"],
        json!(["accountant"]),
        "{r}"
    );
    let token = app.login(&login, "Каса-2026-перша").await;
    let me = app
        .gql_as(Some(&token), "{ me { permissions } }", json!({}))
        .await;
    let perms = me["data"]["me"]["permissions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(perms.contains(&json!("payments.create")));
    assert!(!perms.contains(&json!("users.view")));

    // The same login again is a conflict; a weak password names the rule.
    let again = create_user(
        &app,
        json!({ "login": login, "displayName": "X", "password": "Каса-2026-перша" }),
    )
    .await;
    assert_eq!(
        again["errors"][0]["extensions"]["code"], "CONFLICT",
        "{again}"
    );
    let weak = create_user(
        &app,
        json!({ "login": format!("{login}2"), "displayName": "X", "password": "12345" }),
    )
    .await;
    assert_eq!(
        weak["errors"][0]["extensions"]["field"], "password",
        "{weak}"
    );
    let bad_role = create_user(
        &app,
        json!({ "login": format!("{login}3"), "displayName": "X", "password": "Каса-2026-перша", "roles": ["boss"] }),
    )
    .await;
    assert_eq!(
        bad_role["errors"][0]["extensions"]["field"], "roles",
        "{bad_role}"
    );
    // Nothing of the refused user was written.
    let users = app
        .gql(
            "query($s: String) { users(search: $s) { total } }",
            json!({ "s": format!("{login}3") }),
        )
        .await;
    assert_eq!(users["data"]["users"]["total"], 0, "{users}");
}

#[tokio::test]
async fn deactivation_and_password_reset_end_the_users_sessions() {
    let app = TestApp::spawn().await;
    let login = format!("{}.controller", app.tenant);
    let token = app.login(&login, PASSWORD).await;
    let users = app
        .gql(
            "query($s: String) { users(search: $s) { items { id } } }",
            json!({ "s": login }),
        )
        .await;
    let id = users["data"]["users"]["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let r = app
        .gql(
            "mutation($id: UUID!) { setUserActive(id: $id, active: false) { active } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(r["data"]["setUserActive"]["active"], false, "{r}");
    let me = app
        .gql_as(Some(&token), "{ me { login } }", json!({}))
        .await;
    assert!(me["data"]["me"].is_null());
    assert_eq!(app.try_login(&login, PASSWORD, true).await.status(), 401);

    app.gql(
        "mutation($id: UUID!) { setUserActive(id: $id, active: true) { active } }",
        json!({ "id": id }),
    )
    .await;
    let token = app.login(&login, PASSWORD).await;
    let r = app
        .gql(
            "mutation($id: UUID!, $p: String!) { resetUserPassword(id: $id, newPassword: $p) }",
            json!({ "id": id, "p": "Лічильник-77-новий" }),
        )
        .await;
    assert_eq!(r["data"]["resetUserPassword"], true, "{r}");
    let me = app
        .gql_as(Some(&token), "{ me { login } }", json!({}))
        .await;
    assert!(me["data"]["me"].is_null());
    app.login(&login, "Лічильник-77-новий").await;
}

#[tokio::test]
async fn custom_role_limits_exactly_what_it_grants() {
    let app = TestApp::spawn().await;
    let r = app
        .gql(
            "mutation { createRole(code: \"auditor\", name: \"Auditor\", permissions: [{ document: USERS, action: VIEW }]) { id code permissions } }",
            json!({}),
        )
        .await;
    assert_eq!(
        r["data"]["createRole"]["permissions"],
        json!(["users.view"]),
        "{r}"
    );
    let role_id = r["data"]["createRole"]["id"].as_i64().unwrap_or_default();
    let login = format!("{}.auditor", app.tenant);
    create_user(&app, json!({ "login": login, "displayName": "Ревізор", "password": "Ревізія-2026-річна", "roles": ["auditor"] })).await;
    let token = app.login(&login, "Ревізія-2026-річна").await;
    let ok = app
        .gql_as(Some(&token), "{ users { total } }", json!({}))
        .await;
    assert!(ok["errors"].is_null(), "{ok}");
    let no = app
        .gql_as(Some(&token), "{ accounts { total } }", json!({}))
        .await;
    assert_eq!(no["errors"][0]["extensions"]["code"], "FORBIDDEN", "{no}");
    assert!(
        no["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("accounts.view"),
        "{no}"
    );

    // In use: cannot be deleted; built-in roles cannot be changed.
    let del = app
        .gql(
            "mutation($id: Int!) { deleteRole(id: $id) }",
            json!({ "id": role_id }),
        )
        .await;
    assert_eq!(del["errors"][0]["extensions"]["code"], "CONFLICT", "{del}");
    let roles = app.gql("{ roles { id code builtin } }", json!({})).await;
    let builtin = roles["data"]["roles"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["code"] == "operator"))
        .map(|r| r["id"].clone())
        .unwrap_or_default();
    let ch = app
        .gql(
            "mutation($id: Int!) { updateRole(id: $id, name: \"x\") { id } }",
            json!({ "id": builtin }),
        )
        .await;
    assert_eq!(ch["errors"][0]["extensions"]["code"], "CONFLICT", "{ch}");
}

#[tokio::test]
async fn branch_scope_limits_the_accounts_a_user_sees() {
    let app = TestApp::spawn().await;
    let login = format!("{}.brovary", app.tenant);
    // Branch 2 is Бровари in the demo data.
    let r = create_user(
        &app,
        json!({ "login": login, "displayName": "Оператор Бровари", "password": "Бровари-2026-схід", "roles": ["operator"], "branchIds": [2] }),
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");
    let token = app.login(&login, "Бровари-2026-схід").await;
    let r = app
        .gql_as(
            Some(&token),
            "{ accounts { total items { branch } } summary { accounts } }",
            json!({}),
        )
        .await;
    assert_eq!(r["data"]["accounts"]["total"], 3, "{r}");
    assert!(
        r["data"]["accounts"]["items"]
            .as_array()
            .is_some_and(|a| a.iter().all(|x| x["branch"] == "Бровари"))
    );
    assert_eq!(r["data"]["summary"]["accounts"], 3, "{r}");
}

#[tokio::test]
async fn every_change_is_in_the_audit_log_with_before_and_after() {
    let app = TestApp::spawn().await;
    let login = format!("{}.new_op", app.tenant);
    let r = create_user(&app, json!({ "login": login, "displayName": "Новий", "password": "Новий-2026-оператор", "roles": ["viewer"] })).await;
    let id = r["data"]["createUser"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    app.gql(
        "mutation($id: UUID!) { updateUser(id: $id, input: { displayName: \"Новий Оператор\", roles: [\"operator\"] }) { id } }",
        json!({ "id": id }),
    )
    .await;
    let log = app
        .gql(
            "query($id: String) { auditLog(filter: { entity: \"user\", entityId: $id }) { total items { action actorLogin before after } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(log["data"]["auditLog"]["total"], 2, "{log}");
    let update = &log["data"]["auditLog"]["items"][0];
    assert_eq!(update["action"], "update");
    assert_eq!(update["actorLogin"], format!("{}.admin", app.tenant));
    assert_eq!(update["before"]["displayName"], "Новий");
    assert_eq!(update["after"]["displayName"], "Новий Оператор");
    assert_eq!(update["before"]["roles"], json!(["viewer"]));
    assert_eq!(update["after"]["roles"], json!(["operator"]));
    assert!(
        update["after"].get("passwordHash").is_none(),
        "no secrets in the log"
    );
    // Filter by user and date.
    let by_actor = app
        .gql(
            "query($a: String) { auditLog(filter: { actorLogin: $a, from: \"2000-01-01T00:00:00Z\" }) { total } }",
            json!({ "a": format!("{}.admin", app.tenant) }),
        )
        .await;
    assert!(
        by_actor["data"]["auditLog"]["total"].as_i64().unwrap_or(0) >= 2,
        "{by_actor}"
    );
    let future = app
        .gql(
            "{ auditLog(filter: { from: \"2999-01-01T00:00:00Z\" }) { total } }",
            json!({}),
        )
        .await;
    assert_eq!(future["data"]["auditLog"]["total"], 0, "{future}");
}

#[tokio::test]
async fn password_policy_is_the_tenants() {
    let app = TestApp::spawn().await;
    let r = app.gql("mutation { updateSecuritySettings(input: { passwordMinLength: 16 }) { passwordMinLength } }", json!({})).await;
    assert_eq!(
        r["data"]["updateSecuritySettings"]["passwordMinLength"], 16,
        "{r}"
    );
    let weak = create_user(&app, json!({ "login": format!("{}.x1", app.tenant), "displayName": "X", "password": "Дванадцять-12" })).await;
    let msg = weak["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(msg.contains("at least 16"), "{weak}");
    let bad = app.gql("mutation { updateSecuritySettings(input: { passwordMinLength: 3 }) { passwordMinLength } }", json!({})).await;
    assert_eq!(
        bad["errors"][0]["extensions"]["field"], "passwordMinLength",
        "{bad}"
    );
}
