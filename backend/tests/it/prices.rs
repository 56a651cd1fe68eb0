//! Price lists with dated tariffs (components), the tariff in force for premises, norms
//! and the penalty rate table.

use serde_json::{Value, json};

use crate::helpers::TestApp;

const CREATE: &str =
    "mutation($b: Book!, $i: ItemInput!) { createReferenceItem(book: $b, input: $i) { id } }";
const SET_TARIFF: &str = "mutation($i: TariffInput!) { setTariff(input: $i) { id price validFrom components { name price } } }";
const IN_FORCE: &str = "query($p: Int!, $s: Int!, $on: NaiveDate!) { tariffInForce(premisesId: $p, serviceId: $s, on: $on) { priceListName fromPremises tariff { price validFrom } } }";

async fn create(app: &TestApp, book: &str, input: Value) -> i64 {
    let r = app.gql(CREATE, json!({ "b": book, "i": input })).await;
    r["data"]["createReferenceItem"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"))
}

#[tokio::test]
async fn the_tariff_in_force_comes_from_the_apartment_else_the_building() {
    let app = TestApp::spawn().await;
    let cw = create(
        &app,
        "SERVICES",
        json!({ "code": "cw", "name": "Холодна вода" }),
    )
    .await;
    let base = create(
        &app,
        "PRICE_LISTS",
        json!({ "code": "t_base", "name": "Тестовий базовий" }),
    )
    .await;
    let special = create(
        &app,
        "PRICE_LISTS",
        json!({ "code": "pilot", "name": "Пілотний" }),
    )
    .await;

    // A tariff of two components costs their sum.
    let r = app
        .gql(
            SET_TARIFF,
            json!({ "i": { "priceListId": base, "serviceId": cw, "validFrom": "2026-01-01",
                "components": [{ "name": "Водопостачання", "price": "18.4210" }, { "name": "Водовідведення", "price": "12.9870" }] } }),
        )
        .await;
    assert_eq!(r["data"]["setTariff"]["price"], "31.408", "{r}");
    assert_eq!(
        r["data"]["setTariff"]["components"][1]["name"], "Водовідведення",
        "{r}"
    );
    // A price that disagrees with its components is refused, naming the sum.
    let r = app
        .gql(
            SET_TARIFF,
            json!({ "i": { "priceListId": base, "serviceId": cw, "validFrom": "2026-01-01", "price": "31.40",
                "components": [{ "name": "a", "price": "18.4210" }, { "name": "b", "price": "12.9870" }] } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "price", "{r}");
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("31.408"),
        "{r}"
    );
    // Entering the same date again replaces; a later date starts a new price.
    for (from, price) in [
        ("2026-07-01", "30.00"),
        ("2026-07-01", "32.10"),
        ("2026-12-01", "35.00"),
    ] {
        let r = app
            .gql(SET_TARIFF, json!({ "i": { "priceListId": base, "serviceId": cw, "validFrom": from, "price": price } }))
            .await;
        assert!(r["errors"].is_null(), "{r}");
    }
    let list = app
        .gql(
            "query($l: Int!) { tariffs(priceListId: $l) { validFrom price } }",
            json!({ "l": base }),
        )
        .await;
    assert_eq!(
        list["data"]["tariffs"],
        json!([{ "validFrom": "2026-12-01", "price": "35" }, { "validFrom": "2026-07-01", "price": "32.1" }, { "validFrom": "2026-01-01", "price": "31.408" }]),
        "{list}"
    );

    let add = "mutation { addAddress(input: { locality: \"Ірпінь\", street: \"Садова\", building: \"5\", apartmentsFrom: 1, apartmentsTo: 2 }) { buildingId } }";
    let b = app.gql(add, json!({})).await["data"]["addAddress"]["buildingId"].clone();
    let card = app
        .gql(
            "query($id: Int!) { building(id: $id) { premises { id } } }",
            json!({ "id": b }),
        )
        .await;
    let flat = card["data"]["building"]["premises"][0]["id"]
        .as_i64()
        .unwrap_or_default();

    let on = |day: &str| json!({ "p": flat, "s": cw, "on": day });
    let none = app.gql(IN_FORCE, on("2026-11-01")).await;
    assert!(
        none["data"]["tariffInForce"].is_null(),
        "no price list yet: {none}"
    );

    let set = "mutation($b: Int, $p: Int, $l: Int) { setPriceList(buildingId: $b, premisesId: $p, priceListId: $l) }";
    let r = app.gql(set, json!({ "b": b, "l": base })).await;
    assert_eq!(r["data"]["setPriceList"], true, "{r}");
    let t = app.gql(IN_FORCE, on("2026-11-01")).await;
    assert_eq!(
        t["data"]["tariffInForce"],
        json!({ "priceListName": "Тестовий базовий", "fromPremises": false, "tariff": { "price": "32.1", "validFrom": "2026-07-01" } }),
        "{t}"
    );
    let t = app.gql(IN_FORCE, on("2026-12-01")).await;
    assert_eq!(t["data"]["tariffInForce"]["tariff"]["price"], "35", "{t}");

    // The apartment's own list wins over the building's.
    app.gql(SET_TARIFF, json!({ "i": { "priceListId": special, "serviceId": cw, "validFrom": "2026-10-01", "price": "20" } }))
        .await;
    app.gql(set, json!({ "p": flat, "l": special })).await;
    let t = app.gql(IN_FORCE, on("2026-11-01")).await;
    assert_eq!(t["data"]["tariffInForce"]["fromPremises"], true, "{t}");
    assert_eq!(t["data"]["tariffInForce"]["tariff"]["price"], "20", "{t}");

    // A price list in use stays; its history is in the change log.
    let del = app
        .gql(
            "mutation($id: Int!) { deleteReferenceItem(book: PRICE_LISTS, id: $id) }",
            json!({ "id": base }),
        )
        .await;
    assert_eq!(del["errors"][0]["extensions"]["code"], "CONFLICT", "{del}");
    let log = app
        .gql(
            "{ auditLog(filter: { entity: \"tariff\" }) { total items { action } } }",
            json!({}),
        )
        .await;
    assert_eq!(log["data"]["auditLog"]["total"], 5, "{log}");
}

#[tokio::test]
async fn norms_and_penalty_rates_are_dated_and_checked() {
    let app = TestApp::spawn().await;
    let cw = create(
        &app,
        "SERVICES",
        json!({ "code": "cw", "name": "Холодна вода" }),
    )
    .await;
    let set = "mutation($i: NormInput!) { setNorm(input: $i) { id kind basis quantity } }";
    for (kind, q) in [
        ("CONSUMPTION", "3.5"),
        ("SOCIAL", "2.4"),
        ("CONSUMPTION", "3.6"),
    ] {
        let r = app
            .gql(set, json!({ "i": { "serviceId": cw, "kind": kind, "validFrom": "2026-01-01", "quantity": q } }))
            .await;
        assert!(r["errors"].is_null(), "{r}");
    }
    let norms = app
        .gql(
            "query($s: Int) { norms(serviceId: $s) { kind basis quantity } }",
            json!({ "s": cw }),
        )
        .await;
    assert_eq!(
        norms["data"]["norms"],
        json!([{ "kind": "CONSUMPTION", "basis": "PERSON", "quantity": "3.6" }, { "kind": "SOCIAL", "basis": "PERSON", "quantity": "2.4" }]),
        "{norms}"
    );
    let bad = app
        .gql(set, json!({ "i": { "serviceId": cw, "kind": "SOCIAL", "validFrom": "2026-01-01", "quantity": "-1" } }))
        .await;
    assert_eq!(bad["errors"][0]["extensions"]["field"], "quantity", "{bad}");
    // A mistyped number names its field too (a decimal comma is fine).
    let bad = app
        .gql(set, json!({ "i": { "serviceId": cw, "kind": "SOCIAL", "validFrom": "2026-02-01", "quantity": "багато" } }))
        .await;
    assert_eq!(bad["errors"][0]["extensions"]["field"], "quantity", "{bad}");
    let comma = app
        .gql(set, json!({ "i": { "serviceId": cw, "kind": "SOCIAL", "validFrom": "2026-02-01", "quantity": "2,5" } }))
        .await;
    assert_eq!(comma["data"]["setNorm"]["quantity"], "2.5", "{comma}");
    let bad = app
        .gql(set, json!({ "i": { "serviceId": 999999, "kind": "SOCIAL", "validFrom": "2026-01-01", "quantity": "1" } }))
        .await;
    assert_eq!(
        bad["errors"][0]["extensions"]["field"], "serviceId",
        "{bad}"
    );

    let rate = "mutation($d: NaiveDate!, $r: String!) { setPenaltyRate(validFrom: $d, rate: $r) { validFrom rate } }";
    for (d, r) in [("2026-01-30", "15.5"), ("2026-07-24", "13.5")] {
        let x = app.gql(rate, json!({ "d": d, "r": r })).await;
        assert!(x["errors"].is_null(), "{x}");
    }
    let bad = app
        .gql(rate, json!({ "d": "2026-09-01", "r": "150" }))
        .await;
    assert_eq!(bad["errors"][0]["extensions"]["field"], "rate", "{bad}");
    let table = app
        .gql("{ penaltyRates { validFrom rate } }", json!({}))
        .await;
    assert_eq!(
        table["data"]["penaltyRates"],
        json!([{ "validFrom": "2026-07-24", "rate": "13.5" }, { "validFrom": "2026-01-30", "rate": "15.5" }, { "validFrom": "2026-01-01", "rate": "15.5" }]),
        "{table}"
    );
    let del = app
        .gql(
            "mutation { deletePenaltyRate(validFrom: \"2026-07-24\") }",
            json!({}),
        )
        .await;
    assert_eq!(del["data"]["deletePenaltyRate"], true, "{del}");
}
