//! Legal entities with contracts (each with its own account) and metering points.

use serde_json::json;

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
