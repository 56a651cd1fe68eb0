//! Reports (docs/reports.md) through the API and their XLSX: the summary of a calculated
//! month is the month's closing summary to the kopeck, and its spreadsheet's totals are
//! the API's; debtors by the age of their debt on worked numbers; the payment register
//! counts the live payments of its days.

use std::time::Duration;

use chrono::Months;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::{Value, json};

use crate::acts::{calculate_and_close, dec, id_of, open_and_previous, second_account};
use crate::helpers::{TestApp, download_sheet, sql, sql_text};

const REPORT: &str = "query($i: ReportInput!) { report(input: $i, offset: 0, limit: 2) { title columns { key kind } rows totals total } }";

pub(crate) async fn report(app: &TestApp, input: Value) -> Value {
    let r = app.gql(REPORT, json!({ "i": input })).await;
    assert!(r["errors"].is_null(), "{r}");
    r["data"]["report"].clone()
}

/// A report exported by the list-export job with `options` (`lang`, `format`): the job's
/// id once it is done (a worker must run).
pub(crate) async fn exported(app: &TestApp, input: Value, options: &str) -> String {
    let r = app
        .gql(
            &format!(
                "mutation($i: ReportInput!) {{ requestListExport(input: {{ list: REPORT, report: $i, {options} }}) {{ id }} }}"
            ),
            json!({ "i": input }),
        )
        .await;
    let id = r["data"]["requestListExport"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let job = app.wait_job(&id, Duration::from_secs(60)).await;
    assert_eq!(job["state"], "DONE", "{job}");
    id
}

/// The report's XLSX (Ukrainian headers) through the list-export job (a worker must run).
pub(crate) async fn sheet(app: &TestApp, input: Value) -> Vec<Vec<String>> {
    let id = exported(app, input, "lang: \"uk\"").await;
    download_sheet(app, &id).await
}

fn num(v: &str) -> Decimal {
    v.parse().unwrap_or_else(|_| panic!("not a number: {v}"))
}

#[tokio::test]
async fn the_summary_is_the_closing_summary_and_its_sheet_sums_to_the_same() {
    let app = TestApp::spawn().await;
    let (p1, _) = open_and_previous();
    let (b, _, a, _) = crate::meters::setup(&app).await;
    let other = second_account(&app, b.clone()).await;
    sql(&app, &format!(
        "UPDATE \"{{s}}\".buildings SET price_list_id = (SELECT id FROM \"{{s}}\".price_lists WHERE code = 'base') WHERE id = {b}; \
         INSERT INTO \"{{s}}\".account_services (account_id, service_id, starts_on) \
         SELECT x.account, s.id, DATE '2026-01-01' FROM \"{{s}}\".services s, (VALUES ({a}), ({other})) AS x(account) WHERE s.code IN ('xvs', 'gvs'); \
         INSERT INTO \"{{s}}\".residents (account_id, full_name, registered_from, living_from) VALUES \
           ({a}, 'Коваль Ірина', DATE '2026-01-01', DATE '2026-01-01'), ({other}, 'Мельник Петро', DATE '2026-01-01', DATE '2026-01-01')"
    ))
    .await;
    let pay = app
        .gql(
            "mutation($i: PaymentInput!) { createPayment(input: $i) { payment { id } } }",
            json!({ "i": { "accountId": a, "amount": "75.50", "kind": "CASH_DESK", "paidOn": p1.to_string(), "receivedOn": p1.to_string() } }),
        )
        .await;
    assert!(pay["errors"].is_null(), "{pay}");
    calculate_and_close(&app, &p1.format("%Y-%m").to_string(), "rep-1").await;
    let period = p1.format("%Y-%m").to_string();
    let input = json!({ "kind": "SUMMARY", "period": period });
    let table = report(&app, input.clone()).await;
    let closing = app
        .gql(
            "query($p: String!) { closingSummary(period: $p) { reconciles rows { serviceId accounts opening charged recalculation benefit subsidy penalty paid closing } } }",
            json!({ "p": period }),
        )
        .await;
    let closing = &closing["data"]["closingSummary"];
    assert_eq!(closing["reconciles"], true, "{closing}");
    let total = closing["rows"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["serviceId"].is_null()))
        .cloned()
        .unwrap_or_else(|| panic!("{closing}"));
    let keys = [
        "opening",
        "charged",
        "recalculation",
        "benefit",
        "subsidy",
        "penalty",
        "paid",
        "closing",
    ];
    // The totals row: Total, accounts, then the money columns in that order.
    let totals: Vec<String> = serde_json::from_value(table["totals"].clone()).unwrap_or_default();
    assert_eq!(totals[1], total["accounts"].to_string(), "{table}");
    for (i, k) in keys.iter().enumerate() {
        assert_eq!(num(&totals[i + 2]), dec(&total[*k]), "{k}: {table}");
    }
    assert_eq!(num(&totals[8]), dec!(75.50), "the cash payment: {table}");
    assert!(num(&totals[3]) > Decimal::ZERO, "charged: {table}");
    // Every service row reconciles; the table has both services.
    assert_eq!(table["total"], 2, "{table}");
    for row in table["rows"].as_array().cloned().unwrap_or_default() {
        let v: Vec<Decimal> = (2..10)
            .map(|i| num(row[i].as_str().unwrap_or_default()))
            .collect();
        assert_eq!(
            v[0] + v[1] + v[2] - v[3] - v[4] + v[5] - v[6],
            v[7],
            "{row}"
        );
    }

    // By branch, sales and turnover per account add up to the same month.
    for kind in ["BY_BRANCH", "TURNOVER"] {
        let other = report(&app, json!({ "kind": kind, "period": period })).await;
        let o: Vec<String> = serde_json::from_value(other["totals"].clone()).unwrap_or_default();
        let first_money = if kind == "TURNOVER" { 3 } else { 2 };
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(
                num(&o[first_money + i]),
                dec(&total[*k]),
                "{kind} {k}: {other}"
            );
        }
    }
    let turnover = report(&app, json!({ "kind": "TURNOVER", "period": period })).await;
    assert_eq!(turnover["total"], 2, "two accounts: {turnover}");
    for row in turnover["rows"].as_array().cloned().unwrap_or_default() {
        let v: Vec<Decimal> = (3..11)
            .map(|i| num(row[i].as_str().unwrap_or_default()))
            .collect();
        assert_eq!(
            v[0] + v[1] + v[2] - v[3] - v[4] + v[5] - v[6],
            v[7],
            "{row}"
        );
    }
    let sales = app
        .gql(
            "query($i: ReportInput!) { report(input: $i, limit: 50) { rows totals total } }",
            json!({ "i": { "kind": "SALES", "period": period } }),
        )
        .await;
    let sales = &sales["data"]["report"];
    assert_eq!(
        num(sales["totals"][6].as_str().unwrap_or_default()),
        dec(&total["charged"]),
        "{sales}"
    );
    let rows = sales["rows"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        rows.len() as i64,
        sales["total"].as_i64().unwrap_or_default(),
        "{sales}"
    );
    let charged: Decimal = rows
        .iter()
        .map(|r| num(r[6].as_str().unwrap_or_default()))
        .sum();
    assert_eq!(
        charged,
        dec(&total["charged"]),
        "the rows add up to the total: {sales}"
    );

    // The dashboard: the month's net charge and collections, and the debt by age adding
    // up to what the month closed owing.
    let d = app
        .gql(
            "{ reportDashboard { months { period charged paid } debtPeriod debtByAge { amount } } }",
            json!({}),
        )
        .await;
    let d = &d["data"]["reportDashboard"];
    let m = d["months"]
        .as_array()
        .and_then(|ms| ms.iter().find(|m| m["period"] == period.as_str()))
        .cloned()
        .unwrap_or_else(|| panic!("{d}"));
    assert_eq!(
        dec(&m["charged"]),
        dec(&total["charged"]) + dec(&total["recalculation"])
            - dec(&total["benefit"])
            - dec(&total["subsidy"]),
        "{d}"
    );
    assert_eq!(dec(&m["paid"]), dec!(75.50), "{d}");
    assert_eq!(d["debtPeriod"], period.as_str(), "{d}");
    assert_eq!(
        d["debtByAge"].as_array().map(Vec::len),
        Some(6),
        "six ages: {d}"
    );
    let aged: Decimal = d["debtByAge"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|a| dec(&a["amount"]))
        .sum();
    let debtors = report(&app, json!({ "kind": "DEBTORS", "period": period })).await;
    assert_eq!(
        aged,
        num(debtors["totals"][3].as_str().unwrap_or_default()),
        "{d} {debtors}"
    );

    let worker = app.start_worker(app.state.clone(), "rep-x");
    let rows = sheet(&app, input).await;
    worker.stop().await;
    assert_eq!(rows[0][0], "Послуга", "{rows:?}");
    assert_eq!(rows.len(), 4, "header, two services, total: {rows:?}");
    let last = &rows[3];
    assert_eq!(last[0], "Разом", "{rows:?}");
    for (i, k) in keys.iter().enumerate() {
        assert_eq!(
            num(&last[i + 2]),
            dec(&total[*k]),
            "{k} in the sheet: {rows:?}"
        );
    }
    // A building outside the report's filter: nothing.
    let none = report(
        &app,
        json!({ "kind": "SUMMARY", "period": period, "buildingId": 999_999 }),
    )
    .await;
    assert_eq!(none["total"], 0, "{none}");
    // Bad input names its field.
    let r = app
        .gql(
            REPORT,
            json!({ "i": { "kind": "SUMMARY", "period": "May" } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "period", "{r}");
}

/// Invoice lines of one account and service (opening, charged, paid, closing) in `month`.
pub(crate) async fn line(
    app: &TestApp,
    account: i64,
    service: i64,
    month: chrono::NaiveDate,
    v: [&str; 4],
) {
    let [opening, charged, paid, closing] = v;
    sql(app, &format!(
        "INSERT INTO \"{{s}}\".invoices (account_id, period, formed_at, opening, charged, recalculation, benefit, subsidy, penalty, paid, closing) \
         VALUES ({account}, DATE '{month}', now(), {opening}, {charged}, 0, 0, 0, 0, {paid}, {closing}); \
         INSERT INTO \"{{s}}\".invoice_lines (period, account_id, service_id, method, quantity, tariff, opening, charged, \
                recalculation, benefit, subsidy, penalty, paid, closing, steps) \
         SELECT DATE '{month}', {account}, s.id, s.method, 0, 0, {opening}, {charged}, 0, 0, 0, 0, {paid}, {closing}, '[]' \
         FROM \"{{s}}\".services s WHERE s.id = {service}"
    ))
    .await;
}

#[tokio::test]
async fn debtors_are_listed_by_the_age_of_their_debt() {
    let app = TestApp::spawn().await;
    let (_, prev) = open_and_previous();
    let (b, _, a, _) = crate::meters::setup(&app).await;
    let old = second_account(&app, b.clone()).await;
    let xvs = id_of(&app, "SERVICES", "xvs").await;
    let (m2, m1) = (prev - Months::new(2), prev - Months::new(1));
    // 100.00 charged in each of three months, 50.00 paid in the last: 250.00 owed. The
    // payments paid the oldest debt, so 50.00 of the month two back is left, and the
    // newer months' 100.00 each.
    line(&app, a, xvs, m2, ["0", "100", "0", "100"]).await;
    line(&app, a, xvs, m1, ["100", "100", "0", "200"]).await;
    line(&app, a, xvs, prev, ["200", "100", "50", "250"]).await;
    // A debt taken over from the old system and never charged since: 12 months and older.
    line(&app, old, xvs, prev, ["300", "0", "0", "300"]).await;
    let period = prev.format("%Y-%m").to_string();
    let t = report(&app, json!({ "kind": "DEBTORS", "period": period })).await;
    assert_eq!(t["total"], 2, "{t}");
    let cells =
        |row: &Value| -> Vec<String> { serde_json::from_value(row.clone()).unwrap_or_default() };
    let first = cells(&t["rows"][0]);
    let second = cells(&t["rows"][1]);
    // Largest debt first: debt, penalty, this month, 1, 2, 3–5, 6–11, 12+.
    assert_eq!(
        &first[3..11],
        [
            "300.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "300.00"
        ],
        "{t}"
    );
    assert_eq!(
        &second[3..11],
        [
            "250.00", "0.00", "100.00", "100.00", "50.00", "0.00", "0.00", "0.00"
        ],
        "{t}"
    );
    let totals = cells(&t["totals"]);
    assert_eq!(totals[1], "2", "{t}");
    assert_eq!(
        &totals[3..11],
        [
            "550.00", "0.00", "100.00", "100.00", "50.00", "0.00", "0.00", "300.00"
        ],
        "{t}"
    );
    // Above a threshold of 260.00 only the old debt is listed.
    let t = report(
        &app,
        json!({ "kind": "DEBTORS", "period": period, "minDebt": "260" }),
    )
    .await;
    assert_eq!(t["total"], 1, "{t}");
    let r = app
        .gql(
            REPORT,
            json!({ "i": { "kind": "DEBTORS", "period": period, "minDebt": "-1" } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "minDebt", "{r}");
}

#[tokio::test]
async fn the_payment_register_counts_the_live_payments_of_its_days() {
    let app = TestApp::spawn().await;
    let (p1, _) = open_and_previous();
    let (_, _, a, _) = crate::meters::setup(&app).await;
    let pay = |amount: &str| json!({ "i": { "accountId": a, "amount": amount, "kind": "CASH_DESK", "paidOn": p1.to_string(), "receivedOn": p1.to_string() } });
    let mut ids = Vec::new();
    for amount in ["10.00", "20.50", "99.99"] {
        let r = app
            .gql(
                "mutation($i: PaymentInput!) { createPayment(input: $i) { payment { id } } }",
                pay(amount),
            )
            .await;
        ids.push(
            r["data"]["createPayment"]["payment"]["id"]
                .as_i64()
                .unwrap_or_else(|| panic!("{r}")),
        );
    }
    let r = app
        .gql(
            "mutation($id: Int!) { cancelPayment(id: $id) { id } }",
            json!({ "id": ids[2] }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let input = json!({ "kind": "PAYMENT_REGISTER", "from": p1.to_string(), "to": p1.to_string() });
    let t = report(&app, input).await;
    assert_eq!(t["total"], 1, "{t}");
    assert_eq!(t["rows"][0][3], "2", "{t}");
    assert_eq!(t["rows"][0][4], "30.50", "{t}");
    assert_eq!(t["totals"][4], "30.50", "{t}");
    let r = app
        .gql(REPORT, json!({ "i": { "kind": "PAYMENT_REGISTER", "from": p1.to_string(), "to": (p1 - chrono::Days::new(1)).to_string() } }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "to", "{r}");
}

const STATEMENT: &str = "query($i: PenaltyStatementInput!) { penaltyStatement(input: $i) { rule asOf total rows { period from to days debt rate fraction amount } } }";

#[tokio::test]
async fn the_penalty_statement_of_typed_debts_and_of_an_account() {
    let app = TestApp::spawn().await;
    // The calculator, the Russian rule: 5,000.00 of January 2022 (due on the 10th of
    // February), 2,000.00 paid on 15 March, 9.5 %, counted to 31 October; the moratorium
    // of 31 March – 1 October 2022 comes from the tenant's book (pre-filled).
    let typed = json!({ "rule": "RUSSIA", "asOf": "2022-11-01", "dueDay": 10,
        "debts": [{ "period": "2022-01", "amount": "5000" }],
        "payments": [{ "date": "2022-03-15", "amount": "2000" }],
        "rates": [{ "from": "2020-01-01", "percent": "9.5" }] });
    let r = app.gql(STATEMENT, json!({ "i": typed })).await;
    let s = &r["data"]["penaltyStatement"];
    assert_eq!(s["total"], "84.77", "{r}");
    let rows: Vec<(String, String, i64, String)> = s["rows"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|x| {
            (
                x["from"].as_str().unwrap_or_default().to_owned(),
                x["fraction"].as_str().unwrap_or_default().to_owned(),
                x["days"].as_i64().unwrap_or_default(),
                x["amount"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("2022-03-13".into(), "1/300".into(), 3, "4.75".into()),
            ("2022-03-16".into(), "1/300".into(), 15, "14.25".into()),
            ("2022-10-02".into(), "1/130".into(), 30, "65.77".into()),
        ],
        "{r}"
    );
    // Without the moratorium (an empty list overrides the book) the summer bears penalty.
    let mut open = typed.clone();
    open["moratoria"] = json!([]);
    let r = app.gql(STATEMENT, json!({ "i": open })).await;
    let total = dec(&r["data"]["penaltyStatement"]["total"]);
    assert!(total > dec!(84.77), "{r}");

    // An account's own debts and payments, the Ukrainian rule: 1,000.00 charged for
    // September 2023 (due on the 20th of October), 400.00 paid on 5 November for it; the
    // NBU rate 22 %, 20 % from 27 October; counted to 30 November: 7.23 + 10.96 + 16.44.
    let (_, _, a, _) = crate::meters::setup(&app).await;
    let xvs = id_of(&app, "SERVICES", "xvs").await;
    let sept = chrono::NaiveDate::from_ymd_opt(2023, 9, 1).unwrap_or_default();
    line(&app, a, xvs, sept, ["0", "1000", "0", "1000"]).await;
    sql(&app, &format!(
        "INSERT INTO \"{{s}}\".payments (account_id, period, amount, paid_on, charge_period, received_on, kind) \
         VALUES ({a}, DATE '2023-11-01', 400, DATE '2023-11-05', DATE '2023-09-01', DATE '2023-11-05', 'cash_desk')"
    ))
    .await;
    let r = app
        .gql(
            STATEMENT,
            json!({ "i": { "accountId": a, "rule": "UKRAINE", "asOf": "2023-12-01", "dueDay": 20,
                "rates": [{ "from": "2023-07-28", "percent": "22" }, { "from": "2023-10-27", "percent": "20" }] } }),
        )
        .await;
    let s = &r["data"]["penaltyStatement"];
    assert_eq!(s["total"], "34.63", "{r}");
    assert_eq!(dec(&s["rows"][2]["debt"]), dec!(600), "{r}");
    assert_eq!(s["rows"][0]["fraction"], "2/365", "{r}");

    // Bad input names its field; an account that is not there is not found.
    for (input, field) in [
        (
            json!({ "debts": [{ "period": "2024-01", "amount": "-5" }] }),
            "debts.0",
        ),
        (
            json!({ "debts": [{ "period": "January", "amount": "5" }] }),
            "debts.0",
        ),
        (
            json!({ "debts": [{ "period": "2024-01", "amount": "5" }], "dueDay": 40 }),
            "dueDay",
        ),
        (json!({}), "debts"),
    ] {
        let r = app.gql(STATEMENT, json!({ "i": input })).await;
        assert_eq!(r["errors"][0]["extensions"]["field"], field, "{r}");
    }
    let r = app
        .gql(STATEMENT, json!({ "i": { "accountId": a + 1000 } }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "NOT_FOUND", "{r}");
}

#[tokio::test]
async fn the_kazakh_and_bulgarian_rules_in_the_penalty_statement() {
    let app = TestApp::spawn().await;
    let rows = |r: &Value| -> Vec<(String, String, String, String)> {
        r["data"]["penaltyStatement"]["rows"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|x| {
                let text = |k: &str| x[k].as_str().unwrap_or_default().to_owned();
                (text("from"), text("rate"), text("fraction"), text("amount"))
            })
            .collect()
    };
    // Kazakhstan: 2,000.00 of September 2026, due on the 25th of October, the NBK base
    // rate 16.5 %, counted to 30 November: 36 days × 2000 × 0.165 / 365 = 32.55.
    let r = app
        .gql(
            STATEMENT,
            json!({ "i": { "rule": "KAZAKHSTAN", "asOf": "2026-12-01", "dueDay": 25,
                "debts": [{ "period": "2026-09", "amount": "2000" }],
                "rates": [{ "from": "2026-01-01", "percent": "16.5" }] } }),
        )
        .await;
    assert_eq!(r["data"]["penaltyStatement"]["total"], "32.55", "{r}");
    assert_eq!(
        rows(&r),
        vec![(
            "2026-10-26".into(),
            "16.5".into(),
            "1/365".into(),
            "32.55".into()
        )],
        "{r}"
    );
    // Bulgaria: 1,000.00 of October 2025 due on the 20th of November; the BNB base rate
    // 1.81 % + 10 points to the end of 2025 (41 days: 13.45), the ECB's 2.15 % + 8 from
    // 2026 (31 days: 8.74), a year of 360 days.
    let r = app
        .gql(
            STATEMENT,
            json!({ "i": { "rule": "BULGARIA", "asOf": "2026-02-01", "dueDay": 20,
                "debts": [{ "period": "2025-10", "amount": "1000" }],
                "rates": [{ "from": "2025-07-01", "percent": "1.81" }, { "from": "2026-01-01", "percent": "2.15" }] } }),
        )
        .await;
    assert_eq!(r["data"]["penaltyStatement"]["total"], "22.19", "{r}");
    assert_eq!(
        rows(&r),
        vec![
            (
                "2025-11-21".into(),
                "11.81".into(),
                "1/360".into(),
                "13.45".into()
            ),
            (
                "2026-01-01".into(),
                "10.15".into(),
                "1/360".into(),
                "8.74".into()
            ),
        ],
        "{r}"
    );
    // The tenant's billing settings take either rule; an unknown one is refused by name.
    let set =
        "mutation($i: BillingSettingsInput!) { updateBillingSettings(input: $i) { penaltyRule } }";
    for rule in ["kazakhstan", "bulgaria"] {
        let r = app
            .gql(
                set,
                json!({ "i": { "averageMonths": 3, "zeroTakesPrevious": false, "residentsBasis": "living", "penaltyRule": rule, "dueDay": 25, "penaltyUnderAgreement": false } }),
            )
            .await;
        assert_eq!(
            r["data"]["updateBillingSettings"]["penaltyRule"], rule,
            "{r}"
        );
    }
    let r = app
        .gql(
            set,
            json!({ "i": { "averageMonths": 3, "zeroTakesPrevious": false, "residentsBasis": "living", "penaltyRule": "latvia", "dueDay": 25, "penaltyUnderAgreement": false } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "penaltyRule", "{r}");
}

#[tokio::test]
async fn subscribers_meters_and_restructurings_are_counted() {
    let app = TestApp::spawn().await;
    let (open, _) = open_and_previous();
    let today = chrono::Utc::now().date_naive();
    let (b, premises, a, model) = crate::meters::setup(&app).await;
    let other = second_account(&app, b.clone()).await;
    let xvs = id_of(&app, "SERVICES", "xvs").await;
    sql(&app, &format!(
        "INSERT INTO \"{{s}}\".residents (account_id, full_name, registered_from, living_from) VALUES \
           ({a}, 'Коваль Ірина', DATE '2026-01-01', DATE '2026-01-01'), ({a}, 'Коваль Олег', DATE '2026-01-01', DATE '2026-01-01'); \
         UPDATE \"{{s}}\".accounts SET residents = 2 WHERE id = {a}; \
         INSERT INTO \"{{s}}\".meters (serial, model_id, service_id, building_id, premises_id, account_id, installed_on, initial_reading, next_verification) VALUES \
           ('A-1', {model}, {xvs}, {b}, {premises}, {a}, DATE '2020-01-01', 1, DATE '2020-06-01'), \
           ('A-2', {model}, {xvs}, {b}, {premises}, {a}, DATE '2020-01-01', 1, DATE '{open}'), \
           ('A-3', {model}, {xvs}, {b}, {premises}, {a}, DATE '2020-01-01', 1, DATE '2099-01-01'); \
         INSERT INTO \"{{s}}\".readings (meter_id, period, taken_on, previous, current, consumption, entered_by, entered_at) \
           SELECT id, DATE '{open}', DATE '{open}', 1, 2, 1, 'test', now() FROM \"{{s}}\".meters WHERE serial = 'A-3'; \
         INSERT INTO \"{{s}}\".restructurings (account_id, number, signed_on, debt, months, first_period) \
           VALUES ({other}, 'R-1', DATE '{today}', 1200, 12, DATE '{open}'); \
         INSERT INTO \"{{s}}\".restructuring_instalments (restructuring_id, period, amount) \
           SELECT r.id, (DATE '{open}' + make_interval(months => g))::date, 100 FROM \"{{s}}\".restructurings r, generate_series(0, 11) g"
    ))
    .await;
    let counts = report(&app, json!({ "kind": "SUBSCRIBER_COUNTS" })).await;
    let all = sql_text(
        &app,
        "SELECT count(*) || '/' || sum(residents) FROM \"{s}\".accounts",
    )
    .await;
    assert_eq!(
        format!(
            "{}/{}",
            counts["totals"][4].as_str().unwrap_or_default(),
            counts["totals"][5].as_str().unwrap_or_default()
        ),
        all,
        "every account and resident of the tenant: {counts}"
    );
    // The test's building alone: its two accounts, Iryna's two residents.
    let ours = report(
        &app,
        json!({ "kind": "SUBSCRIBER_COUNTS", "buildingId": b }),
    )
    .await;
    assert_eq!(
        (ours["totals"][4].clone(), ours["totals"][5].clone()),
        (json!("2"), json!("2")),
        "{ours}"
    );

    let period = open.format("%Y-%m").to_string();
    let meters = report(&app, json!({ "kind": "METERS", "period": period })).await;
    // Working 3; verification overdue 1 (June 2020), due this month 1; unread 2.
    let totals: Vec<String> = serde_json::from_value(meters["totals"].clone()).unwrap_or_default();
    assert_eq!(&totals[2..], ["3", "1", "1", "2"], "{meters}");

    let r = report(
        &app,
        json!({ "kind": "RESTRUCTURINGS", "from": today.to_string(), "to": today.to_string() }),
    )
    .await;
    assert_eq!(r["total"], 1, "{r}");
    // 1,200.00 over 12 months from this one: 100.00 due to date, 1,100.00 left.
    let row: Vec<String> = serde_json::from_value(r["rows"][0].clone()).unwrap_or_default();
    assert_eq!(
        (
            row[0].as_str(),
            row[4].as_str(),
            row[8].as_str(),
            row[9].as_str()
        ),
        ("R-1", "1200.00", "100.00", "1100.00"),
        "{r}"
    );
}

#[tokio::test]
async fn a_debtors_collection_state_is_kept_on_the_card_and_shown_in_the_report() {
    let app = TestApp::spawn().await;
    let (_, prev) = open_and_previous();
    let (_, _, a, _) = crate::meters::setup(&app).await;
    let xvs = id_of(&app, "SERVICES", "xvs").await;
    line(&app, a, xvs, prev, ["0", "500", "0", "500"]).await;
    let add = "mutation($a: Int!, $i: DebtCaseInput!) { addDebtCase(accountId: $a, input: $i) { status since comment createdBy } }";
    let r = app
        .gql(add, json!({ "a": a, "i": { "status": "NOTICE_SENT", "since": prev.to_string(), "comment": "Попередження № 15" } }))
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let later = prev + chrono::Days::new(10);
    let r = app
        .gql(
            add,
            json!({ "a": a, "i": { "status": "COURT", "since": later.to_string() } }),
        )
        .await;
    let list = &r["data"]["addDebtCase"];
    assert_eq!(list[0]["status"], "COURT", "newest first: {r}");
    assert_eq!(list[1]["comment"], "Попередження № 15", "{r}");
    // A state in the future is refused by its field; every entry is audited.
    let r = app
        .gql(
            add,
            json!({ "a": a, "i": { "status": "PAID", "since": "2099-01-01" } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "since", "{r}");
    assert_eq!(app.audit_actions("debt_case", None).await.len(), 2);
    // The debtors report names the latest state and its day.
    let t = report(
        &app,
        json!({ "kind": "DEBTORS", "period": prev.format("%Y-%m").to_string() }),
    )
    .await;
    let last = t["rows"][0][11].as_str().unwrap_or_default().to_owned();
    assert!(last.ends_with(&later.to_string()), "{t}");
    assert_ne!(last, later.to_string(), "the state's words come first: {t}");
}
