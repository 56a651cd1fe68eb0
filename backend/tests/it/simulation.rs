//! The billing simulation: the same engine over the same inputs as the calculation, so a
//! period calculated and left alone simulates to no difference at all; a tariff changed
//! afterwards shows on that service's lines only, by the amounts the engine gives, while
//! the issued invoices stay as they were.

use std::time::Duration;

use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::helpers::{TestApp, download_sheet, sql, sql_number, sql_text};

const CALC: &str = "mutation($i: CalculationInput!) { calculatePeriod(input: $i) { id } }";
const SIM: &str = "mutation($i: CalculationInput!) { simulatePeriod(input: $i) { id } }";

async fn run(app: &TestApp, op: &str, field: &str, input: Value) -> (String, Value) {
    let r = app.gql(op, json!({ "i": input })).await;
    let id = r["data"][field]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let job = app.wait_job(&id, Duration::from_secs(120)).await;
    assert_eq!(job["state"], "DONE", "{job}");
    (id, job["result"].clone())
}

fn dec(v: &Value) -> Decimal {
    v.as_str()
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("not a decimal: {v}"))
}

#[tokio::test]
async fn a_simulation_of_an_unchanged_period_finds_nothing_and_a_new_tariff_only_its_service() {
    let app = TestApp::spawn().await;
    tools::generator::generate(
        &app.state,
        &app.tenant,
        tools::generator::Size {
            accounts: 200,
            seed: 11,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let worker = app.start_worker(app.state.clone(), "sim-1");
    run(&app, CALC, "calculatePeriod", json!({ "scope": "TENANT" })).await;
    let fingerprint = "SELECT md5(string_agg(account_id || ':' || service_id || ':' || closing || ':' || steps::text, ',' \
                       ORDER BY account_id, service_id)) FROM \"{s}\".invoice_lines";
    let issued = sql_text(&app, fingerprint).await;

    // Unchanged: every line compared, none differs.
    let (_, same) = run(&app, SIM, "simulatePeriod", json!({ "scope": "TENANT" })).await;
    let open = "(SELECT max(month) FROM \"{s}\".periods WHERE state = 'open')";
    let invoices = sql_number(
        &app,
        &format!("SELECT count(*) FROM \"{{s}}\".invoices WHERE period = {open}"),
    )
    .await;
    let lines = sql_number(
        &app,
        &format!("SELECT count(*) FROM \"{{s}}\".invoice_lines WHERE period = {open}"),
    )
    .await;
    assert_eq!(same["accounts"], invoices, "{same}");
    assert_eq!(same["lines"], lines, "{same}");
    assert_eq!(same["differingLines"], 0, "{same}");
    assert_eq!(same["differingAccounts"], 0, "{same}");
    assert_eq!(dec(&same["difference"]), Decimal::ZERO, "{same}");
    assert_eq!(same["largest"], json!([]), "{same}");

    // Cold water costs 1.00 more from the period's first day: only its lines differ.
    sql(
        &app,
        "UPDATE \"{s}\".tariffs SET price = price + 1 WHERE service_id = (SELECT id FROM \"{s}\".services WHERE code = 'xvs')",
    )
    .await;
    let xvs = sql_number(
        &app,
        "SELECT id::bigint FROM \"{s}\".services WHERE code = 'xvs'",
    )
    .await;
    let (job, changed) = run(&app, SIM, "simulatePeriod", json!({ "scope": "TENANT" })).await;
    let by_service = changed["byService"].as_array().cloned().unwrap_or_default();
    assert_eq!(by_service.len(), 1, "{changed}");
    assert_eq!(by_service[0]["serviceId"], xvs, "{changed}");
    assert!(
        changed["differingLines"].as_i64().unwrap_or_default() > 0,
        "{changed}"
    );
    assert!(
        dec(&changed["difference"]) > Decimal::ZERO,
        "dearer: {changed}"
    );
    let largest = changed["largest"].as_array().cloned().unwrap_or_default();
    assert!(!largest.is_empty() && largest.len() <= 100, "{changed}");
    for d in &largest {
        assert_eq!(
            dec(&d["closing"]) - dec(&d["issuedClosing"]),
            dec(&d["difference"]),
            "{d}"
        );
        assert!(dec(&d["charged"]) > dec(&d["issuedCharged"]), "{d}");
        assert!(
            d["steps"].is_array() && d["issuedSteps"].is_array(),
            "both explained: {d}"
        );
    }
    // Largest first.
    let sizes: Vec<Decimal> = largest
        .iter()
        .map(|d| dec(&d["difference"]).abs())
        .collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
    // Nothing was written; the spreadsheet has both sheets' rows.
    assert_eq!(sql_text(&app, fingerprint).await, issued);
    let sheet = download_sheet(&app, &job).await;
    assert_eq!(sheet.len(), 2, "header and cold water: {sheet:?}");
    worker.stop().await;
}
