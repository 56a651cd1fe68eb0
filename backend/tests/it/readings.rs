//! Readings: entered as a current reading or a consumption, derived with the meter's
//! wrap-around, corrected under the two rules, cleared for a building, read back as
//! history, and imported from CSV and XLSX files by a worker job with a protocol.

use std::time::Duration;

use chrono::{Datelike, Months};
use serde_json::{Value, json};

use crate::helpers::{TestApp, sql, sql_expect};
use crate::meters::setup;

const ENTER: &str = "mutation($i: ReadingInput!) { enterReading(input: $i) { warning reading { period previous current consumption flag source } } }";
const CREATE: &str =
    "mutation($i: MeterInput!) { createMeter(input: $i) { id serial accountNumber } }";

/// The open period (YYYY-MM) and its first day.
async fn open_period(app: &TestApp) -> (String, String) {
    let r = app.gql("{ openPeriod }", json!({})).await;
    let p = r["data"]["openPeriod"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let today = chrono::Utc::now().date_naive();
    assert_eq!(
        p,
        format!("{:04}-{:02}", today.year(), today.month()),
        "a new tenant's open period is the current month: {r}"
    );
    (p.clone(), format!("{p}-01"))
}

pub async fn xvs(app: &TestApp) -> Value {
    app.gql(
        "{ referenceBook(book: SERVICES, search: \"xvs\") { items { id } } }",
        json!({}),
    )
    .await["data"]["referenceBook"]["items"][0]["id"]
        .clone()
}

#[tokio::test]
async fn readings_are_derived_corrected_under_the_rules_and_cleared() {
    let app = TestApp::spawn().await;
    let (b, premises, account, model) = setup(&app).await;
    let (period, first) = open_period(&app).await;
    let input = json!({ "serial": "ХВ-500", "modelId": model, "serviceId": xvs(&app).await, "buildingId": b,
        "premisesId": premises, "installedOn": "2022-12-10", "initialReading": "12,5" });
    let r = app.gql(CREATE, json!({ "i": input })).await;
    let id = r["data"]["createMeter"]["id"].clone();
    let enter = |v: Value| {
        let mut i = json!({ "meterId": id, "takenOn": first });
        if let (Some(o), Some(c)) = (i.as_object_mut(), v.as_object()) {
            o.extend(c.clone());
        }
        app.gql_lang("uk", ENTER, json!({ "i": i }))
    };

    // The current reading gives the consumption, in the open period, with the warning.
    let r = enter(json!({ "current": "20,5" })).await;
    assert_eq!(
        r["data"]["enterReading"]["reading"],
        json!({ "period": first, "previous": "12.5", "current": "20.5", "consumption": "8", "flag": "Ф", "source": "OPERATOR".to_lowercase() }),
        "{r}"
    );
    let warning = r["data"]["enterReading"]["warning"]
        .as_str()
        .unwrap_or_default();
    assert!(warning.contains("відкритого періоду"), "{r}");
    // Entered again: a correction, here by the consumption; a calculated one keeps its flag.
    let r = enter(json!({ "consumption": "3", "basis": "CALCULATED" })).await;
    assert_eq!(
        r["data"]["enterReading"]["reading"]["current"], "15.5",
        "{r}"
    );
    assert_eq!(r["data"]["enterReading"]["reading"]["flag"], "Р", "{r}");
    // Five digits: a smaller reading is the dial going round.
    let r = enter(json!({ "current": "10" })).await;
    assert_eq!(
        r["data"]["enterReading"]["reading"]["consumption"], "99997.5",
        "{r}"
    );
    let r = enter(json!({ "current": "20.5" })).await;
    assert_eq!(
        r["data"]["enterReading"]["reading"]["consumption"], "8",
        "{r}"
    );

    // Refusals name the field, in the user's language.
    let next_month = chrono::NaiveDate::parse_from_str(&first, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.checked_add_months(Months::new(1)))
        .map(|d| d.to_string())
        .unwrap_or_default();
    for (change, field) in [
        (json!({}), "current"),
        (json!({ "current": "1", "consumption": "1" }), "current"),
        (json!({ "current": "100000" }), "current"),
        (json!({ "current": "x" }), "current"),
        (json!({ "current": "30", "takenOn": next_month }), "takenOn"),
        (
            json!({ "current": "30", "takenOn": "2022-01-01" }),
            "takenOn",
        ),
        (json!({ "current": "30", "period": "2020-01" }), "period"),
        (json!({ "current": "30", "period": "2026/1" }), "period"),
    ] {
        let r = enter(change.clone()).await;
        assert_eq!(
            r["errors"][0]["extensions"]["field"], field,
            "{change}: {r}"
        );
    }
    // A closed period refuses directly: PERIOD_CLOSED.
    sql(
        &app,
        "INSERT INTO {s}.periods (month, state) VALUES (date '2023-01-01', 'closed')",
    )
    .await;
    let r = enter(json!({ "current": "30", "period": "2023-01", "takenOn": "2023-01-31" })).await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "PERIOD_CLOSED", "{r}");

    // Reading at verification: the open period's reading, source "verification".
    let verify = "mutation($id: Int!, $d: NaiveDate!, $r: String) { verifyMeter(id: $id, verifiedOn: $d, reading: $r) { lastReading lastFlag } }";
    let r = app
        .gql(verify, json!({ "id": id, "d": first, "r": "21" }))
        .await;
    assert_eq!(r["data"]["verifyMeter"]["lastReading"], "21", "{r}");
    assert_eq!(r["data"]["verifyMeter"]["lastFlag"], "Ф", "{r}");

    // An earlier period reopened: nothing may slip in under the open period's reading.
    sql(
        &app,
        "UPDATE {s}.periods SET state = 'open' WHERE month = date '2023-01-01'",
    )
    .await;
    let r = enter(json!({ "current": "14", "period": "2023-01", "takenOn": "2023-01-31" })).await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "current", "{r}");
    let message = r["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("пізнішому періоді"), "{r}");
    sql(
        &app,
        "DELETE FROM {s}.periods WHERE month = date '2023-01-01'",
    )
    .await;

    // A payment in the period protects the reading from corrections and from clearing.
    sql(
        &app,
        &format!(
            "INSERT INTO {{s}}.payments (account_id, period, charge_period, amount, paid_on, received_on) VALUES ({account}, date '{first}', date '{first}', 100, date '{first}', date '{first}')"
        ),
    )
    .await;
    let r = enter(json!({ "current": "22" })).await;
    let message = r["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("оплата"), "{r}");
    let clear = "mutation($b: Int!) { clearBuildingReadings(buildingId: $b) { period cleared skipped { serial reason } warning } }";
    let r = app.gql(clear, json!({ "b": b })).await;
    assert_eq!(r["data"]["clearBuildingReadings"]["cleared"], 0, "{r}");
    assert_eq!(
        r["data"]["clearBuildingReadings"]["skipped"][0]["serial"], "ХВ-500",
        "{r}"
    );
    assert!(
        r["data"]["clearBuildingReadings"]["warning"].is_null(),
        "{r}"
    );
    sql(&app, "UPDATE {s}.payments SET cancelled_at = now()").await;

    // History of an interval.
    let history = "query($id: Int!, $f: String, $t: String) { meterReadings(meterId: $id, from: $f, to: $t) { period current source } }";
    let r = app
        .gql(history, json!({ "id": id, "f": period, "t": period }))
        .await;
    assert_eq!(
        r["data"]["meterReadings"],
        json!([{ "period": first, "current": "21", "source": "verification" }]),
        "{r}"
    );
    let r = app.gql(history, json!({ "id": id, "t": "2021-01" })).await;
    assert_eq!(r["data"]["meterReadings"], json!([]), "{r}");

    // Cleared once the payment is cancelled; the warning says invoices must be re-formed.
    let r = app.gql(clear, json!({ "b": b })).await;
    assert_eq!(r["data"]["clearBuildingReadings"]["cleared"], 1, "{r}");
    assert!(
        r["data"]["clearBuildingReadings"]["warning"].is_string(),
        "{r}"
    );
    let r = app.gql(history, json!({ "id": id })).await;
    assert_eq!(r["data"]["meterReadings"], json!([]), "{r}");

    // Once a closed period holds a reading of the meter its base fields are locked; the
    // rest of the card can still be corrected.
    sql(
        &app,
        &format!(
            "INSERT INTO {{s}}.periods (month, state) VALUES (date '2023-02-01', 'closed'); \
             INSERT INTO {{s}}.readings (meter_id, period, taken_on, previous, current, consumption, entered_by, entered_at) \
             VALUES ({id}, date '2023-02-01', date '2023-02-20', 12.5, 13, 0.5, 'test', now())"
        ),
    )
    .await;
    let update =
        "mutation($id: Int!, $i: MeterInput!) { updateMeter(id: $id, input: $i) { place } }";
    let mut changed = input.clone();
    changed["initialReading"] = json!("13");
    let r = app.gql(update, json!({ "id": id, "i": changed })).await;
    assert_eq!(
        r["errors"][0]["extensions"]["field"], "initialReading",
        "{r}"
    );
    let mut place = input.clone();
    place["place"] = json!("ванна");
    let r = app.gql(update, json!({ "id": id, "i": place })).await;
    assert_eq!(r["data"]["updateMeter"]["place"], "ванна", "{r}");

    // The card's history lists its changes with who made them.
    let r = app
        .gql(
            "query($id: Int!) { meterChanges(id: $id) { action actorLogin } }",
            json!({ "id": id }),
        )
        .await;
    let changes: Vec<&str> = r["data"]["meterChanges"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["action"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(changes, ["update", "verify", "create"], "{r}");
    assert!(
        r["data"]["meterChanges"][0]["actorLogin"]
            .as_str()
            .is_some_and(|l| l.ends_with(".admin")),
        "{r}"
    );

    let actions = app.audit_actions("reading", None).await;
    assert_eq!(
        actions,
        ["correct", "correct", "correct", "correct", "enter"],
        "audit"
    );
}

const IMPORT: &str = "mutation($file: Upload!) { importReadings(file: $file) { id } }";

pub async fn import(app: &TestApp, name: &str, file: &[u8]) -> Value {
    let r = app.upload_gql(IMPORT, json!({}), name, file).await;
    let id = r["data"]["importReadings"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let job = app.wait_job(&id, Duration::from_secs(30)).await;
    assert_eq!(job["state"], "DONE", "{job}");
    job
}

#[tokio::test]
async fn a_readings_file_is_imported_once_with_a_protocol_of_what_was_not() {
    let app = TestApp::spawn().await;
    let worker = app.start_worker(app.state.clone(), "w-readings");
    let (b, premises, _account, model) = setup(&app).await;
    let (_, first) = open_period(&app).await;
    let service = xvs(&app).await;
    let mut account_number = String::new();
    for (serial, method, place) in [
        ("ХВ-1", "apartment", Some(premises)),
        ("БУД-1", "building", None),
        ("ХВ-3", "riser", None),
    ] {
        let r = app
            .gql(CREATE, json!({ "i": { "serial": serial, "modelId": model, "serviceId": service, "buildingId": b,
                "installMethod": method, "premisesId": place, "installedOn": "2022-12-10", "initialReading": "10" } }))
            .await;
        if let Some(a) = r["data"]["createMeter"]["accountNumber"].as_str() {
            account_number = a.to_owned();
        }
        assert!(r["data"]["createMeter"]["id"].is_number(), "{r}");
    }
    let csv = format!(
        "Лічильник;Показання;Споживання;Особовий рахунок\n\
         ХВ-1;20,5;;\n\
         БУД-1;;100;\n\
         НЕМА;5;;\n\
         ;30;;{account_number}\n\
         ХВ-3;abc;;\n\
         ;;;\n"
    );
    let job = import(&app, "readings.csv", csv.as_bytes()).await;
    let result = &job["result"];
    assert_eq!(
        (
            result["rows"].clone(),
            result["imported"].clone(),
            result["unchanged"].clone(),
            result["rejectedCount"].clone()
        ),
        (json!(5), json!(2), json!(0), json!(3)),
        "{job}"
    );
    let rejected: Vec<(u64, String)> = result["rejected"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| {
                    (
                        r["line"].as_u64().unwrap_or(0),
                        r["reason"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        rejected,
        [
            (4, "робочого лічильника не знайдено".to_owned()),
            (5, "лічильник у файлі повторюється (рядок 2)".to_owned()),
            (6, "\"abc\" — не число".to_owned()),
        ],
        "{job}"
    );

    // The same file again changes nothing.
    let again = import(&app, "readings.csv", csv.as_bytes()).await;
    assert_eq!(again["result"]["imported"], 0, "{again}");
    assert_eq!(again["result"]["unchanged"], 2, "{again}");
    let list = app
        .gql(
            "{ meters(search: \"БУД-1\") { items { lastReading lastConsumption lastPeriod } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        list["data"]["meters"]["items"][0],
        json!({ "lastReading": "110", "lastConsumption": "100", "lastPeriod": first }),
        "{list}"
    );

    // The protocol downloads as XLSX: a header and the three rows.
    let id = job["id"].as_str().unwrap_or_default();
    let resp = app
        .http
        .get(format!("{}/files/jobs/{id}", app.base))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resp.status(), 200);
    let bytes = resp.bytes().await.unwrap_or_else(|e| panic!("{e}"));
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap_or_else(|e| panic!("{e}"));
    let range = book
        .worksheet_range_at(0)
        .unwrap_or_else(|| panic!("no sheet"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(range.height(), 4);

    // An XLSX with English headers, numbers as numbers.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let xlsx = (|| -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let ws = wb.add_worksheet();
        ws.write(0, 0, "Serial")?;
        ws.write(0, 1, "Reading")?;
        ws.write(1, 0, "ХВ-3")?;
        ws.write(1, 1, 12.25)?;
        wb.save_to_buffer()
    })()
    .unwrap_or_else(|e| panic!("{e}"));
    let job = import(&app, "readings.xlsx", &xlsx).await;
    assert_eq!(job["result"]["imported"], 1, "{job}");
    let r = app
        .gql(
            "{ meters(search: \"ХВ-3\") { items { lastReading lastConsumption } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        r["data"]["meters"]["items"][0],
        json!({ "lastReading": "12.25", "lastConsumption": "2.25" }),
        "{r}"
    );

    // A meter reader (readings, no reports) imports and follows the job they started.
    let login = format!("{}.reader", app.tenant);
    let r = app
        .gql(
            "mutation($l: String!) { createUser(input: { login: $l, displayName: \"Reader\", password: \"Лічильник-2026-читач\", roles: [\"controller\"] }) { id } }",
            json!({ "l": login }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let reader = app.login(&login, "Лічильник-2026-читач").await;
    let csv = "Лічильник;Показання\nХВ-3;13\n";
    let r = app
        .upload_gql_as(Some(&reader), IMPORT, json!({}), "r.csv", csv.as_bytes())
        .await;
    let id = r["data"]["importReadings"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let mut state = Value::Null;
    for _ in 0..100 {
        let r = app
            .gql_as(
                Some(&reader),
                "query($id: UUID!) { job(id: $id) { state result } }",
                json!({ "id": id }),
            )
            .await;
        state = r["data"]["job"].clone();
        if state["state"] == "DONE" || r["errors"].is_array() {
            assert!(r["errors"].is_null(), "{r}");
            break;
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    assert_eq!(state["result"]["imported"], 1, "{state}");

    // A file that names no known column fails with the reason.
    let r = app
        .upload_gql(IMPORT, json!({}), "x.csv", b"a;b\n1;2\n")
        .await;
    let id = r["data"]["importReadings"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let job = app.wait_job(&id, Duration::from_secs(30)).await;
    assert_eq!(job["state"], "FAILED", "{job}");
    assert!(
        job["error"]
            .as_str()
            .unwrap_or_default()
            .starts_with("file:"),
        "{job}"
    );

    // Spreadsheets that used to take the worker down: a date-styled 1e15 (a panic in the
    // date conversion), a sheet reaching cell XFD1048576 (a grid of 1.7e10 cells). The first
    // imports with its row refused, the second fails with the limit it broke; the worker
    // goes on.
    let workbook = |far: bool| {
        let mut book = rust_xlsxwriter::Workbook::new();
        let made = (|| -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
            let date = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
            let ws = book.add_worksheet();
            ws.write(0, 0, "Лічильник")?;
            ws.write(0, 1, "Показання")?;
            ws.write(0, 2, "Дата")?;
            ws.write(1, 0, "НЕМА-2")?;
            ws.write(1, 1, 5)?;
            ws.write_number_with_format(1, 2, 1e15, &date)?;
            if far {
                ws.write(1_048_575, 16_383, "x")?;
            }
            book.save_to_buffer()
        })();
        made.unwrap_or_else(|e| panic!("{e}"))
    };
    let job = import(&app, "huge-date.xlsx", &workbook(false)).await;
    assert_eq!(job["result"]["rejected"][0]["line"], 2, "{job}");
    let r = app
        .upload_gql(IMPORT, json!({}), "far.xlsx", &workbook(true))
        .await;
    let id = r["data"]["importReadings"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let job = app.wait_job(&id, Duration::from_secs(30)).await;
    assert_eq!(job["state"], "FAILED", "{job}");
    assert_eq!(
        job["error"], "file: has more than 256 columns; split it",
        "{job}"
    );
    let job = import(
        &app,
        "again.csv",
        "Лічильник;Показання\nНЕМА-3;5\n".as_bytes(),
    )
    .await;
    assert_eq!(job["state"], "DONE", "the worker goes on: {job}");
    worker.stop().await;
}

#[tokio::test]
async fn a_zero_typed_over_the_months_reading_clears_it() {
    let app = TestApp::spawn().await;
    let (b, premises, _, model) = setup(&app).await;
    let (_, first) = open_period(&app).await;
    let input = json!({ "serial": "ХВ-0", "modelId": model, "serviceId": xvs(&app).await, "buildingId": b,
        "premisesId": premises, "installedOn": "2022-12-10", "initialReading": "1" });
    let r = app.gql(CREATE, json!({ "i": input })).await;
    let id = r["data"]["createMeter"]["id"].clone();
    assert!(id.is_i64(), "{r}");
    let enter = |current: &str| {
        app.gql_lang(
            "uk",
            "mutation($i: ReadingInput!) { enterReading(input: $i) { cleared warning reading { current consumption } } }",
            json!({ "i": { "meterId": id, "takenOn": first, "current": current } }),
        )
    };
    // Nothing to clear yet: the 0 is refused naming the field, in the user's language.
    let r = enter("0").await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "current", "{r}");
    let text = r["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(text.contains("очищає показник"), "{r}");
    // 7 m³ used, then 0 over it: the month's reading is gone, audited, with the warning.
    let r = enter("8").await;
    assert_eq!(
        r["data"]["enterReading"]["reading"]["consumption"], "7",
        "{r}"
    );
    let r = enter("0").await;
    let e = &r["data"]["enterReading"];
    assert_eq!(e["cleared"], true, "{r}");
    assert!(e["reading"].is_null());
    assert!(
        e["warning"]
            .as_str()
            .unwrap_or_default()
            .contains("відкритого періоду"),
        "{r}"
    );
    sql_expect(
        &app,
        &format!("SELECT count(*) FROM \"{{s}}\".readings WHERE meter_id = {id}"),
        0,
    )
    .await;
    assert_eq!(
        app.audit_actions("reading", None)
            .await
            .first()
            .map(String::as_str),
        Some("delete")
    );
}
