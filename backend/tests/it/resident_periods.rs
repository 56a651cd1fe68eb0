//! Re-registration (seed 001 §4.3): a resident who left and came back is registered
//! again on the same row; the ended period is kept, listed on the card, audited, and still
//! counted by the calculation's loader for the months it covers; refusals name the field.

use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::helpers::{TestApp, sql_number};

const ADD: &str = "mutation($a: Int!, $i: ResidentInput!) { addResident(accountId: $a, input: $i) { residents { id fullName } } }";
const UPDATE: &str = "mutation($id: Int!, $i: ResidentInput!) { updateResident(id: $id, input: $i) { account { residents } } }";
const AGAIN: &str = "mutation($id: Int!, $i: ReregisterInput!) { reregisterResident(id: $id, input: $i) { account { residents } residents { id registeredFrom registeredTo livingFrom livingTo } residentPeriods { residentId registeredFrom registeredTo livingFrom livingTo endedBy } } }";

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// Adds a resident with the given periods; returns its id.
async fn resident(app: &TestApp, account: i64, name: &str, input: Value) -> i64 {
    let mut i = input;
    i["fullName"] = json!(name);
    let r = app.gql(ADD, json!({ "a": account, "i": i })).await;
    r["data"]["addResident"]["residents"]
        .as_array()
        .and_then(|all| all.iter().find(|x| x["fullName"] == name))
        .and_then(|x| x["id"].as_i64())
        .unwrap_or_else(|| panic!("{r}"))
}

fn refused(r: &Value) -> (Option<&str>, Option<&str>) {
    (
        r["errors"][0]["extensions"]["code"].as_str(),
        r["errors"][0]["extensions"]["field"].as_str(),
    )
}

#[tokio::test]
async fn a_returning_resident_is_registered_again_and_the_old_period_still_counts() {
    let app = TestApp::spawn().await;
    tools::generator::generate(
        &app.state,
        &app.tenant,
        tools::generator::Size {
            accounts: 3,
            seed: 31,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let account = sql_number(
        &app,
        "SELECT id FROM {s}.accounts WHERE premises_id IS NOT NULL ORDER BY id LIMIT 1",
    )
    .await;
    let building = sql_number(
        &app,
        &format!(
            "SELECT p.building_id::bigint FROM {{s}}.accounts a JOIN {{s}}.premises p ON p.id = a.premises_id WHERE a.id = {account}"
        ),
    )
    .await;
    let first = json!({ "registeredFrom": "2019-01-01", "livingFrom": "2019-01-01" });
    let petro = resident(&app, account, "Бондар Петро", first.clone()).await;
    // Still living there: a new period cannot start yet.
    let r = app
        .gql(
            AGAIN,
            json!({ "id": petro, "i": { "registeredFrom": "2024-03-01" } }),
        )
        .await;
    assert_eq!(
        refused(&r),
        (Some("VALIDATION"), Some("registeredTo")),
        "{r}"
    );
    // He left in mid-2021.
    let ended = json!({ "fullName": "Бондар Петро", "registeredFrom": "2019-01-01", "registeredTo": "2021-06-30",
                        "livingFrom": "2019-01-01", "livingTo": "2021-06-30" });
    let r = app.gql(UPDATE, json!({ "id": petro, "i": ended })).await;
    assert!(r["errors"].is_null(), "{r}");
    let count = r["data"]["updateResident"]["account"]["residents"]
        .as_i64()
        .unwrap_or_default();
    // A start not after the old end, or living before registering, is refused.
    for (input, field) in [
        (json!({ "registeredFrom": "2021-06-30" }), "registeredFrom"),
        (
            json!({ "registeredFrom": "2024-03-01", "livingFrom": "2024-02-01" }),
            "livingFrom",
        ),
    ] {
        let r = app.gql(AGAIN, json!({ "id": petro, "i": input })).await;
        assert_eq!(refused(&r), (Some("VALIDATION"), Some(field)), "{r}");
    }
    let r = app
        .gql_lang(
            "uk",
            AGAIN,
            json!({ "id": petro, "i": { "registeredFrom": "2020-01-01" } }),
        )
        .await;
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("пізніше завершення")),
        "{r}"
    );

    // Back in March 2024: one row, the new period open, the old one kept.
    let r = app
        .gql(
            AGAIN,
            json!({ "id": petro, "i": { "registeredFrom": "2024-03-01" } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let card = &r["data"]["reregisterResident"];
    assert_eq!(
        card["account"]["residents"],
        count + 1,
        "counted again: {r}"
    );
    let row = card["residents"]
        .as_array()
        .and_then(|all| all.iter().find(|x| x["id"] == petro))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        row,
        json!({ "id": petro, "registeredFrom": "2024-03-01", "registeredTo": null, "livingFrom": "2024-03-01", "livingTo": null })
    );
    assert_eq!(
        card["residentPeriods"],
        json!([{ "residentId": petro, "registeredFrom": "2019-01-01", "registeredTo": "2021-06-30",
                 "livingFrom": "2019-01-01", "livingTo": "2021-06-30", "endedBy": format!("{}.admin", app.tenant) }]),
        "{r}"
    );
    assert!(
        app.audit_actions("resident", Some(petro.to_string()))
            .await
            .contains(&"reregister".to_owned())
    );

    // The calculation's loader sees both periods: a month of 2020 (the account open then)
    // counts him by the old one, as the months since 2024 do by the new.
    crate::helpers::sql(
        &app,
        &format!("UPDATE {{s}}.accounts SET opened_on = '2018-01-01' WHERE id = {account}"),
    )
    .await;
    let txn = backend::tenancy::begin(&app.state.db, &app.tenant)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let period: domain::Period = "2020-06".parse().unwrap_or_else(|e| panic!("{e:?}"));
    let cat = billing::catalog::load(&txn, period)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let building = i32::try_from(building).unwrap_or_default();
    let inputs = billing::load::chunk(&txn, &cat, &[building])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    txn.commit().await.unwrap_or_else(|e| panic!("{e}"));
    let stays: Vec<(Option<NaiveDate>, Option<NaiveDate>)> = inputs
        .iter()
        .flat_map(|b| b.accounts.iter())
        .filter(|a| a.account_id == account)
        .flat_map(|a| a.residents.iter().map(|s| (s.from, s.to)))
        .collect();
    for stay in [
        (Some(date("2019-01-01")), Some(date("2021-06-30"))),
        (Some(date("2024-03-01")), None),
    ] {
        assert!(stays.contains(&stay), "{stay:?} among {stays:?}");
    }

    // A resident a benefit rests on comes back as a new resident instead.
    let benefit = app
        .gql(
            "{ referenceBook(book: BENEFITS) { items { id } } }",
            json!({}),
        )
        .await["data"]["referenceBook"]["items"][0]["id"]
        .clone();
    let olha = resident(
        &app,
        account,
        "Бондар Ольга",
        json!({ "livingFrom": "2019-01-01", "livingTo": "2021-06-30" }),
    )
    .await;
    let r = app
        .gql(
            "mutation($a: Int!, $i: BeneficiaryInput!) { addBeneficiary(accountId: $a, input: $i) { account { id } } }",
            json!({ "a": account, "i": { "residentId": olha, "benefitId": benefit, "startsOn": "2019-01-01", "endsOn": "2021-06-30" } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = app
        .gql(
            AGAIN,
            json!({ "id": olha, "i": { "registeredFrom": "2024-03-01" } }),
        )
        .await;
    assert_eq!(refused(&r).0, Some("CONFLICT"), "{r}");
}
