//! An account's history on the Ukrainian demo (three closed months and the payments the
//! demo seeds): every amount of its invoices' lines and every payment, newest first, adding
//! up to what the invoices and the payments say, filtered by kind, service and periods,
//! paged; bad periods refused by field.

use std::collections::BTreeMap;

use chrono::Utc;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tools::demo::Demo;

use crate::helpers::{TestApp, download_sheet, sql_number, sql_text};

const HISTORY: &str = "query($a: Int!, $from: String, $to: String, $kinds: [HistoryKind!], $s: Int, $o: Int! = 0, $l: Int! = 50) {
  accountHistory(accountId: $a, from: $from, to: $to, kinds: $kinds, serviceId: $s, offset: $o, limit: $l) {
    total sum items { kind on period serviceId service amount source document cancelled } } }";

fn dec(v: &Value) -> Decimal {
    v.as_str()
        .unwrap_or_else(|| panic!("not a decimal: {v}"))
        .parse()
        .unwrap_or_else(|e| panic!("{v}: {e}"))
}

async fn history(app: &TestApp, vars: Value) -> Value {
    let r = app.gql(HISTORY, vars).await;
    assert!(r["errors"].is_null(), "{r}");
    r["data"]["accountHistory"].clone()
}

fn items(page: &Value) -> Vec<Value> {
    page["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn an_accounts_history_adds_up_to_its_invoices_and_payments() {
    let app = TestApp::spawn_demo(Demo::Ukraine, Utc::now()).await;
    let found = app
        .gql(
            "{ accounts(search: \"100001\") { items { id number } } }",
            json!({}),
        )
        .await;
    let account = found["data"]["accounts"]["items"][0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{found}"));
    let all = history(&app, json!({ "a": account, "l": 500 })).await;
    let rows = items(&all);
    assert_eq!(all["total"].as_i64(), Some(rows.len() as i64), "{all}");
    assert!(rows.len() > 10, "three months of lines and payments: {all}");

    // Per closed month, the lines' amounts are the invoice's, each with its sign.
    let invoices = app
        .gql(
            "query($a: Int!) { accountInvoices(accountId: $a) { period charged benefit subsidy penalty recalculation } }",
            json!({ "a": account }),
        )
        .await;
    let invoices = invoices["data"]["accountInvoices"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("{invoices}"));
    assert!(invoices.len() >= 3, "{invoices:?}");
    let mut by_period: BTreeMap<(String, String), Decimal> = BTreeMap::new();
    for r in &rows {
        let key = (
            r["period"].as_str().unwrap_or_default().to_owned(),
            r["kind"].as_str().unwrap_or_default().to_owned(),
        );
        *by_period.entry(key).or_default() += dec(&r["amount"]);
    }
    for inv in &invoices {
        let p = inv["period"].as_str().unwrap_or_default().to_owned();
        let got = |kind: &str| {
            by_period
                .get(&(p.clone(), kind.to_owned()))
                .copied()
                .unwrap_or_default()
        };
        assert_eq!(got("CHARGE"), dec(&inv["charged"]), "charged {p}");
        assert_eq!(got("PENALTY"), dec(&inv["penalty"]), "penalty {p}");
        assert_eq!(got("RECALCULATION"), dec(&inv["recalculation"]), "{p}");
        assert_eq!(got("BENEFIT"), -dec(&inv["benefit"]), "benefit {p}");
        assert_eq!(got("SUBSIDY"), -dec(&inv["subsidy"]), "subsidy {p}");
    }

    // Every payment of the account once, taking from the balance, with its document.
    let payments: Vec<&Value> = rows.iter().filter(|r| r["kind"] == "PAYMENT").collect();
    let counted = sql_number(
        &app,
        &format!("SELECT count(*) FROM {{s}}.payments WHERE account_id = {account}"),
    )
    .await;
    assert!(counted > 0, "the demo pays its invoices");
    assert_eq!(payments.len() as i64, counted);
    let paid: Decimal = sql_text(
        &app,
        &format!(
            "SELECT coalesce(sum(amount), 0)::text FROM {{s}}.payments \
             WHERE account_id = {account} AND cancelled_at IS NULL"
        ),
    )
    .await
    .parse()
    .unwrap_or_else(|e| panic!("{e}"));
    let listed: Decimal = payments
        .iter()
        .filter(|p| p["cancelled"] == false)
        .map(|p| dec(&p["amount"]))
        .sum();
    assert_eq!(listed, -paid);
    assert!(
        payments.iter().all(|p| p["source"].is_string()),
        "{payments:?}"
    );

    // The sum is of what was found; newest first.
    let sum: Decimal = rows
        .iter()
        .filter(|r| r["cancelled"] == false)
        .map(|r| dec(&r["amount"]))
        .sum();
    assert_eq!(dec(&all["sum"]), sum);
    let days: Vec<&str> = rows.iter().filter_map(|r| r["on"].as_str()).collect();
    assert!(days.windows(2).all(|w| w[0] >= w[1]), "{days:?}");

    // Only payments.
    let only = history(
        &app,
        json!({ "a": account, "kinds": ["PAYMENT"], "l": 500 }),
    )
    .await;
    assert_eq!(only["total"].as_i64(), Some(counted));
    assert!(items(&only).iter().all(|r| r["kind"] == "PAYMENT"));

    // One service: its lines only, one charge per month it was charged in.
    let service = rows
        .iter()
        .find(|r| r["kind"] == "CHARGE")
        .and_then(|r| r["serviceId"].as_i64())
        .unwrap_or_else(|| panic!("{all}"));
    let one = history(&app, json!({ "a": account, "s": service, "l": 500 })).await;
    let one_rows = items(&one);
    assert!(
        one_rows
            .iter()
            .all(|r| r["serviceId"].as_i64() == Some(service))
    );
    let months = sql_number(
        &app,
        &format!(
            "SELECT count(*) FROM {{s}}.invoice_lines WHERE account_id = {account} \
             AND service_id = {service} AND charged <> 0"
        ),
    )
    .await;
    let charges = one_rows.iter().filter(|r| r["kind"] == "CHARGE").count() as i64;
    assert_eq!(charges, months);

    // One month: only what is booked in it.
    let month = invoices[1]["period"].as_str().unwrap_or_default();
    let ym = &month[..7];
    let that = history(
        &app,
        json!({ "a": account, "from": ym, "to": ym, "l": 500 }),
    )
    .await;
    assert!(!items(&that).is_empty());
    assert!(items(&that).iter().all(|r| r["period"] == month), "{that}");

    // Paging: the second row alone, with the count of all.
    let second = history(&app, json!({ "a": account, "o": 1, "l": 1 })).await;
    assert_eq!(second["total"], all["total"]);
    assert_eq!(items(&second), vec![rows[1].clone()]);

    // Periods that are not months, or the wrong way round, are refused by field.
    let bad = app
        .gql(HISTORY, json!({ "a": account, "from": "2026-13" }))
        .await;
    assert_eq!(
        bad["errors"][0]["extensions"]["code"], "VALIDATION",
        "{bad}"
    );
    assert_eq!(bad["errors"][0]["extensions"]["field"], "from", "{bad}");
    let reversed = app
        .gql(
            HISTORY,
            json!({ "a": account, "from": "2026-10", "to": "2026-09" }),
        )
        .await;
    assert_eq!(
        reversed["errors"][0]["extensions"]["field"], "to",
        "{reversed}"
    );

    // The payments found export to XLSX as on screen, in the export's language.
    let worker = app.start_worker(app.state.clone(), "history-export");
    let r = app
        .gql(
            "mutation($a: Int!) { requestListExport(input: { list: ACCOUNT_HISTORY, accountId: $a, history: { kinds: [PAYMENT] }, lang: \"uk\" }) { id } }",
            json!({ "a": account }),
        )
        .await;
    let id = r["data"]["requestListExport"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let job = app.wait_job(&id, std::time::Duration::from_secs(60)).await;
    assert_eq!(job["result"]["rows"], counted, "{job}");
    let sheet = download_sheet(&app, &id).await;
    assert_eq!(sheet[0][1], "Операція", "{sheet:?}");
    assert_eq!(sheet.len() as i64, counted + 1, "{sheet:?}");
    assert!(sheet[1..].iter().all(|r| r[1] == "Оплата"), "{sheet:?}");
    let exported: Decimal = sheet[1..]
        .iter()
        .filter(|r| r[6].is_empty())
        .map(|r| {
            r[3].parse::<Decimal>()
                .unwrap_or_else(|e| panic!("{r:?}: {e}"))
        })
        .sum();
    assert_eq!(exported, -paid, "{sheet:?}");
    // The filter is checked when asked, by field.
    let r = app
        .gql(
            "mutation($a: Int!) { requestListExport(input: { list: ACCOUNT_HISTORY, accountId: $a, history: { from: \"2026-13\" } }) { id } }",
            json!({ "a": account }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "from", "{r}");
    worker.stop().await;
}
