//! Addresses: "add address" with an apartment range, idempotent; buildings; dated areas.

use serde_json::json;

use crate::helpers::TestApp;

const ADD: &str = "mutation($i: AddAddressInput!) { addAddress(input: $i) { buildingId address premisesCreated premisesExisting } }";
const CARD: &str = "query($id: Int!, $on: NaiveDate) { building(id: $id, on: $on) { building { address floors entrances premisesCount } premises { id number entrance floor totalArea } } }";

fn block() -> serde_json::Value {
    json!({ "locality": "Київ", "streetKind": "avenue", "street": "Перемоги", "building": "14",
            "apartmentsFrom": 1, "apartmentsTo": 12, "entrances": 2, "floors": 3 })
}

#[tokio::test]
async fn adding_an_address_with_a_range_lays_out_the_apartments_once() {
    let app = TestApp::spawn().await;
    let r = app.gql(ADD, json!({ "i": block() })).await;
    let added = &r["data"]["addAddress"];
    assert_eq!(added["address"], "Київ, Перемоги, 14", "{r}");
    assert_eq!(added["premisesCreated"], 12);
    let id = added["buildingId"].as_i64().unwrap_or_default();

    let again = app.gql(ADD, json!({ "i": block() })).await;
    assert_eq!(
        again["data"]["addAddress"]["buildingId"], id,
        "same building: {again}"
    );
    assert_eq!(again["data"]["addAddress"]["premisesCreated"], 0);
    assert_eq!(again["data"]["addAddress"]["premisesExisting"], 12);

    let card = app.gql(CARD, json!({ "id": id })).await;
    assert_eq!(
        card["data"]["building"]["building"]["premisesCount"], 12,
        "{card}"
    );
    let premises = card["data"]["building"]["premises"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let numbers: Vec<&str> = premises
        .iter()
        .filter_map(|p| p["number"].as_str())
        .collect();
    assert_eq!(
        numbers,
        [
            "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"
        ],
        "in number order"
    );
    assert_eq!(
        (
            premises[0]["entrance"].clone(),
            premises[0]["floor"].clone()
        ),
        (json!(1), json!(1))
    );
    assert_eq!(
        (
            premises[5]["entrance"].clone(),
            premises[5]["floor"].clone()
        ),
        (json!(1), json!(3))
    );
    assert_eq!(
        (
            premises[6]["entrance"].clone(),
            premises[6]["floor"].clone()
        ),
        (json!(2), json!(1))
    );

    let found = app
        .gql(
            "{ buildings(search: \"перемоги\") { total items { address premisesCount } } }",
            json!({}),
        )
        .await;
    assert_eq!(found["data"]["buildings"]["total"], 1, "{found}");
}

#[tokio::test]
async fn a_bad_range_is_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let mut bad = block();
    bad["apartmentsTo"] = json!(0);
    let r = app.gql(ADD, json!({ "i": bad })).await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "apartmentsTo", "{r}");
    let mut half = block();
    half["apartmentsFrom"] = serde_json::Value::Null;
    let r = app.gql(ADD, json!({ "i": half })).await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "apartmentsTo", "{r}");
    let none = app.gql("{ buildings { total } }", json!({})).await;
    assert_eq!(
        none["data"]["buildings"]["total"], 0,
        "no half-written address: {none}"
    );
}

#[tokio::test]
async fn premises_areas_are_dated() {
    let app = TestApp::spawn().await;
    let r = app.gql(ADD, json!({ "i": block() })).await;
    let id = r["data"]["addAddress"]["buildingId"]
        .as_i64()
        .unwrap_or_default();
    let card = app.gql(CARD, json!({ "id": id })).await;
    let premises_id = card["data"]["building"]["premises"][0]["id"]
        .as_i64()
        .unwrap_or_default();
    let set = "mutation($p: Int!, $i: AreasInput!) { setPremisesAreas(premisesId: $p, input: $i) }";
    let r = app.gql(set, json!({ "p": premises_id, "i": { "validFrom": "2026-01-01", "totalArea": "54.3000", "livingArea": "38.1" } })).await;
    assert_eq!(r["data"]["setPremisesAreas"], true, "{r}");
    app.gql(
        set,
        json!({ "p": premises_id, "i": { "validFrom": "2026-06-01", "totalArea": "56.2" } }),
    )
    .await;
    let area_on = |on: &'static str| {
        let app = &app;
        async move {
            let c = app.gql(CARD, json!({ "id": id, "on": on })).await;
            c["data"]["building"]["premises"][0]["totalArea"].clone()
        }
    };
    assert_eq!(area_on("2025-12-31").await, serde_json::Value::Null);
    assert_eq!(area_on("2026-03-15").await, "54.3000");
    assert_eq!(area_on("2026-06-01").await, "56.2000");
    let bad = app.gql(set, json!({ "p": premises_id, "i": { "validFrom": "2026-07-01", "totalArea": "50", "livingArea": "60" } })).await;
    assert_eq!(
        bad["errors"][0]["extensions"]["field"], "livingArea",
        "{bad}"
    );
}

#[tokio::test]
async fn the_building_and_apartment_cards_are_edited_with_checks() {
    let app = TestApp::spawn().await;
    let add = "mutation { addAddress(input: { locality: \"Буча\", street: \"Вокзальна\", building: \"7\", apartmentsFrom: 1, apartmentsTo: 3 }) { buildingId } }";
    let b = app.gql(add, json!({})).await["data"]["addAddress"]["buildingId"].clone();
    let xvs = app
        .gql(
            "{ referenceBook(book: SERVICES, search: \"xvs\") { items { id } } }",
            json!({}),
        )
        .await["data"]["referenceBook"]["items"][0]["id"]
        .clone();
    let list = app
        .gql(
            "{ referenceBook(book: PRICE_LISTS) { items { id } } }",
            json!({}),
        )
        .await["data"]["referenceBook"]["items"][0]["id"]
        .clone();
    let update = "mutation($id: Int!, $i: BuildingInput!) { updateBuilding(id: $id, input: $i) { details { floors yearBuilt lifts totalArea livingArea priceListId serviceIds } } }";
    let input = json!({ "floors": 9, "entrances": 2, "yearBuilt": 1978, "lifts": 2, "totalArea": "4 120,5", "livingArea": "3600", "priceListId": list, "serviceIds": [xvs] });
    let r = app.gql(update, json!({ "id": b, "i": input })).await;
    assert_eq!(
        r["data"]["updateBuilding"]["details"],
        json!({ "floors": 9, "yearBuilt": 1978, "lifts": 2, "totalArea": "4120.5", "livingArea": "3600", "priceListId": list, "serviceIds": [xvs] }),
        "{r}"
    );
    for (bad, field) in [
        (json!({ "floors": 0 }), "floors"),
        (json!({ "yearBuilt": 1066 }), "yearBuilt"),
        (
            json!({ "totalArea": "100", "livingArea": "200" }),
            "livingArea",
        ),
        (json!({ "priceListId": 999_999 }), "priceListId"),
        (json!({ "serviceIds": [999_999] }), "serviceIds"),
    ] {
        let r = app.gql(update, json!({ "id": b, "i": bad })).await;
        assert_eq!(r["errors"][0]["extensions"]["field"], field, "{r}");
    }

    let card = app
        .gql(
            "query($id: Int!) { building(id: $id) { premises { id } } }",
            json!({ "id": b }),
        )
        .await;
    let flat = card["data"]["building"]["premises"][0]["id"].clone();
    let premises = "mutation($id: Int!, $i: PremisesInput!) { updatePremises(id: $id, input: $i) { premises { id rooms stoveType riser } } }";
    let r = app
        .gql(premises, json!({ "id": flat, "i": { "floor": 1, "entrance": 1, "riser": 2, "rooms": 3, "stoveType": "gas" } }))
        .await;
    assert_eq!(
        r["data"]["updatePremises"]["premises"][0],
        json!({ "id": flat, "rooms": 3, "stoveType": "gas", "riser": 2 }),
        "{r}"
    );
    let r = app
        .gql(
            premises,
            json!({ "id": flat, "i": { "rooms": 3, "stoveType": "wood" } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "stoveType", "{r}");
    let log = app
        .gql(
            "{ auditLog(filter: { entity: \"premises\" }) { total } }",
            json!({}),
        )
        .await;
    assert_eq!(log["data"]["auditLog"]["total"], 1, "{log}");
}
