//! Where an account is kept (issue 22, seed 001 §4.3): its type is a record of the
//! account-types book (one in use is not deleted; a legal entity's type not given to an
//! individual's account), and ticked accounts move between journals, the list filtering
//! by either.

use serde_json::{Value, json};

use crate::helpers::{TestApp, sql_number};

const EDIT: &str = "mutation($id: Int!, $i: AccountEditInput!) { updateAccount(id: $id, input: $i) { account { typeId } } }";
const MOVE: &str = "mutation($ids: [Int!]!, $j: Int) { moveAccountsToJournal(accountIds: $ids, journalId: $j) { changed skipped { number reason } } }";
const ITEM: &str =
    "mutation($b: Book!, $i: ItemInput!) { createReferenceItem(book: $b, input: $i) { id } }";

/// Two accounts of individuals in a new building.
async fn two_accounts(app: &TestApp) -> (i64, i64) {
    let b = app
        .gql(
            "mutation { addAddress(input: { locality: \"Ірпінь\", street: \"Журнальна\", building: \"1\", apartmentsFrom: 1, apartmentsTo: 2 }) { buildingId } }",
            json!({}),
        )
        .await["data"]["addAddress"]["buildingId"]
        .clone();
    let card = app
        .gql(
            "query($id: Int!) { building(id: $id) { premises { id } } }",
            json!({ "id": b }),
        )
        .await;
    let mut ids = vec![];
    for (i, last) in ["Левченко", "Гуменюк"].into_iter().enumerate() {
        let p = card["data"]["building"]["premises"][i]["id"].clone();
        let r = app
            .gql(
                "mutation($p: Int!, $l: String!) { openAccount(input: { newSubscriber: { lastName: $l }, premisesId: $p, openedOn: \"2026-09-01\" }) { account { id } } }",
                json!({ "p": p, "l": last }),
            )
            .await;
        ids.push(
            r["data"]["openAccount"]["account"]["id"]
                .as_i64()
                .unwrap_or_else(|| panic!("{r}")),
        );
    }
    (ids[0], ids[1])
}

fn id(r: &Value) -> i64 {
    r["data"]["createReferenceItem"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"))
}

#[tokio::test]
async fn an_accounts_type_is_a_record_of_its_book() {
    let app = TestApp::spawn().await;
    let (a, _) = two_accounts(&app).await;
    let individual = sql_number(
        &app,
        "SELECT id::bigint FROM \"{s}\".account_types WHERE code = 'individual'",
    )
    .await;
    let r = app
        .gql(
            "{ accounts(search: \"Левченко\") { items { typeId } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        r["data"]["accounts"]["items"][0]["typeId"], individual,
        "{r}"
    );
    let osbb = id(&app
        .gql(
            ITEM,
            json!({ "b": "ACCOUNT_TYPES", "i": { "code": "osbb", "name": "ОСББ", "extra": { "legal": true } } }),
        )
        .await);
    let flats = id(&app
        .gql(
            ITEM,
            json!({ "b": "ACCOUNT_TYPES", "i": { "code": "kv", "name": "Квартплата" } }),
        )
        .await);
    // A legal entity's type is refused for an individual's account, naming the field.
    let r = app
        .gql(EDIT, json!({ "id": a, "i": { "typeId": osbb } }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "typeId", "{r}");
    let r = app
        .gql(EDIT, json!({ "id": a, "i": { "typeId": 999_999 } }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "typeId", "{r}");
    let r = app
        .gql(EDIT, json!({ "id": a, "i": { "typeId": flats } }))
        .await;
    assert_eq!(
        r["data"]["updateAccount"]["account"]["typeId"], flats,
        "{r}"
    );
    let audited = sql_number(
        &app,
        &format!(
            "SELECT (after->>'typeId')::bigint FROM \"{{s}}\".audit_log WHERE entity = 'account' AND entity_id = '{a}' AND action = 'update'"
        ),
    )
    .await;
    assert_eq!(audited, flats);
    // The list filters by type; a type in use stays in its book.
    let r = app
        .gql(
            "query($t: Int) { accounts(typeId: $t) { total } }",
            json!({ "t": flats }),
        )
        .await;
    assert_eq!(r["data"]["accounts"]["total"], 1, "{r}");
    let r = app
        .gql(
            "mutation($id: Int!) { deleteReferenceItem(book: ACCOUNT_TYPES, id: $id) }",
            json!({ "id": flats }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "CONFLICT", "{r}");
}

#[tokio::test]
async fn ticked_accounts_move_between_journals() {
    let app = TestApp::spawn().await;
    let (a, b) = two_accounts(&app).await;
    let journal = id(&app
        .gql(
            ITEM,
            json!({ "b": "JOURNALS", "i": { "code": "2", "name": "Приватний сектор" } }),
        )
        .await);
    let r = app.gql(MOVE, json!({ "ids": [a, b], "j": journal })).await;
    assert_eq!(r["data"]["moveAccountsToJournal"]["changed"], 2, "{r}");
    // Again: both are there already, and say so in the user's language.
    let r = app
        .gql_lang("uk", MOVE, json!({ "ids": [a], "j": journal }))
        .await;
    let m = &r["data"]["moveAccountsToJournal"];
    assert_eq!(m["changed"], 0, "{r}");
    assert_eq!(m["skipped"][0]["reason"], "вже в цьому журналі");
    let r = app
        .gql(
            "query($j: Int) { accounts(journalId: $j) { total items { journalId } } }",
            json!({ "j": journal }),
        )
        .await;
    assert_eq!(r["data"]["accounts"]["total"], 2, "{r}");
    let moves = sql_number(
        &app,
        "SELECT count(*) FROM \"{s}\".audit_log WHERE entity = 'account' AND action = 'move'",
    )
    .await;
    assert_eq!(moves, 2);
    // Out of every journal; an unknown journal is refused by field.
    let r = app.gql(MOVE, json!({ "ids": [b], "j": null })).await;
    assert_eq!(r["data"]["moveAccountsToJournal"]["changed"], 1, "{r}");
    let r = app.gql(MOVE, json!({ "ids": [a], "j": 999_999 })).await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "journalId", "{r}");
    // A user who may only view moves nothing.
    let login = format!("{}.viewerj", app.tenant);
    app.gql(
        "mutation($l: String!) { createUser(input: { login: $l, displayName: \"v\", password: \"Пароль-2026-viewerj\", roles: [\"viewer\"] }) { id } }",
        json!({ "l": login }),
    )
    .await;
    let token = app.login(&login, "Пароль-2026-viewerj").await;
    let r = app
        .gql_as(Some(&token), MOVE, json!({ "ids": [b], "j": journal }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "FORBIDDEN", "{r}");
}
