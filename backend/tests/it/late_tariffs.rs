//! Tariffs "before / after the 20th": a premises (or building) names a price list for
//! invoices not paid by the due day; the month after a late one charges the difference as
//! a recalculation with its step, and an invoice paid on time costs nothing more.

use chrono::Datelike;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::acts::id_of;
use crate::helpers::{TestApp, sql, sql_text};

#[tokio::test]
async fn an_invoice_paid_after_the_due_day_is_charged_the_late_price_lists_difference() {
    let app = TestApp::spawn().await;
    let (open, prev) = crate::payments::periods();
    let (_, premises, account, _) = crate::meters::setup(&app).await;
    let (xvs, utr) = (
        id_of(&app, "SERVICES", "xvs").await,
        id_of(&app, "SERVICES", "utr").await,
    );
    // Last month: 10 m³ of cold water at 30.00 and upkeep 100.00 — 400.00 to pay.
    sql(&app, &format!(
        "INSERT INTO \"{{s}}\".invoices (account_id, period, formed_at, opening, charged, recalculation, benefit, subsidy, penalty, paid, closing) \
           VALUES ({account}, DATE '{prev}', now(), 0, 400, 0, 0, 0, 0, 0, 400); \
         INSERT INTO \"{{s}}\".invoice_lines (period, account_id, service_id, method, quantity, tariff, opening, charged, \
                recalculation, benefit, subsidy, penalty, paid, closing, steps) \
           SELECT DATE '{prev}', {account}, s.id, s.method, x.q, x.t, 0, x.q * x.t, 0, 0, 0, 0, 0, x.q * x.t, '[]' \
           FROM \"{{s}}\".services s JOIN (VALUES ({xvs}, 10, 30), ({utr}, 1, 100)) AS x(id, q, t) ON x.id = s.id; \
         INSERT INTO \"{{s}}\".price_lists (code, name) VALUES ('late33', 'Після 20 числа'); \
         INSERT INTO \"{{s}}\".tariffs (price_list_id, service_id, valid_from, price) \
           SELECT p.id, x.id, DATE '2020-01-01', x.price FROM \"{{s}}\".price_lists p, \
                  (VALUES ({xvs}, 33.00), ({utr}, 100.00)) AS x(id, price) WHERE p.code = 'late33'"
    ))
    .await;
    let late: i64 = sql_text(
        &app,
        "SELECT id::text FROM \"{s}\".price_lists WHERE code = 'late33'",
    )
    .await
    .parse()
    .unwrap_or_default();

    // The premises card names the list; a list that does not exist is refused by field.
    let update = "mutation($id: Int!, $i: PremisesInput!) { updatePremises(id: $id, input: $i) { premises { id latePriceListId } } }";
    let r = app
        .gql(
            update,
            json!({ "id": premises, "i": { "stoveType": "gas", "latePriceListId": 999999 } }),
        )
        .await;
    assert_eq!(
        r["errors"][0]["extensions"]["field"], "latePriceListId",
        "{r}"
    );
    let r = app
        .gql(
            update,
            json!({ "id": premises, "i": { "stoveType": "gas", "latePriceListId": late } }),
        )
        .await;
    let card = r["data"]["updatePremises"]["premises"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["id"] == json!(premises)).cloned())
        .unwrap_or_default();
    assert_eq!(card["latePriceListId"], json!(late), "{r}");
    let audited = sql_text(
        &app,
        &format!(
            "SELECT after ->> 'latePriceListId' FROM \"{{s}}\".audit_log \
             WHERE entity = 'premises' AND entity_id = '{premises}' ORDER BY id DESC LIMIT 1"
        ),
    )
    .await;
    assert_eq!(audited, late.to_string());

    // The printed invoice of last month says what it costs after the due day: 400.00 +
    // 10 × 3.00.
    let doc = app.invoice_document(account, prev).await;
    assert_eq!(
        (doc.closing.as_str(), doc.to_pay_late.as_deref()),
        ("400.00", Some("430.00")),
        "{doc:?}"
    );

    // The month calculated on a given day (the calculation's clock is its input).
    let this = domain::Period::containing(open).unwrap_or_else(|e| panic!("{e:?}"));
    let due = open.with_day(20).unwrap_or(open);
    let noon = |d: chrono::NaiveDate| d.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc();
    let app = &app;
    let cold_water = |on: chrono::NaiveDate| async move {
        billing::run::calculate(
            &app.state.db,
            &app.tenant,
            this,
            billing::run::Scope::Account(account),
            &access::auth::Reach::default(),
            None,
            noon(on),
            |_, _, _| async { Ok(()) },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let r = app
            .gql(
                "query($a: Int!, $p: String!) { invoiceLines(accountId: $a, period: $p) { serviceId recalculation steps } }",
                json!({ "a": account, "p": open.format("%Y-%m").to_string() }),
            )
            .await;
        r["data"]["invoiceLines"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|l| l["serviceId"] == json!(xvs) || l["serviceId"] == json!(utr))
            .map(|l| (l["serviceId"].as_i64().unwrap_or_default(), l))
            .collect::<std::collections::HashMap<i64, Value>>()
    };
    let money = |v: &Value| -> Decimal { v.as_str().unwrap_or("0").parse().unwrap_or_default() };

    // On the due day itself the subscriber may still pay on time: nothing is charged yet.
    let lines = cold_water(due).await;
    assert_eq!(
        money(&lines[&xvs]["recalculation"]),
        Decimal::ZERO,
        "{lines:?}"
    );
    // The day after, nothing having come: cold water owes 10 × (33.00 − 30.00); upkeep,
    // at the same price on both lists, nothing.
    let after = due.succ_opt().unwrap_or(due);
    let lines = cold_water(after).await;
    assert_eq!(
        money(&lines[&xvs]["recalculation"]),
        Decimal::new(3000, 2),
        "{lines:?}"
    );
    assert_eq!(
        money(&lines[&utr]["recalculation"]),
        Decimal::ZERO,
        "{lines:?}"
    );
    let step = lines[&xvs]["steps"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["kind"] == "late_tariff").cloned())
        .unwrap_or_else(|| panic!("no late_tariff step: {lines:?}"));
    let args: Vec<String> = serde_json::from_value(step["args"].clone()).unwrap_or_default();
    assert_eq!(
        args,
        [
            prev.format("%Y").to_string(),
            prev.format("%-m").to_string(),
            "10".into(),
            "33".into(),
            "30".into()
        ],
        "{step}"
    );

    // Paid in full on the first of this month, before the due day: no difference.
    let day = open.to_string();
    let r = app
        .gql(
            "mutation($i: PaymentInput!) { createPayment(input: $i) { payment { id } } }",
            json!({ "i": { "accountId": account, "amount": "400", "kind": "CASH_DESK", "paidOn": day, "receivedOn": day } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let lines = cold_water(after).await;
    assert_eq!(
        money(&lines[&xvs]["recalculation"]),
        Decimal::ZERO,
        "{lines:?}"
    );
    assert!(
        !lines[&xvs]["steps"]
            .as_array()
            .is_some_and(|s| s.iter().any(|s| s["kind"] == "late_tariff")),
        "{lines:?}"
    );
}
