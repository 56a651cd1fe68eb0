//! Reference books: list, add, edit, delete; codes unique; rows in use stay.

use serde_json::json;

use crate::helpers::{PASSWORD, TestApp};

const CREATE: &str = "mutation($b: Book!, $i: ItemInput!) { createReferenceItem(book: $b, input: $i) { id code name active extra } }";
const UPDATE: &str = "mutation($b: Book!, $id: Int!, $i: ItemInput!) { updateReferenceItem(book: $b, id: $id, input: $i) { id name extra } }";
const DELETE: &str = "mutation($b: Book!, $id: Int!) { deleteReferenceItem(book: $b, id: $id) }";
const LIST: &str = "query($b: Book!, $s: String) { referenceBook(book: $b, search: $s) { total items { id code name extra } } }";

#[tokio::test]
async fn a_book_row_is_added_edited_and_deleted_with_its_history() {
    let app = TestApp::spawn().await;
    let input = json!({ "code": "305299", "name": "ПриватБанк", "extra": { "taxId": "14360570", "iban": "UA213223130000026007233566001" } });
    let r = app.gql(CREATE, json!({ "b": "BANKS", "i": input })).await;
    assert_eq!(
        r["data"]["createReferenceItem"]["extra"]["taxId"], "14360570",
        "{r}"
    );
    let id = r["data"]["createReferenceItem"]["id"]
        .as_i64()
        .unwrap_or_default();

    let again = app.gql(CREATE, json!({ "b": "BANKS", "i": input })).await;
    assert_eq!(
        again["errors"][0]["extensions"]["code"], "CONFLICT",
        "{again}"
    );

    let edit =
        json!({ "code": "305299", "name": "АТ КБ «ПриватБанк»", "extra": { "taxId": "14360570" } });
    let r = app
        .gql(UPDATE, json!({ "b": "BANKS", "id": id, "i": edit }))
        .await;
    assert_eq!(
        r["data"]["updateReferenceItem"]["name"], "АТ КБ «ПриватБанк»",
        "{r}"
    );
    assert!(
        r["data"]["updateReferenceItem"]["extra"]["iban"].is_null(),
        "cleared: {r}"
    );

    let found = app.gql(LIST, json!({ "b": "BANKS", "s": "приват" })).await;
    assert_eq!(found["data"]["referenceBook"]["total"], 1, "{found}");

    let r = app.gql(DELETE, json!({ "b": "BANKS", "id": id })).await;
    assert_eq!(r["data"]["deleteReferenceItem"], true, "{r}");
    let gone = app.gql(LIST, json!({ "b": "BANKS", "s": null })).await;
    assert_eq!(gone["data"]["referenceBook"]["total"], 0, "{gone}");

    let log = app
        .gql("query($id: String) { auditLog(filter: { entity: \"banks\", entityId: $id }) { items { action } } }", json!({ "id": id.to_string() }))
        .await;
    let actions: Vec<String> = log["data"]["auditLog"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|i| i["action"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(actions, ["delete", "update", "create"], "{log}");
}

#[tokio::test]
async fn rows_in_use_cannot_be_deleted() {
    let app = TestApp::spawn().await;
    let branches = app
        .gql(LIST, json!({ "b": "BRANCHES", "s": "Бровари" }))
        .await;
    let id = branches["data"]["referenceBook"]["items"][0]["id"]
        .as_i64()
        .unwrap_or_default();
    let r = app.gql(DELETE, json!({ "b": "BRANCHES", "id": id })).await;
    assert_eq!(
        r["errors"][0]["extensions"]["code"], "CONFLICT",
        "accounts use it: {r}"
    );
    let still = app
        .gql(LIST, json!({ "b": "BRANCHES", "s": "Бровари" }))
        .await;
    assert_eq!(still["data"]["referenceBook"]["total"], 1);
}

#[tokio::test]
async fn fields_are_checked_by_the_books_rules() {
    let app = TestApp::spawn().await;
    let bad_choice = json!({ "code": "x", "name": "X", "extra": { "channel": "pigeon" } });
    let r = app
        .gql(CREATE, json!({ "b": "PAYMENT_TYPES", "i": bad_choice }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "channel", "{r}");
    let unknown = json!({ "code": "x", "name": "X", "extra": { "colour": "red" } });
    let r = app
        .gql(CREATE, json!({ "b": "JOURNALS", "i": unknown }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "colour", "{r}");
    let blank = json!({ "code": " ", "name": "X" });
    let r = app
        .gql(CREATE, json!({ "b": "JOURNALS", "i": blank }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "code", "{r}");
    let ok = json!({ "code": "007", "name": "Петренко Петро", "extra": { "position": "Контролер", "isController": true } });
    let r = app.gql(CREATE, json!({ "b": "EMPLOYEES", "i": ok })).await;
    assert_eq!(
        r["data"]["createReferenceItem"]["extra"]["isController"], true,
        "{r}"
    );
    // Viewers read books but do not change them.
    let viewer = app.login(&format!("{}.viewer", app.tenant), PASSWORD).await;
    let r = app
        .gql_as(
            Some(&viewer),
            LIST,
            json!({ "b": "RECALCULATION_REASONS", "s": null }),
        )
        .await;
    // The six recalculation reasons of seed 002 Table 1, "Storno" and "Correction"; an
    // unsatisfactory temperature applies to hot water and heating alone.
    assert_eq!(r["data"]["referenceBook"]["total"], 8, "{r}");
    let temperature = r["data"]["referenceBook"]["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["code"] == "temperature"))
        .map(|i| i["extra"]["services"].as_array().map_or(0, Vec::len));
    assert_eq!(temperature, Some(2), "{r}");
    let r = app
        .gql_as(
            Some(&viewer),
            CREATE,
            json!({ "b": "JOURNALS", "i": { "code": "j", "name": "J" } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "FORBIDDEN", "{r}");
}

/// The id of the row with `code` in `book`.
async fn id_of(app: &TestApp, book: &str, code: &str) -> i64 {
    let r = app.gql(LIST, json!({ "b": book, "s": code })).await;
    r["data"]["referenceBook"]["items"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["code"] == code))
        .and_then(|i| i["id"].as_i64())
        .unwrap_or_else(|| panic!("no {code} in {book}: {r}"))
}

#[tokio::test]
async fn services_point_at_units_and_benefits_at_the_services_they_cover() {
    let app = TestApp::spawn().await;
    let m3 = id_of(&app, "UNITS", "m3").await;
    let cw = json!({ "code": "cw", "name": "Холодна вода", "extra": { "unit": m3, "method": "metered", "priority": 1 } });
    let r = app.gql(CREATE, json!({ "b": "SERVICES", "i": cw })).await;
    let service = &r["data"]["createReferenceItem"];
    assert_eq!(service["extra"]["unit"], m3, "{r}");
    assert_eq!(service["extra"]["subMethod"], "main", "the default: {r}");
    assert_eq!(service["extra"]["benefitRule"], "social_norm", "{r}");
    let cw_id = service["id"].as_i64().unwrap_or_default();

    // Wrong values name the field and the rule.
    let cases = [
        (
            json!({ "unit": 999_999 }),
            "unit",
            "there is no such record",
        ),
        (json!({ "method": "guess" }), "method", "must be one of"),
        (
            json!({ "priority": "first" }),
            "priority",
            "must be a whole number",
        ),
        (
            json!({ "priority": 0 }),
            "priority",
            "must be from 1 to 999",
        ),
    ];
    for (extra, field, rule) in cases {
        let bad = json!({ "code": "x", "name": "x", "extra": extra });
        let r = app.gql(CREATE, json!({ "b": "SERVICES", "i": bad })).await;
        assert_eq!(r["errors"][0]["extensions"]["field"], field, "{r}");
        let msg = r["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(msg.contains(rule), "{field}: {msg}");
    }

    // A common-house service names its base service and the limit of one share.
    let odn = json!({ "code": "odn", "name": "ХВП на ОДН", "extra": { "unit": m3, "method": "common_house",
        "priority": 2, "baseService": cw_id, "commonLimit": "0.0300" } });
    let r = app.gql(CREATE, json!({ "b": "SERVICES", "i": odn })).await;
    let odn = &r["data"]["createReferenceItem"];
    assert_eq!(odn["extra"]["baseService"], cw_id, "{r}");
    assert_eq!(odn["extra"]["commonLimit"], "0.0300", "{r}");
    let odn_id = odn["id"].as_i64().unwrap_or_default();
    let negative = json!({ "code": "odn2", "name": "x", "extra": { "commonLimit": "-1" } });
    let r = app
        .gql(CREATE, json!({ "b": "SERVICES", "i": negative }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "commonLimit", "{r}");

    let season = json!({ "code": "heat26", "name": "Опалювальний 2026/27", "extra": { "startsOn": "2026-10-15", "endsOn": "2026-04-15" } });
    let r = app
        .gql(CREATE, json!({ "b": "SEASONS", "i": season }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "endsOn", "{r}");
    let yearly = json!({ "code": "heat", "name": "Опалювальний", "extra": { "startsOn": "2025-10-15", "endsOn": "2026-04-15", "yearly": true } });
    let r = app
        .gql(CREATE, json!({ "b": "SEASONS", "i": yearly }))
        .await;
    assert_eq!(
        r["data"]["createReferenceItem"]["extra"]["yearly"], true,
        "{r}"
    );

    // A decimal keeps its digits; the covered services are a list of ids.
    let benefit = json!({ "code": "vet", "name": "Ветеран праці", "extra": { "percent": "33.33", "family": true, "services": [cw_id] } });
    let r = app
        .gql(CREATE, json!({ "b": "BENEFITS", "i": benefit }))
        .await;
    let b = &r["data"]["createReferenceItem"];
    assert_eq!(b["extra"]["percent"], "33.33", "{r}");
    assert_eq!(b["extra"]["services"], json!([cw_id]), "{r}");
    let over = json!({ "code": "x", "name": "x", "extra": { "percent": "100.5" } });
    let r = app.gql(CREATE, json!({ "b": "BENEFITS", "i": over })).await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "percent", "{r}");

    // A service a benefit covers, or a unit a service uses, stays.
    for (book, id) in [("SERVICES", cw_id), ("UNITS", m3)] {
        let r = app.gql(DELETE, json!({ "b": book, "id": id })).await;
        assert_eq!(r["errors"][0]["extensions"]["code"], "CONFLICT", "{r}");
    }
    // Without the links (the benefit's, the common-house service's), the service can go.
    let r = app
        .gql(DELETE, json!({ "b": "SERVICES", "id": odn_id }))
        .await;
    assert_eq!(r["data"]["deleteReferenceItem"], true, "{r}");
    let bid = b["id"].as_i64().unwrap_or_default();
    let unlinked = json!({ "code": "vet", "name": "Ветеран праці", "extra": { "percent": "33.33", "services": [] } });
    app.gql(UPDATE, json!({ "b": "BENEFITS", "id": bid, "i": unlinked }))
        .await;
    let r = app
        .gql(DELETE, json!({ "b": "SERVICES", "id": cw_id }))
        .await;
    assert_eq!(r["data"]["deleteReferenceItem"], true, "{r}");

    // The form learns where a reference points and what it may hold.
    let f = app
        .gql(
            "{ referenceBookFields(book: METER_MODELS) { name kind target options { code } } }",
            json!({}),
        )
        .await;
    let fields = f["data"]["referenceBookFields"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let ty = fields
        .iter()
        .find(|x| x["name"] == "meterType")
        .cloned()
        .unwrap_or_default();
    assert_eq!(ty["kind"], "REFERENCE", "{f}");
    assert_eq!(ty["target"], "METER_TYPES", "{f}");
    assert_eq!(
        ty["options"].as_array().map(Vec::len),
        Some(4),
        "seeded meter types: {f}"
    );
}
