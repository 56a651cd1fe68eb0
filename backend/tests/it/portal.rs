//! The subscriber portal: a subscriber sees their own account's balance, invoices (the PDF
//! rendered on demand), payments and meters, submits a reading (refusals by field), and
//! reaches nothing else.

use chrono::{Datelike, NaiveDate};
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, sql};
use crate::meters::setup;

#[tokio::test]
async fn a_subscriber_sees_own_invoices_and_meters_and_submits_a_reading() {
    let app = TestApp::spawn().await;
    let (b, premises, account, model) = setup(&app).await;
    let xvs = crate::readings::xvs(&app).await;
    let r = app
        .gql(
            "mutation($i: MeterInput!) { createMeter(input: $i) { id } }",
            json!({ "i": { "serial": "ХВ-77", "modelId": model, "serviceId": xvs, "buildingId": b, "premisesId": premises,
                           "installedOn": "2024-01-10", "initialReading": "10" } }),
        )
        .await;
    let meter = r["data"]["createMeter"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"));
    let t = chrono::Utc::now().date_naive();
    let open = NaiveDate::from_ymd_opt(t.year(), t.month(), 1).unwrap_or_default();
    // The demo subscriber is also given this account; it has this month's invoice.
    sql(&app, &format!(
        "INSERT INTO \"{{s}}\".subscriber_accounts (user_id, account_id) \
         SELECT DISTINCT user_id, {account} FROM \"{{s}}\".subscriber_accounts; \
         INSERT INTO \"{{s}}\".invoices (account_id, period, formed_at, opening, charged, recalculation, benefit, subsidy, penalty, paid, closing) \
         VALUES ({account}, DATE '{open}', now(), 100, 245.5, 0, 0, 0, 0, 100, 245.5); \
         INSERT INTO \"{{s}}\".invoice_lines (period, account_id, service_id, method, quantity, tariff, opening, charged, \
                recalculation, benefit, subsidy, penalty, paid, closing, steps) \
         VALUES (DATE '{open}', {account}, {xvs}, 'metered', 8.6, 28.5465, 100, 245.5, 0, 0, 0, 0, 100, 245.5, '[]'); \
         UPDATE \"{{s}}\".accounts SET balance = 245.5 WHERE id = {account}"
    ))
    .await;
    let token = app
        .login(&format!("{}.subscriber", app.tenant), PASSWORD)
        .await;
    let q = "query($a: Int!) { portalAccount(accountId: $a) { balance openPeriod account { number } \
             invoices { period charged closing } meters { id serial lastReading } payments { amount } } }";
    let r = app.gql_as(Some(&token), q, json!({ "a": account })).await;
    let p = &r["data"]["portalAccount"];
    assert_eq!(p["balance"], "245.50", "{r}");
    assert_eq!(p["invoices"][0]["closing"], "245.50", "{r}");
    assert_eq!(p["meters"][0]["serial"], "ХВ-77", "{r}");

    // The invoice's PDF is made on demand and carries the amount.
    let month = open.format("%Y-%m").to_string();
    let resp = app
        .http
        .get(format!("{}/files/invoices/{account}/{month}", app.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(resp.status().is_success(), "{}", resp.status());
    let pdf = resp.bytes().await.unwrap_or_default().to_vec();
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains("245.50"), "{text}");

    // A reading for the open period; a bad one is refused by field.
    let submit = "mutation($m: Int!, $c: String!) { submitPortalReading(meterId: $m, current: $c) { reading { current consumption } } }";
    let r = app
        .gql_as(Some(&token), submit, json!({ "m": meter, "c": "15,5" }))
        .await;
    assert_eq!(
        r["data"]["submitPortalReading"]["reading"],
        json!({ "current": "15.5", "consumption": "5.5" }),
        "{r}"
    );
    let r = app
        .gql_as(Some(&token), submit, json!({ "m": meter, "c": "abc" }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "current", "{r}");
    let r = app.gql_as(Some(&token), q, json!({ "a": account })).await;
    assert_eq!(
        r["data"]["portalAccount"]["meters"][0]["lastReading"], "15.5",
        "{r}"
    );
    let source = app
        .gql(
            "query($m: Int!) { meterReadings(meterId: $m) { source } }",
            json!({ "m": meter }),
        )
        .await;
    assert_eq!(
        source["data"]["meterReadings"][0]["source"], "portal",
        "{source}"
    );

    // A meter reader's reading of the month stands: the subscriber's does not replace it
    // (tried: a controller's 150 became the subscriber's 120).
    let r = app
        .gql(
            "mutation($i: ReadingInput!) { enterReading(input: $i) { reading { current } } }",
            json!({ "i": { "meterId": meter, "current": "150", "source": "CONTROLLER" } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = app
        .gql_as(Some(&token), submit, json!({ "m": meter, "c": "120" }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "CONFLICT", "{r}");
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("150")),
        "the message names the reading that stands: {r}"
    );
    let kept = app
        .gql(
            "query($m: Int!) { meterReadings(meterId: $m) { current source } }",
            json!({ "m": meter }),
        )
        .await;
    assert_eq!(
        kept["data"]["meterReadings"][0],
        json!({ "current": "150", "source": "controller" }),
        "{kept}"
    );

    // Nothing beyond their own accounts.
    let other = app
        .gql(
            "{ accounts(search: \"100002\") { items { id } } }",
            json!({}),
        )
        .await["data"]["accounts"]["items"][0]["id"]
        .as_i64()
        .unwrap_or_default();
    let r = app.gql_as(Some(&token), q, json!({ "a": other })).await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "NOT_FOUND", "{r}");
    let resp = app
        .http
        .get(format!("{}/files/invoices/{other}/{month}", app.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resp.status().as_u16(), 404);
    let r = app
        .gql_as(Some(&token), "{ payments { totals { count } } }", json!({}))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "FORBIDDEN", "{r}");
    let r = app
        .gql(
            "query($a: Int!) { portalAccount(accountId: $a) { balance } }",
            json!({ "a": account }),
        )
        .await;
    assert_eq!(
        r["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "the portal is for subscribers: {r}"
    );
}
