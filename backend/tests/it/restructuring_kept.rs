//! A debt restructuring agreement as the register and the printed invoice show it: what
//! the payments brought to it, how far behind it is, and what the month's invoice asks
//! under it — the same standing the account card shows.

use std::time::Duration;

use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::helpers::{TestApp, download_pdf_text, sql};

#[tokio::test]
async fn an_agreement_is_kept_in_the_register_and_asked_on_the_invoice() {
    let app = TestApp::spawn().await;
    let (open, prev) = crate::payments::periods();
    let (_, _, account, _) = crate::meters::setup(&app).await;
    let number = app.account_number(account).await;
    // Last month's bill: 400.
    crate::payments::invoice(&app, &number, prev).await;
    // An agreement from last month: four instalments of 100.
    let today = chrono::Utc::now().date_naive();
    sql(&app, &format!(
        "INSERT INTO \"{{s}}\".restructurings (account_id, number, signed_on, debt, months, first_period) \
           VALUES ({account}, 'Р-5', DATE '{today}', 400, 4, DATE '{prev}'); \
         INSERT INTO \"{{s}}\".restructuring_instalments (restructuring_id, period, amount) \
           SELECT r.id, (DATE '{prev}' + make_interval(months => g))::date, 100 \
           FROM \"{{s}}\".restructurings r, generate_series(0, 3) g WHERE r.number = 'Р-5'"
    ))
    .await;
    // This month's 450 pays last month's bill of 400 first; 50 goes to the agreement.
    let day = open.to_string();
    let r = app
        .gql(
            "mutation($i: PaymentInput!) { createPayment(input: $i) { payment { id } } }",
            json!({ "i": { "accountId": account, "amount": "450", "kind": "CASH_DESK", "paidOn": day, "receivedOn": day } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");

    // The register: last month's 100 missed, this month's 50 brought; the working
    // month's own instalment is not missed yet, so 100 − 50 behind.
    let r = crate::reports::report(
        &app,
        json!({ "kind": "RESTRUCTURINGS", "from": today.to_string(), "to": today.to_string() }),
    )
    .await;
    let keys: Vec<&str> = r["columns"]
        .as_array()
        .map(|c| c.iter().filter_map(|c| c["key"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(&keys[10..], ["brought", "behind"], "{r}");
    let row: Vec<String> = serde_json::from_value(r["rows"][0].clone()).unwrap_or_default();
    assert_eq!(
        (row[0].as_str(), row[10].as_str(), row[11].as_str()),
        ("Р-5", "50.00", "50.00"),
        "{r}"
    );
    assert_eq!(
        (&r["totals"][10], &r["totals"][11]),
        (&json!("50.00"), &json!("50.00")),
        "{r}"
    );
    // The card says the same.
    let card = app
        .gql(
            "query($id: Int!) { account(id: $id) { restructurings { instalments { paid behind } } } }",
            json!({ "id": account }),
        )
        .await;
    assert_eq!(
        card["data"]["account"]["restructurings"][0]["instalments"][1],
        json!({ "paid": "50.00", "behind": "50.00" }),
        "{card}"
    );

    // This month's invoice, paid next month: its charges for services, next month's
    // instalment of 100 and the 150 the schedule is behind by at this month's end.
    let r = app
        .gql(
            "mutation($a: Int!) { formInvoice(accountId: $a) { penalty } }",
            json!({ "a": account }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let inv = app
        .gql(
            "query($a: Int!) { accountInvoices(accountId: $a) { period charged recalculation benefit subsidy closing } }",
            json!({ "a": account }),
        )
        .await;
    let invoice = inv["data"]["accountInvoices"][0].clone();
    assert_eq!(invoice["period"], json!(day), "{inv}");
    let d = |v: &Value| -> Decimal { v.as_str().unwrap_or("0").parse().unwrap_or_default() };
    let current = d(&invoice["charged"]) + d(&invoice["recalculation"])
        - d(&invoice["benefit"])
        - d(&invoice["subsidy"]);
    let mut due = (current.max(Decimal::ZERO) + Decimal::from(250))
        .min(d(&invoice["closing"]).max(Decimal::ZERO));
    due.rescale(2);
    let worker = app.start_worker(app.state.clone(), "agreement-invoice");
    let r = app
        .gql(
            "mutation($a: Int) { renderInvoices(input: {scope: ACCOUNT, id: $a}) { id } }",
            json!({ "a": account }),
        )
        .await;
    let job = r["data"]["renderInvoices"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let done = app.wait_job(&job, Duration::from_secs(60)).await;
    assert_eq!(done["state"], "DONE", "{done}");
    let text = download_pdf_text(&app, &job).await;
    let next = open
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(open)
        .format("%Y-%m")
        .to_string();
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle} not in: {text}"))
    };
    // Each label is followed by its amount.
    let after = |label: &str, amount: &str| {
        let from = at(label) + label.len();
        assert!(
            text[from..].trim_start().starts_with(amount),
            "{label} is not followed by {amount}: {text}"
        );
    };
    at("Договір реструктуризації боргу № Р-5");
    after(&format!("Внесок за {next}:"), "100.00");
    after("Відставання від графіка:", "150.00");
    after("До сплати цього місяця за договором:", &due.to_string());
    worker.stop().await;
}
