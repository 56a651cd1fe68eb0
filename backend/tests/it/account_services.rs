//! Services of accounts over periods, and group operations on selected accounts.

use serde_json::{Value, json};

use crate::helpers::TestApp;

const ASSIGN: &str = "mutation($ids: [Int!]!, $i: ServicePeriodInput!) { groupAssignService(accountIds: $ids, input: $i) { changed skipped { accountId number reason } } }";
const CHANGE: &str = "mutation($ids: [Int!]!, $i: ServicePeriodInput!) { groupChangeServicePeriod(accountIds: $ids, input: $i) { changed skipped { accountId reason } } }";
const REMOVE: &str = "mutation($ids: [Int!]!, $s: Int!) { groupRemoveService(accountIds: $ids, serviceId: $s) { changed skipped { accountId reason } } }";
const CARD: &str = "query($id: Int!) { account(id: $id) { services { id serviceName startsOn endsOn quantity } } }";

async fn service(app: &TestApp, code: &str) -> i64 {
    let r = app
        .gql(
            "mutation($i: ItemInput!) { createReferenceItem(book: SERVICES, input: $i) { id } }",
            json!({ "i": { "code": code, "name": format!("Послуга {code}"), "extra": { "method": "fixed" } } }),
        )
        .await;
    r["data"]["createReferenceItem"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"))
}

async fn account_ids(app: &TestApp) -> Vec<i64> {
    let r = app
        .gql("{ accounts(limit: 100) { items { id } } }", json!({}))
        .await;
    r["data"]["accounts"]["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["id"].as_i64()).collect())
        .unwrap_or_default()
}

/// The card's periods of the test's own service (the demo accounts have others too).
fn services_of(card: &Value, code: &str) -> Vec<Value> {
    let name = format!("Послуга {code}");
    card["data"]["account"]["services"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|s| s["serviceName"] == name.as_str())
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_service_is_assigned_changed_and_removed_for_selected_accounts() {
    let app = TestApp::spawn().await;
    let lift = service(&app, "lift").await;
    let ids = account_ids(&app).await;
    assert!(ids.len() >= 4, "demo accounts: {ids:?}");
    let (first_two, all) = (&ids[..2], &ids[..]);

    let period = json!({ "serviceId": lift, "startsOn": "2026-01-01", "quantity": "1" });
    let r = app
        .gql(ASSIGN, json!({ "ids": first_two, "i": period }))
        .await;
    assert_eq!(r["data"]["groupAssignService"]["changed"], 2, "{r}");

    // Accounts that already have it in an overlapping period are skipped, with the reason.
    let later = json!({ "serviceId": lift, "startsOn": "2026-06-01" });
    let r = app
        .gql_lang("uk", ASSIGN, json!({ "ids": all, "i": later }))
        .await;
    let g = &r["data"]["groupAssignService"];
    assert_eq!(
        g["changed"],
        i64::try_from(all.len() - 2).unwrap_or_default(),
        "{r}"
    );
    let skipped: Vec<i64> = g["skipped"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s["accountId"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(skipped, first_two.to_vec(), "{r}");
    assert_eq!(
        g["skipped"][0]["reason"], "вже має цю послугу в цьому періоді",
        "in the user's language: {r}"
    );

    // Change the period: the first two now end in May, so a June period fits after it.
    let ended = json!({ "serviceId": lift, "startsOn": "2026-01-01", "endsOn": "2026-05-31" });
    let r = app
        .gql(CHANGE, json!({ "ids": first_two, "i": ended }))
        .await;
    assert_eq!(r["data"]["groupChangeServicePeriod"]["changed"], 2, "{r}");
    let r = app
        .gql(ASSIGN, json!({ "ids": first_two, "i": later }))
        .await;
    assert_eq!(r["data"]["groupAssignService"]["changed"], 2, "{r}");
    let card = app.gql(CARD, json!({ "id": ids[0] })).await;
    let periods: Vec<(Value, Value)> = services_of(&card, "lift")
        .iter()
        .map(|s| (s["startsOn"].clone(), s["endsOn"].clone()))
        .collect();
    assert_eq!(
        periods,
        vec![
            (json!("2026-01-01"), json!("2026-05-31")),
            (json!("2026-06-01"), Value::Null)
        ],
        "{card}"
    );
    assert_eq!(services_of(&card, "lift")[0]["quantity"], "1", "{card}");

    // A period moved onto another one is refused for that account only.
    let overlapping = json!({ "serviceId": lift, "startsOn": "2026-05-01" });
    let r = app
        .gql(CHANGE, json!({ "ids": [ids[0]], "i": overlapping }))
        .await;
    assert_eq!(r["data"]["groupChangeServicePeriod"]["changed"], 0, "{r}");

    // Bad input names the field; nothing is written.
    let backwards = json!({ "serviceId": lift, "startsOn": "2026-05-01", "endsOn": "2026-04-01" });
    let r = app.gql(ASSIGN, json!({ "ids": all, "i": backwards })).await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "endsOn", "{r}");
    let r = app.gql(ASSIGN, json!({ "ids": [], "i": later })).await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "accountIds", "{r}");

    let r = app.gql(REMOVE, json!({ "ids": all, "s": lift })).await;
    let removed = &r["data"]["groupRemoveService"];
    assert_eq!(
        removed["changed"],
        i64::try_from(all.len() + 2).unwrap_or_default(),
        "every period: {r}"
    );
    assert!(services_of(&app.gql(CARD, json!({ "id": ids[0] })).await, "lift").is_empty());

    // One audit row per record touched.
    let log = app
        .gql(
            "{ auditLog(filter: { entity: \"account_service\" }) { total } }",
            json!({}),
        )
        .await;
    let expected = 2 + (all.len() - 2) + 2 + 2 + (all.len() + 2);
    assert_eq!(
        log["data"]["auditLog"]["total"],
        i64::try_from(expected).unwrap_or_default(),
        "{log}"
    );
}

#[tokio::test]
async fn the_card_adds_edits_and_removes_one_service_period() {
    let app = TestApp::spawn().await;
    let admin_fee = service(&app, "fee").await;
    let id = account_ids(&app).await[0];
    let add = "mutation($a: Int!, $i: ServicePeriodInput!) { addAccountService(accountId: $a, input: $i) { services { id serviceName quantity } } }";
    let r = app
        .gql(add, json!({ "a": id, "i": { "serviceId": admin_fee, "startsOn": "2026-11-01", "quantity": "2,5" } }))
        .await;
    // "fee" sorts before the demo's own services.
    let row = &r["data"]["addAccountService"]["services"][0];
    assert_eq!(row["serviceName"], "Послуга fee", "{r}");
    assert_eq!(row["quantity"], "2.5", "{r}");
    let sid = row["id"].clone();
    let again = app
        .gql(
            add,
            json!({ "a": id, "i": { "serviceId": admin_fee, "startsOn": "2026-12-01" } }),
        )
        .await;
    assert_eq!(
        again["errors"][0]["extensions"]["code"], "CONFLICT",
        "{again}"
    );

    let update = "mutation($id: Int!, $i: ServicePeriodInput!) { updateAccountService(id: $id, input: $i) { services { endsOn quantity } } }";
    let r = app
        .gql(update, json!({ "id": sid, "i": { "serviceId": admin_fee, "startsOn": "2026-11-01", "endsOn": "2027-10-31", "quantity": "3" } }))
        .await;
    assert_eq!(
        r["data"]["updateAccountService"]["services"][0],
        json!({ "endsOn": "2027-10-31", "quantity": "3" }),
        "{r}"
    );
    let bad = app
        .gql(update, json!({ "id": sid, "i": { "serviceId": admin_fee, "startsOn": "2026-11-01", "quantity": "-1" } }))
        .await;
    assert_eq!(bad["errors"][0]["extensions"]["field"], "quantity", "{bad}");

    let remove =
        "mutation($id: Int!) { removeAccountService(id: $id) { services { serviceName } } }";
    let r = app.gql(remove, json!({ "id": sid })).await;
    let left = r["data"]["removeAccountService"]["services"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        !left.is_empty() && left.iter().all(|s| s["serviceName"] != "Послуга fee"),
        "the demo's services stay: {r}"
    );
}

#[tokio::test]
async fn concurrent_assignments_of_one_period_give_the_account_one() {
    let app = TestApp::spawn().await;
    let lift = service(&app, "lift").await;
    let ids = account_ids(&app).await;
    let period = json!({ "serviceId": lift, "startsOn": "2026-01-01" });
    let vars = json!({ "ids": ids, "i": period });
    // Sixteen at once: the account rows' locks let one win per account.
    let runs = futures::future::join_all((0..16).map(|_| app.gql(ASSIGN, vars.clone()))).await;
    let changed: i64 = runs
        .iter()
        .map(|r| {
            r["data"]["groupAssignService"]["changed"]
                .as_i64()
                .unwrap_or_else(|| panic!("{r}"))
        })
        .sum();
    assert_eq!(changed, i64::try_from(ids.len()).unwrap_or_default());
    let card = app.gql(CARD, json!({ "id": ids[0] })).await;
    assert_eq!(services_of(&card, "lift").len(), 1, "{card}");
}
