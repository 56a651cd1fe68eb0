//! Legal entities with contracts (each with its own account) and metering points, and
//! the meters that stand on them.

use serde_json::{Value, json};

use crate::helpers::TestApp;

const CARD: &str = "{ subscriber { id displayName } legalAddress contracts { id number accountNumber address meteringPoints { id name serviceName } } }";

#[tokio::test]
async fn a_legal_entity_signs_contracts_with_accounts_and_metering_points() {
    let app = TestApp::spawn().await;
    let create =
        format!("mutation($i: LegalEntityInput!) {{ createLegalEntity(input: $i) {CARD} }}");
    let r = app
        .gql(&create, json!({ "i": { "name": "ТОВ «Весна»", "taxId": "12345678", "legalAddress": "Київ, вул. Лісова, 1" } }))
        .await;
    let entity = &r["data"]["createLegalEntity"];
    assert_eq!(entity["legalAddress"], "Київ, вул. Лісова, 1", "{r}");
    let id = entity["subscriber"]["id"].clone();

    let addr = "mutation { addAddress(input: { locality: \"Київ\", street: \"Лісова\", building: \"1\", apartmentsFrom: 1, apartmentsTo: 2 }) { buildingId } }";
    let b = app.gql(addr, json!({})).await["data"]["addAddress"]["buildingId"].clone();
    let premises = app
        .gql(
            "query($id: Int!) { building(id: $id) { premises { id } } }",
            json!({ "id": b }),
        )
        .await["data"]["building"]["premises"][0]["id"]
        .clone();

    let add = format!(
        "mutation($e: Int!, $i: ContractInput!) {{ addContract(legalEntityId: $e, input: $i) {CARD} }}"
    );
    let r = app
        .gql(&add, json!({ "e": id, "i": { "number": "Д-17/2026", "signedOn": "2026-11-01", "premisesId": premises } }))
        .await;
    let contract = &r["data"]["addContract"]["contracts"][0];
    assert_eq!(contract["number"], "Д-17/2026", "{r}");
    assert_eq!(
        contract["accountNumber"], "100009",
        "the next free account number: {r}"
    );
    let cid = contract["id"].clone();
    // The contract's account is a legal one in the account list.
    let acc = app
        .gql(
            "{ accounts(search: \"100009\") { items { holderName accountType } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        acc["data"]["accounts"]["items"][0]["holderName"], "ТОВ «Весна»",
        "{acc}"
    );
    assert_eq!(
        acc["data"]["accounts"]["items"][0]["accountType"], "legal",
        "{acc}"
    );

    let again = app
        .gql(&add, json!({ "e": id, "i": { "number": "Д-17/2026", "signedOn": "2026-11-01", "premisesId": premises } }))
        .await;
    assert_eq!(
        again["errors"][0]["extensions"]["code"], "CONFLICT",
        "{again}"
    );
    let accounts_after = app
        .gql("{ accounts(search: \"ТОВ\") { total } }", json!({}))
        .await;
    assert_eq!(
        accounts_after["data"]["accounts"]["total"], 2,
        "no account left behind by the refused contract (the demo has one ТОВ): {accounts_after}"
    );

    let point = format!(
        "mutation($c: Int!, $i: MeteringPointInput!) {{ addMeteringPoint(contractId: $c, input: $i) {CARD} }}"
    );
    let r = app
        .gql(&point, json!({ "c": cid, "i": { "name": "Ввід 1" } }))
        .await;
    let points = &r["data"]["addMeteringPoint"]["contracts"][0]["meteringPoints"];
    assert_eq!(points[0]["name"], "Ввід 1", "{r}");
    let dup = app
        .gql(&point, json!({ "c": cid, "i": { "name": "Ввід 1" } }))
        .await;
    assert_eq!(dup["errors"][0]["extensions"]["code"], "CONFLICT", "{dup}");

    let list = app
        .gql(
            "{ legalEntities(search: \"Д-17\") { total items { name contracts accountNumbers } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        list["data"]["legalEntities"]["items"],
        json!([{ "name": "ТОВ «Весна»", "contracts": 1, "accountNumbers": ["100009"] }]),
        "{list}"
    );

    let remove = format!("mutation($id: Int!) {{ removeMeteringPoint(id: $id) {CARD} }}");
    let r = app.gql(&remove, json!({ "id": points[0]["id"] })).await;
    assert_eq!(
        r["data"]["removeMeteringPoint"]["contracts"][0]["meteringPoints"],
        json!([]),
        "{r}"
    );
}

/// A legal entity's meter stands on one of its contract's metering points: offered on the
/// card from the contracts on the meter's premises, refused by field when the point is
/// another premises' or measures another service, kept in the audit, let go when the
/// point is removed.
#[tokio::test]
async fn a_legal_entitys_meter_stands_on_its_contracts_metering_point() {
    let app = TestApp::spawn().await;
    let create =
        format!("mutation($i: LegalEntityInput!) {{ createLegalEntity(input: $i) {CARD} }}");
    let r = app
        .gql(&create, json!({ "i": { "name": "ТОВ «Ліс»", "taxId": "87654321", "legalAddress": "Київ, вул. Соснова, 3" } }))
        .await;
    let entity = r["data"]["createLegalEntity"]["subscriber"]["id"].clone();
    let addr = "mutation { addAddress(input: { locality: \"Київ\", street: \"Соснова\", building: \"3\", apartmentsFrom: 1, apartmentsTo: 2 }) { buildingId } }";
    let building = app.gql(addr, json!({})).await["data"]["addAddress"]["buildingId"].clone();
    let premises = app
        .gql(
            "query($id: Int!) { building(id: $id) { premises { id } } }",
            json!({ "id": building }),
        )
        .await["data"]["building"]["premises"]
        .clone();
    let (office, other) = (premises[0]["id"].clone(), premises[1]["id"].clone());
    let add = format!(
        "mutation($e: Int!, $i: ContractInput!) {{ addContract(legalEntityId: $e, input: $i) {CARD} }}"
    );
    let r = app
        .gql(&add, json!({ "e": entity, "i": { "number": "Д-31/2026", "signedOn": "2026-11-01", "premisesId": office } }))
        .await;
    let contract = r["data"]["addContract"]["contracts"][0]["id"].clone();
    let service =
        |code: &str| format!("SELECT id::bigint FROM {{s}}.services WHERE code = '{code}'");
    let (cold, hot) = (
        crate::helpers::sql_number(&app, &service("xvs")).await,
        crate::helpers::sql_number(&app, &service("gvs")).await,
    );
    let point = format!(
        "mutation($c: Int!, $i: MeteringPointInput!) {{ addMeteringPoint(contractId: $c, input: $i) {CARD} }}"
    );
    for (name, s) in [("Ввід 1", cold), ("Ввід ГВП", hot)] {
        let r = app
            .gql(
                &point,
                json!({ "c": contract, "i": { "name": name, "serviceId": s } }),
            )
            .await;
        assert!(r["errors"].is_null(), "{r}");
    }
    let choices =
        "query($p: Int!) { meteringPointChoices(premisesId: $p) { id name contractNumber } }";
    let r = app.gql(choices, json!({ "p": office })).await;
    let offered = r["data"]["meteringPointChoices"].clone();
    assert_eq!(
        offered.as_array().map(|l| l
            .iter()
            .map(|p| (p["name"].clone(), p["contractNumber"].clone()))
            .collect::<Vec<_>>()),
        Some(vec![
            (json!("Ввід 1"), json!("Д-31/2026")),
            (json!("Ввід ГВП"), json!("Д-31/2026"))
        ]),
        "{r}"
    );
    let r = app.gql(choices, json!({ "p": other })).await;
    assert_eq!(r["data"]["meteringPointChoices"], json!([]), "{r}");
    let (cold_point, hot_point) = (offered[0]["id"].clone(), offered[1]["id"].clone());

    let meter = |serial: &str, premises: &Value, point: &Value| {
        json!({ "i": { "serial": serial, "serviceId": cold, "buildingId": building, "premisesId": premises,
                       "installedOn": "2026-11-01", "initialReading": "1", "meteringPointId": point } })
    };
    let create_meter = "mutation($i: MeterInput!) { createMeter(input: $i) { id meteringPointId meteringPointName } }";
    for (vars, rule) in [
        (meter("ЛЧ-1", &office, &hot_point), "обліковує іншу послугу"),
        (meter("ЛЧ-1", &other, &cold_point), "точкою обліку договору"),
    ] {
        let r = app.gql_lang("uk", create_meter, vars).await;
        assert_eq!(
            r["errors"][0]["extensions"]["field"], "meteringPointId",
            "{r}"
        );
        assert!(
            r["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains(rule)),
            "{r}"
        );
    }
    let r = app
        .gql(create_meter, meter("ЛЧ-1", &office, &cold_point))
        .await;
    let created = &r["data"]["createMeter"];
    assert_eq!(created["meteringPointName"], "Ввід 1", "{r}");
    let id = created["id"].clone();
    let audit = crate::helpers::sql_text(
        &app,
        &format!(
            "SELECT after ->> 'meteringPointName' FROM {{s}}.audit_log WHERE entity = 'meter' AND entity_id = '{id}' AND action = 'create'"
        ),
    )
    .await;
    assert_eq!(audit, "Ввід 1");
    // The Meters list shows it too (a column of its own, and in the XLSX export).
    let r = app
        .gql(
            "{ meters(search: \"ЛЧ-1\") { items { serial meteringPointName } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        r["data"]["meters"]["items"],
        json!([{ "serial": "ЛЧ-1", "meteringPointName": "Ввід 1" }]),
        "{r}"
    );

    // The point removed from the contract: the meter stays, standing on none.
    let remove = format!("mutation($id: Int!) {{ removeMeteringPoint(id: $id) {CARD} }}");
    let r = app.gql(&remove, json!({ "id": cold_point })).await;
    assert!(r["errors"].is_null(), "{r}");
    let r = app
        .gql(
            "query($id: Int!) { meter(id: $id) { serial meteringPointId } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        r["data"]["meter"],
        json!({ "serial": "ЛЧ-1", "meteringPointId": null }),
        "{r}"
    );
}
