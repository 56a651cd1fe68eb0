//! Scheduled reports (seed 000 §4.8): refusals by field and by permission, two workers
//! ticking at the slot start one run, the run's XLSX mailed once to each recipient with
//! the API's totals, a job delivered again not mailing again, the period and dates a run
//! reads, the history, audit and removal.

use std::time::Duration;

use chrono::{Datelike, NaiveDate, TimeZone, Utc};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, sql_number, unique_email};

const SAVE: &str = "mutation($id: Int, $i: ReportScheduleInput!) { saveReportSchedule(id: $id, input: $i) { id title kind frequency weekday hour recipients periodRule } }";
const LIST: &str = "{ reportSchedules { id title runs { slot jobId state rows mailedAt } } }";

fn field(r: &Value) -> (String, String) {
    let e = &r["errors"][0]["extensions"];
    (
        e["code"].as_str().unwrap_or_default().to_owned(),
        e["field"].as_str().unwrap_or_default().to_owned(),
    )
}

/// A mail's attachment bytes (the first part that is not text).
fn attachment(raw: &str) -> Option<Vec<u8>> {
    let m = mailparse::parse_mail(raw.as_bytes()).ok()?;
    m.subparts
        .iter()
        .find(|p| !p.ctype.mimetype.starts_with("text/"))
        .and_then(|p| p.get_body_raw().ok())
}

fn sheet_of(bytes: Vec<u8>) -> Vec<Vec<String>> {
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .unwrap_or_else(|e| panic!("{e}"));
    let sheet = calamine::Reader::worksheet_range_at(&mut book, 0)
        .unwrap_or_else(|| panic!("no sheet"))
        .unwrap_or_else(|e| panic!("{e}"));
    sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// What the run of `schedule_id` for `slot` forms.
async fn plan(
    txn: &sea_orm::DatabaseTransaction,
    schedule_id: i64,
    slot: NaiveDate,
) -> reports::schedules::RunPlan {
    let spec = reports::schedules::ScheduledReport { schedule_id, slot };
    reports::schedules::plan(txn, &spec)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn a_scheduled_report_is_formed_once_per_slot_and_mailed_to_each_recipient() {
    let app = TestApp::spawn().await;
    // A weekday that is not today's (the workers of other tests tick on the real clock).
    let today = Utc::now().weekday().number_from_monday();
    let weekday = (today + 2) % 7 + 1;
    let (one, two) = (unique_email(), unique_email());
    let input = |over: Value| {
        let mut i = json!({
            "title": "Абоненти щотижня",
            "report": { "kind": "SUBSCRIBER_COUNTS" },
            "frequency": "WEEKLY", "weekday": weekday, "hour": 9,
            "recipients": [one, format!(" {two} "), one.to_uppercase()],
        });
        if let (Some(i), Some(o)) = (i.as_object_mut(), over.as_object()) {
            for (k, v) in o {
                i.insert(k.clone(), v.clone());
            }
        }
        json!({ "i": i })
    };

    // Refusals name the field.
    for (over, expected) in [
        (json!({ "title": " " }), "title"),
        (json!({ "weekday": null }), "weekday"),
        (json!({ "weekday": 8 }), "weekday"),
        (json!({ "frequency": "MONTHLY" }), "monthDay"),
        (json!({ "hour": 24 }), "hour"),
        (json!({ "recipients": ["not an address"] }), "recipients"),
        (json!({ "recipients": [] }), "recipients"),
        (
            json!({ "report": { "kind": "DEBTORS", "minDebt": "-5" } }),
            "minDebt",
        ),
    ] {
        let r = app.gql(SAVE, input(over.clone())).await;
        assert_eq!(
            field(&r),
            ("VALIDATION".into(), expected.into()),
            "{over}: {r}"
        );
    }
    // The tenant admin's work: an accountant (reports, no settings) is refused.
    let accountant = app
        .login(&format!("{}.accountant", app.tenant), PASSWORD)
        .await;
    let r = app.gql_as(Some(&accountant), SAVE, input(json!({}))).await;
    assert_eq!(field(&r).0, "FORBIDDEN", "{r}");
    let r = app.gql_as(Some(&accountant), LIST, json!({})).await;
    assert_eq!(field(&r).0, "FORBIDDEN", "{r}");

    let r = app.gql(SAVE, input(json!({}))).await;
    let saved = &r["data"]["saveReportSchedule"];
    assert_eq!(
        (
            saved["kind"].clone(),
            saved["frequency"].clone(),
            saved["periodRule"].clone()
        ),
        (
            json!("SUBSCRIBER_COUNTS"),
            json!("weekly"),
            json!("last_closed")
        ),
        "{r}"
    );
    assert_eq!(
        saved["recipients"],
        json!([one, two]),
        "trimmed, once each: {r}"
    );
    let id = saved["id"].as_i64().unwrap_or_else(|| panic!("{r}"));

    // The slot: a day of 2030 on the schedule's weekday; 09:00 in Kyiv is 07:00 UTC.
    let slot = (1..=7)
        .filter_map(|d| NaiveDate::from_ymd_opt(2030, 3, d))
        .find(|d| d.weekday().number_from_monday() == weekday)
        .unwrap_or_else(|| panic!("a day"));
    let at = |h: u32| Utc.from_utc_datetime(&slot.and_hms_opt(h, 0, 0).unwrap_or_default());
    let tick = |now| backend::jobs::tick::tick_tenant(&app.state, &app.tenant, "Europe/Kyiv", now);
    assert_eq!(tick(at(6)).await.unwrap_or(99), 0, "not before the hour");
    // Two workers tick at the slot at once: one run.
    let (x, y) = tokio::join!(tick(at(7)), tick(at(7)));
    assert_eq!(
        x.unwrap_or(99) + y.unwrap_or(99),
        1,
        "one run for two ticks"
    );
    assert_eq!(tick(at(12)).await.unwrap_or(99), 0, "once a slot");
    assert_eq!(
        tick(at(7) + chrono::Duration::days(1)).await.unwrap_or(99),
        0,
        "not the next day"
    );
    assert_eq!(
        sql_number(
            &app,
            &format!("SELECT count(*) FROM \"{{s}}\".report_runs WHERE schedule_id = {id}")
        )
        .await,
        1
    );

    // Two workers take the queue; the run's job forms and mails the report.
    let w1 = app.start_worker(app.state.clone(), "schedules-1");
    let w2 = app.start_worker(app.state.clone(), "schedules-2");
    let r = app.gql(LIST, json!({})).await;
    let runs = r["data"]["reportSchedules"][0]["runs"].clone();
    assert_eq!(runs[0]["slot"], slot.to_string(), "{r}");
    let job = runs[0]["jobId"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let done = app.wait_job(&job, Duration::from_secs(60)).await;
    assert_eq!(done["state"], "DONE", "{done}");
    w1.stop().await;
    w2.stop().await;

    // Each recipient has it once, with the API's figures.
    let api = app
        .gql(
            "query { report(input: { kind: SUBSCRIBER_COUNTS }, limit: 500) { rows totals total } }",
            json!({}),
        )
        .await;
    let totals: Vec<String> = api["data"]["report"]["totals"]
        .as_array()
        .map(|t| {
            t.iter()
                .map(|v| v.as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_else(|| panic!("{api}"));
    for to in [&one, &two] {
        let mails = crate::helpers::mails_to(to);
        assert_eq!(mails.len(), 1, "one mail to {to}");
        let sheet = sheet_of(attachment(&mails[0]).unwrap_or_else(|| panic!("an attachment")));
        let last = sheet.last().cloned().unwrap_or_default();
        // The totals row: its numbers are the API's (the first cell is the label).
        assert_eq!(last.get(1..), totals.get(1..), "{sheet:?} vs {api}");
        assert!(
            mails[0].contains("Subject:"),
            "a subject line: {}",
            mails[0]
        );
    }
    let r = app.gql(LIST, json!({})).await;
    let run = &r["data"]["reportSchedules"][0]["runs"][0];
    assert_eq!(run["state"], "done", "{r}");
    assert!(!run["mailedAt"].is_null(), "{r}");
    assert_eq!(
        run["rows"].as_i64(),
        api["data"]["report"]["total"].as_i64(),
        "{r}"
    );

    // The same job delivered again after it ran (a redelivered message, a retry) mails
    // nothing more.
    crate::helpers::redeliver(&app, &job).await;
    assert_eq!(crate::helpers::mails_to(&one).len(), 1, "not mailed again");

    // What a run reads: a period report the latest closed period (or the open one), a
    // date-range report the interval the slot closes.
    let r = app
        .gql(
            SAVE,
            input(
                json!({ "title": "Реєстр оплат", "report": { "kind": "PAYMENT_REGISTER" },
                "frequency": "MONTHLY", "monthDay": 1 }),
            ),
        )
        .await;
    let register = r["data"]["saveReportSchedule"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"));
    let r = app
        .gql(
            SAVE,
            input(json!({ "title": "Зведена", "report": { "kind": "SUMMARY" }, "periodRule": "OPEN" })),
        )
        .await;
    let summary = r["data"]["saveReportSchedule"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"));
    let txn = backend::tenancy::begin(&app.state.db, &app.tenant)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let open = metering::readings::current_open(&txn)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let day = |m, d| NaiveDate::from_ymd_opt(2030, m, d);
    let p = plan(&txn, register, day(4, 1).unwrap_or_default()).await;
    assert_eq!((p.report.from, p.report.to), (day(3, 1), day(3, 31)));
    assert_eq!(p.recipients, vec![one.clone(), two.clone()]);
    let p = plan(&txn, summary, slot).await;
    assert_eq!(p.report.period, Some(open.to_string()));
    let p = plan(&txn, id, slot).await;
    assert!(p.mailed, "the run records its mail");
    drop(txn);

    // Changed and removed, each audited; removing takes the run records with it.
    let r = app
        .gql(
            SAVE,
            json!({ "id": id, "i": input(json!({ "hour": 7 }))["i"] }),
        )
        .await;
    assert_eq!(r["data"]["saveReportSchedule"]["hour"], 7, "{r}");
    for s in [id, register, summary] {
        let r = app
            .gql(
                "mutation($id: Int!) { deleteReportSchedule(id: $id) }",
                json!({ "id": s }),
            )
            .await;
        assert_eq!(r["data"]["deleteReportSchedule"], s, "{r}");
    }
    let r = app
        .gql(
            "mutation($id: Int!) { deleteReportSchedule(id: $id) }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(field(&r).0, "NOT_FOUND", "{r}");
    assert_eq!(
        sql_number(
            &app,
            &format!("SELECT count(*) FROM \"{{s}}\".report_runs WHERE schedule_id = {id}")
        )
        .await,
        0
    );
    let mut actions = app
        .audit_actions("report_schedule", Some(id.to_string()))
        .await;
    actions.sort();
    assert_eq!(actions, vec!["create", "delete", "update"]);
}
