//! The walking skeleton's job, end to end: mutation → Redis → worker → object store →
//! SMTP, with its state visible through GraphQL; retries, failure, a worker killed
//! mid-job, and a message delivered twice.

use std::time::Duration;

use backend::{AppState, jobs};
use serde_json::json;

use crate::helpers::{TestApp, mails_to, settings_with, unique_email};

const REQUEST: &str = "mutation($e: String!) { requestAccountsExport(email: $e) { id state } }";

async fn request_export(app: &TestApp, email: &str) -> String {
    let r = app.gql(REQUEST, json!({ "e": email })).await;
    assert_eq!(r["data"]["requestAccountsExport"]["state"], "QUEUED", "{r}");
    r["data"]["requestAccountsExport"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no job id in {r}"))
        .to_owned()
}

/// The admin's own address: an export is mailed to its requester only.
fn own_email(app: &TestApp) -> String {
    format!("admin@{}.example", app.tenant)
}

/// The app's own settings with some values changed (a worker with another SMTP server).
async fn state_like(app: &TestApp, extra: &[(&str, &str)]) -> AppState {
    let queue = app.state.settings.redis.queue.clone();
    AppState::new(settings_with(&app.tenant, &queue, extra))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn export_job_writes_the_file_and_mails_it() {
    let app = TestApp::spawn().await;
    let worker = app.start_worker(app.state.clone(), "w-export");
    let email = own_email(&app);
    let id = request_export(&app, &email).await;

    let job = app.wait_job(&id, Duration::from_secs(30)).await;
    assert_eq!(job["state"], "DONE", "{job}");
    assert_eq!(job["attempts"], 1);
    assert_eq!(job["progress"], 100);
    assert_eq!(job["result"]["rows"], 8);

    // The file is in the object store under the tenant's prefix.
    let key = job["result"]["objectKey"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        key,
        format!("tenants/{}/exports/accounts-{id}.csv", app.tenant)
    );
    let body = app
        .state
        .store
        .get(&key)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let csv = String::from_utf8(body).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        csv.contains("100001;Фролов Степан;Київ, вул. Хрещатик, 2, кв. 45;2;111.00"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 9, "header + 8 accounts");

    // The mail reached the SMTP server, with the CSV attached.
    let mails = mails_to(&email);
    assert_eq!(mails.len(), 1, "exactly one message to {email}");
    let mail = &mails[0];
    assert!(mail.contains("Subject: Accounts export"), "{mail}");
    assert!(mail.contains("Content-Disposition: attachment"), "{mail}");
    assert!(mail.contains(&format!("accounts-{id}.csv")), "{mail}");
    worker.stop().await;
}

#[tokio::test]
async fn failing_job_is_retried_then_marked_failed_with_its_reason() {
    let app = TestApp::spawn().await;
    // Nothing listens on port 1: every attempt to send fails.
    let broken = state_like(&app, &[("APP_SMTP__PORT", "1")]).await;
    let worker = app.start_worker(broken, "w-broken");
    let id = request_export(&app, &own_email(&app)).await;

    let job = app.wait_job(&id, Duration::from_secs(30)).await;
    assert_eq!(job["state"], "FAILED", "{job}");
    assert_eq!(
        job["attempts"], 3,
        "max_attempts attempts, then failed: {job}"
    );
    let error = job["error"].as_str().unwrap_or_default();
    assert!(error.starts_with("mail error"), "{job}");
    worker.stop().await;
}

/// An SMTP "server" that accepts connections and never says a word, so a job sending
/// mail through it hangs mid-run — the moment to kill its worker.
async fn silent_smtp() -> (u16, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let port = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("{e}"))
        .port();
    let handle = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock);
        }
    });
    (port, handle)
}

#[tokio::test]
async fn job_of_a_killed_worker_is_finished_by_the_next_one() {
    let app = TestApp::spawn().await;
    let (port, _smtp) = silent_smtp().await;
    let hanging = state_like(&app, &[("APP_SMTP__PORT", &port.to_string())]).await;
    let first = app.start_worker(hanging, "w-crash");
    let email = own_email(&app);
    let id = request_export(&app, &email).await;

    // Wait until the first worker has stored the file and is stuck sending the mail.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let r = app
            .gql(
                "query($id: UUID!) { job(id: $id) { state progress } }",
                json!({ "id": id }),
            )
            .await;
        if r["data"]["job"]["state"] == "RUNNING" && r["data"]["job"]["progress"] == 60 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "job never got stuck mid-run: {r}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    first.kill();

    // Another worker notices the dead one's missed heartbeats and takes its message over.
    let second = app.start_worker(app.state.clone(), "w-crash-2");
    let job = app.wait_job(&id, Duration::from_secs(30)).await;
    assert_eq!(job["state"], "DONE", "{job}");
    assert_eq!(
        job["attempts"], 2,
        "the killed attempt and the one that finished: {job}"
    );
    assert_eq!(
        mails_to(&email).len(),
        1,
        "one message, not one per attempt"
    );
    second.stop().await;
}

#[tokio::test]
async fn a_message_delivered_twice_runs_the_job_once() {
    let app = TestApp::spawn().await;
    let email = own_email(&app);
    let id = request_export(&app, &email).await;
    // The same message a second time, before any worker runs.
    let msg = jobs::JobMessage {
        tenant: app.tenant.as_str().to_owned(),
        job_id: id.parse().unwrap_or_else(|e| panic!("{e}")),
    };
    app.state
        .queue
        .push(msg.clone())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let worker = app.start_worker(app.state.clone(), "w-twice");
    let job = app.wait_job(&id, Duration::from_secs(30)).await;
    assert_eq!(job["state"], "DONE", "{job}");
    // And once more after it finished.
    app.state
        .queue
        .push(msg)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tokio::time::sleep(Duration::from_secs(3)).await;
    let job = app.wait_job(&id, Duration::from_secs(5)).await;
    assert_eq!(job["attempts"], 1, "{job}");
    assert_eq!(mails_to(&email).len(), 1);
    worker.stop().await;
}

#[tokio::test]
async fn a_job_whose_message_was_lost_is_recovered() {
    let app = TestApp::spawn().await;
    let email = unique_email();
    // Record the job without queueing its message, as if Redis had lost it.
    let txn = backend::tenancy::begin(&app.state.db, &app.tenant)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let kind = jobs::JobKind::AccountsExport {
        email: email.clone(),
        reach: Default::default(),
    };
    let (row, _msg) = jobs::record(
        &txn,
        &app.tenant,
        &kind,
        chrono::Utc::now() - chrono::Duration::minutes(10),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    txn.commit().await.unwrap_or_else(|e| panic!("{e}"));

    let pushed = jobs::recover(&app.state, chrono::Duration::minutes(5))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(pushed >= 1, "the stalled job is re-queued");
    let worker = app.start_worker(app.state.clone(), "w-recover");
    let job = app
        .wait_job(&row.id.to_string(), Duration::from_secs(30))
        .await;
    assert_eq!(job["state"], "DONE", "{job}");
    assert_eq!(mails_to(&email).len(), 1);
    worker.stop().await;
}

async fn download(app: &TestApp, token: &str, id: &str) -> reqwest::Response {
    app.http
        .get(format!("{}/files/jobs/{id}", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn list_export_writes_the_filtered_sorted_list_to_xlsx() {
    use calamine::{Reader, Xlsx};
    let app = TestApp::spawn().await;
    let worker = app.start_worker(app.state.clone(), "w-xlsx");
    let q = "mutation { requestListExport(input: { list: ACCOUNTS, search: \"Хрещатик\", sort: BALANCE, desc: true, lang: \"uk\" }) { id } }";
    let r = app.gql(q, json!({})).await;
    let id = r["data"]["requestListExport"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let job = app.wait_job(&id, Duration::from_secs(30)).await;
    assert_eq!(job["state"], "DONE", "{job}");
    assert_eq!(
        job["result"]["rows"], 2,
        "the two accounts on Хрещатик: {job}"
    );

    let resp = download(&app, &app.admin_token, &id).await;
    assert_eq!(resp.status(), 200);
    let bytes = resp.bytes().await.unwrap_or_default().to_vec();
    let mut book: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(bytes)).unwrap_or_else(|e| panic!("not an xlsx: {e}"));
    let sheet = book
        .worksheet_range_at(0)
        .unwrap_or_else(|| panic!("no sheet"))
        .unwrap_or_else(|e| panic!("{e}"));
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        rows[0][..3],
        ["ОР".to_owned(), "ПІБ".to_owned(), "Адреса".to_owned()]
    );
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1][0], "100001", "largest balance first");
    assert_eq!(rows[1][7], "111");
    assert_eq!(rows[2][0], "100003");
    assert_eq!(rows[2][7], "25");
    worker.stop().await;

    // Another tenant's user does not find it; a user without the list's permission may not have it.
    let other = TestApp::spawn().await;
    assert_eq!(
        download(&other, &other.admin_token, &id).await.status(),
        404
    );
    let signed_out = app
        .http
        .get(format!("{}/files/jobs/{id}", app.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(signed_out.status(), 401);
}

#[tokio::test]
async fn exporting_a_list_needs_the_permission_to_view_it() {
    let app = TestApp::spawn().await;
    let operator = app
        .login(
            &format!("{}.operator", app.tenant),
            crate::helpers::PASSWORD,
        )
        .await;
    let r = app
        .gql_as(
            Some(&operator),
            "mutation { requestListExport(input: { list: USERS }) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "FORBIDDEN", "{r}");
    // The admin's users export cannot be downloaded by the operator either.
    let worker = app.start_worker(app.state.clone(), "w-perm");
    let r = app
        .gql(
            "mutation { requestListExport(input: { list: USERS, lang: \"en\" }) { id } }",
            json!({}),
        )
        .await;
    let id = r["data"]["requestListExport"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let job = app.wait_job(&id, Duration::from_secs(30)).await;
    assert_eq!(job["state"], "DONE", "{job}");
    assert_eq!(job["result"]["rows"], 6, "six demo users: {job}");
    // Not the operator's job: not found for them.
    assert_eq!(download(&app, &operator, &id).await.status(), 404);
    assert_eq!(download(&app, &app.admin_token, &id).await.status(), 200);
    worker.stop().await;
}

/// Records a probe job that sleeps `sleep_ms` (or panics), and queues it when asked.
async fn probe(app: &TestApp, sleep_ms: u64, panic: bool, queue: bool) -> jobs::JobMessage {
    let spec = jobs::probe::Probe { sleep_ms, panic };
    let txn = backend::tenancy::begin(&app.state.db, &app.tenant)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (_, msg) = jobs::record(
        &txn,
        &app.tenant,
        &jobs::JobKind::Probe(spec),
        chrono::Utc::now(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    txn.commit().await.unwrap_or_else(|e| panic!("{e}"));
    if queue {
        app.state
            .queue
            .push(msg.clone())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    msg
}

/// A job that panics fails for good with what it said, and the same worker goes on with
/// the next job (tried: a readings file panicked in a date conversion and took the worker
/// process, every tenant's jobs with it, down — and the next worker too).
#[tokio::test]
async fn a_job_that_panics_fails_alone_and_the_worker_goes_on() {
    let app = TestApp::spawn().await;
    let worker = app.start_worker(app.state.clone(), "w-panic");
    let bad = probe(&app, 0, true, true).await;
    let good = probe(&app, 10, false, true).await;
    let job = app
        .wait_job(&bad.job_id.to_string(), Duration::from_secs(30))
        .await;
    assert_eq!(job["state"], "FAILED", "{job}");
    assert_eq!(job["attempts"], 1, "a panic is not retried: {job}");
    assert!(
        job["error"]
            .as_str()
            .is_some_and(|e| e.contains("the probe was asked to panic")),
        "{job}"
    );
    let job = app
        .wait_job(&good.job_id.to_string(), Duration::from_secs(30))
        .await;
    assert_eq!(job["state"], "DONE", "the worker went on: {job}");
    worker.stop().await;
}

/// A job whose every attempt started but never finished (its lease ran out while running)
/// is not started again: it fails, saying so.
#[tokio::test]
async fn a_job_out_of_attempts_is_never_claimed_again() {
    let app = TestApp::spawn().await;
    let msg = probe(&app, 0, false, false).await;
    let max = app.state.settings.jobs.max_attempts;
    crate::helpers::sql(
        &app,
        &format!(
            "UPDATE \"{{s}}\".jobs SET state = 'running', attempts = {max}, \
             lease_until = now() - interval '1 minute' WHERE id = '{}'",
            msg.job_id
        ),
    )
    .await;
    let outcome = jobs::runner::execute(&app.state, &msg)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(outcome, jobs::runner::Outcome::Skipped);
    let job = app
        .wait_job(&msg.job_id.to_string(), Duration::from_secs(1))
        .await;
    assert_eq!(job["state"], "FAILED", "{job}");
    assert_eq!(job["attempts"], max, "not started again: {job}");
    assert!(
        job["error"]
            .as_str()
            .is_some_and(|e| e.contains("gave up after")),
        "{job}"
    );
}

/// The day's maintenance: started once per local day by the workers' tick, it recounts the
/// residents living in each account today, removes finished jobs older than the retention
/// with the files they made (recent ones stay), and forgets day-old idempotency keys.
#[tokio::test]
async fn the_daily_maintenance_recounts_and_removes_what_is_old() {
    let app = TestApp::spawn().await;
    let worker = app.start_worker(app.state.clone(), "w-maintenance");
    // An old export with its file, a recent one, a day-old key, a stale count.
    let old_key = format!("tenants/{}/exports/old.csv", app.tenant);
    app.state
        .store
        .put(&old_key, b"old".to_vec(), "text/csv")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let old = probe(&app, 0, false, false).await;
    let recent = probe(&app, 0, false, false).await;
    crate::helpers::sql(
        &app,
        &format!(
            "UPDATE \"{{s}}\".jobs SET state = 'done', finished_at = now() - interval '40 days', \
                 result = '{{\"objectKey\": \"{old_key}\"}}' WHERE id = '{}'; \
             UPDATE \"{{s}}\".jobs SET state = 'done', finished_at = now() - interval '2 days' WHERE id = '{}'; \
             INSERT INTO \"{{s}}\".idempotency_keys (login, key, operation, fingerprint, result, created_at) \
                 VALUES ('x', 'old-key-0001', 'createPayment', 'f', '{{}}', now() - interval '2 days'); \
             UPDATE \"{{s}}\".accounts SET residents = 7 WHERE number = '100001'",
            old.job_id, recent.job_id
        ),
    )
    .await;
    let now = chrono::Utc::now();
    for _ in 0..2 {
        backend::jobs::tick::tick_tenant(&app.state, &app.tenant, "Europe/Kyiv", now)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    crate::helpers::sql_expect(
        &app,
        "SELECT count(*) FROM \"{s}\".jobs WHERE kind = 'maintenance'",
        1,
    )
    .await;
    let id = crate::helpers::sql_text(&app, "SELECT job_id::text FROM \"{s}\".counter_runs").await;
    let job = app.wait_job(&id, Duration::from_secs(30)).await;
    assert_eq!(job["state"], "DONE", "{job}");
    assert_eq!(job["result"]["jobsRemoved"], 1, "{job}");
    assert_eq!(job["result"]["filesRemoved"], 1, "{job}");
    assert_eq!(job["result"]["keysForgotten"], 1, "{job}");
    assert!(
        app.state.store.get(&old_key).await.is_err(),
        "the old file is gone"
    );
    crate::helpers::sql_expect(
        &app,
        &format!(
            "SELECT count(*) FROM \"{{s}}\".jobs WHERE id IN ('{}', '{}')",
            old.job_id, recent.job_id
        ),
        1,
    )
    .await;
    crate::helpers::sql_expect(
        &app,
        "SELECT residents::bigint FROM \"{s}\".accounts WHERE number = '100001'",
        2,
    )
    .await;
    worker.stop().await;
}

/// The recovery sweep's query can use the index of unfinished jobs (sequential scans off:
/// the test's table is too small for the planner to prefer an index on its own).
#[tokio::test]
async fn the_recovery_sweep_reads_the_unfinished_jobs_by_their_index() {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let app = TestApp::spawn().await;
    let txn = app
        .state
        .owner_db
        .begin()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    txn.execute_unprepared("SET LOCAL enable_seqscan = off")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let sql = format!(
        "EXPLAIN SELECT * FROM \"{}\".jobs WHERE state IN ('queued', 'retrying', 'running') \
         AND created_at < now() - interval '5 minutes' AND (lease_until IS NULL OR lease_until < now())",
        app.tenant.schema()
    );
    let rows = txn
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            sql,
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let plan: Vec<String> = rows
        .iter()
        .filter_map(|r| r.try_get_by_index::<String>(0).ok())
        .collect();
    txn.rollback().await.unwrap_or_else(|e| panic!("{e}"));
    assert!(
        plan.iter().any(|l| l.contains("jobs_unfinished_idx")),
        "{plan:#?}"
    );
}

/// Jobs record who started them: a user sees their own jobs, a tenant admin everyone's but
/// not where another's file went; the accounts export is mailed to its requester only
/// (tried: a viewer mailed the whole list to an outside address, listed every job and
/// downloaded the admin's export).
#[tokio::test]
async fn a_user_sees_their_own_jobs_and_exports_go_to_their_own_address() {
    let app = TestApp::spawn().await;
    let viewer = app
        .login(&format!("{}.viewer", app.tenant), crate::helpers::PASSWORD)
        .await;
    let outside = app
        .gql_as(Some(&viewer), REQUEST, json!({ "e": unique_email() }))
        .await;
    assert_eq!(
        outside["errors"][0]["extensions"]["field"], "email",
        "{outside}"
    );
    let own = format!("viewer@{}.example", app.tenant);
    let r = app
        .gql_as(Some(&viewer), REQUEST, json!({ "e": own }))
        .await;
    let theirs = r["data"]["requestAccountsExport"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let admins = request_export(&app, &own_email(&app)).await;
    let worker = app.start_worker(app.state.clone(), "w-owners");
    for id in [&theirs, &admins] {
        let job = app.wait_job(id, Duration::from_secs(30)).await;
        assert_eq!(job["state"], "DONE", "{job}");
    }
    worker.stop().await;

    let listed = |r: &serde_json::Value| -> Vec<String> {
        r["data"]["jobs"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter_map(|j| j["id"].as_str().map(str::to_owned))
            .collect()
    };
    let q = "{ jobs { id result } }";
    let seen = app.gql_as(Some(&viewer), q, json!({})).await;
    assert_eq!(listed(&seen), vec![theirs.clone()], "{seen}");
    let one = "query($id: UUID!) { job(id: $id) { id } }";
    let r = app
        .gql_as(Some(&viewer), one, json!({ "id": admins }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "NOT_FOUND", "{r}");
    assert_eq!(download(&app, &viewer, &admins).await.status(), 404);

    // The admin sees both; the viewer's result without its file's key and recipient.
    let all = app.gql(q, json!({})).await;
    let ids = listed(&all);
    assert!(ids.contains(&theirs) && ids.contains(&admins), "{all}");
    for j in all["data"]["jobs"].as_array().cloned().unwrap_or_default() {
        let result = &j["result"];
        if j["id"] == theirs.as_str() {
            assert_eq!(result["rows"], 8, "{j}");
            assert!(
                result["objectKey"].is_null() && result["emailedTo"].is_null(),
                "{j}"
            );
        } else if j["id"] == admins.as_str() {
            assert!(result["objectKey"].is_string(), "{j}");
        }
    }
    assert_eq!(mails_to(&own).len(), 1);
}

/// Records probe jobs for `tenant` (not queued); returns their messages.
async fn probes_of(
    app: &TestApp,
    tenant: &domain::TenantSlug,
    n: usize,
    sleep_ms: u64,
) -> Vec<jobs::JobMessage> {
    let txn = backend::tenancy::begin(&app.state.db, tenant)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let spec = jobs::probe::Probe {
            sleep_ms,
            panic: false,
        };
        let (_, msg) = jobs::record(
            &txn,
            tenant,
            &jobs::JobKind::Probe(spec),
            chrono::Utc::now(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        out.push(msg);
    }
    txn.commit().await.unwrap_or_else(|e| panic!("{e}"));
    out
}

/// When each of a tenant's jobs started (unstarted ones are left out).
async fn started_at(
    app: &TestApp,
    tenant: &domain::TenantSlug,
) -> Vec<chrono::DateTime<chrono::Utc>> {
    use sea_orm::EntityTrait;
    let txn = backend::tenancy::begin(&app.state.db, tenant)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let rows = backend::entities::job::Entity::find()
        .all(&txn)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    rows.into_iter().filter_map(|j| j.started_at).collect()
}

/// One tenant's backlog (a mailing of many messages) does not hold another tenant's job
/// behind it: the other's job starts after at most the few messages already handed to the
/// workers, not after the backlog (with one FIFO queue it started last).
#[tokio::test]
async fn a_tenants_backlog_does_not_hold_up_another_tenants_job() {
    let app = TestApp::spawn().await;
    let other = crate::helpers::fresh_slug();
    backend::tenants::create(
        &app.state.owner_db,
        &backend::tenants::NewTenant::ukrainian(other.clone(), "Other"),
        chrono::Utc::now(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let backlog = probes_of(&app, &app.tenant, 400, 15).await;
    app.state
        .queue
        .push_many(&backlog)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let theirs = probes_of(&app, &other, 1, 0).await;
    app.state
        .queue
        .push_many(&theirs)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        app.state
            .queue
            .waiting(app.tenant.as_str())
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        400,
        "the backlog waits in its tenant's buffer"
    );
    let worker = app.start_worker(app.state.clone(), "w-fair");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let mut theirs_started = None;
    while std::time::Instant::now() < deadline {
        if let Some(at) = started_at(&app, &other).await.first().copied() {
            theirs_started = Some(at);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let theirs_started =
        theirs_started.unwrap_or_else(|| panic!("the other tenant's job never started"));
    let before = started_at(&app, &app.tenant)
        .await
        .into_iter()
        .filter(|at| *at < theirs_started)
        .count();
    let concurrency = app.state.settings.jobs.concurrency;
    // Handed over before it (at most the queue depth, one concurrency's worth) and being
    // fetched with it (another): the backlog's other hundreds come after.
    assert!(
        before <= 2 * concurrency + 1,
        "{before} of the backlog's 400 jobs started before the other tenant's one \
         (concurrency {concurrency})"
    );
    worker.stop().await;
    backend::tenants::drop(&app.state.owner_db, &other)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}
