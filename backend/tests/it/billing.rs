//! Billing: a generated tenant's period calculated by the worker (progress, counts, no
//! errors), the same invoices after a second run and after a run taken over from a dead
//! worker, an account's invoice formed at once with the steps of its amounts, a closing
//! summary that reconciles, closing (the closings become the next openings, the closed
//! period refuses changes) and reopening, settings, permissions and audit.

use std::time::Duration;

use sea_orm::{DbBackend, FromQueryResult, Statement};
use serde_json::{Value, json};

use crate::helpers::{TestApp, download_sheet, sql, sql_text};

const CALC: &str = "mutation($i: CalculationInput!) { calculatePeriod(input: $i) { id state } }";

#[derive(Debug, PartialEq, FromQueryResult)]
struct Totals {
    invoices: i64,
    lines: i64,
    closing: rust_decimal::Decimal,
    charged: rust_decimal::Decimal,
    fingerprint: String,
}

/// Counts and sums of the period's invoices, and a digest of every line.
async fn totals(app: &TestApp, period: &str) -> Totals {
    let s = app.tenant.schema();
    Totals::find_by_statement(Statement::from_string(
        DbBackend::Postgres,
        format!(
            "SELECT (SELECT count(*) FROM \"{s}\".invoices WHERE period = DATE '{period}-01') AS invoices, \
                    count(*) AS lines, coalesce(sum(closing), 0) AS closing, coalesce(sum(charged), 0) AS charged, \
                    md5(string_agg(account_id || ':' || service_id || ':' || quantity || ':' || closing || ':' || steps::text, \
                                   ',' ORDER BY account_id, service_id)) AS fingerprint \
             FROM \"{s}\".invoice_lines WHERE period = DATE '{period}-01'"
        ),
    ))
    .one(&app.state.owner_db)
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .unwrap_or_else(|| panic!("no totals"))
}

async fn calculate(app: &TestApp, input: Value) -> Value {
    let r = app.gql(CALC, json!({ "i": input })).await;
    let id = r["data"]["calculatePeriod"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    app.wait_job(&id, Duration::from_secs(120)).await
}

#[tokio::test]
async fn a_period_is_calculated_explained_closed_and_reopened() {
    let app = TestApp::spawn().await;
    tools::generator::generate(
        &app.state,
        &app.tenant,
        tools::generator::Size {
            accounts: 300,
            seed: 5,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let period = app.gql("{ openPeriod }", json!({})).await["data"]["openPeriod"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    // This month's readings, as controllers would enter them: every meter (the house
    // meters too) used what it used last month.
    sql(&app, &format!(
        "INSERT INTO \"{{s}}\".readings (meter_id, period, taken_on, previous, current, consumption, basis, source, entered_by, entered_at) \
         SELECT meter_id, DATE '{period}-01', DATE '{period}-01' + 20, current, current + consumption, consumption, 'actual', 'controller', 'test', now() \
         FROM \"{{s}}\".readings r WHERE period = (DATE '{period}-01' - interval '1 month')::date"
    ))
    .await;
    let worker = app.start_worker(app.state.clone(), "billing-1");

    // The whole tenant, by the worker: every generated account gets an invoice.
    let job = calculate(&app, json!({ "scope": "TENANT" })).await;
    assert_eq!(job["state"], "DONE", "{job}");
    assert_eq!(job["progress"], 100, "{job}");
    let generated: i64 = {
        #[derive(FromQueryResult)]
        struct N {
            n: i64,
        }
        N::find_by_statement(Statement::from_string(
            DbBackend::Postgres,
            format!(
                "SELECT count(*) AS n FROM \"{}\".accounts WHERE premises_id IS NOT NULL",
                app.tenant.schema()
            ),
        ))
        .one(&app.state.owner_db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .map_or(0, |n| n.n)
    };
    assert!(generated > 200, "about the size asked: {generated}");
    assert_eq!(job["result"]["accounts"], generated, "{job}");
    assert_eq!(job["result"]["invoices"], generated, "{job}");
    assert_eq!(job["result"]["errorCount"], 0, "{job}");
    let first = totals(&app, &period).await;
    assert_eq!(first.invoices, generated);
    assert!(first.lines >= generated * 4, "{first:?}");
    assert!(first.charged > rust_decimal::Decimal::ZERO, "{first:?}");

    // Twice: exactly the same invoices.
    let again = calculate(&app, json!({ "scope": "TENANT" })).await;
    assert_eq!(again["state"], "DONE", "{again}");
    assert_eq!(totals(&app, &period).await, first);

    // A worker died halfway: some invoices missing, some from an older run; the job row
    // is left running with a lease that ran out. Delivered again, it finishes the work and
    // the invoices are the same as before.
    worker.kill();
    sql(&app, &format!(
        "DELETE FROM \"{{s}}\".invoice_lines WHERE period = DATE '{period}-01' AND account_id % 3 = 0; \
         DELETE FROM \"{{s}}\".invoices WHERE period = DATE '{period}-01' AND account_id % 3 = 0; \
         UPDATE \"{{s}}\".invoice_lines SET closing = closing + 1 WHERE period = DATE '{period}-01' AND account_id % 3 = 1"
    ))
    .await;
    let r = app.gql(CALC, json!({ "i": { "scope": "TENANT" } })).await;
    let id = r["data"]["calculatePeriod"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    sql(
        &app,
        &format!(
            "UPDATE \"{{s}}\".jobs SET state = 'running', attempts = 1, lease_until = now() - interval '1 minute' \
             WHERE id = '{id}'"
        ),
    )
    .await;
    let worker = app.start_worker(app.state.clone(), "billing-2");
    let job = app.wait_job(&id, Duration::from_secs(120)).await;
    assert_eq!(job["state"], "DONE", "{job}");
    assert_eq!(job["attempts"], 2, "taken over: {job}");
    assert_eq!(totals(&app, &period).await, first);

    // The summary reconciles, per service and in total.
    let r = app
        .gql(
            "query($p: String!) { closingSummary(period: $p) { reconciles difference rows { serviceId service accounts opening charged closing } } }",
            json!({ "p": period }),
        )
        .await;
    let s = &r["data"]["closingSummary"];
    assert_eq!(s["reconciles"], true, "{r}");
    assert_eq!(s["difference"], "0.00", "{r}");
    let rows = s["rows"].as_array().cloned().unwrap_or_default();
    let total = rows.last().cloned().unwrap_or_default();
    assert!(total["serviceId"].is_null(), "{r}");
    assert_eq!(
        total["closing"]
            .as_str()
            .map(|c| c.parse::<rust_decimal::Decimal>().ok()),
        Some(Some(first.closing)),
        "{r}"
    );
    assert!(
        rows.len() >= 6,
        "five services and the common-house share: {r}"
    );

    // The summary and an account's billing table export to XLSX like every list.
    let r = app
        .gql(
            "mutation($p: String!) { requestListExport(input: { list: CLOSING_SUMMARY, period: $p, lang: \"en\" }) { id } }",
            json!({ "p": period }),
        )
        .await;
    let id = r["data"]["requestListExport"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let job = app.wait_job(&id, Duration::from_secs(60)).await;
    assert_eq!(job["state"], "DONE", "{job}");
    assert_eq!(
        job["result"]["rows"],
        rows.len(),
        "a row per service and the total: {job}"
    );
    let r = app
        .gql(
            "mutation { requestListExport(input: { list: CLOSING_SUMMARY, period: \"13-2026\" }) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "period", "{r}");

    // One account at once, with the steps of every amount.
    #[derive(FromQueryResult)]
    struct Acc {
        id: i64,
    }
    let acc = Acc::find_by_statement(Statement::from_string(
        DbBackend::Postgres,
        format!(
            "SELECT a.id FROM \"{s}\".accounts a JOIN \"{s}\".account_services x ON x.account_id = a.id \
             JOIN \"{s}\".services v ON v.id = x.service_id AND v.code = 'opal' \
             WHERE a.premises_id IS NOT NULL ORDER BY a.id LIMIT 1",
            s = app.tenant.schema()
        ),
    ))
    .one(&app.state.owner_db)
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .map_or(0, |a| a.id);
    let r = app
        .gql(
            "mutation($a: Int!) { formInvoice(accountId: $a) { service method flag quantity tariff charged closing steps } }",
            json!({ "a": acc }),
        )
        .await;
    let lines = r["data"]["formInvoice"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(lines.len() >= 5, "{r}");
    let xvs = lines
        .iter()
        .find(|l| l["method"] == "metered" && l["flag"] == "Ф")
        .unwrap_or_else(|| panic!("cold water by the meter: {r}"));
    let kinds: Vec<&str> = xvs["steps"]
        .as_array()
        .map(|s| s.iter().filter_map(|x| x["kind"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(kinds.first(), Some(&"meter_reading"), "{xvs}");
    assert!(
        kinds.contains(&"charge") && kinds.contains(&"closing"),
        "{xvs}"
    );
    let odn = lines
        .iter()
        .find(|l| l["method"] == "common_house")
        .unwrap_or_else(|| panic!("the common-house line: {r}"));
    assert_eq!(odn["steps"][0]["kind"], "common_share", "{odn}");
    // The same amounts as the tenant-wide run formed.
    assert_eq!(totals(&app, &period).await, first);
    assert!(
        app.audit_actions("invoice", None)
            .await
            .contains(&"form".to_owned()),
        "audited"
    );
    let table = app
        .gql(
            "query($a: Int!) { accountInvoices(accountId: $a) { period opening paid charged recalculation penalty closing } }",
            json!({ "a": acc }),
        )
        .await;
    assert_eq!(
        table["data"]["accountInvoices"].as_array().map(Vec::len),
        Some(1),
        "{table}"
    );

    // An operator may calculate but not close; a viewer may do neither.
    let op = app
        .login(
            &format!("{}.operator", app.tenant),
            crate::helpers::PASSWORD,
        )
        .await;
    let r = app
        .gql_as(
            Some(&op),
            "mutation($p: String!) { closePeriod(input: { period: $p }) { id } }",
            json!({ "p": period }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "FORBIDDEN", "{r}");
    let viewer = app
        .login(&format!("{}.viewer", app.tenant), crate::helpers::PASSWORD)
        .await;
    let r = app
        .gql_as(Some(&viewer), CALC, json!({ "i": { "scope": "TENANT" } }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "FORBIDDEN", "{r}");

    // Closing: the period closes, the next opens, the closing balances carry over.
    let r = app
        .gql(
            "mutation($p: String!) { closePeriod(input: { period: $p, formMissing: true }) { id } }",
            json!({ "p": period }),
        )
        .await;
    let id = r["data"]["closePeriod"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let job = app.wait_job(&id, Duration::from_secs(120)).await;
    assert_eq!(job["state"], "DONE", "{job}");
    let next = job["result"]["working"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_ne!(next, period, "{job}");
    assert_eq!(
        app.gql("{ openPeriod }", json!({})).await["data"]["openPeriod"],
        next
    );
    // The closed period refuses a calculation.
    let r = app
        .gql(
            CALC,
            json!({ "i": { "scope": "TENANT", "period": period } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "PERIOD_CLOSED", "{r}");
    // The next period's invoice opens with the last closing, line by line.
    let job = calculate(&app, json!({ "scope": "ACCOUNT", "id": acc })).await;
    assert_eq!(job["result"]["invoices"], 1, "{job}");
    #[derive(Debug, PartialEq, FromQueryResult)]
    struct Carry {
        service_id: i32,
        amount: rust_decimal::Decimal,
    }
    let carry = |p: String, col: &'static str| {
        let s = app.tenant.schema();
        let db = app.state.owner_db.clone();
        async move {
            Carry::find_by_statement(Statement::from_string(
                DbBackend::Postgres,
                format!(
                    "SELECT service_id, {col} AS amount FROM \"{s}\".invoice_lines \
                     WHERE account_id = {acc} AND period = DATE '{p}-01' ORDER BY service_id"
                ),
            ))
            .all(&db)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
        }
    };
    let closed = carry(period.clone(), "closing").await;
    assert!(!closed.is_empty());
    assert_eq!(carry(next.clone(), "opening").await, closed);

    // Reopening: the period and every one after it, with the warning.
    let r = app
        .gql_lang(
            "uk",
            "mutation($p: String!) { reopenPeriod(period: $p) { months warning } }",
            json!({ "p": period }),
        )
        .await;
    assert_eq!(r["data"]["reopenPeriod"]["months"], json!([period]), "{r}");
    let warning = r["data"]["reopenPeriod"]["warning"]
        .as_str()
        .unwrap_or_default();
    assert!(warning.contains("рахунк"), "{r}");
    let actions = app.audit_actions("period", Some(period.clone())).await;
    assert!(
        actions.contains(&"close".to_owned()) && actions.contains(&"reopen".to_owned()),
        "{actions:?}"
    );
    let r = app
        .gql(
            CALC,
            json!({ "i": { "scope": "BUILDING", "id": 2147483000 } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "VALIDATION", "{r}");
    worker.stop().await;
}

#[tokio::test]
async fn billing_settings_are_checked_and_audited() {
    let app = TestApp::spawn().await;
    let q = "mutation($i: BillingSettingsInput!) { updateBillingSettings(input: $i) { averageMonths penaltyRule dueDay penaltyUnderAgreement } }";
    let ok = json!({ "averageMonths": 6, "zeroTakesPrevious": true, "residentsBasis": "registered", "penaltyRule": "russia", "dueDay": 25, "penaltyUnderAgreement": true });
    let r = app.gql(q, json!({ "i": ok })).await;
    assert_eq!(
        r["data"]["updateBillingSettings"],
        json!({ "averageMonths": 6, "penaltyRule": "russia", "dueDay": 25, "penaltyUnderAgreement": true }),
        "{r}"
    );
    let mut bad = ok.clone();
    bad["dueDay"] = json!(40);
    let r = app.gql_lang("uk", q, json!({ "i": bad.clone() })).await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "VALIDATION", "{r}");
    assert_eq!(r["errors"][0]["extensions"]["field"], "dueDay", "{r}");
    // Bulgarian and Kazakh users read the field and the rule in their language.
    for (lang, said) in [
        ("bg", "ден на падеж: трябва да е от 1 до 31"),
        ("kk", "төлеу күні: 1 – 31 аралығында болуы керек"),
    ] {
        let r = app.gql_lang(lang, q, json!({ "i": bad.clone() })).await;
        assert_eq!(r["errors"][0]["message"], said, "{r}");
    }
    let mut bad = ok;
    bad["penaltyRule"] = json!("martian");
    let r = app.gql(q, json!({ "i": bad })).await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "penaltyRule", "{r}");
    assert_eq!(
        app.audit_actions("billing_settings", None).await,
        vec!["update".to_owned()]
    );
}

/// Closing a period while 50 writers post payments and enter readings: every payment is
/// either refused with PERIOD_CLOSED or booked where an invoice counts it — those booked in
/// the closed month are exactly its invoices' `paid` — and the closing summary reconciles
/// to the kopeck. (Before, a payment written during a long closing could be booked in the
/// month after its invoice was formed, and land on no invoice at all.)
#[tokio::test]
async fn closing_a_period_under_fifty_writers_loses_no_payment() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let app = Arc::new(TestApp::spawn().await);
    app.generate_and_calculate(10_000, 16).await;
    let open = app.gql("{ openPeriod }", json!({})).await["data"]["openPeriod"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    // Accounts and their apartment meters for the writers.
    let targets: Vec<(i64, i64)> = {
        use sea_orm::ConnectionTrait;
        let rows = app
            .state
            .owner_db
            .query_all_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                format!(
                    "SELECT m.account_id, m.id FROM \"{}\".meters m WHERE m.account_id IS NOT NULL \
                     AND m.removed_on IS NULL ORDER BY m.id LIMIT 400",
                    app.tenant.schema()
                ),
            ))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        rows.iter()
            .map(|r| {
                (
                    r.try_get_by_index::<i64>(0).unwrap_or_default(),
                    r.try_get_by_index::<i64>(1).unwrap_or_default(),
                )
            })
            .collect()
    };
    assert_eq!(targets.len(), 400);
    let worker = app.start_worker(app.state.clone(), "closing-under-load");
    let stop = Arc::new(AtomicBool::new(false));
    let today = chrono::Utc::now().date_naive();
    let mut writers = Vec::new();
    for w in 0..50usize {
        let (app, stop, targets) = (app.clone(), stop.clone(), targets.clone());
        writers.push(tokio::spawn(async move {
            let mut refused = Vec::new();
            let mut paid = 0usize;
            let mut i = w;
            while !stop.load(Ordering::Relaxed) {
                let (account, meter) = targets[i % targets.len()];
                i += 50;
                let r = if i % 3 == 0 {
                    app.gql(
                        "mutation($m: Int!) { enterReading(input: { meterId: $m, consumption: \"1\" }) { reading { id } } }",
                        json!({ "m": meter }),
                    )
                    .await
                } else {
                    let amount = format!("{}.{:02}", 1 + i % 97, i % 100);
                    let r = app
                        .gql(
                            "mutation($i: PaymentInput!) { createPayment(input: $i) { payment { id } } }",
                            json!({ "i": { "accountId": account, "amount": amount, "kind": "CASH_DESK",
                                           "paidOn": today, "receivedOn": today } }),
                        )
                        .await;
                    if r["errors"].is_null() {
                        paid += 1;
                    }
                    r
                };
                if !r["errors"].is_null() {
                    let e = &r["errors"][0]["extensions"];
                    refused.push(format!(
                        "{}:{}",
                        e["code"].as_str().unwrap_or("?"),
                        e["field"].as_str().unwrap_or("")
                    ));
                }
            }
            (paid, refused)
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let r = app
        .gql(
            "mutation($p: String!) { closePeriod(input: { period: $p }) { id } }",
            json!({ "p": open }),
        )
        .await;
    let id = r["data"]["closePeriod"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let job = app.wait_job(&id, Duration::from_secs(300)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::Relaxed);
    let mut paid = 0;
    let mut refused = Vec::new();
    for w in writers {
        let (p, r) = w.await.unwrap_or_else(|e| panic!("{e}"));
        paid += p;
        refused.extend(r);
    }
    assert_eq!(job["state"], "DONE", "{job}");
    assert!(paid > 50, "the writers wrote: {paid}");
    // The buildings whose payments and readings came after their invoices were formed.
    assert!(
        job["result"]["buildingsReformed"].as_u64() > Some(0),
        "{job}"
    );
    eprintln!(
        "{paid} payments; {} buildings re-formed at closing; refusals {}",
        job["result"]["buildingsReformed"],
        refused.len()
    );
    // The only refusals: the month being closed or closed, and — once the next month is
    // the open one — today's receipt date, which lies before it.
    assert!(
        refused.iter().all(|c| c == "PERIOD_CLOSED:"
            || c == "VALIDATION:receivedOn"
            || c == "VALIDATION:takenOn"),
        "{refused:?}"
    );

    // Every payment booked in the closed month is on its account's invoice, to the kopeck.
    crate::helpers::sql_expect(
        &app,
        &format!(
            "SELECT count(*) FROM (SELECT p.account_id, sum(p.amount) AS s FROM \"{{s}}\".payments p \
                 WHERE p.period = DATE '{open}-01' AND p.cancelled_at IS NULL GROUP BY 1) x \
             FULL JOIN (SELECT account_id, paid FROM \"{{s}}\".invoices WHERE period = DATE '{open}-01' AND paid <> 0) i \
               ON i.account_id = x.account_id \
             WHERE x.s IS DISTINCT FROM i.paid"
        ),
        0,
    )
    .await;
    assert!(
        refused.iter().any(|c| c == "PERIOD_CLOSED:"),
        "writers met the closing: {refused:?}"
    );
    let s = app
        .gql(
            "query($p: String!) { closingSummary(period: $p) { reconciles difference } }",
            json!({ "p": open }),
        )
        .await;
    assert_eq!(s["data"]["closingSummary"]["reconciles"], true, "{s}");
    worker.stop().await;
}

#[tokio::test]
async fn the_protocol_lists_accounts_not_calculated_and_services_charged_nothing() {
    let app = TestApp::spawn().await;
    tools::generator::generate(
        &app.state,
        &app.tenant,
        tools::generator::Size {
            accounts: 30,
            seed: 11,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    // An apartment whose area was never entered: its upkeep, priced by area, comes to zero.
    let no_area = sql_text(
        &app,
        "SELECT number FROM \"{s}\".accounts a WHERE premises_id IS NOT NULL \
         AND EXISTS (SELECT 1 FROM \"{s}\".account_services x JOIN \"{s}\".services v ON v.id = x.service_id \
                     WHERE x.account_id = a.id AND v.method = 'area') ORDER BY number LIMIT 1",
    )
    .await;
    sql(
        &app,
        &format!(
            "DELETE FROM \"{{s}}\".premises_areas WHERE premises_id = \
             (SELECT premises_id FROM \"{{s}}\".accounts WHERE number = '{no_area}')"
        ),
    )
    .await;
    // An account opened with no premises: the calculation goes by building and cannot reach it.
    sql(
        &app,
        "INSERT INTO \"{s}\".accounts (number, holder_name, address, account_type, subscriber_id, premises_id, status, opened_on, branch_id) \
         SELECT '999901', holder_name, address, account_type, subscriber_id, NULL, status, opened_on, branch_id \
         FROM \"{s}\".accounts ORDER BY id LIMIT 1",
    )
    .await;
    let worker = app.start_worker(app.state.clone(), "billing-warnings");
    let job = calculate(&app, json!({ "scope": "TENANT" })).await;
    worker.stop().await;
    assert_eq!(job["state"], "DONE", "{job}");
    let result = &job["result"];
    let warnings = result["warnings"].as_array().cloned().unwrap_or_default();
    let of = |number: &str| -> Vec<String> {
        warnings
            .iter()
            .filter(|w| w["number"] == number)
            .map(|w| w["reason"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(
        of("999901"),
        vec!["the account has no premises, so it is not calculated".to_owned()],
        "{result}"
    );
    assert!(
        of(&no_area)
            .iter()
            .any(|r| r.ends_with("is charged nothing: the premises have no area")),
        "{no_area}: {result}"
    );
    assert_eq!(
        result["warningCount"].as_u64(),
        Some(warnings.len() as u64),
        "{result}"
    );
    // The accounts with areas are not flagged for area.
    assert!(
        warnings
            .iter()
            .filter(|w| w["reason"].as_str().is_some_and(|r| r.contains("no area")))
            .all(|w| w["number"] == no_area.as_str()),
        "{result}"
    );
    // The protocol file holds the same rows.
    let rows = download_sheet(&app, job["id"].as_str().unwrap_or_default()).await;
    assert_eq!(rows.len(), warnings.len() + 1, "{rows:?}");
    assert!(rows.iter().any(|r| r[0] == "999901"), "{rows:?}");
}

#[tokio::test]
async fn riser_meters_share_their_remainder_and_the_protocol_names_what_they_miss() {
    let app = TestApp::spawn().await;
    app.generate(30, 11).await;
    // The first building with three accounts: its first two on riser 1, under a riser
    // meter (its main the house meter) read 30 m³ this month — the first account's
    // apartment meter linked to it, the second's to nothing.
    let building = sql_text(
        &app,
        "SELECT p.building_id::text FROM \"{s}\".accounts a JOIN \"{s}\".premises p ON p.id = a.premises_id \
         GROUP BY p.building_id HAVING count(*) >= 3 ORDER BY p.building_id LIMIT 1",
    )
    .await;
    let first = |k: usize| {
        format!(
            "(SELECT a.id FROM \"{{s}}\".accounts a JOIN \"{{s}}\".premises p ON p.id = a.premises_id \
              WHERE p.building_id = {building} ORDER BY a.id OFFSET {k} LIMIT 1)"
        )
    };
    let (a1, a2) = (first(0), first(1));
    sql(
        &app,
        &format!(
            "UPDATE \"{{s}}\".premises SET riser = 1 WHERE id IN \
               (SELECT premises_id FROM \"{{s}}\".accounts WHERE id IN ({a1}, {a2})); \
             INSERT INTO \"{{s}}\".meters (serial, service_id, install_method, building_id, riser, installed_on, \
                                          initial_reading, parent_id) \
             SELECT 'СТ-1', m.service_id, 'riser', m.building_id, 1, DATE '2021-01-01', 100, m.id \
             FROM \"{{s}}\".meters m WHERE m.building_id = {building} AND m.install_method = 'building'; \
             INSERT INTO \"{{s}}\".meters (serial, service_id, install_method, building_id, riser, installed_on, \
                                          initial_reading, removed_on, final_reading) \
             SELECT 'СТ-2', m.service_id, 'riser', m.building_id, 2, DATE '2021-01-01', 100, \
                    (SELECT max(month) + 9 FROM \"{{s}}\".periods WHERE state = 'open'), 104 \
             FROM \"{{s}}\".meters m WHERE m.building_id = {building} AND m.install_method = 'building'; \
             INSERT INTO \"{{s}}\".readings (meter_id, period, taken_on, previous, current, consumption, basis, source, entered_by, entered_at) \
             SELECT m.id, o.month, o.month + 20, 100, 100 + c.used, c.used, 'actual', 'operator', 'test', now() \
             FROM \"{{s}}\".meters m CROSS JOIN (SELECT max(month) AS month FROM \"{{s}}\".periods WHERE state = 'open') o \
             JOIN (VALUES ('СТ-1', 30), ('СТ-2', 4)) c(serial, used) ON c.serial = m.serial; \
             UPDATE \"{{s}}\".meters SET parent_id = (SELECT id FROM \"{{s}}\".meters WHERE serial = 'СТ-1') \
             WHERE account_id = {a1} AND install_method = 'apartment'; \
             UPDATE \"{{s}}\".meters SET parent_id = NULL WHERE account_id = {a2} AND install_method = 'apartment'"
        ),
    )
    .await;
    let job = app.calculate_tenant().await;
    assert_eq!(job["state"], "DONE", "{job}");
    // The first account's share: the riser's remainder (30 less both accounts' water),
    // then the house's; two steps, and the share is their sum.
    let line = |account: &str, code: &str, what: &str| {
        format!(
            "SELECT coalesce(sum({what}), 0)::text FROM \"{{s}}\".invoice_lines l \
             JOIN \"{{s}}\".services v ON v.id = l.service_id \
             WHERE l.account_id = {account} AND v.code = '{code}' \
               AND l.period = (SELECT max(month) FROM \"{{s}}\".periods WHERE state = 'open')"
        )
    };
    let number = |text: String| text.parse::<rust_decimal::Decimal>().unwrap_or_default();
    let steps = sql_text(
        &app,
        &format!(
            "SELECT l.steps::text FROM \"{{s}}\".invoice_lines l JOIN \"{{s}}\".services v ON v.id = l.service_id \
             WHERE l.account_id = {a1} AND v.code = 'xvs_odn' \
               AND l.period = (SELECT max(month) FROM \"{{s}}\".periods WHERE state = 'open')"
        ),
    )
    .await;
    let steps: Value = serde_json::from_str(&steps).unwrap_or_else(|e| panic!("{e}: {steps}"));
    let shares: Vec<&Value> = steps
        .as_array()
        .map(|s| s.iter().filter(|x| x["kind"] == "common_share").collect())
        .unwrap_or_default();
    assert_eq!(shares.len(), 2, "a riser share and a house share: {steps}");
    let used = number(sql_text(&app, &line(&a1, "xvs", "l.quantity")).await)
        + number(sql_text(&app, &line(&a2, "xvs", "l.quantity")).await);
    let riser = &shares[0]["args"];
    assert_eq!(riser[0], "30", "the riser's volume: {steps}");
    assert_eq!(
        riser[1]
            .as_str()
            .and_then(|v| v.parse::<rust_decimal::Decimal>().ok()),
        Some(used.normalize()),
        "the riser's apartments: {steps}"
    );
    let quantity = number(sql_text(&app, &line(&a1, "xvs_odn", "l.quantity")).await);
    let parts: rust_decimal::Decimal = shares
        .iter()
        .filter_map(|s| {
            s["value"]
                .as_str()
                .and_then(|v| v.parse::<rust_decimal::Decimal>().ok())
        })
        .sum();
    assert_eq!(quantity, parts, "{steps}");
    // The protocol: the second account's meter has no main; the riser 2 meter removed
    // with no replacement.
    let warnings = job["result"]["warnings"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let number2 = sql_text(
        &app,
        &format!("SELECT number FROM \"{{s}}\".accounts WHERE id = {a2}"),
    )
    .await;
    assert!(
        warnings.iter().any(|w| w["number"] == number2.as_str()
            && w["reason"].as_str().is_some_and(|r| r
                .starts_with("the apartment meter of service")
                && r.ends_with(
                    "has no working main meter though the building has one: assign it"
                ))),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w["number"] == ""
            && w["reason"]
                .as_str()
                .is_some_and(|r| r.starts_with("main meter СТ-2 of service")
                    && r.ends_with(
                        "and no replacement is installed: the rest of the period is not metered"
                    ))),
        "{warnings:?}"
    );
    // In the operator's language too.
    let rows = download_sheet(&app, job["id"].as_str().unwrap_or_default()).await;
    assert!(
        rows.iter().any(|r| r[0] == number2 && !r[2].is_empty()),
        "{rows:?}"
    );
}

/// Seed 001 §2 «Наражовувати пеню при наявності договору реструктуризації»: in the months
/// of an active restructuring agreement the account is charged no penalty — its lines say
/// why — unless the tenant turns the setting on; a cancelled agreement waives nothing.
#[tokio::test]
async fn no_penalty_under_a_restructuring_agreement_unless_the_tenant_charges_it() {
    let app = TestApp::spawn().await;
    let (open, prev) = crate::payments::periods();
    let (_, _, account, _) = crate::meters::setup(&app).await;
    let number = app.account_number(account).await;
    // Last month's 300 + 100 unpaid: overdue this month.
    crate::payments::invoice(&app, &number, prev).await;
    let period = open.format("%Y-%m").to_string();
    let penalties = || async {
        let r = app
            .gql(
                "mutation($a: Int!) { formInvoice(accountId: $a) { penalty } }",
                json!({ "a": account }),
            )
            .await;
        assert!(r["errors"].is_null(), "{r}");
        let r = app
            .gql(
                "query($a: Int!, $p: String!) { invoiceLines(accountId: $a, period: $p) { opening penalty steps } }",
                json!({ "a": account, "p": period }),
            )
            .await;
        r["data"]["invoiceLines"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|l| l["opening"] != "0")
            .collect::<Vec<Value>>()
    };
    let charged = penalties().await;
    assert_eq!(charged.len(), 2, "{charged:?}");
    assert!(
        charged
            .iter()
            .all(|l| l["penalty"] != "0.00" && l["penalty"] != "0"),
        "overdue debt is charged a penalty: {charged:?}"
    );

    let add = "mutation($a: Int!, $i: RestructuringInput!) { addRestructuring(accountId: $a, input: $i) { restructurings { id } } }";
    let terms = json!({ "number": "Р-77", "signedOn": open.to_string(), "debt": "400", "months": 4, "firstPeriod": period });
    let r = app.gql(add, json!({ "a": account, "i": terms })).await;
    let agreement = r["data"]["addRestructuring"]["restructurings"][0]["id"].clone();
    assert!(agreement.is_i64(), "{r}");
    let waived = penalties().await;
    for l in &waived {
        assert_eq!(
            l["penalty"]
                .as_str()
                .and_then(|p| p.parse::<rust_decimal::Decimal>().ok()),
            Some(rust_decimal::Decimal::ZERO),
            "{l}"
        );
        let why: Vec<&Value> = l["steps"]
            .as_array()
            .map(|s| {
                s.iter()
                    .filter(|s| s["kind"] == "penalty_under_agreement")
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(why.len(), 1, "{l}");
        assert_eq!(
            why[0]["args"][0]
                .as_str()
                .map(|a| a.parse::<rust_decimal::Decimal>().ok()),
            l["opening"]
                .as_str()
                .map(|o| o.parse::<rust_decimal::Decimal>().ok()),
            "the step names the debt: {l}"
        );
    }

    // The tenant charges it anyway: the same penalty as without the agreement.
    let settings = app
        .gql(
            "{ billingSettings { averageMonths zeroTakesPrevious residentsBasis penaltyRule dueDay } }",
            json!({}),
        )
        .await["data"]["billingSettings"]
        .clone();
    let mut on = settings.clone();
    on["penaltyUnderAgreement"] = json!(true);
    let r = app
        .gql(
            "mutation($i: BillingSettingsInput!) { updateBillingSettings(input: $i) { penaltyUnderAgreement } }",
            json!({ "i": on }),
        )
        .await;
    assert_eq!(
        r["data"]["updateBillingSettings"]["penaltyUnderAgreement"], true,
        "{r}"
    );
    let again = penalties().await;
    let amounts = |ls: &[Value]| ls.iter().map(|l| l["penalty"].clone()).collect::<Vec<_>>();
    assert_eq!(amounts(&again), amounts(&charged));

    // Off again, and the agreement cancelled: nothing is waived.
    let mut off = settings;
    off["penaltyUnderAgreement"] = json!(false);
    app.gql(
        "mutation($i: BillingSettingsInput!) { updateBillingSettings(input: $i) { penaltyUnderAgreement } }",
        json!({ "i": off }),
    )
    .await;
    let r = app
        .gql(
            "mutation($id: Int!) { cancelRestructuring(id: $id) { restructurings { status } } }",
            json!({ "id": agreement }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    assert_eq!(amounts(&penalties().await), amounts(&charged));
    let changes = crate::helpers::sql_text(
        &app,
        "SELECT string_agg(after ->> 'penaltyUnderAgreement', ',' ORDER BY id) FROM \"{s}\".audit_log \
         WHERE entity = 'billing_settings'",
    )
    .await;
    assert_eq!(changes, "true,false");

    // How the agreement was kept (its table on the card): this month's payment of 500
    // pays last month's bill of 400 first; the 100 left is this month's instalment.
    let day = open.to_string();
    let r = app
        .gql(
            "mutation($i: PaymentInput!) { createPayment(input: $i) { payment { id } } }",
            json!({ "i": { "accountId": account, "amount": "500", "kind": "CASH_DESK", "paidOn": day, "receivedOn": day } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = app
        .gql(
            "query($id: Int!) { account(id: $id) { restructurings { instalments { period amount paid behind } } } }",
            json!({ "id": account }),
        )
        .await;
    let months = &r["data"]["account"]["restructurings"][0]["instalments"];
    assert_eq!(
        months[0],
        json!({ "period": period, "amount": "100.00", "paid": "100.00", "behind": "0.00" }),
        "{r}"
    );
    assert_eq!(
        (&months[1]["paid"], &months[1]["behind"]),
        (&Value::Null, &Value::Null),
        "a month to come: {r}"
    );
}
