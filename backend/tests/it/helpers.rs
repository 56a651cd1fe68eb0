//! `TestApp`: a backend on a free port with its own tenant and its own Redis queue,
//! plus helpers to run workers and read the SMTP sink's mailbox.

use std::path::PathBuf;
use std::time::Duration;

use backend::{AppState, Settings, jobs, tenants};
use domain::TenantSlug;
use serde_json::{Value, json};
use tokio::task::JoinHandle;
use tools::demo;

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub tenant: TenantSlug,
    pub http: reqwest::Client,
    /// Bearer token of the tenant's demo admin (`<slug>.admin`), used by `gql`.
    pub admin_token: String,
    server: JoinHandle<()>,
}

pub const PASSWORD: &str = tools::demo::DEMO_PASSWORD;

/// Environment for a test app: the test database, a fresh queue, fast job timings.
pub fn test_vars(tenant: &TenantSlug, queue: &str) -> Vec<(String, String)> {
    let db = std::env::var("APP_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres:postgres@127.0.0.1:5432/billing_test".into());
    // The schemas' owner (infra/test sets both: the application runs as its own role).
    let owner = std::env::var("APP_TEST_OWNER_DATABASE_URL").unwrap_or_else(|_| db.clone());
    [
        ("APP_DATABASE__URL", db.as_str()),
        ("APP_DATABASE__OWNER_URL", owner.as_str()),
        ("APP_DATABASE__MAX_CONNECTIONS", "5"),
        ("APP_REDIS__QUEUE", queue),
        ("APP_REDIS__HEARTBEAT_SECS", "1"),
        ("APP_REDIS__MISSED_HEARTBEATS", "2"),
        ("APP_JOBS__RETRY_BASE_MS", "100"),
        ("APP_JOBS__LEASE_SECS", "1"),
        // Tests share one database: no worker's sweep may pick up another test's jobs.
        ("APP_JOBS__RECOVER_AFTER_SECS", "86400"),
        ("APP_DEFAULT_TENANT", tenant.as_str()),
        ("APP_HTTP__ADDR", "127.0.0.1:0"),
        ("APP_WEB__DIST_DIR", "../web/dist"),
        // The enumerating tests send thousands of requests a minute from one session.
        ("APP_LIMITS__SESSION_PER_MINUTE", "1000000"),
        ("APP_LIMITS__ADDRESS_PER_MINUTE", "1000000"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

pub fn settings_with(tenant: &TenantSlug, queue: &str, extra: &[(&str, &str)]) -> Settings {
    let mut vars = test_vars(tenant, queue);
    vars.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    Settings::load_from(vars).unwrap_or_else(|e| panic!("test settings: {e}"))
}

pub fn fresh_slug() -> TenantSlug {
    let id = uuid::Uuid::new_v4().simple().to_string();
    TenantSlug::parse(&format!("t_{}", &id[..12])).unwrap_or_else(|e| panic!("{e}"))
}

impl TestApp {
    /// A backend with a fresh tenant filled with the demo data.
    pub async fn spawn() -> Self {
        Self::spawn_with(&[]).await
    }

    pub async fn spawn_with(extra: &[(&str, &str)]) -> Self {
        backend::telemetry::init();
        let tenant = fresh_slug();
        let queue = format!("test-{}", uuid::Uuid::new_v4().simple());
        let settings = settings_with(&tenant, &queue, extra);
        let state = AppState::new(settings)
            .await
            .unwrap_or_else(|e| panic!("state: {e}"));
        tenants::migrate_control(&state.owner_db)
            .await
            .unwrap_or_else(|e| panic!("migrate: {e}"));
        demo::fixture::ensure(&state, &tenant, chrono::Utc::now())
            .await
            .unwrap_or_else(|e| panic!("demo tenant: {e}"));
        state
            .store
            .ensure_bucket()
            .await
            .unwrap_or_else(|e| panic!("bucket: {e}"));
        let mut app = Self::serve(state, tenant).await;
        let admin = format!("{}.admin", app.tenant);
        app.admin_token = app.login(&admin, PASSWORD).await;
        app
    }

    /// A backend whose tenant is a demo as `infra/up` seeds it (a fresh slug), seeded as of
    /// `now`; `gql` runs as its admin.
    pub async fn spawn_demo(which: demo::Demo, now: chrono::DateTime<chrono::Utc>) -> Self {
        Self::spawn_seeded(|state, tenant| {
            Box::pin(async move { demo::seed(&state, &tenant, which, now).await.map(|_| ()) })
        })
        .await
    }

    /// The same with the demo's electricity retailer.
    pub async fn spawn_retail_demo(now: chrono::DateTime<chrono::Utc>) -> Self {
        Self::spawn_seeded(|state, tenant| {
            Box::pin(async move { demo::retail::seed(&state, &tenant, now).await.map(|_| ()) })
        })
        .await
    }

    /// A backend on a fresh slug that `seed` fills; `gql` runs as its admin. The seeding
    /// is boxed: its future is large, and a test's whole future sits on the test thread's
    /// stack (a 2 MB one overflowed once the demo grew).
    async fn spawn_seeded(
        seed: impl FnOnce(
            AppState,
            TenantSlug,
        ) -> std::pin::Pin<
            Box<dyn std::future::Future<Output = backend::error::AppResult<()>>>,
        >,
    ) -> Self {
        backend::telemetry::init();
        let tenant = fresh_slug();
        let queue = format!("test-{}", uuid::Uuid::new_v4().simple());
        let state = AppState::new(settings_with(&tenant, &queue, &[]))
            .await
            .unwrap_or_else(|e| panic!("state: {e}"));
        tenants::migrate_control(&state.owner_db)
            .await
            .unwrap_or_else(|e| panic!("migrate: {e}"));
        seed(state.clone(), tenant.clone())
            .await
            .unwrap_or_else(|e| panic!("demo: {e}"));
        let mut app = Self::serve(state, tenant).await;
        let admin = format!("{}.admin", app.tenant);
        app.admin_token = app.login(&admin, PASSWORD).await;
        app
    }

    /// Signs in with a bearer token; panics unless sign-in succeeds.
    pub async fn login(&self, login: &str, password: &str) -> String {
        let r = self.try_login(login, password, true).await;
        assert_eq!(r.status(), 200, "sign-in of {login} failed");
        let body: Value = r.json().await.unwrap_or_else(|e| panic!("{e}"));
        body["token"]
            .as_str()
            .unwrap_or_else(|| panic!("no token in {body}"))
            .to_owned()
    }

    /// POST /auth/login as it is, for tests of failures.
    pub async fn try_login(&self, login: &str, password: &str, bearer: bool) -> reqwest::Response {
        self.http
            .post(format!("{}/auth/login", self.base))
            .json(&json!({ "login": login, "password": password, "bearer": bearer }))
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST /auth/login: {e}"))
    }

    /// A platform operator of its own for this test, signed in.
    pub async fn platform_token(&self) -> String {
        let login = format!("platform_{}", self.tenant);
        demo::ensure_platform_admin(&self.state, &login, PASSWORD)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        self.login(&login, PASSWORD).await
    }

    /// Serves `state` without touching any service first (for fault tests).
    pub async fn serve(state: AppState, tenant: TenantSlug) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
        let served = state.clone();
        let server = tokio::spawn(async move {
            let _ = backend::http::serve(listener, served).await;
        });
        Self {
            base: format!("http://{addr}"),
            state,
            tenant,
            http: reqwest::Client::new(),
            admin_token: String::new(),
            server,
        }
    }

    /// POSTs a GraphQL operation as the tenant's admin and returns the whole body.
    pub async fn gql(&self, query: &str, variables: Value) -> Value {
        self.gql_as(Some(&self.admin_token), query, variables).await
    }

    /// POSTs a GraphQL operation with the given bearer token (None: signed out).
    pub async fn gql_as(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        self.post_gql(token, None, query, variables).await
    }

    /// As the admin, with an Accept-Language header (e.g. "uk").
    pub async fn gql_lang(&self, lang: &str, query: &str, variables: Value) -> Value {
        self.post_gql(Some(&self.admin_token), Some(lang), query, variables)
            .await
    }

    /// POSTs a GraphQL multipart request (the upload spec) as the admin, in Ukrainian:
    /// `file` becomes the variable `$file`.
    pub async fn upload_gql(
        &self,
        query: &str,
        variables: Value,
        name: &str,
        file: &[u8],
    ) -> Value {
        self.upload_gql_as(Some(&self.admin_token), query, variables, name, file)
            .await
    }

    /// `upload_gql` with the given bearer token (None: signed out).
    pub async fn upload_gql_as(
        &self,
        token: Option<&str>,
        query: &str,
        mut variables: Value,
        name: &str,
        file: &[u8],
    ) -> Value {
        variables["file"] = Value::Null;
        let boundary = format!("x{}", uuid::Uuid::new_v4().simple());
        let operations = json!({ "query": query, "variables": variables }).to_string();
        let mut body = Vec::new();
        for (part, text) in [
            ("operations", operations.as_str()),
            ("map", "{\"0\": [\"variables.file\"]}"),
        ] {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{part}\"\r\n\r\n{text}\r\n").as_bytes(),
            );
        }
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"0\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut req = self.http.post(format!("{}/graphql", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let req = req
            .header("accept-language", "uk")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body);
        json_of(req).await
    }

    async fn post_gql(
        &self,
        token: Option<&str>,
        lang: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Value {
        let mut req = self.http.post(format!("{}/graphql", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(l) = lang {
            req = req.header("accept-language", l);
        }
        json_of(req.json(&json!({ "query": query, "variables": variables }))).await
    }

    /// The actions of the audit rows of an entity kind (or of one entity), newest first.
    pub async fn audit_actions(&self, entity: &str, id: Option<String>) -> Vec<String> {
        let log = self
            .gql(
                "query($e: String, $id: String) { auditLog(filter: { entity: $e, entityId: $id }) { items { action } } }",
                json!({ "e": entity, "id": id }),
            )
            .await;
        log["data"]["auditLog"]["items"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|i| i["action"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Starts a worker on this app's queue with `state` (which may differ, e.g. in SMTP).
    pub fn start_worker(&self, state: AppState, name: &str) -> Worker {
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let name = name.to_owned();
        let handle = tokio::spawn(async move {
            let _ = jobs::worker::run(state, &name, async move {
                let _ = rx.await;
            })
            .await;
        });
        Worker {
            handle,
            stop: Some(tx),
        }
    }

    /// The invoice of `account` for the month containing `day` as the PDF prints it.
    pub async fn invoice_document(
        &self,
        account: i64,
        day: chrono::NaiveDate,
    ) -> documents::invoices::document::InvoiceDoc {
        let txn = backend::tenancy::begin(&self.state.db, &self.tenant)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let month = domain::Period::containing(day).unwrap_or_else(|e| panic!("{e:?}"));
        let docs = documents::invoices::document::load(&txn, month, &[account], "UAH", false)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        txn.commit().await.unwrap_or_else(|e| panic!("{e}"));
        docs.into_iter()
            .next()
            .unwrap_or_else(|| panic!("no invoice of account {account} in {month:?}"))
    }

    /// The number of account `id`, as its card shows it.
    pub async fn account_number(&self, id: i64) -> String {
        let r = self
            .gql(
                "query($id: Int!) { account(id: $id) { account { number } } }",
                json!({ "id": id }),
            )
            .await;
        r["data"]["account"]["account"]["number"]
            .as_str()
            .unwrap_or_else(|| panic!("account {id}: {r}"))
            .to_owned()
    }

    /// Adds `accounts` generated accounts (with `seed`).
    pub async fn generate(&self, accounts: i64, seed: i64) {
        tools::generator::generate(
            &self.state,
            &self.tenant,
            tools::generator::Size { accounts, seed },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    }

    /// Calculates the open period for the whole tenant with a worker of its own; the
    /// finished job.
    pub async fn calculate_tenant(&self) -> Value {
        let worker = self.start_worker(self.state.clone(), "calculation");
        let r = self
            .gql(
                "mutation { calculatePeriod(input: {scope: TENANT}) { id } }",
                json!({}),
            )
            .await;
        let job = self
            .wait_job(
                r["data"]["calculatePeriod"]["id"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{r}")),
                Duration::from_secs(120),
            )
            .await;
        worker.stop().await;
        job
    }

    /// Adds `accounts` generated accounts (with `seed`) and calculates the open period, so
    /// the tenant has this month's invoices.
    pub async fn generate_and_calculate(&self, accounts: i64, seed: i64) {
        self.generate(accounts, seed).await;
        let job = self.calculate_tenant().await;
        assert_eq!(job["state"], "DONE", "{job}");
    }

    /// Polls the job until it reaches a final state (or the time runs out).
    pub async fn wait_job(&self, id: &str, limit: Duration) -> Value {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let r = self
                .gql(
                    "query($id: UUID!) { job(id: $id) { id state attempts progress error result } }",
                    json!({ "id": id }),
                )
                .await;
            let job = r["data"]["job"].clone();
            let state = job["state"].as_str().unwrap_or_default().to_owned();
            if state == "DONE" || state == "FAILED" || tokio::time::Instant::now() > deadline {
                return job;
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

pub struct Worker {
    handle: JoinHandle<()>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Worker {
    /// Kills the worker as a crash would: no graceful shutdown, in-flight jobs abandoned.
    pub fn kill(self) {
        self.handle.abort();
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        let _ = tokio::time::timeout(Duration::from_secs(10), self.handle).await;
    }
}

/// The SMTP sink's Maildir (`infra/` starts aiosmtpd with a Mailbox handler there).
pub fn maildir() -> PathBuf {
    std::env::var("APP_TEST_MAILDIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from("../.data/mail"))
}

/// Raw messages in the sink addressed to `to`.
pub fn mails_to(to: &str) -> Vec<String> {
    let mut found = Vec::new();
    for sub in ["new", "cur"] {
        let Ok(entries) = std::fs::read_dir(maildir().join(sub)) else {
            continue;
        };
        for e in entries.flatten() {
            if let Ok(text) = std::fs::read_to_string(e.path())
                && text.lines().any(|l| l.starts_with("To:") && l.contains(to))
            {
                found.push(text);
            }
        }
    }
    found
}

/// Runs SQL against the app's tenant schema, written with `{s}` for the schema's name.
pub async fn sql(app: &TestApp, text: &str) {
    let text = text.replace("{s}", &app.tenant.schema());
    sea_orm::ConnectionTrait::execute_unprepared(&app.state.owner_db, &text)
        .await
        .unwrap_or_else(|e| panic!("{text}: {e}"));
}

/// The first value of the first row of SQL (`{s}` stands for the tenant's schema).
async fn sql_value<T: sea_orm::TryGetable>(app: &TestApp, text: &str) -> T {
    let text = text.replace("{s}", &app.tenant.schema());
    let row = sea_orm::ConnectionTrait::query_one_raw(
        &app.state.owner_db,
        sea_orm::Statement::from_string(sea_orm::DbBackend::Postgres, text.clone()),
    )
    .await
    .unwrap_or_else(|e| panic!("{text}: {e}"))
    .unwrap_or_else(|| panic!("{text}: no row"));
    row.try_get_by_index::<T>(0)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// One number from SQL.
pub async fn sql_number(app: &TestApp, text: &str) -> i64 {
    sql_value(app, text).await
}

/// One text from SQL.
pub async fn sql_text(app: &TestApp, text: &str) -> String {
    sql_value(app, text).await
}

/// Asserts that SQL counts `expected`.
pub async fn sql_expect(app: &TestApp, text: &str, expected: i64) {
    assert_eq!(sql_number(app, text).await, expected, "{text}");
}

pub fn unique_email() -> String {
    format!("op-{}@example.com", uuid::Uuid::new_v4().simple())
}

/// Sends a GraphQL request and reads the JSON body.
async fn json_of(req: reqwest::RequestBuilder) -> Value {
    req.send()
        .await
        .unwrap_or_else(|e| panic!("POST /graphql: {e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("GraphQL response is not JSON: {e}"))
}

/// The text of a job's PDF file (its content type checked).
pub async fn download_pdf_text(app: &TestApp, job: &str) -> String {
    let r = app
        .http
        .get(format!("{}/files/jobs/{job}", app.base))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    let bytes = r.bytes().await.unwrap_or_else(|e| panic!("{e}"));
    pdf_extract::extract_text_from_mem(&bytes).unwrap_or_else(|e| panic!("{e}"))
}

/// Delivers a job that has run once more, as a redelivered message or a retry would: it
/// is put back in the queue and run by this process; the run must finish.
pub async fn redeliver(app: &TestApp, job: &str) {
    sql(
        app,
        &format!(
            "UPDATE \"{{s}}\".jobs SET state = 'queued', finished_at = NULL WHERE id = '{job}'"
        ),
    )
    .await;
    let msg = platform::jobs::JobMessage {
        tenant: app.tenant.as_str().to_owned(),
        job_id: job.parse().unwrap_or_else(|e| panic!("{e}")),
    };
    let outcome = backend::jobs::runner::execute(&app.state, &msg)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(outcome, backend::jobs::runner::Outcome::Done);
}

/// The first sheet of a job's XLSX file, as text cells.
pub async fn download_sheet(app: &TestApp, job: &str) -> Vec<Vec<String>> {
    let r = app
        .http
        .get(format!("{}/files/jobs/{job}", app.base))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(r.status().is_success(), "{}", r.status());
    let bytes = r.bytes().await.unwrap_or_else(|e| panic!("{e}"));
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec()))
        .unwrap_or_else(|e| panic!("{e}"));
    let sheet = calamine::Reader::worksheet_range_at(&mut book, 0)
        .unwrap_or_else(|| panic!("no sheet"))
        .unwrap_or_else(|e| panic!("{e}"));
    sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// The message with its quoted-printable / base64 text parts decoded, as a reader sees it.
pub fn decoded(raw: &str) -> String {
    let mut out = raw.to_owned();
    let parsed = mailparse::parse_mail(raw.as_bytes());
    if let Ok(m) = parsed {
        if let Ok(s) = m.get_body() {
            out.push_str(&s);
        }
        for p in &m.subparts {
            if let Ok(s) = p.get_body() {
                out.push_str(&s);
            }
        }
        out.push_str(
            &m.headers
                .iter()
                .map(|h| h.get_value())
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    out
}
