//! Beneficiaries with the residents a benefit extends to; subsidies per service and
//! period; opening balances per service.

use serde_json::{Value, json};

use crate::helpers::TestApp;

const CARD: &str = "query($id: Int!) { account(id: $id) { residents { id } beneficiaries { id benefitName endsOn members { residentId endsOn } } subsidies { id period amount used } openingBalances { period amount } } }";
const ADD: &str = "mutation($a: Int!, $i: BeneficiaryInput!) { addBeneficiary(accountId: $a, input: $i) { beneficiaries { id members { residentId endsOn } } } }";
const END: &str = "mutation($id: Int!, $e: NaiveDate) { endBeneficiary(id: $id, endsOn: $e) { beneficiaries { endsOn members { endsOn } } } }";
const SUBSIDY: &str = "mutation($a: Int!, $s: Int!, $p: String!, $m: String!) { setSubsidy(accountId: $a, serviceId: $s, period: $p, amount: $m) { subsidies { id period amount used } } }";
const BALANCE: &str = "mutation($a: Int!, $s: Int!, $p: String!, $m: String!) { setOpeningBalance(accountId: $a, serviceId: $s, period: $p, amount: $m) { openingBalances { period amount } } }";

async fn benefit(app: &TestApp, code: &str, family: bool) -> i64 {
    let r = app
        .gql(
            "mutation($i: ItemInput!) { createReferenceItem(book: BENEFITS, input: $i) { id } }",
            json!({ "i": { "code": code, "name": format!("Пільга {code}"), "extra": { "percent": "50", "family": family } } }),
        )
        .await;
    r["data"]["createReferenceItem"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"))
}

/// The first two demo accounts' ids (the first has two residents).
async fn accounts(app: &TestApp) -> (i64, i64) {
    let r = app
        .gql("{ accounts(limit: 2) { items { id } } }", json!({}))
        .await;
    let id = |i: usize| {
        r["data"]["accounts"]["items"][i]["id"]
            .as_i64()
            .unwrap_or_default()
    };
    (id(0), id(1))
}

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .map(|a| a.iter().filter_map(|x| x["id"].as_i64()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_benefit_extends_to_family_and_its_end_ends_theirs() {
    let app = TestApp::spawn().await;
    let (acc, other) = accounts(&app).await;
    let family = benefit(&app, "vet", true).await;
    let personal = benefit(&app, "solo", false).await;
    let card = app.gql(CARD, json!({ "id": acc })).await;
    let residents = ids(&card["data"]["account"]["residents"]);
    assert_eq!(residents.len(), 2, "{card}");
    let (holder, member) = (residents[0], residents[1]);

    let input = json!({ "residentId": holder, "benefitId": family, "startsOn": "2026-01-01", "document": "посвідчення АБ 123456", "memberIds": [member] });
    let r = app.gql(ADD, json!({ "a": acc, "i": input })).await;
    let b = &r["data"]["addBeneficiary"]["beneficiaries"][0];
    assert_eq!(
        b["members"],
        json!([{ "residentId": member, "endsOn": null }]),
        "{r}"
    );
    let id = b["id"].clone();

    // Ending the benefit ends it for the family member too.
    let r = app.gql(END, json!({ "id": id, "e": "2026-06-30" })).await;
    assert_eq!(
        r["data"]["endBeneficiary"]["beneficiaries"][0],
        json!({ "endsOn": "2026-06-30", "members": [{ "endsOn": "2026-06-30" }] }),
        "{r}"
    );
    let r = app.gql(END, json!({ "id": id, "e": "2025-12-31" })).await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "endsOn", "{r}");

    // A personal benefit extends to no one; a resident of another account is refused.
    let r = app
        .gql(ADD, json!({ "a": acc, "i": { "residentId": holder, "benefitId": personal, "startsOn": "2026-01-01", "memberIds": [member] } }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "memberIds", "{r}");
    let foreign = ids(&app.gql(CARD, json!({ "id": other })).await["data"]["account"]["residents"]);
    let r = app
        .gql(ADD, json!({ "a": acc, "i": { "residentId": foreign[0], "benefitId": personal, "startsOn": "2026-01-01" } }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "residentId", "{r}");

    let r = app
        .gql(
            "mutation($id: Int!) { removeBeneficiary(id: $id) { beneficiaries { id } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        r["data"]["removeBeneficiary"]["beneficiaries"],
        json!([]),
        "{r}"
    );
    let actions = app.audit_actions("beneficiary", None).await;
    assert_eq!(actions, ["delete", "update", "create"], "audit");
}

#[tokio::test]
async fn subsidies_stay_once_an_invoice_uses_them_and_balances_open_per_service() {
    let app = TestApp::spawn().await;
    let (acc, _) = accounts(&app).await;
    let svc = app
        .gql(
            "{ referenceBook(book: SERVICES, search: \"xvs\") { items { id } } }",
            json!({}),
        )
        .await["data"]["referenceBook"]["items"][0]["id"]
        .as_i64()
        .unwrap_or_default();

    let r = app
        .gql(
            SUBSIDY,
            json!({ "a": acc, "s": svc, "p": "2026-11", "m": "120,50" }),
        )
        .await;
    assert_eq!(
        r["data"]["setSubsidy"]["subsidies"][0]["amount"], "120.50",
        "{r}"
    );
    let r = app
        .gql(
            SUBSIDY,
            json!({ "a": acc, "s": svc, "p": "2026-11", "m": "130" }),
        )
        .await;
    let subs = &r["data"]["setSubsidy"]["subsidies"];
    assert_eq!(
        subs.as_array().map(Vec::len),
        Some(1),
        "replaced, not added: {r}"
    );
    for (p, m, field) in [
        ("2026-13", "1", "period"),
        ("2026-11", "-5", "amount"),
        ("2026-11", "1.005", "amount"),
    ] {
        let bad = app
            .gql(SUBSIDY, json!({ "a": acc, "s": svc, "p": p, "m": m }))
            .await;
        assert_eq!(bad["errors"][0]["extensions"]["field"], field, "{bad}");
    }

    // Once an invoice uses it (invoices come with billing: mark it as the engine will).
    let sql = format!(
        "UPDATE {}.subsidies SET invoice_id = 1",
        app.tenant.schema()
    );
    sea_orm::ConnectionTrait::execute_unprepared(&app.state.owner_db, &sql)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let id = subs[0]["id"].clone();
    let del = app
        .gql(
            "mutation($id: Int!) { deleteSubsidy(id: $id) { subsidies { id } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(del["errors"][0]["extensions"]["code"], "CONFLICT", "{del}");
    let change = app
        .gql(
            SUBSIDY,
            json!({ "a": acc, "s": svc, "p": "2026-11", "m": "1" }),
        )
        .await;
    assert_eq!(
        change["errors"][0]["extensions"]["code"], "CONFLICT",
        "{change}"
    );

    let r = app
        .gql(
            BALANCE,
            json!({ "a": acc, "s": svc, "p": "2026-01", "m": "-25,10" }),
        )
        .await;
    assert_eq!(
        r["data"]["setOpeningBalance"]["openingBalances"],
        json!([{ "period": "2026-01", "amount": "-25.10" }]),
        "{r}"
    );
    let r = app
        .gql(
            BALANCE,
            json!({ "a": acc, "s": svc, "p": "2026-01", "m": "" }),
        )
        .await;
    assert_eq!(
        r["data"]["setOpeningBalance"]["openingBalances"],
        json!([]),
        "{r}"
    );
}

#[tokio::test]
async fn a_debt_restructuring_schedule_adds_up_and_one_agreement_is_active() {
    let app = TestApp::spawn().await;
    let (acc, other) = accounts(&app).await;
    let add = "mutation($a: Int!, $i: RestructuringInput!) { addRestructuring(accountId: $a, input: $i) { restructurings { id status debt instalments { period amount } } } }";
    let terms = json!({ "number": "Р-1", "signedOn": "2026-11-20", "debt": "1 000,00", "months": 3, "firstPeriod": "2026-12" });
    let r = app.gql(add, json!({ "a": acc, "i": terms })).await;
    let agreement = &r["data"]["addRestructuring"]["restructurings"][0];
    assert_eq!(
        agreement["instalments"],
        json!([{ "period": "2026-12", "amount": "333.33" }, { "period": "2027-01", "amount": "333.33" }, { "period": "2027-02", "amount": "333.34" }]),
        "{r}"
    );
    let id = agreement["id"].clone();

    let second = json!({ "number": "Р-2", "signedOn": "2026-11-21", "debt": "10", "months": 2, "firstPeriod": "2026-12" });
    let r = app.gql(add, json!({ "a": acc, "i": second })).await;
    assert_eq!(
        r["errors"][0]["extensions"]["code"], "CONFLICT",
        "one active agreement: {r}"
    );
    let r = app.gql(add, json!({ "a": other, "i": terms })).await;
    assert_eq!(
        r["errors"][0]["extensions"]["code"], "CONFLICT",
        "numbers are unique: {r}"
    );
    for (debt, months, field) in [
        ("0", 3, "debt"),
        ("100", 0, "months"),
        ("0.02", 3, "months"),
    ] {
        let bad = json!({ "number": "Р-9", "signedOn": "2026-11-21", "debt": debt, "months": months, "firstPeriod": "2026-12" });
        let r = app.gql(add, json!({ "a": other, "i": bad })).await;
        assert_eq!(r["errors"][0]["extensions"]["field"], field, "{r}");
    }

    let cancel =
        "mutation($id: Int!) { cancelRestructuring(id: $id) { restructurings { status } } }";
    let r = app.gql(cancel, json!({ "id": id })).await;
    assert_eq!(
        r["data"]["cancelRestructuring"]["restructurings"][0]["status"], "cancelled",
        "{r}"
    );
    let r = app.gql(add, json!({ "a": acc, "i": second })).await;
    assert!(r["errors"].is_null(), "a new one after cancelling: {r}");
}
