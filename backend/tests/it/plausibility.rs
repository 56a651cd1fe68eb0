//! Readings far above a meter's usual month: an operator is asked to confirm; a
//! subscriber's is held for the office (told so in the portal), then accepted (entered as
//! submitted) or rejected with a reason the subscriber reads; every step audited.

use chrono::{Datelike, Months, NaiveDate};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, sql};
use crate::meters::setup;

const ENTER: &str = "mutation($i: ReadingInput!) { enterReading(input: $i) { reading { current consumption source } } }";
const SUBMIT: &str = "mutation($m: Int!, $c: String!) { submitPortalReading(meterId: $m, current: $c) { reading { current } held { id consumption usual usualBasis state } } }";
const HELD: &str = "{ heldReadings { total items { id meterSerial accountNumber period current consumption usual usualBasis submittedBy state } } }";
const PORTAL: &str =
    "query($a: Int!) { portalAccount(accountId: $a) { heldReadings { id current state note } } }";

/// A meter with three past months of 5 m³ each (10 → 25), on an account the demo
/// subscriber is also given; (meter, account, subscriber token, open month).
async fn meter_with_history(app: &TestApp) -> (i64, i64, String, String) {
    let (b, premises, account, model) = setup(app).await;
    let xvs = crate::readings::xvs(app).await;
    let r = app
        .gql(
            "mutation($i: MeterInput!) { createMeter(input: $i) { id } }",
            json!({ "i": { "serial": "ХВ-PL", "modelId": model, "serviceId": xvs, "buildingId": b, "premisesId": premises,
                           "installedOn": "2020-01-10", "initialReading": "10" } }),
        )
        .await;
    let meter = r["data"]["createMeter"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"));
    let open: String = app.gql("{ openPeriod }", json!({})).await["data"]["openPeriod"]
        .as_str()
        .unwrap_or_else(|| panic!("no open period"))
        .to_owned();
    let first = NaiveDate::parse_from_str(&format!("{open}-01"), "%Y-%m-%d")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut rows = Vec::new();
    for back in 1..=3u32 {
        let month = first
            .checked_sub_months(Months::new(back))
            .unwrap_or_else(|| panic!("month"));
        let current = 25 - 5 * (back - 1);
        rows.push(format!(
            "({meter}, DATE '{month}', DATE '{}', {}, {current}, 5, 'actual', 'operator', 'test', now())",
            month.with_day(20).unwrap_or(month),
            current - 5
        ));
    }
    sql(
        app,
        &format!(
            "INSERT INTO \"{{s}}\".readings (meter_id, period, taken_on, previous, current, consumption, basis, source, entered_by, entered_at) \
             VALUES {}; \
             INSERT INTO \"{{s}}\".subscriber_accounts (user_id, account_id) \
             SELECT DISTINCT user_id, {account} FROM \"{{s}}\".subscriber_accounts",
            rows.join(", ")
        ),
    )
    .await;
    let token = app
        .login(&format!("{}.subscriber", app.tenant), PASSWORD)
        .await;
    (meter, account, token, open)
}

fn held_id(r: &Value) -> i64 {
    r["data"]["submitPortalReading"]["held"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("not held: {r}"))
}

#[tokio::test]
async fn an_operator_confirms_a_reading_far_above_the_usual() {
    let app = TestApp::spawn().await;
    let (meter, _, _, _) = meter_with_history(&app).await;
    // 1000 m³ against a usual 5: asked, named, nothing written.
    let r = app
        .gql(
            ENTER,
            json!({ "i": { "meterId": meter, "current": "1025" } }),
        )
        .await;
    let e = &r["errors"][0];
    assert_eq!(e["extensions"]["code"], "NEEDS_CONFIRMATION", "{r}");
    assert_eq!(e["extensions"]["field"], "current", "{r}");
    let m = e["message"].as_str().unwrap_or_default();
    assert!(m.contains("1000") && m.contains('5'), "{m}");
    let none = app
        .gql(
            "query($m: Int!) { meterReadings(meterId: $m) { consumption } }",
            json!({ "m": meter }),
        )
        .await;
    assert_eq!(
        none["data"]["meterReadings"].as_array().map(Vec::len),
        Some(3),
        "{none}"
    );
    // In the user's language.
    let uk = app
        .gql_lang(
            "uk",
            ENTER,
            json!({ "i": { "meterId": meter, "current": "1025" } }),
        )
        .await;
    let m = uk["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(m.contains("утричі"), "{m}");
    // Three times the usual still passes without a question; confirmed, anything does.
    let r = app
        .gql(ENTER, json!({ "i": { "meterId": meter, "current": "40" } }))
        .await;
    assert_eq!(
        r["data"]["enterReading"]["reading"]["consumption"], "15",
        "{r}"
    );
    let r = app
        .gql(
            ENTER,
            json!({ "i": { "meterId": meter, "current": "1025", "confirmed": true } }),
        )
        .await;
    assert_eq!(
        r["data"]["enterReading"]["reading"],
        json!({ "current": "1025", "consumption": "1000", "source": "operator" }),
        "{r}"
    );
}

#[tokio::test]
async fn a_subscribers_implausible_reading_is_held_reviewed_and_told() {
    let app = TestApp::spawn().await;
    let (meter, account, token, open) = meter_with_history(&app).await;
    // Held, not written: the subscriber is told, with what was usual.
    let r = app
        .gql_as(Some(&token), SUBMIT, json!({ "m": meter, "c": "99999" }))
        .await;
    let held = &r["data"]["submitPortalReading"];
    assert!(held["reading"].is_null(), "{r}");
    assert_eq!(
        held["held"],
        json!({ "id": held_id(&r), "consumption": "99974", "usual": "5", "usualBasis": "average", "state": "held" }),
        "{r}"
    );
    let first = held_id(&r);
    let readings = app
        .gql(
            "query($m: Int!) { meterReadings(meterId: $m) { period } }",
            json!({ "m": meter }),
        )
        .await;
    assert!(
        !readings.to_string().contains(&open),
        "nothing is charged from a held value: {readings}"
    );
    // Submitting again in the month replaces the waiting value.
    let r = app
        .gql_as(Some(&token), SUBMIT, json!({ "m": meter, "c": "99990" }))
        .await;
    assert_eq!(held_id(&r), first, "{r}");
    let list = app.gql(HELD, json!({})).await;
    assert_eq!(list["data"]["heldReadings"]["total"], 1, "{list}");
    let item = &list["data"]["heldReadings"]["items"][0];
    assert_eq!(item["meterSerial"], "ХВ-PL", "{list}");
    assert_eq!(item["current"], "99990", "{list}");
    assert_eq!(item["period"], open, "{list}");

    // Rejected: a reason is required, and the subscriber reads it.
    let reject =
        "mutation($id: Int!, $n: String!) { rejectHeldReading(id: $id, note: $n) { state note } }";
    let r = app.gql(reject, json!({ "id": first, "n": " " })).await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "note", "{r}");
    let r = app
        .gql(
            reject,
            json!({ "id": first, "n": "The dial shows 45; please send a photo" }),
        )
        .await;
    assert_eq!(r["data"]["rejectHeldReading"]["state"], "rejected", "{r}");
    let p = app
        .gql_as(Some(&token), PORTAL, json!({ "a": account }))
        .await;
    assert_eq!(
        p["data"]["portalAccount"]["heldReadings"][0],
        json!({ "id": first, "current": "99990", "state": "rejected", "note": "The dial shows 45; please send a photo" }),
        "{p}"
    );
    let r = app.gql(reject, json!({ "id": first, "n": "again" })).await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "CONFLICT", "{r}");
    // The subscriber may not decide.
    let r = app
        .gql_as(
            Some(&token),
            "mutation($id: Int!) { acceptHeldReading(id: $id) { warning } }",
            json!({ "id": first }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "FORBIDDEN", "{r}");

    // Held again, then accepted: entered as the subscriber submitted it.
    let r = app
        .gql_as(Some(&token), SUBMIT, json!({ "m": meter, "c": "125" }))
        .await;
    let second = held_id(&r);
    assert_ne!(second, first);
    let r = app
        .gql(
            "mutation($id: Int!) { acceptHeldReading(id: $id) { reading { current consumption source } } }",
            json!({ "id": second }),
        )
        .await;
    assert_eq!(
        r["data"]["acceptHeldReading"]["reading"],
        json!({ "current": "125", "consumption": "100", "source": "portal" }),
        "{r}"
    );
    let list = app.gql(HELD, json!({})).await;
    assert_eq!(list["data"]["heldReadings"]["total"], 0, "{list}");
    let p = app
        .gql_as(Some(&token), PORTAL, json!({ "a": account }))
        .await;
    assert_eq!(
        p["data"]["portalAccount"]["heldReadings"][0]["state"], "accepted",
        "{p}"
    );

    // Each step is in the audit log as field changes.
    let log = app
        .gql(
            "{ auditLog(filter: { entity: \"held_reading\" }) { items { entityId action changes { field before after } } } }",
            json!({}),
        )
        .await;
    let items = log["data"]["auditLog"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let actions: Vec<&str> = items.iter().filter_map(|i| i["action"].as_str()).collect();
    assert_eq!(
        actions,
        ["accept", "hold", "reject", "hold", "hold"],
        "{log}"
    );
    let accepted = &items[0]["changes"];
    assert!(
        accepted.as_array().is_some_and(
            |c| c.contains(&json!({ "field": "state", "before": "held", "after": "accepted" }))
        ),
        "{accepted}"
    );
}

#[tokio::test]
async fn a_readings_file_row_far_above_the_usual_is_held_not_charged() {
    let app = TestApp::spawn().await;
    let worker = app.start_worker(app.state.clone(), "w-plausible");
    let (meter, _, _, open) = meter_with_history(&app).await;
    // 25 → 2025 is 2000 m³ against a usual 5: held with the reason, nothing charged.
    let csv = "Лічильник;Показання\nХВ-PL;2025\n";
    let job = crate::readings::import(&app, "readings.csv", csv.as_bytes()).await;
    let result = &job["result"];
    assert_eq!(
        (result["imported"].clone(), result["heldCount"].clone()),
        (json!(0), json!(1)),
        "{job}"
    );
    let reason = result["held"][0]["reason"].as_str().unwrap_or_default();
    // In the requester's language (the demo users read Ukrainian).
    assert!(
        reason.contains("2000") && reason.starts_with("відкладено на перевірку"),
        "{job}"
    );
    let readings = app
        .gql(
            "query($m: Int!) { meterReadings(meterId: $m) { period } }",
            json!({ "m": meter }),
        )
        .await;
    assert!(!readings.to_string().contains(&open), "{readings}");
    // The same file again changes nothing: one value waits.
    let again = crate::readings::import(&app, "readings.csv", csv.as_bytes()).await;
    assert_eq!(again["result"]["heldCount"], 1, "{again}");
    let list = app
        .gql(
            "{ heldReadings { total items { id source current } } }",
            json!({}),
        )
        .await;
    assert_eq!(list["data"]["heldReadings"]["total"], 1, "{list}");
    let item = &list["data"]["heldReadings"]["items"][0];
    assert_eq!(
        (item["source"].clone(), item["current"].clone()),
        (json!("import"), json!("2025")),
        "{list}"
    );
    // Accepted, it is entered as imported.
    let r = app
        .gql(
            "mutation($id: Int!) { acceptHeldReading(id: $id) { reading { current consumption source } } }",
            json!({ "id": item["id"] }),
        )
        .await;
    assert_eq!(
        r["data"]["acceptHeldReading"]["reading"],
        json!({ "current": "2025", "consumption": "2000", "source": "import" }),
        "{r}"
    );
    // Imported once more, the accepted value is the stored one: unchanged.
    let last = crate::readings::import(&app, "readings.csv", csv.as_bytes()).await;
    assert_eq!(
        (
            last["result"]["unchanged"].clone(),
            last["result"]["heldCount"].clone()
        ),
        (json!(1), json!(0)),
        "{last}"
    );
    worker.stop().await;
}
