//! The enterprise card (seed 001 §2.2): saved whole with its bank accounts from the banks
//! book, the main one becoming the invoices' requisites; audited; refused naming the
//! field with nothing half-written; a bank in use stays in the book; a viewer cannot save.

use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp};

const CREATE_BANK: &str =
    "mutation($i: ItemInput!) { createReferenceItem(book: BANKS, input: $i) { id } }";
const SAVE: &str = "mutation($i: EnterpriseInput!) { updateEnterprise(input: $i) { legalName taxCode directorName bankAccounts { bankName bankCode account kind main } } }";
const CARD: &str = "{ enterprise { legalName taxCode legalAddress postalAddress ownershipForm directorName directorTaxId accountantName bankAccounts { bankId account main } } invoiceSettings { legalName taxCode address bankName account bic } }";

async fn bank(app: &TestApp, code: &str, name: &str) -> i64 {
    let r = app
        .gql(
            CREATE_BANK,
            json!({ "i": { "code": code, "name": name, "extra": {} } }),
        )
        .await;
    r["data"]["createReferenceItem"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"))
}

fn card(accounts: Value) -> Value {
    json!({
        "legalName": "КП «Броварський водоканал»",
        "taxCode": "03346058",
        "legalAddress": "Бровари, вул. Незалежності, 1",
        "postalAddress": "07400, Бровари, а/с 12",
        "ownershipForm": "комунальна",
        "directorName": "Петренко Петро Петрович",
        "directorTaxId": "2345678901",
        "accountantName": "Іваненко Ірина Іванівна",
        "bankAccounts": accounts,
    })
}

fn field(r: &Value) -> (Option<&str>, Option<&str>) {
    (
        r["errors"][0]["extensions"]["code"].as_str(),
        r["errors"][0]["extensions"]["field"].as_str(),
    )
}

#[tokio::test]
async fn the_card_is_saved_whole_and_its_main_account_goes_on_the_invoices() {
    let app = TestApp::spawn().await;
    let privat = bank(&app, "305299", "АТ КБ «ПриватБанк»").await;
    let oshad = bank(&app, "300465", "АТ «Ощадбанк»").await;
    let accounts = json!([
        { "bankId": privat, "bankAccount": "UA21 3223 1300 0002 6007 2335 6600 1", "kind": "deposit" },
        { "bankId": oshad, "bankAccount": "UA903052992990004149123456789", "main": true },
    ]);
    let r = app.gql(SAVE, json!({ "i": card(accounts.clone()) })).await;
    assert!(r["errors"].is_null(), "{r}");
    let saved = &r["data"]["updateEnterprise"];
    assert_eq!(saved["directorName"], "Петренко Петро Петрович");
    assert_eq!(
        saved["bankAccounts"],
        json!([
            { "bankName": "АТ «Ощадбанк»", "bankCode": "300465", "account": "UA903052992990004149123456789", "kind": "current", "main": true },
            { "bankName": "АТ КБ «ПриватБанк»", "bankCode": "305299", "account": "UA213223130000026007233566001", "kind": "deposit", "main": false },
        ]),
        "the main account first, numbers kept without spaces"
    );
    let read = app.gql(CARD, json!({})).await;
    assert_eq!(
        read["data"]["invoiceSettings"],
        json!({ "legalName": "КП «Броварський водоканал»", "taxCode": "03346058",
                "address": "Бровари, вул. Незалежності, 1", "bankName": "АТ «Ощадбанк»",
                "account": "UA903052992990004149123456789", "bic": "300465" }),
        "{read}"
    );
    assert_eq!(
        app.audit_actions("enterprise", None).await,
        vec!["update".to_owned()]
    );

    // A bank an account of the enterprise uses stays in the book.
    let r = app
        .gql(
            "mutation($id: Int!) { deleteReferenceItem(book: BANKS, id: $id) }",
            json!({ "id": oshad }),
        )
        .await;
    assert_eq!(field(&r).0, Some("CONFLICT"), "{r}");

    // Refusals name the field; the card stays as it was.
    let one = |account: &str| json!([{ "bankId": privat, "bankAccount": account }]);
    let good = one("UA213223130000026007233566001");
    let bad = [
        (with(&good, "taxCode", "1234"), "taxCode"),
        (with(&good, "directorTaxId", "12"), "directorTaxId"),
        (with(&good, "legalName", " "), "legalName"),
        (card(one("UA213223130000026007233566002")), "bankAccount"),
        (card(json!([])), "bankAccounts"),
        (
            card(json!([
                { "bankId": privat, "bankAccount": "UA213223130000026007233566001" },
                { "bankId": oshad, "bankAccount": "UA903052992990004149123456789" },
            ])),
            "main",
        ),
        (
            card(json!([{ "bankId": 987654, "bankAccount": "UA213223130000026007233566001" }])),
            "bankId",
        ),
        (
            card(
                json!([{ "bankId": privat, "bankAccount": "UA213223130000026007233566001", "kind": "savings" }]),
            ),
            "kind",
        ),
    ];
    for (input, name) in bad {
        let r = app.gql(SAVE, json!({ "i": input })).await;
        assert_eq!(field(&r), (Some("VALIDATION"), Some(name)), "{input}: {r}");
    }
    let again = app.gql(CARD, json!({})).await;
    assert_eq!(again, read, "nothing half-written");
    let r = app
        .gql_lang(
            "uk",
            SAVE,
            json!({ "i": card(one("UA213223130000026007233566002")) }),
        )
        .await;
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("контрольними цифрами")),
        "{r}"
    );

    // A meter reader sees no settings to change.
    let controller = app
        .login(&format!("{}.controller", app.tenant), PASSWORD)
        .await;
    let r = app
        .gql_as(Some(&controller), SAVE, json!({ "i": card(good) }))
        .await;
    assert_eq!(field(&r).0, Some("FORBIDDEN"), "{r}");
}

/// The card with one field changed.
fn with(accounts: &Value, key: &str, value: &str) -> Value {
    let mut c = card(accounts.clone());
    c[key] = json!(value);
    c
}
