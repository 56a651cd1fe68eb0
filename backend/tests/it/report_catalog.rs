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
