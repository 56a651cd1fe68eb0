//! The meter card (issue 22): the passport edited with the rest of the card and audited,
//! its bad input named by field, no meter for a service charged by area, and deleting a
//! card entered by mistake only while it has no readings.

use serde_json::{Value, json};

use crate::helpers::{TestApp, sql_number, sql_text};
use crate::meters::setup;

const CREATE: &str = "mutation($i: MeterInput!) { createMeter(input: $i) { id } }";
const UPDATE: &str = "mutation($id: Int!, $i: MeterInput!) { updateMeter(id: $id, input: $i) { id manufacturer manufacturedOn installer commissionedOn remoteReading isVirtual balanceOwner riser entrance note installMethod } }";

async fn xvs(app: &TestApp) -> Value {
    app.gql(
        "{ referenceBook(book: SERVICES, search: \"xvs\") { items { id } } }",
        json!({}),
    )
    .await["data"]["referenceBook"]["items"][0]["id"]
        .clone()
}

fn with(base: &Value, patch: Value) -> Value {
    let mut v = base.clone();
    if let (Some(o), Some(p)) = (v.as_object_mut(), patch.as_object()) {
        o.extend(p.clone());
    }
    v
}

fn field(r: &Value) -> &Value {
    &r["errors"][0]["extensions"]["field"]
}

#[tokio::test]
async fn the_passport_is_edited_with_the_card_and_audited() {
    let app = TestApp::spawn().await;
    let (b, premises, _, model) = setup(&app).await;
    let base = json!({ "serial": "ХВ-22001", "modelId": model, "serviceId": xvs(&app).await, "buildingId": b,
        "premisesId": premises, "installedOn": "2025-03-10", "initialReading": "3", "verifiedOn": "2025-03-01" });
    let r = app.gql(CREATE, json!({ "i": base })).await;
    let id = r["data"]["createMeter"]["id"].as_i64().unwrap_or_default();
    assert!(id > 0, "{r}");
    let passport = with(
        &base,
        json!({ "manufacturer": "Apator Powogaz", "manufacturedOn": "2024-11-02", "installer": "ЖЕК-3, слюсар Бондар",
            "commissionedOn": "2025-03-12", "remoteReading": true, "balanceOwner": "subscriber", "riser": 2, "entrance": 1,
            "note": "у ванній, за панеллю" }),
    );
    let r = app.gql(UPDATE, json!({ "id": id, "i": passport })).await;
    let m = &r["data"]["updateMeter"];
    assert_eq!(m["manufacturer"], "Apator Powogaz", "{r}");
    assert_eq!(m["manufacturedOn"], "2024-11-02");
    assert_eq!(m["commissionedOn"], "2025-03-12");
    assert_eq!(m["remoteReading"], true);
    assert_eq!(m["isVirtual"], false);
    assert_eq!(m["balanceOwner"], "subscriber");
    assert_eq!(m["riser"], 2);
    assert_eq!(m["note"], "у ванній, за панеллю");
    let after = sql_text(
        &app,
        &format!(
            "SELECT after->>'installer' FROM \"{{s}}\".audit_log WHERE entity = 'meter' AND entity_id = '{id}' AND action = 'update'"
        ),
    )
    .await;
    assert_eq!(after, "ЖЕК-3, слюсар Бондар");

    for (patch, expected) in [
        (json!({ "balanceOwner": "landlord" }), "balanceOwner"),
        (json!({ "manufacturedOn": "2025-04-01" }), "manufacturedOn"),
        (json!({ "commissionedOn": "2025-03-01" }), "commissionedOn"),
        (json!({ "riser": 0 }), "riser"),
        (json!({ "installMethod": "roof" }), "installMethod"),
        (json!({ "manufacturer": "x".repeat(201) }), "manufacturer"),
    ] {
        let r = app
            .gql(UPDATE, json!({ "id": id, "i": with(&passport, patch) }))
            .await;
        assert_eq!(field(&r), expected, "{r}");
    }
    assert_eq!(
        sql_text(
            &app,
            &format!("SELECT balance_owner FROM \"{{s}}\".meters WHERE id = {id}")
        )
        .await,
        "subscriber",
        "a refused edit changes nothing"
    );
}

#[tokio::test]
async fn a_service_charged_by_area_takes_no_meter() {
    let app = TestApp::spawn().await;
    let (b, premises, _, _) = setup(&app).await;
    let by_area = sql_number(
        &app,
        "SELECT id::bigint FROM \"{s}\".services WHERE method IN ('area', 'fixed') ORDER BY id LIMIT 1",
    )
    .await;
    let input = json!({ "serial": "КВ-1", "serviceId": by_area, "buildingId": b, "premisesId": premises,
        "installedOn": "2025-03-10", "initialReading": "1" });
    let r = app.gql(CREATE, json!({ "i": input })).await;
    assert_eq!(field(&r), "serviceId", "{r}");
}

#[tokio::test]
async fn a_card_is_deleted_only_while_it_has_no_readings() {
    let app = TestApp::spawn().await;
    let (b, premises, _, model) = setup(&app).await;
    let service = xvs(&app).await;
    let meter = |serial: &str| {
        json!({ "serial": serial, "modelId": model, "serviceId": service, "buildingId": b, "premisesId": premises,
            "installedOn": "2025-03-10", "initialReading": "3" })
    };
    let mistaken =
        app.gql(CREATE, json!({ "i": meter("ХВ-помилка") })).await["data"]["createMeter"]["id"]
            .as_i64()
            .unwrap_or_default();
    let read =
        app.gql(CREATE, json!({ "i": meter("ХВ-22002") })).await["data"]["createMeter"]["id"]
            .as_i64()
            .unwrap_or_default();
    let open = sql_text(
        &app,
        "SELECT to_char(max(month), 'YYYY-MM') FROM \"{s}\".periods WHERE state = 'open'",
    )
    .await;
    let r = app
        .gql(
            "mutation($m: Int!, $p: String!) { enterReading(input: { meterId: $m, period: $p, current: \"9\" }) { reading { current } } }",
            json!({ "m": read, "p": open }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let delete = "mutation($id: Int!) { deleteMeter(id: $id) }";
    let r = app.gql(delete, json!({ "id": read })).await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "CONFLICT", "{r}");
    let r = app.gql(delete, json!({ "id": mistaken })).await;
    assert_eq!(r["data"]["deleteMeter"], true, "{r}");
    assert_eq!(
        sql_number(
            &app,
            &format!("SELECT count(*) FROM \"{{s}}\".meters WHERE id IN ({read}, {mistaken})")
        )
        .await,
        1
    );
    assert_eq!(
        app.audit_actions("meter", Some(mistaken.to_string()))
            .await
            .first()
            .map(String::as_str),
        Some("delete")
    );
}

#[tokio::test]
async fn the_meters_list_exports_as_filtered_with_holder_and_readings() {
    let app = TestApp::spawn().await;
    let (b, premises, _, model) = setup(&app).await;
    let input = json!({ "serial": "ЕКСП-501", "modelId": model, "serviceId": xvs(&app).await, "buildingId": b,
        "premisesId": premises, "installedOn": "2025-03-10", "initialReading": "3", "sealNumber": "П-501" });
    let id = app.gql(CREATE, json!({ "i": input })).await["data"]["createMeter"]["id"]
        .as_i64()
        .unwrap_or_default();
    let r = app
        .gql(
            "mutation($m: Int!) { enterReading(input: { meterId: $m, current: \"17,5\" }) { reading { current } } }",
            json!({ "m": id }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let worker = app.start_worker(app.state.clone(), "meters-export");
    let r = app
        .gql(
            "mutation { requestListExport(input: { list: METERS, meters: { search: \"ЕКСП-501\" }, lang: \"uk\" }) { id } }",
            json!({}),
        )
        .await;
    let job = r["data"]["requestListExport"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let done = app.wait_job(&job, std::time::Duration::from_secs(60)).await;
    assert_eq!(done["result"]["rows"], 1, "{done}");
    let sheet = crate::helpers::download_sheet(&app, &job).await;
    worker.stop().await;
    assert_eq!(sheet[0][0], "Номер лічильника", "{sheet:?}");
    assert_eq!(sheet[0][10], "Точка обліку");
    assert_eq!(sheet[0][14], "Споживання");
    let row = &sheet[1];
    assert_eq!(row[0], "ЕКСП-501");
    assert_eq!(row[1], "Коваль Ірина", "the account's holder: {row:?}");
    assert_eq!(row[6], "П-501");
    assert_eq!(
        row[10], "",
        "a household's meter stands on no metering point"
    );
    assert_eq!(
        (row[12].as_str(), row[13].as_str(), row[14].as_str()),
        ("3", "17.5", "14.5")
    );
}

#[tokio::test]
async fn the_main_meter_is_chosen_from_the_card() {
    let app = TestApp::spawn().await;
    let (b, premises, _, model) = setup(&app).await;
    let service = xvs(&app).await;
    let create = |serial: &str, method: &str, premises: Option<i64>| {
        json!({ "i": { "serial": serial, "modelId": model, "serviceId": service, "buildingId": b, "premisesId": premises,
            "installMethod": method, "installedOn": "2025-03-10", "initialReading": "1", "verifiedOn": "2025-03-01" } })
    };
    let mut ids = vec![];
    for (serial, method, p) in [
        ("БУД-22", "building", None),
        ("СТ-22", "riser", None),
        ("КВ-22", "apartment", Some(premises)),
        ("КВ-23", "apartment", Some(premises)),
    ] {
        let r = app.gql(CREATE, create(serial, method, p)).await;
        ids.push(
            r["data"]["createMeter"]["id"]
                .as_i64()
                .unwrap_or_else(|| panic!("{r}")),
        );
    }
    let choices =
        "query($m: Int!) { mainMeterChoices(meterId: $m) { serial installMethod address } }";
    let r = app.gql(choices, json!({ "m": ids[2] })).await;
    let serials: Vec<&str> = r["data"]["mainMeterChoices"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["serial"].as_str()).collect())
        .unwrap_or_default();
    // The building and the riser meter; never another apartment meter, nor itself.
    assert_eq!(serials, ["БУД-22", "СТ-22"], "{r}");
    let r = app
        .gql(
            "mutation($main: Int!, $ids: [Int!]!) { assignMainMeter(mainId: $main, meterIds: $ids) { changed } }",
            json!({ "main": ids[1], "ids": [ids[2]] }),
        )
        .await;
    assert_eq!(r["data"]["assignMainMeter"]["changed"], 1, "{r}");
    let parent = sql_text(
        &app,
        &format!(
            "SELECT p.serial FROM \"{{s}}\".meters m JOIN \"{{s}}\".meters p ON p.id = m.parent_id WHERE m.id = {}",
            ids[2]
        ),
    )
    .await;
    assert_eq!(parent, "СТ-22");
    // An unknown meter (or one outside the user's reach) is not found.
    let r = app.gql(choices, json!({ "m": 999_999 })).await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "NOT_FOUND", "{r}");
}
