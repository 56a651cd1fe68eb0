//! Opening accounts for every apartment of a building or a street (issue 22, seed 001
//! §4.3 Ctrl+Ins): drafts numbered in address order, apartments with an account listed
//! and left, safe to run twice, the holder chosen afterwards before approval.

use serde_json::json;

use crate::helpers::{TestApp, sql, sql_number, sql_text};

const OPEN: &str = "mutation($i: GroupOpenInput!) { openAccountsForBuildings(input: $i) { opened skipped lines { premisesId address accountId number reason } } }";
const HOLDER: &str = "mutation($id: Int!, $i: AccountHolderInput!) { setAccountHolder(id: $id, input: $i) { account { holderName } } }";
const STATUS: &str = "mutation($ids: [Int!]!, $i: AccountStatusInput!) { setAccountsStatus(accountIds: $ids, input: $i) { changed skipped { reason } } }";

async fn building(app: &TestApp, street: &str, number: &str, apartments: i32) -> i64 {
    let r = app
        .gql(
            "mutation($s: String!, $b: String!, $n: Int!) { addAddress(input: { locality: \"Буча\", street: $s, building: $b, apartmentsFrom: 1, apartmentsTo: $n }) { buildingId } }",
            json!({ "s": street, "b": number, "n": apartments }),
        )
        .await;
    let id = r["data"]["addAddress"]["buildingId"]
        .as_i64()
        .unwrap_or_default();
    assert!(id > 0, "{r}");
    id
}

#[tokio::test]
async fn every_apartment_gets_a_draft_and_a_second_run_opens_nothing() {
    let app = TestApp::spawn().await;
    let b = building(&app, "Вокзальна", "12", 12).await;
    let other = building(&app, "Вокзальна", "14", 3).await;
    // Apartment 1 already has an account.
    let p1 = sql_number(
        &app,
        &format!("SELECT id FROM \"{{s}}\".premises WHERE building_id = {b} AND number = '1'"),
    )
    .await;
    let r = app
        .gql(
            "mutation($p: Int!) { openAccount(input: { newSubscriber: { lastName: \"Гнатюк\" }, premisesId: $p, openedOn: \"2026-09-01\", number: \"7700001\" }) { account { id } } }",
            json!({ "p": p1 }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    sql(
        &app,
        "UPDATE \"{s}\".account_numbering SET auto = true, prefix = '55', length = 7",
    )
    .await;

    let r = app
        .gql(
            OPEN,
            json!({ "i": { "buildingIds": [b], "openedOn": "2026-10-01" } }),
        )
        .await;
    let p = &r["data"]["openAccountsForBuildings"];
    assert_eq!(p["opened"], 11, "{r}");
    assert_eq!(p["skipped"], 1);
    let lines = p["lines"].as_array().cloned().unwrap_or_default();
    assert_eq!(lines.len(), 12);
    // In address order: apartment 1 (skipped, naming its account), then 2…12 numbered.
    assert_eq!(lines[0]["address"], "Буча, Вокзальна, 12, кв. 1");
    assert_eq!(
        lines[0]["reason"],
        "the apartment already has account 7700001"
    );
    assert_eq!(lines[1]["address"], "Буча, Вокзальна, 12, кв. 2");
    assert_eq!(lines[1]["number"], "5500001");
    assert_eq!(lines[11]["address"], "Буча, Вокзальна, 12, кв. 12");
    assert_eq!(lines[11]["number"], "5500011");
    let drafts = sql_number(
        &app,
        &format!(
            "SELECT count(*) FROM \"{{s}}\".accounts a JOIN \"{{s}}\".premises p ON p.id = a.premises_id \
             WHERE p.building_id = {b} AND a.status = 'draft' AND a.subscriber_id IS NULL AND a.opened_on = '2026-10-01'"
        ),
    )
    .await;
    assert_eq!(drafts, 11);
    let audited = sql_number(
        &app,
        "SELECT count(*) FROM \"{s}\".audit_log WHERE entity = 'account' AND action = 'open' AND (after->>'group')::boolean",
    )
    .await;
    assert_eq!(audited, 11);

    // The whole street a second time: the 12 are left, the other building's 3 opened.
    let street = sql_number(
        &app,
        &format!("SELECT street_id::bigint FROM \"{{s}}\".buildings WHERE id = {other}"),
    )
    .await;
    let r = app
        .gql_lang(
            "uk",
            OPEN,
            json!({ "i": { "streetId": street, "openedOn": "2026-10-01" } }),
        )
        .await;
    let p = &r["data"]["openAccountsForBuildings"];
    assert_eq!(p["opened"], 3, "{r}");
    assert_eq!(p["skipped"], 12);
    let reason = p["lines"][0]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("вже має особовий рахунок"), "{r}");

    // A draft without a holder is not approved; once the holder is chosen it is.
    let draft = lines[1]["accountId"].as_i64().unwrap_or_default();
    let r = app
        .gql(
            STATUS,
            json!({ "ids": [draft], "i": { "status": "APPROVED" } }),
        )
        .await;
    assert_eq!(r["data"]["setAccountsStatus"]["changed"], 0, "{r}");
    assert_eq!(
        r["data"]["setAccountsStatus"]["skipped"][0]["reason"],
        "has no holder yet: choose the holder on its card"
    );
    let r = app
        .gql(
            HOLDER,
            json!({ "id": draft, "i": { "newSubscriber": { "lastName": "Дорошенко", "firstName": "Олена" } } }),
        )
        .await;
    assert_eq!(
        r["data"]["setAccountHolder"]["account"]["holderName"], "Дорошенко Олена",
        "{r}"
    );
    let r = app
        .gql(
            STATUS,
            json!({ "ids": [draft], "i": { "status": "APPROVED" } }),
        )
        .await;
    assert_eq!(r["data"]["setAccountsStatus"]["changed"], 1, "{r}");
    let found = app
        .gql("{ accounts(search: \"Дорошенко\") { total } }", json!({}))
        .await;
    assert_eq!(found["data"]["accounts"]["total"], 1, "{found}");
}

#[tokio::test]
async fn a_group_opening_is_refused_by_field_and_within_reach() {
    let app = TestApp::spawn().await;
    let b = building(&app, "Польова", "1", 2).await;
    let cases = [
        (json!({ "openedOn": "2026-10-01" }), "buildingIds"),
        (
            json!({ "buildingIds": [b], "streetId": 1, "openedOn": "2026-10-01" }),
            "buildingIds",
        ),
    ];
    for (input, field) in cases {
        let r = app.gql(OPEN, json!({ "i": input })).await;
        assert_eq!(r["errors"][0]["extensions"]["field"], field, "{r}");
    }
    // Manual numbering: every number would have to be typed.
    sql(&app, "UPDATE \"{s}\".account_numbering SET auto = false").await;
    let r = app
        .gql(
            OPEN,
            json!({ "i": { "buildingIds": [b], "openedOn": "2026-10-01" } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "number", "{r}");
    sql(&app, "UPDATE \"{s}\".account_numbering SET auto = true").await;
    // A branch-2 operator does not see a building of branch 1.
    sql(
        &app,
        &format!("UPDATE \"{{s}}\".buildings SET branch_id = 1 WHERE id = {b}"),
    )
    .await;
    let login = format!("{}.br2open", app.tenant);
    app.gql(
        "mutation($l: String!) { createUser(input: { login: $l, displayName: \"br2\", password: \"Пароль-2026-br2open\", roles: [\"operator\"], branchIds: [2] }) { id } }",
        json!({ "l": login }),
    )
    .await;
    let token = app.login(&login, "Пароль-2026-br2open").await;
    let r = app
        .gql_as(
            Some(&token),
            OPEN,
            json!({ "i": { "buildingIds": [b], "openedOn": "2026-10-01" } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "NOT_FOUND", "{r}");
    let opened = sql_text(
        &app,
        &format!(
            "SELECT count(*)::text FROM \"{{s}}\".accounts a JOIN \"{{s}}\".premises p ON p.id = a.premises_id WHERE p.building_id = {b}"
        ),
    )
    .await;
    assert_eq!(opened, "0");
    // An invoiced account keeps its holder: a new owner gets a new account.
    let r = app
        .gql(
            OPEN,
            json!({ "i": { "buildingIds": [b], "openedOn": "2026-10-01" } }),
        )
        .await;
    let draft = r["data"]["openAccountsForBuildings"]["lines"][0]["accountId"]
        .as_i64()
        .unwrap_or_default();
    assert!(draft > 0, "{r}");
    sql(
        &app,
        &format!(
            "INSERT INTO \"{{s}}\".invoices (account_id, period, formed_at, opening, charged, recalculation, benefit, subsidy, penalty, paid, closing) \
             VALUES ({draft}, '2026-10-01', now(), 0, 10, 0, 0, 0, 0, 0, 10)"
        ),
    )
    .await;
    let r = app
        .gql(
            HOLDER,
            json!({ "id": draft, "i": { "newSubscriber": { "lastName": "Інший" } } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "subscriberId", "{r}");
    let holder = sql_text(
        &app,
        &format!("SELECT coalesce(subscriber_id::text, 'none') FROM \"{{s}}\".accounts WHERE id = {draft}"),
    )
    .await;
    assert_eq!(holder, "none");
}
