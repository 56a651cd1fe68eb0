//! Subscribers, opening accounts in premises, residents.

use serde_json::{Value, json};

use crate::helpers::TestApp;

async fn premises_id(app: &TestApp) -> i64 {
    let add = "mutation { addAddress(input: { locality: \"Ірпінь\", street: \"Садова\", building: \"3\", apartmentsFrom: 1, apartmentsTo: 4 }) { buildingId } }";
    let r = app.gql(add, json!({})).await;
    let b = r["data"]["addAddress"]["buildingId"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"));
    let card = app
        .gql(
            "query($id: Int!) { building(id: $id) { premises { id number } } }",
            json!({ "id": b }),
        )
        .await;
    card["data"]["building"]["premises"][1]["id"]
        .as_i64()
        .unwrap_or_default()
}

async fn subscriber_id(app: &TestApp) -> i64 {
    let q = "mutation { createSubscriber(input: { lastName: \"Коваль\", firstName: \"Ірина\", middleName: \"Петрівна\", taxId: \"3012345678\" }) { id displayName } }";
    let r = app.gql(q, json!({})).await;
    assert_eq!(
        r["data"]["createSubscriber"]["displayName"], "Коваль Ірина Петрівна",
        "{r}"
    );
    r["data"]["createSubscriber"]["id"]
        .as_i64()
        .unwrap_or_default()
}

const OPEN: &str = "mutation($i: OpenAccountInput!) { openAccount(input: $i) { account { id number holderName address residents } status openedOn subscriber { displayName } } }";

#[tokio::test]
async fn an_account_is_opened_for_a_subscriber_in_premises() {
    let app = TestApp::spawn().await;
    let (p, s) = (premises_id(&app).await, subscriber_id(&app).await);
    let r = app
        .gql(
            OPEN,
            json!({ "i": { "subscriberId": s, "premisesId": p, "openedOn": "2026-11-01" } }),
        )
        .await;
    let card = &r["data"]["openAccount"];
    // The demo's largest number is 100008: the next one follows it.
    assert_eq!(card["account"]["number"], "100009", "{r}");
    assert_eq!(card["account"]["holderName"], "Коваль Ірина Петрівна");
    assert_eq!(card["account"]["address"], "Ірпінь, Садова, 3, кв. 2");
    assert_eq!(card["status"], "approved");
    let again = app.gql(OPEN, json!({ "i": { "number": "100009", "subscriberId": s, "premisesId": p, "openedOn": "2026-11-01" } })).await;
    assert_eq!(
        again["errors"][0]["extensions"]["code"], "CONFLICT",
        "{again}"
    );
    let bad = app
        .gql(
            OPEN,
            json!({ "i": { "subscriberId": s, "premisesId": 999999, "openedOn": "2026-11-01" } }),
        )
        .await;
    assert_eq!(
        bad["errors"][0]["extensions"]["field"], "premisesId",
        "{bad}"
    );
    let found = app
        .gql(
            "{ accounts(search: \"Коваль\") { total items { number } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        found["data"]["accounts"]["items"][0]["number"], "100009",
        "{found}"
    );
}

#[tokio::test]
async fn residents_have_periods_and_the_account_counts_who_lives_there() {
    let app = TestApp::spawn().await;
    let (p, s) = (premises_id(&app).await, subscriber_id(&app).await);
    let r = app
        .gql(
            OPEN,
            json!({ "i": { "subscriberId": s, "premisesId": p, "openedOn": "2026-01-01" } }),
        )
        .await;
    let id = r["data"]["openAccount"]["account"]["id"]
        .as_i64()
        .unwrap_or_default();
    let add = "mutation($a: Int!, $i: ResidentInput!) { addResident(accountId: $a, input: $i) { account { residents } residents { fullName livingTo } } }";
    let living = json!({ "fullName": "Коваль Ірина Петрівна", "registeredFrom": "2020-05-01", "livingFrom": "2020-05-01" });
    let r = app.gql(add, json!({ "a": id, "i": living })).await;
    assert_eq!(r["data"]["addResident"]["account"]["residents"], 1, "{r}");
    let moved_out =
        json!({ "fullName": "Коваль Олег", "livingFrom": "2020-05-01", "livingTo": "2024-08-31" });
    let r = app.gql(add, json!({ "a": id, "i": moved_out })).await;
    assert_eq!(
        r["data"]["addResident"]["account"]["residents"], 1,
        "moved out: not counted: {r}"
    );
    assert_eq!(
        r["data"]["addResident"]["residents"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    let backwards =
        json!({ "fullName": "X", "livingFrom": "2025-05-01", "livingTo": "2024-01-01" });
    let r = app.gql(add, json!({ "a": id, "i": backwards })).await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "livingTo", "{r}");
}

#[tokio::test]
async fn a_branch_limited_user_does_not_see_other_branches_accounts() {
    let app = TestApp::spawn().await;
    let login = format!("{}.br1", app.tenant);
    let create = "mutation($l: String!) { createUser(input: { login: $l, displayName: \"Філія 1\", password: \"Філія-2026-перша\", roles: [\"operator\"], branchIds: [1] }) { id } }";
    app.gql(create, json!({ "l": login })).await;
    let token = app.login(&login, "Філія-2026-перша").await;
    let all = app
        .gql(
            "{ accounts(limit: 100) { items { id branch } } }",
            json!({}),
        )
        .await;
    let items = all["data"]["accounts"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let other: Vec<&Value> = items.iter().filter(|a| a["branch"] == "Бровари").collect();
    let theirs = other[0]["id"].as_i64().unwrap_or_default();
    let r = app
        .gql_as(
            Some(&token),
            "query($id: Int!) { account(id: $id) { account { number } } }",
            json!({ "id": theirs }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "NOT_FOUND", "{r}");
}

#[tokio::test]
async fn a_new_subscriber_is_created_with_the_account_or_not_at_all() {
    let app = TestApp::spawn().await;
    let p = premises_id(&app).await;
    let new = json!({ "lastName": "Бондар", "firstName": "Марта" });
    let failed = app.gql(OPEN, json!({ "i": { "newSubscriber": new, "premisesId": 999999, "openedOn": "2026-11-01" } })).await;
    assert_eq!(
        failed["errors"][0]["extensions"]["field"], "premisesId",
        "{failed}"
    );
    let none = app
        .gql("{ subscribers(search: \"Бондар\") { id } }", json!({}))
        .await;
    assert_eq!(
        none["data"]["subscribers"],
        json!([]),
        "no half-written subscriber: {none}"
    );
    let ok = app
        .gql(
            OPEN,
            json!({ "i": { "newSubscriber": new, "premisesId": p, "openedOn": "2026-11-01" } }),
        )
        .await;
    assert_eq!(
        ok["data"]["openAccount"]["subscriber"]["displayName"], "Бондар Марта",
        "{ok}"
    );
    let both = app
        .gql(
            OPEN,
            json!({ "i": { "premisesId": p, "openedOn": "2026-11-01" } }),
        )
        .await;
    assert_eq!(
        both["errors"][0]["extensions"]["field"], "subscriberId",
        "{both}"
    );
}

#[tokio::test]
async fn a_building_limited_user_sees_only_the_accounts_of_their_buildings() {
    let app = TestApp::spawn().await;
    let (p, s) = (premises_id(&app).await, subscriber_id(&app).await);
    let opened = app
        .gql(
            OPEN,
            json!({ "i": { "subscriberId": s, "premisesId": p, "openedOn": "2026-11-01" } }),
        )
        .await;
    let own = opened["data"]["openAccount"]["account"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{opened}"));
    let building = app
        .gql(
            "query($s: String!) { buildings(search: $s) { items { id } } }",
            json!({ "s": "Садова" }),
        )
        .await;
    let b = building["data"]["buildings"]["items"][0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{building}"));

    let create = "mutation($l: String!, $br: [Int!]!, $bl: [Int!]!) { createUser(input: { login: $l, displayName: \"Двірник\", password: \"Будинок-2026-сад\", roles: [\"operator\"], branchIds: $br, buildingIds: $bl }) { buildingIds } }";
    let only = format!("{}.house", app.tenant);
    let r = app
        .gql(create, json!({ "l": only, "br": [], "bl": [b] }))
        .await;
    assert_eq!(r["data"]["createUser"]["buildingIds"], json!([b]), "{r}");
    let token = app.login(&only, "Будинок-2026-сад").await;
    let seen = app
        .gql_as(
            Some(&token),
            "{ accounts { total items { id address } } summary { accounts } }",
            json!({}),
        )
        .await;
    assert_eq!(seen["data"]["accounts"]["total"], 1, "{seen}");
    assert_eq!(seen["data"]["accounts"]["items"][0]["id"], own, "{seen}");
    assert_eq!(seen["data"]["summary"]["accounts"], 1, "{seen}");
    let card = "query($id: Int!) { account(id: $id) { account { number } } }";
    let mine = app.gql_as(Some(&token), card, json!({ "id": own })).await;
    assert!(mine["errors"].is_null(), "{mine}");
    let demo = app
        .gql("{ accounts(limit: 1) { items { id } } }", json!({}))
        .await;
    let foreign = demo["data"]["accounts"]["items"][0]["id"].clone();
    let theirs = app
        .gql_as(Some(&token), card, json!({ "id": foreign }))
        .await;
    assert_eq!(
        theirs["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{theirs}"
    );

    // Buildings, too, are limited; a new building outside the reach is refused.
    let houses = app
        .gql_as(Some(&token), "{ buildings { total } }", json!({}))
        .await;
    assert_eq!(houses["data"]["buildings"]["total"], 1, "{houses}");
    let add = "mutation { addAddress(input: { locality: \"Ірпінь\", street: \"Лісова\", building: \"9\" }) { buildingId } }";
    let refused = app.gql_as(Some(&token), add, json!({})).await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{refused}"
    );
    let all = app.gql("{ buildings { total } }", json!({})).await;
    assert_eq!(
        all["data"]["buildings"]["total"], 1,
        "nothing half-written: {all}"
    );

    // Branches and buildings add up: branch 2 (three demo accounts) plus the house.
    let both = format!("{}.both", app.tenant);
    app.gql(create, json!({ "l": both, "br": [2], "bl": [b] }))
        .await;
    let token = app.login(&both, "Будинок-2026-сад").await;
    let seen = app
        .gql_as(Some(&token), "{ accounts { total } }", json!({}))
        .await;
    assert_eq!(seen["data"]["accounts"]["total"], 4, "{seen}");

    let bad = app
        .gql(
            create,
            json!({ "l": format!("{}.none", app.tenant), "br": [], "bl": [999_999] }),
        )
        .await;
    assert_eq!(
        bad["errors"][0]["extensions"]["field"], "buildingIds",
        "{bad}"
    );

    // A branch in someone's scope cannot be deleted (even one no account uses): the
    // emptied scope would mean "the whole tenant".
    let new = app
        .gql(
            "mutation { createReferenceItem(book: BRANCHES, input: { code: \"z9\", name: \"Нова\" }) { id } }",
            json!({}),
        )
        .await;
    let z = new["data"]["createReferenceItem"]["id"].clone();
    let only_z = format!("{}.z", app.tenant);
    app.gql(create, json!({ "l": only_z, "br": [z], "bl": [] }))
        .await;
    let del = app
        .gql(
            "mutation($id: Int!) { deleteReferenceItem(book: BRANCHES, id: $id) }",
            json!({ "id": z }),
        )
        .await;
    assert_eq!(del["errors"][0]["extensions"]["code"], "CONFLICT", "{del}");
}

#[tokio::test]
async fn a_resident_is_corrected_or_removed_and_the_count_follows() {
    let app = TestApp::spawn().await;
    let (p, s) = (premises_id(&app).await, subscriber_id(&app).await);
    let r = app
        .gql(
            OPEN,
            json!({ "i": { "subscriberId": s, "premisesId": p, "openedOn": "2026-01-01" } }),
        )
        .await;
    let id = r["data"]["openAccount"]["account"]["id"]
        .as_i64()
        .unwrap_or_default();
    let add = "mutation($a: Int!, $i: ResidentInput!) { addResident(accountId: $a, input: $i) { residents { id } } }";
    for name in ["Коваль Ірина", "Коваль Олег"] {
        app.gql(
            add,
            json!({ "a": id, "i": { "fullName": name, "livingFrom": "2020-05-01" } }),
        )
        .await;
    }
    let card = app
        .gql("query($id: Int!) { account(id: $id) { account { residents } residents { id fullName } } }", json!({ "id": id }))
        .await;
    assert_eq!(card["data"]["account"]["account"]["residents"], 2, "{card}");
    let oleg = card["data"]["account"]["residents"][1]["id"].clone();
    let ira = card["data"]["account"]["residents"][0]["id"].clone();

    // Oleg moved out: the count drops; the record stays with its period.
    let update = "mutation($id: Int!, $i: ResidentInput!) { updateResident(id: $id, input: $i) { account { residents } residents { fullName livingTo } } }";
    let r = app
        .gql(update, json!({ "id": oleg, "i": { "fullName": "Коваль Олег Іванович", "livingFrom": "2020-05-01", "livingTo": "2026-03-31" } }))
        .await;
    assert_eq!(
        r["data"]["updateResident"]["account"]["residents"], 1,
        "{r}"
    );
    assert_eq!(
        r["data"]["updateResident"]["residents"][1]["livingTo"], "2026-03-31",
        "{r}"
    );
    let bad = app
        .gql(
            update,
            json!({ "id": oleg, "i": { "fullName": "", "livingFrom": "2020-05-01" } }),
        )
        .await;
    assert_eq!(bad["errors"][0]["extensions"]["field"], "fullName", "{bad}");

    // A resident holding a benefit stays until the benefit goes.
    let benefit = app
        .gql(
            "{ referenceBook(book: BENEFITS) { items { id } } }",
            json!({}),
        )
        .await["data"]["referenceBook"]["items"][0]["id"]
        .clone();
    let grant = "mutation($a: Int!, $i: BeneficiaryInput!) { addBeneficiary(accountId: $a, input: $i) { beneficiaries { id } } }";
    let g = app
        .gql(grant, json!({ "a": id, "i": { "residentId": ira, "benefitId": benefit, "startsOn": "2026-01-01" } }))
        .await;
    assert!(g["errors"].is_null(), "{g}");
    let remove = "mutation($id: Int!) { removeResident(id: $id) { account { residents } residents { id } } }";
    let r = app.gql(remove, json!({ "id": ira })).await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "CONFLICT", "{r}");
    let r = app.gql(remove, json!({ "id": oleg })).await;
    assert_eq!(
        r["data"]["removeResident"]["residents"],
        json!([{ "id": ira }]),
        "{r}"
    );
}
