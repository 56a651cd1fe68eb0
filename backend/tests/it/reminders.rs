//! Reminders by e-mail: the schedule's refusals by field, a tick on the chosen day starting
//! each kind once, the messages received by the local SMTP server in the tenant's language,
//! a message whose reason went before it was sent skipped, "send now", permissions, audit.

use std::time::Duration;

use backend::jobs::{JobMessage, runner};
use chrono::{Datelike, TimeZone, Utc};
use sea_orm::FromQueryResult;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, decoded, mails_to, sql};

const SAVE: &str = "mutation($i: ReminderSettingsInput!) { updateReminderSettings(input: $i) { readingsReminderDay paymentReminderDay reminderHour } }";

#[derive(FromQueryResult)]
struct Target {
    account_id: i64,
    email: String,
    meter_id: i64,
    serial: String,
    last: rust_decimal::Decimal,
}

#[derive(FromQueryResult)]
struct RunJob {
    job_id: uuid::Uuid,
}

fn stmt(app: &TestApp, text: &str) -> sea_orm::Statement {
    sea_orm::Statement::from_string(
        sea_orm::DbBackend::Postgres,
        text.replace("{s}", &app.tenant.schema()),
    )
}

async fn mails(app: &TestApp, kind: &str, day: &str) -> Vec<Value> {
    let r = app
        .gql(
            "query($k: String!, $d: NaiveDate!) { reminderMails(kind: $k, runOn: $d) { accountId email state attempts error } }",
            json!({ "k": kind, "d": day }),
        )
        .await;
    r["data"]["reminderMails"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("{r}"))
}

/// Polls until no message of the run is queued.
async fn settled(app: &TestApp, kind: &str, day: &str) -> Vec<Value> {
    for _ in 0..150 {
        let l = mails(app, kind, day).await;
        if !l.is_empty() && l.iter().all(|m| m["state"] != "queued") {
            return l;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    mails(app, kind, day).await
}

#[tokio::test]
async fn reminders_go_on_the_chosen_day_once_and_skip_what_was_done_meanwhile() {
    let app = TestApp::spawn().await;
    // Invoices first (the payment reminder asks for what the newest one leaves owed).
    app.generate_and_calculate(30, 5).await;

    // Three subscribers with an e-mail, each with an apartment meter not read this month
    // and an invoice that leaves something owed.
    let tag = uuid::Uuid::new_v4().simple().to_string();
    sql(&app, &format!(
        "UPDATE \"{{s}}\".subscribers s SET email = 'rem-{tag}-' || s.id || '@example.com' \
         WHERE s.id IN (SELECT a.subscriber_id FROM \"{{s}}\".accounts a JOIN \"{{s}}\".invoices v ON v.account_id = a.id \
                        WHERE v.closing > 0 AND EXISTS (SELECT 1 FROM \"{{s}}\".meters m WHERE m.account_id = a.id) \
                        ORDER BY a.id LIMIT 3)"
    ))
    .await;
    let targets = Target::find_by_statement(stmt(
        &app,
        "SELECT DISTINCT ON (a.id) a.id AS account_id, s.email, m.id AS meter_id, m.serial, \
             coalesce((SELECT r.current FROM \"{s}\".readings r WHERE r.meter_id = m.id ORDER BY r.period DESC LIMIT 1), m.initial_reading) AS last \
         FROM \"{s}\".accounts a JOIN \"{s}\".subscribers s ON s.id = a.subscriber_id \
         JOIN \"{s}\".meters m ON m.account_id = a.id WHERE s.email IS NOT NULL ORDER BY a.id, m.id",
    ))
    .all(&app.state.owner_db)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(targets.len(), 3, "three accounts to remind");

    // Refusals name their field, in the user's language.
    let r = app
        .gql_lang(
            "uk",
            SAVE,
            json!({ "i": { "readingsReminderDay": 32, "reminderHour": 9 } }),
        )
        .await;
    assert_eq!(
        r["errors"][0]["extensions"]["field"], "readingsReminderDay",
        "{r}"
    );
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("від 1 до 31"),
        "{r}"
    );
    let r = app
        .gql(
            SAVE,
            json!({ "i": { "paymentReminderDay": 10, "reminderHour": 24 } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "reminderHour", "{r}");

    // A day that is not today (the workers of other tests tick on the real clock), both
    // kinds on it, from 09:00 local time.
    let today = Utc::now().with_timezone(&chrono_tz_kyiv()).day();
    let day = if today == 5 { 6 } else { 5 };
    let r = app
        .gql(
            SAVE,
            json!({ "i": { "readingsReminderDay": day, "paymentReminderDay": day, "reminderHour": 9 } }),
        )
        .await;
    assert_eq!(
        r["data"]["updateReminderSettings"],
        json!({ "readingsReminderDay": day, "paymentReminderDay": day, "reminderHour": 9 }),
        "{r}"
    );
    let run_on = format!("2030-03-{day:02}");
    let early = Utc
        .with_ymd_and_hms(2030, 3, day, 5, 0, 0)
        .single()
        .unwrap_or_default(); // 07:00 in Kyiv: before the hour
    let due = Utc
        .with_ymd_and_hms(2030, 3, day, 8, 0, 0)
        .single()
        .unwrap_or_default(); // 10:00 in Kyiv
    let next_day = due + chrono::Duration::days(1);
    let tick = |now| backend::jobs::tick::tick_tenant(&app.state, &app.tenant, "Europe/Kyiv", now);
    assert_eq!(tick(early).await.unwrap_or(99), 0, "not before the hour");
    assert_eq!(tick(due).await.unwrap_or(99), 2, "both kinds start");
    assert_eq!(tick(due).await.unwrap_or(99), 0, "once a day");
    assert_eq!(tick(next_day).await.unwrap_or(99), 0, "not the next day");

    // The readings run's job queues the messages; one subscriber submits the reading
    // before the worker sends them: that message is skipped.
    let run = RunJob::find_by_statement(stmt(
        &app,
        &format!(
            "SELECT job_id FROM \"{{s}}\".reminder_runs WHERE kind = 'readings' AND run_on = '{run_on}'"
        ),
    ))
    .one(&app.state.owner_db)
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .unwrap_or_else(|| panic!("the readings run is recorded"));
    let outcome = runner::execute(
        &app.state,
        &JobMessage {
            tenant: app.tenant.as_str().to_owned(),
            job_id: run.job_id,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(outcome, runner::Outcome::Done);
    let queued = mails(&app, "readings", &run_on).await;
    assert_eq!(queued.len(), 3, "{queued:?}");
    let done = &targets[0];
    let r = app
        .gql(
            "mutation($i: ReadingInput!) { enterReading(input: $i) { reading { id } } }",
            json!({ "i": { "meterId": done.meter_id, "current": (done.last + rust_decimal::Decimal::from(4)).to_string() } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");

    let worker = app.start_worker(app.state.clone(), "reminders-send");
    let readings = settled(&app, "readings", &run_on).await;
    let state_of = |l: &[Value], account: i64| {
        l.iter()
            .find(|m| m["accountId"] == account)
            .map(|m| m["state"].as_str().unwrap_or_default().to_owned())
            .unwrap_or_default()
    };
    assert_eq!(
        state_of(&readings, done.account_id),
        "skipped",
        "{readings:?}"
    );
    for t in &targets[1..] {
        assert_eq!(state_of(&readings, t.account_id), "sent", "{readings:?}");
        let received = mails_to(&t.email);
        let reminder = received
            .iter()
            .find(|m| decoded(m).contains(&t.serial))
            .unwrap_or_else(|| panic!("a readings reminder to {}: {received:?}", t.email));
        assert!(
            decoded(reminder).contains("показники лічильників"),
            "in the tenant's language: {reminder}"
        );
    }
    assert!(
        mails_to(&done.email)
            .iter()
            .all(|m| !decoded(m).contains("показники лічильників")),
        "no readings reminder once the reading is in"
    );
    let payment = settled(&app, "payment", &run_on).await;
    assert_eq!(payment.len(), 3, "{payment:?}");
    assert!(
        payment
            .iter()
            .all(|m| m["state"] == "sent" && m["attempts"] == 1),
        "{payment:?}"
    );
    let pay = mails_to(&targets[1].email)
        .into_iter()
        .map(|m| decoded(&m))
        .find(|m| m.contains("до сплати"))
        .unwrap_or_else(|| panic!("a payment reminder"));
    assert!(pay.contains("UAH"), "the amount with its currency: {pay}");

    // "Send now" goes today (a day the schedule has not used); a second time is refused.
    let send = "mutation($k: String!) { sendRemindersNow(kind: $k) { id } }";
    let r = app.gql(send, json!({ "k": "readings" })).await;
    let job = app
        .wait_job(
            r["data"]["sendRemindersNow"]["id"]
                .as_str()
                .unwrap_or_else(|| panic!("{r}")),
            Duration::from_secs(60),
        )
        .await;
    assert_eq!(job["state"], "DONE", "{job}");
    assert_eq!(job["result"]["messages"], 2, "the two still unread: {job}");
    let r = app.gql(send, json!({ "k": "readings" })).await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "kind", "{r}");
    let r = app.gql(send, json!({ "k": "gossip" })).await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "kind", "{r}");
    let controller = app
        .login(&format!("{}.controller", app.tenant), PASSWORD)
        .await;
    let r = app
        .gql_as(Some(&controller), send, json!({ "k": "payment" }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "FORBIDDEN", "{r}");

    // The runs, counted by state; the audit trail.
    let r = app
        .gql(
            "{ reminderRuns { kind runOn requestedBy sent skipped failed queued } }",
            json!({}),
        )
        .await;
    let runs = r["data"]["reminderRuns"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let scheduled = runs
        .iter()
        .find(|x| x["kind"] == "readings" && x["runOn"] == run_on.as_str())
        .unwrap_or_else(|| panic!("{r}"));
    assert_eq!(scheduled["requestedBy"], "schedule");
    assert_eq!(
        (scheduled["sent"].as_i64(), scheduled["skipped"].as_i64()),
        (Some(2), Some(1))
    );
    assert!(
        runs.iter()
            .any(|x| x["requestedBy"] == format!("{}.admin", app.tenant)),
        "{r}"
    );
    assert_eq!(
        app.audit_actions("reminder_settings", None).await,
        vec!["update".to_owned()]
    );
    assert_eq!(app.audit_actions("reminder_run", None).await.len(), 3);

    // Leave no schedule behind for later ticks of the shared database.
    let r = app.gql(SAVE, json!({ "i": { "reminderHour": 9 } })).await;
    assert!(r["errors"].is_null(), "{r}");
    worker.stop().await;
}

/// Kyiv's offset is enough to pick "a day that is not today" (±1 day never matters).
fn chrono_tz_kyiv() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(2 * 3600).unwrap_or_else(|| panic!("offset"))
}
