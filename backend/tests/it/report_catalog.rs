//! The catalogue's registry and benefit reports and non-revenue water, on records made for
//! the test's building: every check of the erroneous-records report found once, the
//! beneficiaries and their categories counted, the building meter set against what the
//! apartments were billed, with its trend; and their spreadsheets' totals are the API's.

use chrono::Months;
use serde_json::{Value, json};

use crate::acts::{id_of, open_and_previous, second_account};
use crate::helpers::{TestApp, sql};

const REPORT: &str = "query($i: ReportInput!) { report(input: $i, offset: 0, limit: 100) { columns { key kind } rows totals total } }";

async fn report(app: &TestApp, input: Value) -> Value {
    let r = app.gql(REPORT, json!({ "i": input })).await;
    assert!(r["errors"].is_null(), "{r}");
    r["data"]["report"].clone()
}

fn rows(t: &Value) -> Vec<Vec<String>> {
    serde_json::from_value(t["rows"].clone()).unwrap_or_default()
}

fn totals(t: &Value) -> Vec<String> {
    serde_json::from_value(t["totals"].clone()).unwrap_or_default()
}

/// The report's XLSX, formed by a worker of the test's own.
async fn sheet(app: &TestApp, input: Value) -> Vec<Vec<String>> {
    let worker = app.start_worker(app.state.clone(), "report-catalog");
    let rows = crate::reports::sheet(app, input).await;
    worker.stop().await;
    rows
}

#[tokio::test]
async fn benefit_records_are_counted_and_every_erroneous_one_is_found() {
    let app = TestApp::spawn().await;
    let (open, _) = open_and_previous();
    let (b, _, a, _) = crate::meters::setup(&app).await;
    let closed = second_account(&app, b.clone()).await;
    let (xvs, gvs) = (
        id_of(&app, "SERVICES", "xvs").await,
        id_of(&app, "SERVICES", "gvs").await,
    );
    // Iryna is registered, Oleh left in 2020. Category T1 (50 %, family) covers cold
    // water, which the account receives; T2 covers hot water, which it does not. Iryna
    // holds both (overlapping), Oleh T1 (not registered). A subsidy of hot water (not
    // received), one of cold water larger than what the engine applied, and one on the
    // closed neighbour.
    sql(&app, &format!(
        "INSERT INTO \"{{s}}\".residents (account_id, full_name, registered_from, registered_to) VALUES \
           ({a}, 'Коваль Ірина', DATE '2026-01-01', NULL), ({a}, 'Коваль Олег', DATE '2010-01-01', DATE '2020-01-01'); \
         INSERT INTO \"{{s}}\".account_services (account_id, service_id, starts_on) VALUES ({a}, {xvs}, DATE '2026-01-01'), ({closed}, {xvs}, DATE '2026-01-01'); \
         INSERT INTO \"{{s}}\".benefits (code, name, percent, family) VALUES ('T1', 'Ветеран праці', 50, true), ('T2', 'Особа з інвалідністю', 100, false); \
         INSERT INTO \"{{s}}\".benefit_services (benefit_id, service_id) \
           SELECT id, {xvs} FROM \"{{s}}\".benefits WHERE code = 'T1' UNION ALL SELECT id, {gvs} FROM \"{{s}}\".benefits WHERE code = 'T2'; \
         INSERT INTO \"{{s}}\".beneficiaries (account_id, resident_id, benefit_id, starts_on) \
           SELECT {a}, r.id, bn.id, DATE '2026-01-01' FROM \"{{s}}\".residents r, \"{{s}}\".benefits bn \
            WHERE r.account_id = {a} AND ((r.full_name = 'Коваль Ірина' AND bn.code IN ('T1', 'T2')) OR (r.full_name = 'Коваль Олег' AND bn.code = 'T1')); \
         INSERT INTO \"{{s}}\".subsidies (account_id, service_id, period, amount) VALUES \
           ({a}, {gvs}, DATE '{open}', 10), ({a}, {xvs}, DATE '{open}', 500), ({closed}, {xvs}, DATE '{open}', 30); \
         UPDATE \"{{s}}\".accounts SET closed_on = DATE '2026-01-31', status = 'closed' WHERE id = {closed}; \
         INSERT INTO \"{{s}}\".invoice_lines (period, account_id, service_id, method, quantity, tariff, opening, charged, \
                recalculation, benefit, subsidy, penalty, paid, closing, steps) \
           VALUES (DATE '{open}', {a}, {xvs}, 'metered', 5, 20, 0, 100, 0, 25, 40, 0, 0, 35, '[]')"
    ))
    .await;
    let period = open.format("%Y-%m").to_string();
    let ours = json!({ "period": period, "buildingId": b });
    let with = |kind: &str| {
        let mut i = ours.clone();
        i["kind"] = json!(kind);
        i
    };

    let t = report(&app, with("BENEFIT_ERRORS")).await;
    assert_eq!(t["total"], 6, "each check once: {t}");
    let found: Vec<(String, String)> = rows(&t)
        .into_iter()
        .map(|r| (r[2].clone(), r[4].clone()))
        .collect();
    let person = |who: &str, detail: &str| found.contains(&(who.to_owned(), detail.to_owned()));
    assert!(
        person("Коваль Олег", "T1 Ветеран праці"),
        "not registered: {t}"
    );
    assert!(
        person("Коваль Ірина", "T2 Особа з інвалідністю"),
        "no hot water: {t}"
    );
    assert!(person("Коваль Ірина", "T1 / T2"), "two at once: {t}");
    // The subsidies, named by their service: hot water not received, cold water above what
    // was applied, the closed neighbour's (its closing day).
    for detail in ["10.00", "500.00 > 40.00", "2026-01-31"] {
        assert!(
            found.iter().any(|f| f.1 == detail && !f.0.is_empty()),
            "{detail}: {t}"
        );
    }
    // Each problem in words, not as a code.
    assert!(
        rows(&t)
            .iter()
            .all(|r| !r[3].contains('_') && !r[3].is_empty()),
        "{t}"
    );

    let t = report(&app, with("BENEFICIARIES")).await;
    assert_eq!(t["total"], 3, "{t}");
    assert_eq!(rows(&t)[0][4], "50.00", "the percent: {t}");

    let t = report(&app, with("BENEFIT_CATEGORIES")).await;
    let r = rows(&t);
    // T1: Iryna and Oleh on one account, the benefit of its cold-water line; T2: Iryna,
    // no hot-water line.
    assert_eq!(
        r.iter()
            .map(|x| (x[0].clone(), x[3].clone(), x[5].clone(), x[6].clone()))
            .collect::<Vec<_>>(),
        vec![
            ("T1".into(), "2".into(), "1".into(), "25.00".into()),
            ("T2".into(), "1".into(), "1".into(), "0.00".into()),
        ],
        "{t}"
    );
    assert_eq!(&totals(&t)[3..], ["3", "0", "2", "25.00"], "{t}");
    let s = sheet(&app, with("BENEFIT_CATEGORIES")).await;
    let last = s.last().cloned().unwrap_or_default();
    assert_eq!(&last[3..], ["3", "0", "2", "25"], "{s:?}");

    let t = report(&app, json!({ "kind": "SUBSCRIBER_INFO", "buildingId": b })).await;
    assert_eq!(t["total"], 2, "{t}");
    let info = rows(&t);
    let ours = info
        .iter()
        .find(|r| r[1].contains("Коваль"))
        .unwrap_or_else(|| panic!("{t}"));
    assert_eq!(ours[9], "xvs", "the services it receives today: {t}");
    let neighbour = info
        .iter()
        .find(|r| r[1].contains("Мельник"))
        .unwrap_or_else(|| panic!("{t}"));
    assert!(!neighbour[4].contains("closed"), "the state in words: {t}");
    assert!(!neighbour[4].is_empty(), "{t}");
}

#[tokio::test]
async fn non_revenue_water_sets_the_building_meter_against_the_apartments() {
    let app = TestApp::spawn().await;
    let (open, prev) = open_and_previous();
    let (b, _, a, model) = crate::meters::setup(&app).await;
    let other = second_account(&app, b.clone()).await;
    let xvs = id_of(&app, "SERVICES", "xvs").await;
    // The fixture's common-house service of cold water (ОДН) is based on it.
    sql(&app, &format!(
        "UPDATE \"{{s}}\".services SET base_service_id = {xvs}, method = 'common_house' WHERE code = 'xvs_odn'; \
         INSERT INTO \"{{s}}\".meters (serial, model_id, service_id, install_method, building_id, installed_on, initial_reading) \
           VALUES ('H-1', {model}, {xvs}, 'building', {b}, DATE '2020-01-01', 1); \
         INSERT INTO \"{{s}}\".readings (meter_id, period, taken_on, previous, current, consumption, entered_by, entered_at) \
           SELECT id, DATE '{prev}', DATE '{prev}', 1, 81, 80, 'test', now() FROM \"{{s}}\".meters WHERE serial = 'H-1' \
           UNION ALL SELECT id, DATE '{open}', DATE '{open}', 81, 181, 100, 'test', now() FROM \"{{s}}\".meters WHERE serial = 'H-1'; \
         INSERT INTO \"{{s}}\".invoice_lines (period, account_id, service_id, method, quantity, tariff, opening, charged, \
                recalculation, benefit, subsidy, penalty, paid, closing, steps) \
           SELECT p, acc, s, m, q, 0, 0, 0, 0, 0, 0, 0, 0, 0, '[]'::json FROM (VALUES \
             (DATE '{open}', {a}, {xvs}, 'metered', 60.5), (DATE '{open}', {other}, {xvs}, 'norm', 24.5), \
             (DATE '{prev}', {a}, {xvs}, 'metered', 50), (DATE '{prev}', {other}, {xvs}, 'norm', 20)) AS x(p, acc, s, m, q) \
           UNION ALL SELECT DATE '{open}', {a}, id, 'common_house', 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, '[]'::json \
             FROM \"{{s}}\".services WHERE code = 'xvs_odn'"
    ))
    .await;
    let input = json!({ "kind": "NON_REVENUE_WATER", "period": open.format("%Y-%m").to_string(), "buildingId": b });
    let t = report(&app, input.clone()).await;
    assert_eq!(t["total"], 1, "{t}");
    let r = rows(&t).remove(0);
    // 100 measured, 60.5 by meters, 24.5 by norm: 15 lost, 15.0 %; 10 of it billed as
    // common-house need. Last month 80 − 50 − 20 = 10, 12.5 %; none measured before.
    assert_eq!(
        &r[2..],
        [
            "100",
            "60.5",
            "24.5",
            "15",
            "15.0",
            "10",
            "– · – · – · – · 12.5 · 15.0"
        ],
        "{t}"
    );
    assert_eq!(totals(&t)[6], "15.0", "the total's share: {t}");
    // A month with no building-meter reading lists nothing.
    let earlier = (prev - Months::new(1)).format("%Y-%m").to_string();
    let t = report(
        &app,
        json!({ "kind": "NON_REVENUE_WATER", "period": earlier, "buildingId": b }),
    )
    .await;
    assert_eq!(t["total"], 0, "{t}");
    let s = sheet(&app, input).await;
    assert_eq!(s.len(), 3, "header, the building, totals: {s:?}");
    assert_eq!(&s[1][2..7], ["100", "60.5", "24.5", "15", "15"], "{s:?}");
}

#[tokio::test]
async fn the_route_sheet_walks_a_controllers_buildings_and_prints() {
    let app = TestApp::spawn().await;
    let (open, prev) = open_and_previous();
    let (b, _, a, model) = crate::meters::setup(&app).await;
    let xvs = id_of(&app, "SERVICES", "xvs").await;
    let employee = |code: &str, name: &str, controller: bool| json!({ "i": { "code": code, "name": name, "extra": { "isController": controller } } });
    let make =
        "mutation($i: ItemInput!) { createReferenceItem(book: EMPLOYEES, input: $i) { id } }";
    let ids = [
        employee("k1", "Ткачук В.", true),
        employee("k2", "Бондар О.", false),
    ];
    let mut made = Vec::new();
    for i in ids {
        let r = app.gql(make, i).await;
        made.push(
            r["data"]["createReferenceItem"]["id"]
                .as_i64()
                .unwrap_or_else(|| panic!("{r}")),
        );
    }
    let (reader, clerk) = (made[0], made[1]);
    let assign = "mutation($id: Int!, $c: Int) { updateBuilding(id: $id, input: { controllerId: $c }) { details { controllerId } } }";
    let r = app.gql(assign, json!({ "id": b, "c": clerk })).await;
    assert_eq!(
        r["errors"][0]["extensions"]["field"], "controllerId",
        "not a controller: {r}"
    );
    let r = app.gql(assign, json!({ "id": b, "c": reader })).await;
    assert_eq!(
        r["data"]["updateBuilding"]["details"]["controllerId"], reader,
        "{r}"
    );
    // Apartments 10 and 2 (walked 2, then 10), and the building meter (first: no apartment).
    sql(&app, &format!(
        "INSERT INTO \"{{s}}\".premises (building_id, number) VALUES ({b}, '10'); \
         INSERT INTO \"{{s}}\".meters (serial, model_id, service_id, install_method, building_id, premises_id, account_id, installed_on, initial_reading) \
         SELECT 'M-10', {model}, {xvs}, 'apartment', {b}, p.id, NULL::bigint, DATE '2020-01-01', 7 FROM \"{{s}}\".premises p WHERE p.building_id = {b} AND p.number = '10' \
         UNION ALL SELECT 'M-2', {model}, {xvs}, 'apartment', {b}, p.id, NULL::bigint, DATE '2020-01-01', 1 FROM \"{{s}}\".premises p WHERE p.building_id = {b} AND p.number = '2' \
         UNION ALL SELECT 'M-1', {model}, {xvs}, 'apartment', {b}, p.id, {a}, DATE '2020-01-01', 1 FROM \"{{s}}\".premises p WHERE p.building_id = {b} AND p.number = '1' \
         UNION ALL SELECT 'H-1', {model}, {xvs}, 'building', {b}, NULL::bigint, NULL::bigint, DATE '2020-01-01', 100; \
         INSERT INTO \"{{s}}\".readings (meter_id, period, taken_on, previous, current, consumption, entered_by, entered_at) \
         SELECT id, DATE '{prev}', DATE '{prev}', 1, 12.5, 11.5, 'test', now() FROM \"{{s}}\".meters WHERE serial = 'M-1'"
    ))
    .await;
    let period = open.format("%Y-%m").to_string();
    let input = json!({ "kind": "ROUTE_SHEET", "period": period, "controllerId": reader });
    let t = report(&app, input.clone()).await;
    let walk: Vec<(String, String, String)> = rows(&t)
        .into_iter()
        .map(|r| (r[2].clone(), r[6].clone(), r[7].clone()))
        .collect();
    assert_eq!(
        walk,
        vec![
            (String::new(), "H-1".into(), "100".into()),
            ("1".into(), "M-1".into(), "12.5".into()),
            ("2".into(), "M-2".into(), "1".into()),
            ("10".into(), "M-10".into(), "7".into()),
        ],
        "in the order of the walk, the latest reading before the month: {t}"
    );
    let first = rows(&t).remove(1);
    assert_eq!(first[0], "Ткачук В.", "{t}");
    assert!(
        first[8].is_empty() && first[9].is_empty(),
        "left to be written in: {t}"
    );
    assert_eq!(t["columns"][8]["kind"], "ENTRY", "{t}");
    assert!(totals(&t)[7].is_empty(), "readings are not added up: {t}");
    // The other controller has none; a clerk is not a controller.
    let r = app
        .gql(
            REPORT,
            json!({ "i": { "kind": "ROUTE_SHEET", "period": period, "controllerId": clerk } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "controllerId", "{r}");

    // The print form: a PDF with the title, the controller, the meters, page numbers.
    let worker = app.start_worker(app.state.clone(), "route-sheet");
    let id = crate::reports::exported(&app, input, "lang: \"en\", format: PDF").await;
    worker.stop().await;
    let text = crate::helpers::download_pdf_text(&app, &id).await;
    for part in [
        "Controller's route sheet",
        "Ткачук В.",
        "M-10",
        "12.5",
        "Page 1 of 1",
        "Current reading",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    // Only a report has a print form.
    let r = app
        .gql(
            "mutation { requestListExport(input: { list: ACCOUNTS, format: PDF }) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "format", "{r}");
}

/// The interim summary of the open month, by a worker of the test's own.
async fn interim(app: &TestApp) -> Value {
    let worker = app.start_worker(app.state.clone(), "interim");
    let r = app
        .gql("mutation { requestInterimSummary { id } }", json!({}))
        .await;
    let id = r["data"]["requestInterimSummary"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let job = app.wait_job(&id, std::time::Duration::from_secs(120)).await;
    worker.stop().await;
    assert_eq!(job["state"], "DONE", "{job}");
    job["result"].clone()
}

#[tokio::test]
async fn the_interim_summary_is_the_open_month_as_it_stands() {
    let app = TestApp::spawn().await;
    app.generate_and_calculate(30, 7).await;
    let (open, _) = open_and_previous();
    let period = open.format("%Y-%m").to_string();
    // Nothing changed since the calculation: the simulation sums to the month's summary.
    let summary = report(&app, json!({ "kind": "SUMMARY", "period": period })).await;
    let t = totals(&summary);
    let r = interim(&app).await;
    assert_eq!(r["period"], period, "{r}");
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
    let total = &r["sumsTotal"];
    let number = |v: &str| {
        v.parse::<rust_decimal::Decimal>()
            .unwrap_or_else(|_| panic!("{v}"))
    };
    for (i, k) in keys.iter().enumerate() {
        assert_eq!(
            number(total[*k].as_str().unwrap_or("x")),
            number(&t[i + 2]),
            "{k}: {r} vs {summary}"
        );
    }
    assert!(
        number(&t[3]) > rust_decimal::Decimal::ZERO,
        "charged: {summary}"
    );
    assert_eq!(
        r["sums"].as_array().map(Vec::len),
        summary["total"].as_u64().map(|n| n as usize),
        "a row per service: {r}"
    );
    // A payment entered since: the interim summary has it, the issued invoices not yet.
    let account =
        crate::helpers::sql_number(&app, "SELECT min(account_id) FROM \"{s}\".invoices").await;
    let pay = app
        .gql(
            "mutation($i: PaymentInput!) { createPayment(input: $i) { payment { id } } }",
            json!({ "i": { "accountId": account, "amount": "100.00", "kind": "CASH_DESK", "paidOn": open.to_string(), "receivedOn": open.to_string() } }),
        )
        .await;
    assert!(pay["errors"].is_null(), "{pay}");
    let after = interim(&app).await;
    let moved = |k: &str| {
        number(after["sumsTotal"][k].as_str().unwrap_or("x"))
            - number(total[k].as_str().unwrap_or("x"))
    };
    assert_eq!(
        moved("paid"),
        rust_decimal::Decimal::new(10000, 2),
        "{after}"
    );
    assert_eq!(
        moved("closing"),
        rust_decimal::Decimal::new(-10000, 2),
        "{after}"
    );
    assert_eq!(moved("charged"), rust_decimal::Decimal::ZERO, "{after}");
    // A controller (no reports) may not ask for it.
    let controller = app
        .login(
            &format!("{}.controller", app.tenant),
            crate::helpers::PASSWORD,
        )
        .await;
    let r = app
        .gql_as(
            Some(&controller),
            "mutation { requestInterimSummary { id } }",
            json!({}),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "FORBIDDEN", "{r}");
}

#[tokio::test]
async fn the_turnover_sheet_read_by_keyset_pages_is_the_reports_rows() {
    let app = TestApp::spawn().await;
    app.generate_and_calculate(30, 11).await;
    let (open, _) = open_and_previous();
    let period = open.format("%Y-%m").to_string();
    let input = json!({ "kind": "TURNOVER", "period": period });
    let all = app
        .gql(
            "query($i: ReportInput!) { report(input: $i, offset: 0, limit: 500) { rows totals total } }",
            json!({ "i": input }),
        )
        .await;
    let expected = rows(&all["data"]["report"]);
    assert!(expected.len() >= 30, "{all}");
    // Pages of 7 after the last number read: the same rows in the same order.
    let params = reports::catalog::check(&reports::catalog::ReportInput {
        kind: reports::catalog::ReportKind::Turnover,
        period: Some(period.clone()),
        from: None,
        to: None,
        branch_id: None,
        building_id: None,
        min_debt: None,
        controller_id: None,
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let txn = backend::tenancy::begin(&app.state.db, &app.tenant)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let reach = access::auth::Reach::default();
    let mut read: Vec<Vec<String>> = Vec::new();
    loop {
        let after = read.last().and_then(|r| r.first()).cloned();
        let page = reports::turnover::page_after(&txn, &reach, &params, after.as_deref(), 7)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 7);
        read.extend(page);
    }
    drop(txn);
    assert_eq!(read, expected);
    // The XLSX: a header, every row, the totals — the API's figures.
    let s = sheet(&app, input).await;
    assert_eq!(s.len(), expected.len() + 2, "{s:?}");
    assert_eq!(s[1][0], expected[0][0]);
    let total: Vec<String> = totals(&all["data"]["report"]);
    let number = |v: &str| {
        v.parse::<rust_decimal::Decimal>()
            .unwrap_or_else(|_| panic!("{v}"))
    };
    let last = s.last().cloned().unwrap_or_default();
    for i in 3..11 {
        assert_eq!(number(&last[i]), number(&total[i]), "column {i}: {s:?}");
    }
}
