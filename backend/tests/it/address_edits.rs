//! Correcting the address book (issue 22): renaming a street or a locality and changing a
//! building's number carry the accounts' addresses and the meters' search with them; codes
//! and postal indexes are checked by field; a user limited to some buildings cannot rename
//! a street that runs past others.

use serde_json::{Value, json};

use crate::helpers::{TestApp, sql, sql_text};
use crate::meters::setup;

const CARD: &str = "query($id: Int!) { building(id: $id) { building { address } address { buildingNumber streetId streetName streetKind streetCode streetPostalCode streetBuildings localityId localityName postalCode } } }";
const STREET: &str =
    "mutation($id: Int!, $i: AddressPartInput!) { updateStreet(id: $id, input: $i) }";
const LOCALITY: &str =
    "mutation($id: Int!, $i: AddressPartInput!) { updateLocality(id: $id, input: $i) }";
const BUILDING: &str =
    "mutation($id: Int!, $i: AddressPartInput!) { updateBuildingAddress(id: $id, input: $i) }";

fn field(r: &Value) -> &Value {
    &r["errors"][0]["extensions"]["field"]
}

async fn account_address(app: &TestApp, account: i64) -> String {
    sql_text(
        app,
        &format!("SELECT address FROM \"{{s}}\".accounts WHERE id = {account}"),
    )
    .await
}

#[tokio::test]
async fn a_renamed_street_carries_the_accounts_and_meters_with_it() {
    let app = TestApp::spawn().await;
    let (b, premises, account, model) = setup(&app).await;
    let xvs = app
        .gql(
            "{ referenceBook(book: SERVICES, search: \"xvs\") { items { id } } }",
            json!({}),
        )
        .await["data"]["referenceBook"]["items"][0]["id"]
        .clone();
    let meter = json!({ "serial": "ХВ-57001", "modelId": model, "serviceId": xvs, "buildingId": b,
        "premisesId": premises, "installedOn": "2026-01-10", "initialReading": "1", "verifiedOn": "2026-01-01" });
    let r = app
        .gql(
            "mutation($i: MeterInput!) { createMeter(input: $i) { id } }",
            json!({ "i": meter }),
        )
        .await;
    assert!(r["data"]["createMeter"]["id"].as_i64().is_some(), "{r}");
    assert_eq!(
        account_address(&app, account).await,
        "Ірпінь, Садова, 3, кв. 1"
    );
    let card = app.gql(CARD, json!({ "id": b })).await;
    let a = &card["data"]["building"]["address"];
    assert_eq!(a["streetName"], "Садова", "{card}");
    assert_eq!(a["streetBuildings"], 1);
    let street = a["streetId"].clone();

    // The street is renamed (a decree renamed it) and gets the post office's index.
    let r = app
        .gql(
            STREET,
            json!({ "id": street, "i": { "name": "Героїв Майдану", "kind": "avenue", "code": "0417", "postalCode": "08200" } }),
        )
        .await;
    assert_eq!(r["data"]["updateStreet"], 1, "{r}");
    assert_eq!(
        account_address(&app, account).await,
        "Ірпінь, Героїв Майдану, 3, кв. 1"
    );
    let found = app
        .gql("{ accounts(search: \"майдану\") { total } }", json!({}))
        .await;
    assert_eq!(found["data"]["accounts"]["total"], 1, "{found}");
    let meters = app
        .gql(
            "{ meters(search: \"Героїв Майдану, 3\") { total } }",
            json!({}),
        )
        .await;
    assert_eq!(meters["data"]["meters"]["total"], 1, "{meters}");
    let card = app.gql(CARD, json!({ "id": b })).await;
    let a = &card["data"]["building"]["address"];
    assert_eq!(a["streetKind"], "avenue");
    assert_eq!(a["streetCode"], "0417");
    // The building has no index of its own: mail goes to the street's.
    assert_eq!(a["postalCode"], "08200");
    assert_eq!(
        card["data"]["building"]["building"]["address"],
        "Ірпінь, Героїв Майдану, 3"
    );
    let before = sql_text(
        &app,
        &format!(
            "SELECT before->>'name' || ' → ' || (after->'row'->>'name') FROM \"{{s}}\".audit_log \
             WHERE entity = 'street' AND entity_id = '{street}' AND action = 'update'"
        ),
    )
    .await;
    assert_eq!(before, "Садова → Героїв Майдану");

    // The building's number was entered wrong; the locality too.
    let r = app
        .gql(
            BUILDING,
            json!({ "id": b, "i": { "name": "3А", "postalCode": "08205" } }),
        )
        .await;
    assert_eq!(r["data"]["updateBuildingAddress"], 1, "{r}");
    let r = app
        .gql(
            LOCALITY,
            json!({ "id": a["localityId"], "i": { "name": "Ірпінь (м.)", "code": "3210900000" } }),
        )
        .await;
    assert_eq!(r["data"]["updateLocality"], 1, "{r}");
    assert_eq!(
        account_address(&app, account).await,
        "Ірпінь (м.), Героїв Майдану, 3А, кв. 1"
    );
    let card = app.gql(CARD, json!({ "id": b })).await;
    assert_eq!(card["data"]["building"]["address"]["postalCode"], "08205");
}

#[tokio::test]
async fn bad_address_changes_are_named_by_field_and_change_nothing() {
    let app = TestApp::spawn().await;
    let (b, _, account, _) = setup(&app).await;
    let other = app
        .gql(
            "mutation { addAddress(input: { locality: \"Ірпінь\", street: \"Садова\", building: \"5\" }) { buildingId } }",
            json!({}),
        )
        .await["data"]["addAddress"]["buildingId"]
        .clone();
    app.gql(
        "mutation { addAddress(input: { locality: \"Ірпінь\", street: \"Соборна\", building: \"1\" }) { buildingId } }",
        json!({}),
    )
    .await;
    let card = app.gql(CARD, json!({ "id": b })).await;
    let street = card["data"]["building"]["address"]["streetId"].clone();
    assert_eq!(card["data"]["building"]["address"]["streetBuildings"], 2);
    let cases = [
        (STREET, &street, json!({ "name": " " }), "name"),
        (STREET, &street, json!({ "name": "Соборна" }), "name"),
        (
            STREET,
            &street,
            json!({ "name": "Садова", "kind": "alley" }),
            "kind",
        ),
        (
            STREET,
            &street,
            json!({ "name": "Садова", "postalCode": "08200/1" }),
            "postalCode",
        ),
        (
            STREET,
            &street,
            json!({ "name": "Садова", "code": "x".repeat(21) }),
            "code",
        ),
        (BUILDING, &b, json!({ "name": "5" }), "number"),
    ];
    for (query, id, input, expected) in cases {
        let r = app.gql(query, json!({ "id": id, "i": input })).await;
        assert_eq!(field(&r), expected, "{input}: {r}");
    }
    // Two buildings cannot share a code.
    let r = app
        .gql(
            BUILDING,
            json!({ "id": b, "i": { "name": "3", "code": "B-1" } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = app
        .gql(
            BUILDING,
            json!({ "id": other, "i": { "name": "5", "code": "B-1" } }),
        )
        .await;
    assert_eq!(field(&r), "code", "{r}");
    // In the user's language.
    let r = app
        .gql_lang("uk", BUILDING, json!({ "id": b, "i": { "name": "5" } }))
        .await;
    let text = r["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        text.contains("на вулиці вже є будинок з таким номером"),
        "{r}"
    );
    assert_eq!(
        account_address(&app, account).await,
        "Ірпінь, Садова, 3, кв. 1"
    );
}

#[tokio::test]
async fn a_street_running_past_other_branches_is_renamed_by_someone_who_sees_it_all() {
    let app = TestApp::spawn().await;
    let (b, _, _, _) = setup(&app).await;
    let other = app
        .gql(
            "mutation { addAddress(input: { locality: \"Ірпінь\", street: \"Садова\", building: \"5\" }) { buildingId } }",
            json!({}),
        )
        .await["data"]["addAddress"]["buildingId"]
        .clone();
    sql(
        &app,
        &format!("UPDATE \"{{s}}\".buildings SET branch_id = CASE WHEN id = {b} THEN 2 ELSE 1 END WHERE id IN ({b}, {other})"),
    )
    .await;
    let card = app.gql(CARD, json!({ "id": b })).await;
    let street = card["data"]["building"]["address"]["streetId"].clone();
    let login = format!("{}.br2addr", app.tenant);
    app.gql(
        "mutation($l: String!) { createUser(input: { login: $l, displayName: \"br2\", password: \"Пароль-2026-br2addr\", roles: [\"operator\"], branchIds: [2] }) { id } }",
        json!({ "l": login }),
    )
    .await;
    let token = app.login(&login, "Пароль-2026-br2addr").await;
    let r = app
        .gql_as(
            Some(&token),
            STREET,
            json!({ "id": street, "i": { "name": "Нова" } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "FORBIDDEN", "{r}");
    // Its own building's number it may change; the other branch's building it does not see.
    let r = app
        .gql_as(
            Some(&token),
            BUILDING,
            json!({ "id": b, "i": { "name": "3Б" } }),
        )
        .await;
    assert_eq!(r["data"]["updateBuildingAddress"], 1, "{r}");
    let r = app
        .gql_as(
            Some(&token),
            BUILDING,
            json!({ "id": other, "i": { "name": "5Б" } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "NOT_FOUND", "{r}");
    let name = sql_text(
        &app,
        &format!("SELECT name FROM \"{{s}}\".streets WHERE id = {street}"),
    )
    .await;
    assert_eq!(name, "Садова");
}

async fn service_id(app: &TestApp, code: &str) -> Value {
    let q = format!("{{ referenceBook(book: SERVICES, search: \"{code}\") {{ items {{ id }} }} }}");
    app.gql(&q, json!({})).await["data"]["referenceBook"]["items"][0]["id"].clone()
}

async fn building_services(app: &TestApp, id: &Value) -> Value {
    app.gql(
        "query($id: Int!) { building(id: $id) { details { serviceIds } } }",
        json!({ "id": id }),
    )
    .await["data"]["building"]["details"]["serviceIds"]
        .clone()
}

#[tokio::test]
async fn services_are_added_to_a_group_of_buildings_and_taken_away() {
    let app = TestApp::spawn().await;
    let mut ids = vec![];
    for n in ["1", "2", "3"] {
        let r = app
            .gql(
                "mutation($n: String!) { addAddress(input: { locality: \"Ірпінь\", street: \"Групова\", building: $n }) { buildingId } }",
                json!({ "n": n }),
            )
            .await;
        ids.push(r["data"]["addAddress"]["buildingId"].clone());
    }
    let (xvs, vv) = (service_id(&app, "xvs").await, service_id(&app, "vv").await);
    const CHANGE: &str = "mutation($b: [Int!]!, $s: [Int!]!, $r: Boolean) { changeBuildingsServices(buildingIds: $b, serviceIds: $s, remove: $r) { changed unchanged } }";
    // The first building has cold water already.
    app.gql(
        "mutation($id: Int!, $s: [Int!]!) { updateBuilding(id: $id, input: { serviceIds: $s }) { building { id } } }",
        json!({ "id": ids[0], "s": [xvs] }),
    )
    .await;
    let r = app
        .gql(CHANGE, json!({ "b": ids, "s": [xvs, vv], "r": false }))
        .await;
    assert_eq!(
        r["data"]["changeBuildingsServices"],
        json!({ "changed": 3, "unchanged": 0 }),
        "{r}"
    );
    let mut both = vec![xvs.as_i64(), vv.as_i64()];
    both.sort_unstable();
    assert_eq!(building_services(&app, &ids[2]).await, json!(both));
    // Again: nothing changes.
    let r = app
        .gql(CHANGE, json!({ "b": ids, "s": [xvs, vv], "r": false }))
        .await;
    assert_eq!(r["data"]["changeBuildingsServices"]["unchanged"], 3, "{r}");
    // Taken away from two of them; the audit row keeps before and after.
    let r = app
        .gql(
            CHANGE,
            json!({ "b": [ids[1], ids[2]], "s": [vv], "r": true }),
        )
        .await;
    assert_eq!(r["data"]["changeBuildingsServices"]["changed"], 2, "{r}");
    assert_eq!(building_services(&app, &ids[2]).await, json!([xvs]));
    let after = crate::helpers::sql_text(
        &app,
        &format!(
            "SELECT after->>'serviceIds' FROM \"{{s}}\".audit_log WHERE entity = 'building' AND entity_id = '{}' ORDER BY id DESC LIMIT 1",
            ids[2]
        ),
    )
    .await;
    assert_eq!(after, format!("[{xvs}]"));
    // Bad input names the field; an unknown building is not found.
    let r = app
        .gql(CHANGE, json!({ "b": ids, "s": [], "r": false }))
        .await;
    assert_eq!(field(&r), "serviceIds", "{r}");
    let r = app
        .gql(CHANGE, json!({ "b": [999_999], "s": [xvs], "r": false }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "NOT_FOUND", "{r}");
}
