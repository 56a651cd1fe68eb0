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
    assert_eq!(r["data"]["referenceBook"]["total"], 4, "{r}");
    let r = app
        .gql_as(
            Some(&viewer),
            CREATE,
            json!({ "b": "JOURNALS", "i": { "code": "j", "name": "J" } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "FORBIDDEN", "{r}");
}
